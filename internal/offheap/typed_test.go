package offheap

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/handover-dev/handover/internal/testutil"
)

// member is what the loader keeps off the heap: a key and a boxed value,
// which may be a list of further members.
type member struct {
	Key   string
	Value any
}

var (
	boxString  = NewBoxer[string]()
	boxInt     = NewBoxer[int64]()
	boxFloat   = NewBoxer[float64]()
	boxMembers = NewBoxer[[]member]()
)

// tree builds n members in s, each with a string made on the heap (which
// String must copy), a number and a nested list.
func tree(s *Slab, n int) []member {
	out := MakeSlice[member](s, n)
	for i := range n {
		inner := MakeSlice[member](s, 3)
		inner = append(inner,
			member{Key: s.String(fmt.Sprint("int", i)), Value: boxInt.Box(s, int64(i))},
			member{Key: s.String("float"), Value: boxFloat.Box(s, float64(i)+0.5)},
			member{Key: s.String(strings.Repeat("k", i%40+1)), Value: boxString.Box(s, s.String(fmt.Sprintf("value %d %s", i, strings.Repeat("v", i%300))))})
		out = append(out, member{Key: s.String(fmt.Sprint("m", i)), Value: boxMembers.Box(s, inner)})
	}
	return out
}

// TestSlabSurvivesCollections builds values in a slab from strings made
// on the heap, lets the collector free and reuse everything else, and
// reads them back: a value pointing into the heap would have been written
// over. It runs with an arena that maps its memory and with one that
// cannot, whose blocks come from the heap and must stay alive all the same.
func TestSlabSurvivesCollections(t *testing.T) {
	for _, tc := range []struct {
		name  string
		arena *Arena
	}{
		{"mapped", &Arena{}},
		{"heap", &Arena{failed: true}},
		{"nil", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.arena.Slab()
			got := tree(s, 3000)
			s.Release()
			testutil.ChurnHeap(50_000, 700)
			want := tree(nil, 3000)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Error("the values read back differ from those built")
			}
			if tc.name == "mapped" && runtime.GOOS == "linux" {
				if !inChunk(unsafe.StringData(got[10].Key)) {
					t.Error("a key is not in the arena")
				}
				if !inChunk((*byte)(unsafe.Pointer(unsafe.SliceData(got)))) {
					t.Error("the members are not in the arena")
				}
			}
		})
	}
}

// TestSlabAlignsAndSeparates allocates values of every alignment and size
// around the block size, writes each, and checks them all.
func TestSlabAlignsAndSeparates(t *testing.T) {
	s := (&Arena{}).Slab()
	var bytesSeen [][]byte
	var words []*uint64
	for i := range 2000 {
		b := MakeSlice[byte](s, 1+i*37%(slabBlock/3))
		b = append(b, bytes.Repeat([]byte{byte(i)}, cap(b))...)
		bytesSeen = append(bytesSeen, b)
		w := New[uint64](s)
		if uintptr(unsafe.Pointer(w))%unsafe.Alignof(*w) != 0 {
			t.Fatalf("a uint64 at %p is misaligned", w)
		}
		*w = uint64(i) * 0x0101010101010101
		words = append(words, w)
	}
	big := MakeSlice[uint64](s, slabBlock) // larger than a block: a buffer of its own
	big = append(big, make([]uint64, slabBlock)...)
	for i := range big {
		big[i] = ^uint64(i)
	}
	for i, b := range bytesSeen {
		if bytes.Count(b, []byte{byte(i)}) != len(b) || *words[i] != uint64(i)*0x0101010101010101 {
			t.Fatalf("value %d was overwritten", i)
		}
	}
	for i := range big {
		if big[i] != ^uint64(i) {
			t.Fatalf("word %d of the large slice was overwritten", i)
		}
	}
	if got := MakeSlice[int](s, 0); got == nil || len(got) != 0 {
		t.Errorf("MakeSlice(0) = %v", got)
	}
	var empty struct{}
	if p := New[struct{}](s); *p != empty {
		t.Error("a zero-sized value is not zero")
	}
}

// TestNewBoxerRefusesPointers: an interface holds a pointer-shaped value
// itself, so boxing it as a copy would make a wrong interface.
func TestNewBoxerRefusesPointers(t *testing.T) {
	for name, f := range map[string]func(){
		"pointer": func() { NewBoxer[*int]() },
		"map":     func() { NewBoxer[map[string]int]() },
		"func":    func() { NewBoxer[func()]() },
		"struct":  func() { NewBoxer[struct{ p *int }]() },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("NewBoxer did not panic")
				}
			}()
			f()
		})
	}
	s := (&Arena{}).Slab()
	got := fmt.Sprintln(boxString.Box(s, "x"), boxInt.Box(s, -3), boxFloat.Box(s, 2.5), NewBoxer[bool]().Box(s, true), NewBoxer[[]int]().Box(s, []int{1, 2}))
	if got != "x -3 2.5 true [1 2]\n" {
		t.Errorf("boxed values print %q", got)
	}
}
