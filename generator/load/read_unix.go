//go:build unix

package load

import (
	"io"
	"io/fs"
	"syscall"
)

// openDirect opens a file with one system call. Through os.File, opening
// also asks whether the poller can watch the file and sets it blocking
// again: three more calls, which cost as much as the reading itself in a
// repository of many small files.
func openDirect(path string) (io.ReadCloser, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return fdFile(fd), nil
	}
}

// fdFile is an open file descriptor.
type fdFile int

func (fd fdFile) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(fd), p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (fd fdFile) Close() error { return syscall.Close(int(fd)) }
