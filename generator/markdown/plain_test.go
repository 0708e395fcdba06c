package markdown

import "testing"

// goldmarkInline is Inline without the plain-text shortcut.
func (r *Renderer) goldmarkInline(src string) string {
	b := []byte(src)
	html, err := r.render(r.parse(b, nil), b)
	if err != nil {
		panic(err)
	}
	return html
}

// TestPlainIsGoldmark checks which texts take the plain-text shortcut and
// that those give what goldmark gives.
func TestPlainIsGoldmark(t *testing.T) {
	r := New()
	tests := []struct {
		name, src string
		plain     bool
	}{
		{"sentence", "The office manager approves changes.", true},
		{"paragraph of lines", "When app-01 misbehaves the usual cause is a full disk; both are monitored.\nThe vendor supports it in business hours (9-17) only.\n", true},
		{"two paragraphs", "First one.\n\nSecond one, \"quoted\".\n", true},
		{"list", "- Disk on app-01 was extended after the alert.\n- 2024-01-25: reviewed with the client's office manager.\n", true},
		{"list then paragraph", "- one\n- two\n\nAfter the list.", true},
		{"paragraph then list", "Before the list.\n\n- one\n- two\n", true},
		{"non-ASCII", "Überblick für Café Müller – 20 °C, 5 € … ‘ok’ “yes”", true},
		{"numbers", "3 servers, 10% free, +44 and 1=1 / 2", true},
		{"year then colon", "2024: migrated", true},

		{"empty", "", false},
		{"emphasis", "a *b* c", false},
		{"underscore", "snake_case", false},
		{"code", "run `df -h`", false},
		{"link", "see [the docs](x.md)", false},
		{"url", "see https://example.com", false},
		{"www", "see WWW.example.com", false},
		{"www in mixed case", "ask at Www.example.org", false},
		{"www without a dot", "the www team", true},
		{"email", "mail ops@example.com", false},
		{"entity", "AT&amp;T", false},
		{"ampersand", "R&D", false},
		{"tag", "a <b> c", false},
		{"heading", "# Title", false},
		{"ordered list", "1. one\n2. two", false},
		{"ordered list in a paragraph", "Steps:\n1) one", false},
		{"bullet in a paragraph", "Steps:\n- one", false},
		{"lazy continuation", "- one\ncontinued", false},
		{"loose list", "- one\n\n- two", false},
		{"star list", "* one", false},
		{"plus list", "+ one", false},
		{"quote", "> quoted", false},
		{"setext", "Title\n===", false},
		{"thematic break", "Text\n---", false},
		{"indented", "    code", false},
		{"trailing spaces", "hard  \nbreak", false},
		{"tab", "a\tb", false},
		{"carriage return", "a\r\nb", false},
		{"leading blank line", "\nText", false},
		{"two blank lines", "One\n\n\nTwo", false},
		{"strikethrough", "~~gone~~", false},
		{"table", "a | b", false},
		{"escape", "a \\* b", false},
		{"image", "![x](y.png)", false},
		{"line separator", "a\u2028b", false},
		{"no-break space", "a\u00a0b", false},
		{"invalid UTF-8", "a\xffb", false},
		{"item with spaces", "-  one", false},
		{"item starting with a marker", "- - one", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			html, ok := plain(tc.src)
			if ok != tc.plain {
				t.Fatalf("plain = %v, want %v", ok, tc.plain)
			}
			if want := r.goldmarkInline(tc.src); ok && html != want {
				t.Errorf("plain gives %q, goldmark %q", html, want)
			}
		})
	}
}

// FuzzPlainIsGoldmark checks that whatever text plain accepts, it renders
// as goldmark does.
func FuzzPlainIsGoldmark(f *testing.F) {
	for _, s := range []string{"Plain text.", "- a\n- b\n", "One\ntwo\n\nThree \"q\".", "1x) y", "Café – 5 €"} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		if html, ok := plain(src); ok {
			if want := r.goldmarkInline(src); html != want {
				t.Fatalf("plain(%q) = %q, goldmark %q", src, html, want)
			}
		}
	})
}
