package direct

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteThenOpen writes files as os.WriteFile would and reads them
// back as os.Open would, errors included.
func TestWriteThenOpen(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
	}{
		{"empty", nil},
		{"small", []byte("<!doctype html>\n")},
		{"large", bytes.Repeat([]byte("0123456789abcdef"), 1<<16)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name+".html")
			// A longer file first: writing truncates it.
			if err := os.WriteFile(p, bytes.Repeat([]byte("x"), len(tc.content)+100), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := WriteFile(p, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(got, tc.content) {
				t.Errorf("read back %d bytes (%v), want %d", len(got), err, len(tc.content))
			}
			if err := f.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("new file mode", func(t *testing.T) {
		p := filepath.Join(dir, "mode.html")
		if err := WriteFile(p, []byte("x"), 0o640); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(p); err != nil || st.Mode().Perm()&^0o640 != 0 {
			t.Errorf("mode %v (%v), want at most 0640", st.Mode(), err)
		}
	})
	t.Run("errors", func(t *testing.T) {
		missing := filepath.Join(dir, "no", "such", "file")
		if _, err := Open(missing); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open: %v, want not exist", err)
		}
		var pe *fs.PathError
		if err := WriteFile(missing, []byte("x"), 0o644); !errors.As(err, &pe) || pe.Path != missing {
			t.Errorf("WriteFile: %v, want a PathError naming the file", err)
		}
	})
}
