//go:build !unix

package direct

import (
	"io"
	"io/fs"
	"os"
)

// Open opens a file for reading; the system calls it saves on Unix are
// no concern here.
func Open(path string) (io.ReadCloser, error) { return os.Open(path) }

// WriteFile is os.WriteFile.
func WriteFile(path string, b []byte, perm fs.FileMode) error { return os.WriteFile(path, b, perm) }
