package hugeheap

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestReserveAdvisesTheHeapLinux checks the mechanism: after Reserve, the
// reserved range is advised MADV_HUGEPAGE (the "hg" flag of
// /proc/self/smaps), and the heap grows into it.
func TestReserveAdvisesTheHeapLinux(t *testing.T) {
	const size = 64 << 20
	if !Reserve(size) {
		if err := syscall.Madvise(make([]byte, 4096), syscall.MADV_HUGEPAGE); errors.Is(err, syscall.EINVAL) {
			t.Skip("this kernel has no transparent huge pages (madvise MADV_HUGEPAGE: EINVAL)")
		}
		t.Fatal("Reserve: madvise failed")
	}
	// Larger than any hole a test binary's small heap has below the
	// reserved range, so it can only go there or above it.
	b := make([]byte, size/2)
	addr := uintptr(unsafe.Pointer(&b[0]))
	ranges := advised(t)
	if len(ranges) == 0 {
		t.Fatal("no mapping in /proc/self/smaps is advised MADV_HUGEPAGE after Reserve")
	}
	for _, r := range ranges {
		if r[0] <= addr && addr+uintptr(len(b)) <= r[1] {
			return
		}
	}
	t.Errorf("an allocation after Reserve, at %#x, lies outside every advised range %#x", addr, ranges)
}

// advised lists the address ranges of /proc/self/smaps flagged "hg".
func advised(t *testing.T) [][2]uintptr {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	var out [][2]uintptr
	var cur [2]uintptr
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		// A mapping's first line: "7f3a…-7f3a… rw-p 00000000 00:00 0 …".
		if f := strings.Fields(line); len(f) > 1 && !strings.HasSuffix(f[0], ":") {
			if from, to, ok := strings.Cut(f[0], "-"); ok {
				a, err1 := strconv.ParseUint(from, 16, 64)
				b, err2 := strconv.ParseUint(to, 16, 64)
				if err1 == nil && err2 == nil {
					cur = [2]uintptr{uintptr(a), uintptr(b)}
					continue
				}
			}
		}
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			for _, fl := range strings.Fields(rest) {
				if fl == "hg" {
					out = append(out, cur)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkTouchFreshMemory measures what this package saves: writing
// once to each 4 KB page of 64 MB of fresh anonymous memory, as a growing
// heap does, with and without MADV_HUGEPAGE. On the CI machines of
// PERFORMANCE.md the first costs about 17 µs a page.
func BenchmarkTouchFreshMemory(b *testing.B) {
	const size = 64 << 20
	for _, bc := range []struct {
		name string
		huge bool
	}{{"4KB", false}, {"huge", true}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
				if err != nil {
					b.Fatal(err)
				}
				if bc.huge {
					if err := syscall.Madvise(m, syscall.MADV_HUGEPAGE); err != nil {
						b.Skipf("madvise MADV_HUGEPAGE: %v", err)
					}
				}
				for i := 0; i < size; i += 4096 {
					m[i] = 1
				}
				if err := syscall.Munmap(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
