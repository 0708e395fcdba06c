// Package hugeheap asks Linux to back the Go heap with transparent huge
// pages, for the commands that load a whole repository.
//
// Why: the first write to each 4 KB page of fresh memory is a page fault.
// On bare metal that costs about a microsecond; on the virtual machines CI
// runs on it can cost 10–20 µs (measured: 300 MB of fresh memory took
// 1.4 s to touch with 4 KB pages and 21 ms with 2 MB ones). A build of
// 50,000 entities touches about a gigabyte, so a fifth of its CPU time went
// to faults. The Go runtime does not ask for huge pages itself (it did in
// Go 1.21.0 and stopped, for long-running servers whose heap shrinks), and
// most distributions set transparent huge pages to "madvise": only memory
// advised with MADV_HUGEPAGE gets them.
//
// How: before anything else has been allocated, one large allocation makes
// the runtime map that much address space, untouched; it is advised
// MADV_HUGEPAGE and freed at once. The runtime hands out the lowest free
// addresses first, so the heap then grows into the advised range and each
// fault brings in 2 MB. The advice outlives the allocation: the runtime
// does not map the range again, and returning pages to the kernel
// (MADV_DONTNEED) keeps it.
//
// It does nothing when it cannot help or might hurt: on other systems;
// when huge pages are "never" or already "always"; when the kernel refuses
// to overcommit (the range would be charged in full) or the process's
// address space or data size is limited (the allocation could fail, and
// the runtime cannot survive that); when a collection
// has already run (freed memory below the allocation would have to be
// zeroed, touching all of it); and when HANDOVER_HUGEPAGES=0 or
// GODEBUG=disablethp=1 is set. The cost is the reservation itself, about
// 20 ms for 2 GB, and a peak resident size a few percent higher, as memory
// is counted in 2 MB steps.
package hugeheap

import "strings"

// maxReserve bounds the advised range: a build of 50,000 entities peaks
// at about 1 GB of heap.
const maxReserve = 2 << 30

// active is whether init reserved the heap on huge pages.
var active bool

// Active reports whether this process's heap is on huge pages: memory
// the program maps for itself (internal/offheap) should be advised alike.
func Active() bool { return active }

// wanted reports whether this run is one that loads a repository (args
// are os.Args) and the user has not turned the advice off.
func wanted(args []string, env func(string) string) bool {
	return repositoryCommands[subcommand(args)] &&
		env("HANDOVER_HUGEPAGES") != "0" && !hasSetting(env("GODEBUG"), "disablethp=1")
}

// repositoryCommands load a whole repository, which is when the heap grows
// to hundreds of megabytes.
var repositoryCommands = map[string]bool{
	"validate": true, "build": true, "serve": true, "check": true, "impact": true, "diff": true,
}

// system is what the kernel and the runtime say.
type system struct {
	thpMode    string // the selected word of /sys/kernel/mm/transparent_hugepage/enabled
	overcommit string // /proc/sys/vm/overcommit_memory, trimmed
	ram        uint64 // physical memory in bytes, 0 when unknown
	gcCycles   uint64 // collections so far
	limited    bool   // a 32-bit address space, or a limit on it or on the data segment (ulimit -v, -d)
}

// reserveSize returns how many bytes to reserve and advise, 0 for none: a
// multiple of 2 MB, at most maxReserve and a quarter of the memory.
func reserveSize(s system) int {
	if s.thpMode != "madvise" || s.overcommit == "2" || s.gcCycles > 0 || s.limited {
		return 0
	}
	size := uint64(maxReserve)
	if s.ram > 0 {
		size = min(size, s.ram/4)
	}
	return int(size &^ (2<<20 - 1))
}

// subcommand is the first argument that is not a flag. The global flags
// (-q, -v) take no value, so a flag never hides the command.
func subcommand(args []string) string {
	for _, a := range args[min(1, len(args)):] {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// hasSetting reports whether a comma-separated GODEBUG value holds s.
func hasSetting(godebug, s string) bool {
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == s {
			return true
		}
	}
	return false
}

// thpMode picks the bracketed, selected word of the kernel's setting, as in
// "always [madvise] never".
func thpMode(setting string) string {
	i := strings.IndexByte(setting, '[')
	j := strings.IndexByte(setting, ']')
	if i < 0 || j < i {
		return ""
	}
	return setting[i+1 : j]
}
