//go:build !linux

package hugeheap

// Reserve does nothing outside Linux, where there is no MADV_HUGEPAGE.
func Reserve(n int) bool { return false }
