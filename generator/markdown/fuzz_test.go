package markdown

import "testing"

// FuzzMarkdown checks that no input makes Render or Inline fail, panic or
// emit unsafe markup (see assertSafe), and that destinations survive the
// escape that the renderer undoes. Seeds, and any crasher found, live in
// testdata/fuzz/FuzzMarkdown.
func FuzzMarkdown(f *testing.F) {
	r := New()
	links := func(dest string) (string, bool) {
		if dest == "" || dest[0] == 'z' {
			return "", false
		}
		return dest + ".html", true
	}
	f.Fuzz(func(t *testing.T, src string) {
		html, _, err := r.Render([]byte(src), links)
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		assertSafe(t, src, html)
		inline, err := r.Inline(src, nil)
		if err != nil {
			t.Fatalf("Inline(%q): %v", src, err)
		}
		assertSafe(t, src, inline)
		if got := string(resolve(escapeDest(src))); got != src {
			t.Fatalf("resolve(escapeDest(%q)) = %q", src, got)
		}
	})
}
