// Package offheap hands out byte buffers from memory the Go runtime does
// not manage, for data that lives as long as the process: a build's file
// text and block scalars, which the model's strings point into until the
// build exits.
//
// Why: the collector sets its next goal at twice the heap it found live
// (GOGC=100), so every long-lived megabyte on the heap costs two of peak
// memory. Text holds no pointers, so the collector need never see it;
// kept off the heap it costs its own size and no more (the 50k build's
// peak RSS: about 950 -> 850 MB, PERFORMANCE.md).
//
// What it does not do: give memory back. An Arena's chunks are never
// unmapped, so nothing pointing into them can ever dangle, and a
// long-running process (serve) must not use one for what it reloads.
// Only pointer-free data belongs here: the collector does not scan it,
// so a pointer stored in it would not keep its target alive.
package offheap

import "sync"

// chunkSize is how much an Arena maps at a time: 2 MB huge pages fit
// it exactly.
const chunkSize = 32 << 20

// maxSmall is the largest buffer an Arena takes from a chunk; larger ones
// come from the heap, so that a chunk is never mostly left unused.
const maxSmall = chunkSize / 16

// Arena hands out buffers (Bytes) from chunks mapped outside the Go heap.
// It is safe for concurrent use. The zero Arena is ready; a nil *Arena
// hands out buffers from the heap.
type Arena struct {
	// Huge advises each chunk to use transparent huge pages (Linux).
	Huge bool

	mu     sync.Mutex
	free   []byte // what is left of the current chunk
	mapped int    // bytes mapped so far
	failed bool   // a mapping failed: use the heap from then on

	slabs sync.Pool // of *Slab, released
}

// Bytes returns an empty buffer with capacity n, which lives until the
// process exits. Appending past n moves it to the heap, as append does.
func (a *Arena) Bytes(n int) []byte {
	if b := a.fromChunk(n); b != nil {
		return b
	}
	return make([]byte, 0, max(n, 0))
}

// fromChunk is Bytes from a chunk, mapping one when needed; nil when the
// buffer cannot come from one (too large, or mapping failed).
func (a *Arena) fromChunk(n int) []byte {
	if a == nil || n <= 0 || n > maxSmall {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.free) < n && !a.failed {
		chunk, err := mapChunk(chunkSize, a.Huge)
		if err != nil {
			a.failed = true
		} else {
			addChunk(chunk)
			a.free = chunk
			a.mapped += chunkSize
		}
	}
	if len(a.free) < n {
		return nil
	}
	b := a.free[:0:n]
	a.free = a.free[n:]
	return b
}

// Mapped returns how many bytes the arena has mapped.
func (a *Arena) Mapped() int {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.mapped
}
