//go:build unix && !linux

package offheap

// adviseHuge does nothing where there is no MADV_HUGEPAGE.
func adviseHuge([]byte) {}
