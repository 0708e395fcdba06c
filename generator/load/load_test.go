package load

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"testing/iotest"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/offheap"
	"github.com/handover-dev/handover/internal/testutil"
)

// writeRepo creates a repository from a map of relative paths to contents,
// with a handover.yaml unless one is given.
func writeRepo(t testing.TB, files map[string]string) string {
	t.Helper()
	if _, ok := files[PortfolioFile]; !ok {
		files[PortfolioFile] = "version: 1\nconsultancy:\n  name: Test\n"
	}
	return testutil.WriteFiles(t, files)
}

// largeMapping is a document whose settings have n keys, k0 to k(n-1), on
// lines 3 to n+2: more than mapping checks by scanning.
func largeMapping(n int) string {
	var b strings.Builder
	b.WriteString("kind: Configuration\nsettings:\n")
	for i := range n {
		fmt.Fprintf(&b, "  k%d: %d\n", i, i)
	}
	return b.String()
}

func TestYAMLSurprises(t *testing.T) {
	const file = "clients/acme/servers/web.yaml"
	cases := []struct {
		name    string
		content string
		code    string
		sev     diag.Severity
		line    int
		col     int
		message string // a part of the message
	}{
		{"duplicate key", "kind: Server\nid: web-01\nhostname: a\nhostname: b\n", "yaml-duplicate-key", diag.Error, 4, 1, "first at line 3"},
		{"duplicate key after eight", "kind: Server\nid: a\nb: 1\nc: 1\nd: 1\ne: 1\nf: 1\ng: 1\nh: 1\nb: 2\n", "yaml-duplicate-key", diag.Error, 10, 1, "first at line 3"},
		{"duplicate key in a large mapping", largeMapping(70) + "  k3: again\n", "yaml-duplicate-key", diag.Error, 73, 3, "first at line 6"},
		{"merge key", "base: &b {a: 1}\nkind: Server\n<<: *b\n", "yaml-merge-key", diag.Error, 3, 1, "merge keys"},
		{"yes as text", "kind: Server\nid: a\nmonitored: yes\n", "yaml-ambiguous-bool", diag.Warning, 3, 12, "boolean in YAML 1.1"},
		{"leading zero", "kind: Server\nid: a\nmode: 0755\n", "yaml-octal", diag.Warning, 3, 7, "octal"},
		{"infinity", "kind: Server\nid: a\nx: .inf\n", "yaml-not-finite", diag.Error, 3, 4, "not a finite number"},
		{"custom tag", "kind: Server\nid: a\nx: !vault secret\n", "yaml-tag", diag.Error, 3, 4, "custom tag !vault"},
		{"non-string key", "kind: Server\nid: a\n443: open\n", "yaml-non-string-key", diag.Warning, 3, 1, "key 443 is a number"},
		{"complex key", "kind: Server\n? [a, b]\n: c\n", "yaml-complex-key", diag.Error, 2, 3, "plain value"},
		{"syntax", "kind: Server\nid: a\n  bad: indent\n", "yaml-syntax", diag.Error, 3, 3, "YAML syntax"},
		{"tab", "kind: Server\n\tid: a\n", "yaml-syntax", diag.Error, 2, 1, "YAML syntax"},
		{"not a mapping", "- a\n- b\n", "document-not-mapping", diag.Error, 1, 1, "not a list"},
		{"second document syntax", "kind: Server\nid: a\n---\nkind: Server\nid: [\n", "yaml-syntax", diag.Error, 5, 1, "YAML syntax"},
		{"too deep", "kind: Server\nx: " + strings.Repeat("[", 80) + strings.Repeat("]", 80) + "\n", "yaml-too-deep", diag.Error, 2, 0, "nested more than 64"},
		{"alias bomb", bomb(), "yaml-too-large", diag.Error, 0, 0, "too many values"},
		{"binary", "kind: Server\x00\n", "file-binary", diag.Error, 0, 0, "binary"},
		{"not utf-8", "kind: Server\nname: caf\xe9\n", "file-encoding", diag.Error, 2, 1, "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeRepo(t, map[string]string{file: tc.content})
			_, diags := Repo(dir, Options{})
			for _, d := range diags {
				if d.Code != tc.code {
					continue
				}
				if d.File != file || d.Severity != tc.sev || (tc.line > 0 && d.Line != tc.line) ||
					(tc.col > 0 && d.Column != tc.col) || !strings.Contains(d.Message, tc.message) {
					t.Errorf("got %s %s[%s]: %s; want line %d col %d %s containing %q",
						d.Pos(), d.Severity, d.Code, d.Message, tc.line, tc.col, tc.sev, tc.message)
				}
				if d.Hint == "" {
					t.Errorf("%s has no hint", d.Code)
				}
				return
			}
			t.Errorf("no %s diagnostic; got %v", tc.code, diags)
		})
	}
}

// bomb is a billion-laughs document: nine levels of ten aliases each.
func bomb() string {
	var b strings.Builder
	b.WriteString("kind: Server\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestValuesAreJSONTypes(t *testing.T) {
	dir := writeRepo(t, map[string]string{"clients/acme/servers/web.yaml": "" +
		"kind: Server\n" +
		"id: web-01\n" +
		"eol: 2027-04-30\n" +
		"port: 443\n" +
		"ratio: 1.5\n" +
		"on: true\n" +
		"empty:\n" +
		"list: [a, 1]\n"})
	repo, diags := Repo(dir, Options{})
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	v := repo.Docs[0].Value
	want := map[string]any{"kind": "Server", "id": "web-01", "eol": "2027-04-30", "port": int64(443),
		"ratio": 1.5, "on": true, "empty": nil}
	for k, w := range want {
		if got, ok := v.Lookup(k); !ok || got != w {
			t.Errorf("%s = %#v (%T), want %#v (%T)", k, got, got, w, w)
		}
	}
	if l, ok := v.Get("list").([]any); !ok || len(l) != 2 || l[0] != "a" || l[1] != int64(1) {
		t.Errorf("list = %#v", v.Get("list"))
	}
}

func TestMultiDocumentPositions(t *testing.T) {
	dir := writeRepo(t, map[string]string{"clients/acme/configurations/dns.yaml": "" +
		"# the domain and its zone\n" +
		"kind: Configuration\n" +
		"id: domain\n" +
		"---\n" +
		"---\n" +
		"kind: Configuration\n" +
		"id: zone\n"})
	repo, diags := Repo(dir, Options{})
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if len(repo.Docs) != 2 {
		t.Fatalf("got %d documents, want 2 (the empty one skipped)", len(repo.Docs))
	}
	if p := repo.Docs[1].FieldPos([]string{"id"}, false); p.Line != 7 || p.Column != 5 {
		t.Errorf("second document id at %s, want line 7 col 5", p)
	}
	if repo.Docs[1].Index != 2 || repo.Docs[1].Client != "acme" {
		t.Errorf("second document: index %d client %q", repo.Docs[1].Index, repo.Docs[1].Client)
	}
}

func TestRunbookFrontMatter(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"clients/acme/runbooks/restart.md": "\ufeff---\r\nkind: Runbook\r\nid: restart\r\ntitle: Restart\r\n---\r\n# Restart\r\n\r\nSteps.\r\n",
		"clients/acme/notes.md":            "# Just notes\n",
		"README.md":                        "# Not loaded\n",
	})
	repo, diags := Repo(dir, Options{})
	if len(repo.Docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(repo.Docs))
	}
	rb := repo.Docs[0]
	if rb.Kind != "Runbook" || rb.ID != "restart" || rb.BodyLine != 6 || !strings.HasPrefix(rb.Body, "# Restart") {
		t.Errorf("runbook = %s %s body line %d body %q", rb.Kind, rb.ID, rb.BodyLine, rb.Body)
	}
	if p := rb.FieldPos([]string{"id"}, false); p.Line != 3 {
		t.Errorf("id at line %d, want 3 (front matter starts at line 2)", p.Line)
	}
	if len(diags) != 1 || diags[0].Code != "runbook-no-front-matter" || diags[0].File != "clients/acme/notes.md" {
		t.Errorf("diagnostics = %v, want one runbook-no-front-matter for notes.md", diags)
	}
}

func TestSkippedFiles(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		".gitignore":                      "/site/\n*.tmp.yaml\n",
		".github/workflows/handover.yaml": "on: push\n",
		"site/data.yaml":                  "kind: Server\n",
		"out/x.yaml":                      "kind: Server\n",
		"node_modules/x/y.yaml":           "kind: Server\n",
		"clients/acme/draft.tmp.yaml":     "kind: Server\n",
		"clients/acme/client.yaml":        "kind: Client\nid: acme\n",
	})
	repo, _ := Repo(dir, Options{Skip: []string{"out"}})
	want := []string{"clients/acme/client.yaml", "handover.yaml"}
	if strings.Join(repo.Files, ",") != strings.Join(want, ",") {
		t.Errorf("files = %v, want %v", repo.Files, want)
	}
}

func TestLimits(t *testing.T) {
	dir := writeRepo(t, map[string]string{"clients/acme/big.yaml": "kind: Server\nnotes: " + strings.Repeat("x", 2000) + "\n"})
	_, diags := Repo(dir, Options{MaxFileSize: 1000})
	if len(diags) != 1 || diags[0].Code != "file-too-large" {
		t.Errorf("diagnostics = %v, want file-too-large", diags)
	}
}

func TestRepositoryLimits(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		opts  Options
		code  string
	}{
		{"documents per file", map[string]string{"clients/acme/many.yaml": strings.Repeat("kind: Server\n---\n", 20)},
			Options{MaxDocuments: 10}, "yaml-too-many-documents"},
		{"files", map[string]string{"clients/acme/a.yaml": "kind: Server\n", "clients/acme/b.yaml": "kind: Server\n"},
			Options{MaxFiles: 2}, "repo-too-large"},
		{"total size", map[string]string{"clients/acme/a.yaml": strings.Repeat("# x\n", 300)},
			Options{MaxTotalSize: 1000}, "repo-too-large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := Repo(writeRepo(t, tc.files), tc.opts)
			for _, d := range diags {
				if d.Code == tc.code && d.Severity == diag.Error && d.Hint != "" {
					return
				}
			}
			t.Errorf("no %s error: %v", tc.code, diags)
		})
	}
}

// TestTotalSizeStopsInWalkOrder checks that the size limit keeps what the
// walk met before the file that crossed it, and nothing from there on,
// though sizes are read after the walk.
func TestTotalSizeStopsInWalkOrder(t *testing.T) {
	doc := "kind: Server\nnotes: " + strings.Repeat("x", 380) + "\n" // 400 bytes
	dir := writeRepo(t, map[string]string{"clients/acme/a.yaml": doc, "clients/acme/b.yaml": doc, "clients/acme/c.yaml": doc,
		"clients/zeta/d.yaml": doc})
	repo, diags := Repo(dir, Options{MaxTotalSize: 1000})
	if want := []string{"clients/acme/a.yaml", "clients/acme/b.yaml"}; !slices.Equal(repo.Files, want) {
		t.Errorf("files = %v, want %v", repo.Files, want)
	}
	var codes []string
	for _, d := range diags {
		codes = append(codes, d.Code+" "+d.File)
	}
	if want := []string{"repo-too-large clients/acme/c.yaml", "missing-portfolio handover.yaml"}; !slices.Equal(codes, want) {
		t.Errorf("diagnostics = %v, want %v", codes, want)
	}
}

func TestMissingPortfolio(t *testing.T) {
	dir := t.TempDir()
	_, diags := Repo(dir, Options{})
	if len(diags) != 1 || diags[0].Code != "missing-portfolio" || diags[0].File != PortfolioFile {
		t.Errorf("diagnostics = %v, want missing-portfolio", diags)
	}
}

func TestSymlinksNotFollowed(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("kind: Server\nid: outside\n"), 0o644)
	dir := writeRepo(t, map[string]string{"clients/acme/client.yaml": "kind: Client\nid: acme\n"})
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "clients/acme/link.yaml")); err != nil {
		t.Skip("symlinks not supported here:", err)
	}
	os.Symlink(outside, filepath.Join(dir, "clients/acme/linked-dir"))
	repo, _ := Repo(dir, Options{})
	for _, f := range repo.Files {
		if strings.Contains(f, "link") {
			t.Errorf("followed a symbolic link: %s", f)
		}
	}
}

func TestLoadFromFS(t *testing.T) {
	fsys := fstest.MapFS{
		"handover.yaml":            {Data: []byte("version: 1\n")},
		"clients/acme/client.yaml": {Data: []byte("kind: Client\nid: acme\n")},
	}
	repo, diags := FS(fsys, "HEAD~1", Options{})
	if len(diags) != 0 || len(repo.Docs) != 1 || repo.Portfolio == nil || repo.Root != "HEAD~1" {
		t.Errorf("docs %d, portfolio %v, diags %v", len(repo.Docs), repo.Portfolio != nil, diags)
	}
}

// TestDirectReadsLikeFS checks that the files of an os.DirFS, which the
// loader opens itself, load as they do through the fs.FS interface.
func TestDirectReadsLikeFS(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"clients/acme/client.yaml":     "kind: Client\nid: acme\n",
		"clients/acme/empty.yaml":      "",
		"clients/acme/big.yaml":        "kind: Server\nnotes: " + strings.Repeat("x", 3000) + "\n",
		"clients/acme/locked.yaml":     "kind: Server\nid: locked\n",
		"clients/acme/runbooks/r.md":   "---\nkind: Runbook\nid: r\n---\n# R\n",
		"vendors/v.yaml":               "kind: Vendor\nid: v\n",
		"clients/acme/servers/db.yaml": strings.Repeat("# padding\n", 500) + "kind: Server\nid: db\n",
	})
	if err := os.Chmod(filepath.Join(dir, "clients/acme/locked.yaml"), 0); err != nil {
		t.Fatal(err)
	}
	opts := Options{MaxFileSize: 2000}
	direct, directDiags := FS(os.DirFS(dir), dir, opts)
	through, throughDiags := FS(struct{ fs.FS }{os.DirFS(dir)}, dir, opts)
	if !reflect.DeepEqual(directDiags, throughDiags) {
		t.Errorf("diagnostics differ:\ndirect  %v\nthrough %v", directDiags, throughDiags)
	}
	if !reflect.DeepEqual(direct.Sources, through.Sources) || !reflect.DeepEqual(direct.Files, through.Files) {
		t.Errorf("sources differ")
	}
	if len(direct.Docs) != len(through.Docs) {
		t.Fatalf("%d documents read directly, %d through fs.FS", len(direct.Docs), len(through.Docs))
	}
	for i := range direct.Docs {
		if !reflect.DeepEqual(direct.Docs[i].Value, through.Docs[i].Value) {
			t.Errorf("%s: values differ", direct.Docs[i].File)
		}
	}
}

// TestReadUpTo reads whole files whatever the reader's read sizes and
// whether the file changed size since the walk saw it.
func TestReadUpTo(t *testing.T) {
	content := "kind: Server\nid: web-01\n"
	n := int64(len(content))
	tests := []struct {
		name        string
		r           func() io.Reader
		size, limit int64
		want        string
	}{
		{"as seen", func() io.Reader { return strings.NewReader(content) }, n, 1 << 20, content},
		{"a byte at a time", func() io.Reader { return iotest.OneByteReader(strings.NewReader(content)) }, n, 1 << 20, content},
		{"half at a time", func() io.Reader { return iotest.HalfReader(strings.NewReader(content)) }, n, 1 << 20, content},
		{"grew since", func() io.Reader { return strings.NewReader(content) }, 4, 1 << 20, content},
		{"shrank since", func() io.Reader { return strings.NewReader(content) }, n + 100, 1 << 20, content},
		{"empty", func() io.Reader { return strings.NewReader("") }, 0, 1 << 20, ""},
		{"over the limit", func() io.Reader { return strings.NewReader(content) }, n, 5, content[:5]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readUpTo(tc.r(), tc.size, tc.limit, nil)
			if err != nil || string(got) != tc.want {
				t.Errorf("readUpTo = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestWrittenOrder checks that a document keeps the order its top-level
// fields are written in, a duplicate key and a merge key left out as the
// values leave them out (both are errors), and a large mapping too.
func TestWrittenOrder(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"as written", "kind: Server\nid: a\nname: A\nbackup: b\n", []string{"kind", "id", "name", "backup"}},
		{"duplicate and merge keys", "kind: Server\nid: a\nname: A\nkind: Vendor\nbackup: b\n<<: {x: 1}\n", []string{"kind", "id", "name", "backup"}},
		{"large", "z: 1\n" + strings.ReplaceAll(strings.TrimPrefix(largeMapping(70), "kind: Configuration\nsettings:\n"), "  k", "k"), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repo, _ := Repo(writeRepo(t, map[string]string{"clients/acme/servers/a.yaml": tc.src}), Options{})
			if len(repo.Docs) != 1 {
				t.Fatalf("%d documents", len(repo.Docs))
			}
			d := repo.Docs[0]
			want := tc.want
			if want == nil { // z, then k0 to k69 unindented
				want = []string{"z"}
				for i := range 70 {
					want = append(want, fmt.Sprintf("k%d", i))
				}
			}
			if got := d.Keys(); !slices.Equal(got, want) {
				t.Errorf("Keys() = %q, want %q", got, want)
			}
			if !slices.Equal(d.Value.Keys(), slices.Sorted(slices.Values(want))) {
				t.Errorf("Value keys %q are not the written ones sorted", d.Value.Keys())
			}
		})
	}
}

// TestTextOffTheHeap: a load whose text goes to an arena (a build's)
// gives what a load on the heap gives, block scalars included, and the
// arena did hold the text.
func TestTextOffTheHeap(t *testing.T) {
	for _, dir := range []string{filepath.Join("..", "..", "examples"), valuesRepo(t)} {
		t.Run(filepath.Base(dir), func(t *testing.T) { testTextOffTheHeap(t, dir) })
	}
}

// valuesRepo is a repository whose documents hold every kind of value the
// loader makes, among them strings it decodes into new text (escapes,
// folded and literal blocks) and values an alias copies.
func valuesRepo(t *testing.T) string {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("clients/acme/servers/s%02d.yaml", i)] = fmt.Sprintf(`kind: Server
id: s%02d
name: "Server \t%d \u00e9 \U0001F600"
cores: %d
ratio: %d.25
big: 1e300
hex: 0x1F
managed: true
backup: no
nothing: null
empty: ""
tags: [a, 'b''s', "c\n", %d]
description: |
  line one %d
  line two
  line three
summary: >
  folded
  text %d
hardware: &hw
  disks:
    - {size: 100, kind: ssd}
    - {size: %d, kind: "hd\"d"}
  nested: {deeper: {deepest: [1, 2.5, true, null, "x"]}}
copy: *hw
`, i, i, i, i, i, i, i, i*10)
	}
	return writeRepo(t, files)
}

func testTextOffTheHeap(t *testing.T, dir string) {
	arena := &offheap.Arena{}
	off, offDiags := FS(os.DirFS(dir), dir, Options{Text: arena})
	for _, d := range off.Docs {
		d.DropNodes() // as a build does: the trees no longer keep their text alive
	}
	// Whatever the collector frees is used again and written over: a
	// value off the heap that pointed into it would no longer read the same.
	testutil.ChurnHeap(20_000, 512)
	on, onDiags := FS(os.DirFS(dir), dir, Options{})
	if !reflect.DeepEqual(offDiags, onDiags) {
		t.Errorf("diagnostics differ:\noff the heap %v\non the heap  %v", offDiags, onDiags)
	}
	if !reflect.DeepEqual(off.Sources, on.Sources) || len(off.Docs) != len(on.Docs) || len(on.Docs) < 20 {
		t.Fatalf("sources or documents differ: %d documents off the heap, %d on it", len(off.Docs), len(on.Docs))
	}
	blocks := 0
	for i := range on.Docs {
		if !reflect.DeepEqual(off.Docs[i].Value, on.Docs[i].Value) || off.Docs[i].Body != on.Docs[i].Body {
			t.Errorf("%s: values differ", on.Docs[i].File)
		}
		if strings.Count(on.Docs[i].Value.String("description"), "\n") > 1 {
			blocks++
		}
	}
	if blocks == 0 {
		t.Error("no block scalar: the test no longer covers them")
	}
	if arena.Mapped() == 0 {
		t.Error("the arena mapped nothing: the text went to the heap")
	}
}

// TestFrontMatterEnd compares the written-out search for the line closing
// a runbook's front matter with the expression it replaced, on lines built
// from every piece that could make or break one.
func TestFrontMatterEnd(t *testing.T) {
	re := regexp.MustCompile(`(?m)^(?:---|\.\.\.)[ \t]*\r?$`)
	pieces := []string{"---", "...", "--", "-", ".", " ", "\t", "\r", "\n", "x", "kind: Runbook", "----", "..", "\r\n", "é"}
	var cases []string
	for i := range 20000 {
		var b strings.Builder
		for j := range i % 7 {
			b.WriteString(pieces[(i*31+j*17+j*j*5+i/7)%len(pieces)])
		}
		cases = append(cases, b.String())
	}
	cases = append(cases, "", "---", "---\n", "a\n---", "a\n--- \t\r\nbody", "a\n---\r\r\n", "a\n---x\n...\n", "a\n ---\n")
	closed := 0
	for _, c := range cases {
		start, end, ok := frontMatterEnd([]byte(c))
		loc := re.FindStringIndex(c)
		if ok != (loc != nil) || ok && (start != loc[0] || end != loc[1]) {
			t.Fatalf("%q: (%d, %d, %t), the expression says %v", c, start, end, ok, loc)
		}
		if ok {
			closed++
		}
	}
	if closed < 1000 {
		t.Fatalf("only %d of the cases close the front matter: the test covers it badly", closed)
	}
}
