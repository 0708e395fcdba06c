// Package scaffold owns the new handover repository that `handover init`
// writes: a portfolio, one example client that shows every kind, a shared
// vendor, editor settings, the JSON Schemas and a CI workflow. The files are
// an embedded template tree (files/), whose dates are written relative to
// the day of init ({{today-14d}}), plus the embedded schemas. It does not
// validate what it writes: the tests of cmd/handover check that the
// scaffold validates, checks and builds clean.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/handover-dev/handover/schemas"
)

// templates is the repository to create, less the schemas. all: keeps the
// dot files (.gitignore, .github/, .vscode/).
//
//go:embed all:files
var templates embed.FS

// SchemaDir is where the scaffold puts the JSON Schemas, relative to the
// repository; every YAML file's yaml-language-server line points into it.
const SchemaDir = "schemas"

// File is one file of the scaffold.
type File struct {
	Path string // relative to the repository, slash-separated
	Data []byte
}

// ExistsError is the error of Write when some of the files it would create
// exist already. Write then has written nothing.
type ExistsError struct {
	Dir   string
	Files []string // relative to Dir, slash-separated, sorted
}

func (e *ExistsError) Error() string {
	what, them := "these files exist", "them"
	if len(e.Files) == 1 {
		what, them = "this file exists", "it"
	}
	return fmt.Sprintf("%s: %s already; init never overwrites a file, so it wrote nothing (choose an empty directory, or move %s away):\n  %s",
		e.Dir, what, them, strings.Join(e.Files, "\n  "))
}

// Write creates the scaffold in dir, dated today (see WriteOn).
func Write(dir string) ([]string, error) { return WriteOn(dir, time.Now()) }

// WriteOn creates the scaffold in dir, which it creates if missing, and
// returns the paths it wrote, relative to dir, sorted. It never overwrites:
// when any of the files exists (or a path it needs is taken by a file), it
// writes nothing and returns an *ExistsError naming them all.
//
// The example's review, test and expiry dates are counted from today, so
// that a new repository has no readiness gaps; the same day gives the same
// bytes.
func WriteOn(dir string, today time.Time) ([]string, error) {
	files, err := Files(today)
	if err != nil {
		return nil, err
	}
	var taken []string
	for _, f := range files {
		p, err := blocked(dir, f.Path)
		if err != nil {
			return nil, err
		}
		if p != "" && !slices.Contains(taken, p) {
			taken = append(taken, p)
		}
	}
	if len(taken) > 0 {
		slices.Sort(taken)
		return nil, &ExistsError{Dir: dir, Files: taken}
	}

	var written []string
	for _, f := range files {
		if err := create(dir, f); err != nil {
			// Only a race or a full disk gets here: take back what was written.
			for _, p := range written {
				os.Remove(filepath.Join(dir, filepath.FromSlash(p)))
			}
			return nil, err
		}
		written = append(written, f.Path)
	}
	return written, nil
}

// blocked returns rel, or the parent of rel that is a file, when it exists
// under dir; "" when rel can be created.
func blocked(dir, rel string) (string, error) {
	parts := strings.Split(rel, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		full := filepath.Join(dir, filepath.FromSlash(p))
		last := i == len(parts)-1
		var st fs.FileInfo
		var err error
		if last {
			st, err = os.Lstat(full) // a dangling symbolic link is taken too
		} else {
			st, err = os.Stat(full)
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", nil
		case err != nil:
			return "", fmt.Errorf("check %s: %w", full, err)
		case last || !st.IsDir():
			return p, nil
		}
	}
	return "", nil
}

// create writes one file, failing rather than replacing one that appeared
// since the check.
func create(dir string, f File) error {
	full := filepath.Join(dir, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(full), err)
	}
	out, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", full, err)
	}
	_, err = out.Write(f.Data)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", full, err)
	}
	return nil
}

// Files returns the scaffold dated today, sorted by path: the template tree
// with its dates filled in, and the schemas under SchemaDir.
func Files(today time.Time) ([]File, error) {
	var files []File
	err := fs.WalkDir(templates, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templates.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, File{Path: strings.TrimPrefix(p, "files/"), Data: fillDates(b, today)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the embedded scaffold: %w", err)
	}
	names, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := fs.ReadFile(schemas.FS, n)
		if err != nil {
			return nil, fmt.Errorf("read the embedded schemas: %w", err)
		}
		files = append(files, File{Path: path.Join(SchemaDir, n), Data: b})
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// dateMark is how a template writes a date relative to the day of init:
// {{today}}, {{today-14d}}, {{today+2m}}, {{today+1y}}.
var dateMark = regexp.MustCompile(`\{\{today(?:([+-])([0-9]+)([dmy]))?\}\}`)

func fillDates(b []byte, today time.Time) []byte {
	return dateMark.ReplaceAllFunc(b, func(m []byte) []byte {
		g := dateMark.FindSubmatch(m)
		t := today
		if len(g[1]) > 0 {
			n, _ := strconv.Atoi(string(g[2]))
			if g[1][0] == '-' {
				n = -n
			}
			switch g[3][0] {
			case 'd':
				t = t.AddDate(0, 0, n)
			case 'm':
				t = t.AddDate(0, n, 0)
			case 'y':
				t = t.AddDate(n, 0, 0)
			}
		}
		return []byte(t.Format(time.DateOnly))
	})
}
