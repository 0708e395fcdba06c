package offheap

import "syscall"

// adviseHuge asks for transparent huge pages: on a virtual machine the
// first touch of each 4 KB page is a trap to the host (PERFORMANCE.md).
// A kernel without them refuses, and the chunk works as it is.
func adviseHuge(b []byte) { _ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) }
