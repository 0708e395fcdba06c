//go:build !unix

package offheap

import "errors"

// mapChunk fails where there is no mmap: the arena then uses the heap.
func mapChunk(int, bool) ([]byte, error) { return nil, errors.New("no mmap on this system") }
