//go:build unix

package history

import (
	"os"
	"syscall"
)

// mapPack maps a pack file into memory, as git does, so that reading an
// object costs no system call; it returns nil when it cannot, and the pack
// is then read with ReadAt.
func mapPack(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	raw, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	var data []byte
	ctlErr := raw.Control(func(fd uintptr) {
		data, err = syscall.Mmap(int(fd), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	})
	if ctlErr != nil || err != nil {
		return nil
	}
	return data
}

func unmapPack(data []byte) { syscall.Munmap(data) }
