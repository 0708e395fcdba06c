package offheap

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"unsafe"
)

func TestBytes(t *testing.T) {
	var a Arena
	for _, tc := range []struct {
		name    string
		n       int
		offHeap bool
	}{
		{"a file", 1500, true},
		{"a large file", maxSmall, true},
		{"larger than a chunk can spare", maxSmall + 1, false},
		{"nothing", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := a.Bytes(tc.n)
			if len(b) != 0 || cap(b) != tc.n {
				t.Fatalf("Bytes(%d): len %d cap %d", tc.n, len(b), cap(b))
			}
			if got := owned(b); got != tc.offHeap && runtime.GOOS == "linux" {
				t.Errorf("Bytes(%d) off the heap = %v, want %v", tc.n, got, tc.offHeap)
			}
			b = append(b, bytes.Repeat([]byte{'x'}, tc.n)...)
			if !bytes.Equal(b, bytes.Repeat([]byte{'x'}, tc.n)) {
				t.Error("the buffer does not hold what was written")
			}
		})
	}
	var nilArena *Arena
	if b := nilArena.Bytes(10); cap(b) != 10 {
		t.Errorf("a nil arena: cap %d", cap(b))
	}
}

// TestBuffersDoNotOverlap writes a different byte into each buffer, from
// several goroutines, then checks every one: a buffer handed out twice,
// or overlapping its neighbour, would be overwritten.
func TestBuffersDoNotOverlap(t *testing.T) {
	var a Arena
	const each = 2000
	bufs := make([][]byte, 4*each)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g * each; i < (g+1)*each; i++ {
				n := 1 + (i*7919)%50_000 // 100 MB in all: several chunks
				b := a.Bytes(n)
				bufs[i] = append(b, bytes.Repeat([]byte{byte(i)}, n)...)
			}
		})
	}
	wg.Wait()
	for i, b := range bufs {
		if bytes.Count(b, []byte{byte(i)}) != len(b) {
			t.Fatalf("buffer %d was overwritten", i)
		}
	}
	if runtime.GOOS == "linux" && a.Mapped() < 2*chunkSize {
		t.Errorf("mapped %d bytes for %d buffers of up to 50 KB: want several chunks", a.Mapped(), len(bufs))
	}
}

// TestOutsideTheHeap: what the arena holds does not count towards the
// heap, whose size sets the collector's next goal.
func TestOutsideTheHeap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the arena maps its own memory on Unix; measured on Linux")
	}
	var a Arena
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	kept := make([][]byte, 0, 1000)
	for range 1000 {
		kept = append(kept, append(a.Bytes(64<<10), make([]byte, 64<<10)...)) // 64 MB in all
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 8<<20 {
		t.Errorf("the heap grew by %d MB holding 64 MB of arena buffers", grew>>20)
	}
	runtime.KeepAlive(kept)
}

// owned reports whether b, which Bytes gave, is in a chunk rather than on
// the heap.
func owned(b []byte) bool { return cap(b) > 0 && inChunk(unsafe.SliceData(b[:1])) }
