package load

import (
	"io/fs"
	"path"
	"strings"
)

// gitignore is the subset of the root .gitignore that handover honours:
// blank lines and comments are skipped, a trailing "/" matches directories
// only, a pattern with a "/" elsewhere is anchored at the root, and others
// match a name at any depth. Negations ("!") are ignored, so a file they
// would bring back stays ignored; nested .gitignore files are not read.
type gitignore []ignorePattern

type ignorePattern struct {
	glob     string
	dirOnly  bool
	anchored bool
}

func readGitignore(fsys fs.FS) gitignore {
	b, err := fs.ReadFile(fsys, ".gitignore")
	if err != nil {
		return nil
	}
	var g gitignore
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
			continue
		}
		p := ignorePattern{}
		if strings.HasSuffix(line, "/") {
			p.dirOnly = true
			line = strings.TrimSuffix(line, "/")
		}
		if strings.Contains(line, "/") {
			p.anchored = true
			line = strings.TrimPrefix(line, "/")
		}
		p.glob = line
		g = append(g, p)
	}
	return g
}

func (g gitignore) match(rel string, isDir bool) bool {
	for _, p := range g {
		if p.dirOnly && !isDir {
			continue
		}
		target := path.Base(rel)
		if p.anchored {
			target = rel
		}
		if ok, _ := path.Match(p.glob, target); ok {
			return true
		}
	}
	return false
}

// Ignored reports whether the root .gitignore of fsys ignores the
// directory rel (slash-separated, relative to the root).
func Ignored(fsys fs.FS, rel string) bool {
	g := readGitignore(fsys)
	p := ""
	for _, part := range strings.Split(path.Clean(rel), "/") {
		p = path.Join(p, part)
		if g.match(p, true) {
			return true
		}
	}
	return false
}
