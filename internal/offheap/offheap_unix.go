//go:build unix

package offheap

import "syscall"

// mapChunk maps n bytes of private, zeroed memory.
func mapChunk(n int, huge bool) ([]byte, error) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	if huge {
		adviseHuge(b)
	}
	return b, nil
}
