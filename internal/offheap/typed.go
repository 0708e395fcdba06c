package offheap

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Typed values off the heap: a build's documents (their fields, lists and
// boxed scalars, about 75 MB at 50,000 entities) live until it exits, and
// on the heap the collector marked them again in every cycle of the render.
// They may hold pointers, under one rule: only to memory the collector does
// not free, that is to an arena, to what Slab.String copies there, or to
// static data. A pointer into the heap stored here would not keep its
// target alive. Memory a Slab takes from the heap, when an arena cannot
// map more, is kept reachable for good (kept), so the rule holds there too.

// slabBlock is how much a Slab takes from its arena at a time.
const slabBlock = 64 << 10

// Slab hands out typed memory from an arena for one goroutine at a time,
// without a lock: a block of the arena at a time, bumped. Its memory is
// zeroed and lives until the process exits. A nil *Slab allocates on the
// heap, as new and make do.
type Slab struct {
	a    *Arena
	free []byte
}

// Slab returns a slab of a, for one goroutine until Release; nil for a
// nil arena. Slabs are reused, so that the goroutines loading thousands
// of small files share a few blocks rather than leave one each mostly
// unused.
func (a *Arena) Slab() *Slab {
	if a == nil {
		return nil
	}
	if s, ok := a.slabs.Get().(*Slab); ok {
		return s
	}
	return &Slab{a: a}
}

// Release hands the slab back to its arena for another goroutine; what it
// gave stays where it is.
func (s *Slab) Release() {
	if s != nil {
		s.a.slabs.Put(s)
	}
}

// kept holds the heap memory slabs handed out, for good: what points to
// it is not scanned.
var kept struct {
	sync.Mutex
	blocks [][]byte
}

func keep(b []byte) []byte {
	kept.Lock()
	kept.blocks = append(kept.blocks, b)
	kept.Unlock()
	return b
}

// alloc returns size bytes of zeroed memory aligned to align (a power of
// two).
func (s *Slab) alloc(size, align uintptr) unsafe.Pointer {
	if size == 0 {
		return unsafe.Pointer(&zero)
	}
	pad := func() uintptr {
		return -uintptr(unsafe.Pointer(unsafe.SliceData(s.free))) & (align - 1)
	}
	if uintptr(len(s.free)) < pad()+size {
		if size > slabBlock/4 {
			// Large: a buffer of its own, so that a block is not mostly
			// left unused. From a chunk when it fits, else the heap.
			b := s.a.fromChunk(int(size + align))
			if b == nil {
				b = keep(make([]byte, size+align))
			}
			b = b[:cap(b)]
			p := unsafe.Pointer(unsafe.SliceData(b))
			return unsafe.Add(p, -uintptr(p)&(align-1))
		}
		b := s.a.fromChunk(slabBlock)
		if b == nil {
			b = keep(make([]byte, slabBlock))
		}
		s.free = b[:cap(b)]
	}
	pad0 := pad()
	p := unsafe.Pointer(&s.free[pad0])
	s.free = s.free[pad0+size:]
	return p
}

// zero is where zero-sized values point.
var zero uintptr

// New returns a pointer to a zero T in the slab's memory.
func New[T any](s *Slab) *T {
	if s == nil {
		return new(T)
	}
	var v T
	return (*T)(s.alloc(unsafe.Sizeof(v), unsafe.Alignof(v)))
}

// MakeSlice returns an empty slice of capacity n in the slab's memory.
// Appending past n moves it to the heap, as append does: the slice's
// elements must then keep to the rule above all the same.
func MakeSlice[T any](s *Slab, n int) []T {
	if s == nil || n <= 0 {
		return make([]T, 0, max(n, 0))
	}
	var v T
	p := (*T)(s.alloc(unsafe.Sizeof(v)*uintptr(n), unsafe.Alignof(v)))
	return unsafe.Slice(p, n)[:0:n]
}

// String returns s with its bytes in the slab's arena: s itself when they
// are there already (or s is empty), else a copy.
func (s *Slab) String(str string) string {
	if s == nil || str == "" || inChunk(unsafe.StringData(str)) {
		return str
	}
	p := s.alloc(uintptr(len(str)), 1)
	b := unsafe.Slice((*byte)(p), len(str))
	copy(b, str)
	return unsafe.String(&b[0], len(b))
}

// Boxer puts values of type T into interfaces whose value is in a slab:
// an interface holding a string, a number or a slice points at a copy of
// it, which the runtime would otherwise allocate on the heap.
type Boxer[T any] struct {
	typ unsafe.Pointer // the type word of an interface holding a T
}

// eface is the layout of an interface{} value.
type eface struct {
	typ, data unsafe.Pointer
}

// NewBoxer returns a Boxer for T, which must be a type whose interface
// values point at a copy: a string, a number, a bool or a slice. It
// panics for any other: an interface holds a pointer-shaped value itself.
func NewBoxer[T any]() Boxer[T] {
	switch k := reflect.TypeFor[T]().Kind(); k {
	case reflect.String, reflect.Bool, reflect.Slice, reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		panic(fmt.Sprintf("offheap: cannot box a %s", k))
	}
	var x any = *new(T)
	return Boxer[T]{typ: (*eface)(unsafe.Pointer(&x)).typ}
}

// Box returns v in an interface whose value is in s; v itself (boxed on
// the heap) when s is nil.
func (b Boxer[T]) Box(s *Slab, v T) any {
	if s == nil {
		return v
	}
	p := New[T](s)
	*p = v
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ, e.data = b.typ, unsafe.Pointer(p)
	return x
}

// chunks are the base addresses of every arena's chunks, for inChunk. It
// only grows; readers need no lock.
var chunks atomic.Pointer[[]uintptr]

// addChunk records a chunk just mapped.
func addChunk(b []byte) {
	base := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	for {
		old := chunks.Load()
		var next []uintptr
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, base)
		if chunks.CompareAndSwap(old, &next) {
			return
		}
	}
}

// inChunk reports whether p points into a chunk some arena mapped: chunks
// are never unmapped, so whatever points there stays valid.
func inChunk(p *byte) bool {
	cs := chunks.Load()
	if cs == nil {
		return false
	}
	at := uintptr(unsafe.Pointer(p))
	for _, base := range *cs {
		if at >= base && at < base+chunkSize {
			return true
		}
	}
	return false
}
