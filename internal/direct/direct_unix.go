//go:build unix

// Package direct opens, reads and writes regular files with the fewest
// system calls: through os.File, opening a file also asks whether the
// poller can watch it and sets it blocking again, three or four more calls
// that cost as much as the reading or writing itself when a repository or
// a site is tens of thousands of small files.
package direct

import (
	"io"
	"io/fs"
	"syscall"
)

// Open opens a file for reading with one system call.
func Open(path string) (io.ReadCloser, error) {
	fd, err := open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return fdFile(fd), nil
}

// WriteFile writes b to a new or truncated file, as os.WriteFile does.
func WriteFile(path string, b []byte, perm fs.FileMode) error {
	fd, err := open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC, uint32(perm.Perm()))
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	f := fdFile(fd)
	for len(b) > 0 {
		n, err := f.write(b)
		if err != nil {
			f.Close()
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		b = b[n:]
	}
	if err := f.Close(); err != nil {
		return &fs.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

func open(path string, mode int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(path, mode|syscall.O_CLOEXEC, perm)
		if err != syscall.EINTR {
			return fd, err
		}
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

func (fd fdFile) write(p []byte) (int, error) {
	for {
		n, err := syscall.Write(int(fd), p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0:
			return 0, io.ErrShortWrite
		}
		return n, nil
	}
}

func (fd fdFile) Close() error { return syscall.Close(int(fd)) }
