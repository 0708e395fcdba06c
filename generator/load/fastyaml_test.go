package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/synth"
)

// decodeAll is the reference: every document yaml.v3's Decoder gives.
func decodeAll(b []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, &n)
	}
}

// referenceRoots is what load makes of yaml.v3's documents: their roots,
// as model nodes.
func referenceRoots(b []byte) ([]*model.Node, error) {
	docs, err := decodeAll(b)
	var roots []*model.Node
	for _, d := range docs {
		var root *model.Node
		if len(d.Content) > 0 {
			root = (&fromYAML{}).node(d.Content[0], 0)
		}
		roots = append(roots, root)
	}
	return roots, err
}

// treeDiff describes the first difference between two trees, comments
// aside, or returns "".
func treeDiff(path string, a, b *model.Node) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: fast %v, yaml.v3 %v", path, a, b)
		}
		return ""
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Line != b.Line ||
		a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {kind %d style %d tag %s value %q at %d:%d, %d children}, yaml.v3 {kind %d style %d tag %s value %q at %d:%d, %d children}",
			path, a.Kind, a.Style, a.Tag, a.Value, a.Line, a.Column, len(a.Content), b.Kind, b.Style, b.Tag, b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := treeDiff(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// checkFast parses src both ways and fails when the fast parser accepts
// it but builds other trees; it reports whether the fast parser accepted.
func checkFast(t *testing.T, name string, src []byte) bool {
	t.Helper()
	return fastYAML(src, 0, nil, func(fast []*model.Node) bool {
		ref, err := referenceRoots(src)
		if err != nil {
			t.Fatalf("%s: the fast parser accepted what yaml.v3 rejects (%v):\n%s", name, err, src)
		}
		if len(fast) != len(ref) {
			t.Fatalf("%s: %d documents, yaml.v3 %d:\n%s", name, len(fast), len(ref), src)
		}
		for i := range fast {
			if d := treeDiff(fmt.Sprint("doc", i), fast[i], ref[i]); d != "" {
				t.Fatalf("%s: %s\n%s", name, d, src)
			}
			if fast[i] != nil {
				checkPositions(t, name, fast[i], src)
			}
		}
		return true
	})
}

// checkPositions fails when a document detached from root (see
// model.Document.Detach) places a field elsewhere than the tree does: at
// every path of the tree, and at paths that miss on the way.
func checkPositions(t *testing.T, name string, root *model.Node, src []byte) {
	t.Helper()
	// The keys of the document's values, as the converter gives them: the
	// first of each, in the order written, and then sorted.
	var written []string
	var value []model.Member
	if root.Kind == model.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			k := root.Content[i]
			if t := k.Target(); t != nil {
				k = t
			}
			if !slices.Contains(written, k.Value) {
				written = append(written, k.Value)
				value = append(value, model.Member{Key: k.Value})
			}
		}
	}
	whole := &model.Document{File: "f.yaml", Node: root}
	detached := &model.Document{File: "f.yaml", Node: root}
	whole.SetFields(slices.Clone(value))
	detached.SetFields(value)
	if !detached.Detach(func(visit func(root *model.Node)) { visit(root) }) {
		t.Fatalf("%s: not detached", name)
	}
	var paths [][]string
	var walk func(n *model.Node, path []string)
	walk = func(n *model.Node, path []string) {
		paths = append(paths, path, append(slices.Clone(path), "missing"), append(slices.Clone(path), "0"))
		switch n.Kind {
		case model.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], append(slices.Clone(path), n.Content[i].Value))
			}
		case model.SequenceNode:
			paths = append(paths, append(slices.Clone(path), "-1"), append(slices.Clone(path), "+0"),
				append(slices.Clone(path), "00"), append(slices.Clone(path), fmt.Sprint(len(n.Content))))
			for i, c := range n.Content {
				walk(c, append(slices.Clone(path), fmt.Sprint(i)))
			}
		}
	}
	walk(root, nil)
	if whole.Pos() != detached.Pos() {
		t.Fatalf("%s: document at %v, detached at %v\n%s", name, whole.Pos(), detached.Pos(), src)
	}
	for _, path := range paths {
		for _, key := range []bool{false, true} {
			if w, d := whole.FieldPos(path, key), detached.FieldPos(path, key); w != d {
				t.Fatalf("%s: %q (key %v) at %v in the tree, at %v detached\n%s", name, path, key, w, d, src)
			}
		}
	}
	if root.Kind == model.MappingNode && !slices.Equal(written, detached.Keys()) {
		t.Fatalf("%s: keys %q written, %q detached", name, written, detached.Keys())
	}
}

func TestFastYAMLMatchesYAMLv3(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		accept bool // whether the fast parser should take it
	}{
		{"mapping", "kind: Server\nid: web-01\nport: 443\n", true},
		{"comment header", "# yaml-language-server: $schema=x.json\n\nkind: Server # the kind\nid: web-01\n", true},
		{"indented top", "\n\n  a: 1\n  b: 2\n", true},
		{"documents", "---\nkind: A\n---\nkind: B\n", true},
		{"marker with comment", "--- # first\na: 1\n", true},
		{"null values", "a:\nb:    \nc: ~\nd: null\ne: # nothing\nf: x\n", true},
		{"nested", "os:\n  name: Debian\n  version: \"12\"\n  eol: 2028-06-30\nbackup:\n  target: vendor:aws\n", true},
		{"list at the key's indentation", "a:\n- x\n-  y\nb: 1\n", true},
		{"list of mappings", "contacts:\n  - name: Ann\n    phone: +44 161 496 0750\n  - name: Bob\n    escalationOrder: 2\nz: 1\n", true},
		{"flow lists", "tags: [web, 'prod', \"eu\"]\nnone: []\nspace: [ ]\nmap: {}\n", true},
		{"quotes", "a: 'it''s'\nb: \"x: y # z\"\nc: ''\nd: \"\"\n", true},
		{"literal", "notes: |\n  line one\n\n  line three\n    indented\n\nnext: x\n", true},
		{"literal strip and keep", "a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: 1\n", true},
		{"literal at the end", "a: |\n  x", true},
		{"literal leading empty lines", "a: |\n\n  x\n", true},
		{"literal in a list", "steps:\n  - |\n    one\n    two\n  - three\n", true},
		{"literal holds comments", "a: |\n  # not a comment\n  x\n# a comment\nb: 1\n", true},
		{"scalars", "a: 1.10\nb: 0777\nc: 0x1F\nd: 1_000\ne: -3\nf: +.inf\ng: .5\nh: 10.0.0.1\ni: 2024-02-30\nj: 2024-01-31T10:00:00Z\nk: yes\nl: TRUE\nm: 12:30\nn: http://x/#y\no: C#\np: -x\nq: 1e3\nr: 0b101\ns: 0o17\nt: 99999999999999999999\n", true},
		{"long mapping with a duplicate key", "k0: 0\nk1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\nk10: 10\nk11: 11\nk12: 12\nk13: 13\nk14: 14\nk15: 15\nk16: 16\nk17: 17\nk18: 18\nk19: 19\nk3:\n  x:\n    - 1\nk20: 20\nk7:\n  y: 2\n", true},
		{"number-shaped text", "a: 1.2.3\nb: +44 20 7946 0000\nc: 0xZZ\nd: 1e3x\ne: -0b2\nf: 0o9\ng: 1__0\nh: .5.\ni: 1e-3\nj: -0o17\nk: 0X1f\nl: +1.5E+3\nm: 1-2\nn: 0b\no: deadbeef\np: 0xdeadbeef\n", true},
		{"non-ASCII", "name: Café Müller\ntags: [café, x]\n", true},
		{"numeric and boolean keys", "443: https\ntrue: x\nnull: y\n", true},

		{"anchors", "a: &x 1\nb: *x\n", false},
		{"merge", "<<: {a: 1}\n", false},
		{"tag", "a: !!str 1\n", false},
		{"folded", "a: >\n  x\n  y\n", false},
		{"multi-line plain", "a: one\n  two\n", false},
		{"escape", "a: \"x\\u00e9y\"\n", false},
		{"escapes", "a: \"SYN\\\\admin\"\nb: \"q\\\"t\\'\\n\\t\\r\\ x\"\n", true},
		{"multi-line quote", "a: 'x\n  y'\n", false},
		{"tab", "a:\tx\n", false},
		{"crlf", "a: x\r\nb: y\r\n", false},
		{"flow mapping", "a: {b: 1}\n", false},
		{"nested flow", "a: [[1]]\n", false},
		{"quoted key", "'a b': 1\n", false},
		{"scalar document", "just text\n", false},
		{"empty document", "a: 1\n---\n", false},
		{"end marker", "a: 1\n...\n", false},
		{"bad indentation", "a:\n  b: 1\n c: 2\n", false},
		{"mapping in a value", "a: b: c\n", false},
		{"item on the next line", "a:\n  -\n    b: 1\n", false},
		{"allow marker", "token: abc # handover:allow-secret test key\n", false},
		{"literal with indicator", "a: |2\n   x\n", false},
		{"empty literal", "a: |\nb: 1\n", false},
		{"line separator", "a: x\u2028y\n", false},
		{"byte order mark inside", "a: x\ufeffy\n", false},
		{"alias in a list", "base: &b {x: 1}\nlist:\n  - *b\n  - y: 2\n", false},
		{"column past 65,535", "a: [" + strings.Repeat("1, ", 22000) + "{b: 2}]\nc: 3\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkFast(t, tc.name, []byte(tc.src)); got != tc.accept {
				t.Errorf("fast parser accepted=%v, want %v", got, tc.accept)
			}
			// Trees yaml.v3 builds are detached too, when their
			// file has no comments; the table cannot stand for
			// some of them (aliases, long lines).
			roots, _ := referenceRoots([]byte(tc.src)) // none when it is no YAML
			for _, root := range roots {
				if root != nil {
					checkPositions(t, tc.name, root, []byte(tc.src))
				}
			}
		})
	}
}

// TestFastYAMLTakesHandoverFiles checks the files a consultancy writes
// take the fast path, and give what yaml.v3 gives: the bundled examples,
// a synthetic portfolio, and the front matter of their runbooks.
func TestFastYAMLTakesHandoverFiles(t *testing.T) {
	synthDir := t.TempDir()
	if _, err := synth.Write(synthDir, synth.Options{Clients: 2, Entities: 200, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../../examples", synthDir} {
		var files, taken int
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".md") && strings.Contains(p, "clients")) {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if strings.HasSuffix(p, ".md") {
				m := frontMatter.FindSubmatch(src)
				if m == nil {
					return nil
				}
				src = m[1]
			}
			files++
			if checkFast(t, p, src) {
				taken++
			} else {
				t.Logf("yaml.v3 path: %s", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The examples keep an allow-marker fixture and hostile files; all
		// but a few must be fast.
		if files == 0 || taken < files*9/10 {
			t.Errorf("%s: the fast parser took %d of %d files", root, taken, files)
		}
	}
}

var frontMatter = regexp.MustCompile(`(?s)\A---\n(.*?\n)---\n`)

// FuzzFastYAML: whenever the fast parser accepts bytes, yaml.v3 accepts
// them too and builds the same trees.
func FuzzFastYAML(f *testing.F) {
	for _, s := range []string{
		"kind: Server\nid: web-01\ntags: [a, 'b']\nnotes: |\n  x\n\n  y\n",
		"a:\n- x\n- k: 1\n  j: [1, 2]\nb: ~\n",
		"---\na: 'it''s'\n---\nb: \"q\"\nc:\n  d: 2024-01-01\n",
		"a: |+\n  x\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFast(t, "input", b)
	})
}

// benchFiles reads the YAML files of a synthetic portfolio of 2,000
// entities once.
func benchFiles(b *testing.B) [][]byte {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: 20, Entities: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var files [][]byte
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".yaml") {
			src, rerr := os.ReadFile(p)
			files = append(files, src)
			return rerr
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// BenchmarkFastYAML parses the files of a synthetic portfolio with the
// fast parser; compare it with BenchmarkYAMLv3, in the same run.
func BenchmarkFastYAML(b *testing.B) {
	files := benchFiles(b)
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			if !fastYAML(f, 0, nil, func([]*model.Node) bool { return true }) {
				b.Fatalf("the fast parser gave up on:\n%s", f)
			}
		}
	}
}

// BenchmarkYAMLv3 is the baseline of BenchmarkFastYAML: the same files
// through yaml.v3's Decoder.
func BenchmarkYAMLv3(b *testing.B) {
	files := benchFiles(b)
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			if _, err := decodeAll(f); err != nil {
				b.Fatal(err)
			}
		}
	}
}
