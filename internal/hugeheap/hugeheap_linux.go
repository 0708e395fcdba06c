package hugeheap

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
)

func init() {
	if !wanted(os.Args, os.Getenv) {
		return
	}
	if n := reserveSize(probe()); n > 0 {
		active = Reserve(n)
	}
}

// probe reads what reserveSize needs.
func probe() system {
	var s system
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil {
		s.thpMode = thpMode(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil {
		s.overcommit = strings.TrimSpace(string(b))
	}
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) == nil {
		s.ram = uint64(info.Totalram) * uint64(info.Unit)
	}
	// A 32-bit address space has no room for gigabytes of reservation.
	s.limited = strconv.IntSize < 64
	for _, r := range []int{syscall.RLIMIT_AS, syscall.RLIMIT_DATA} {
		var l syscall.Rlimit
		if syscall.Getrlimit(r, &l) != nil || l.Cur != rlimInfinity {
			s.limited = true
		}
	}
	cycles := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(cycles)
	if cycles[0].Value.Kind() == metrics.KindUint64 {
		s.gcCycles = cycles[0].Value.Uint64()
	}
	return s
}

// rlimInfinity is RLIM_INFINITY: no limit.
const rlimInfinity = ^uint64(0)

// Reserve makes the runtime map n bytes of fresh heap, advises them
// MADV_HUGEPAGE and frees them, so that the heap grows into them. It
// reports whether the kernel took the advice. Called after the heap has
// been collected, it still works, but the allocation may then have to be
// zeroed page by page first, which is the very cost it saves.
func Reserve(n int) bool {
	b := make([]byte, n)
	err := syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	// b is dead here. Its allocation started a collection while it was
	// live; this one frees it, and brings the heap's goal back down from
	// twice its size.
	runtime.GC()
	return err == nil
}
