package synth

import "testing"

func TestAddNote(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"notes last", "kind: Server\nnotes: |\n  - one\n", "kind: Server\nnotes: |\n  - one\n  - two\n"},
		{"notes in the middle", "kind: Server\nnotes: |\n  - one\n\n  more\nid: a\n", "kind: Server\nnotes: |\n  - one\n\n  more\n  - two\nid: a\n"},
		{"no notes", "kind: Server\nid: a\n", "kind: Server\nid: a\nnotes: |\n  - two\n"},
		{"no final newline", "kind: Server\nid: a", "kind: Server\nid: a\nnotes: |\n  - two\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := addNote(tc.doc, "two"); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestParseRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, path, src string }{
		{"one document", "clients/a/servers/s.yaml", "kind: Server\nid: s\n"},
		{"several documents", "clients/a/configurations/c.yaml", "kind: Configuration\nid: a\n---\nkind: Configuration\nid: b\n"},
		{"runbook", "clients/a/runbooks/r.md", "---\nkind: Runbook\nid: r\n---\n\n## Steps\n"},
		{"portfolio", "handover.yaml", "kind: Portfolio\nversion: 1\n"},
		{"other file", ".gitignore", "/site/\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parse(tc.path, tc.src).String(); got != tc.src {
				t.Errorf("got %q, want %q", got, tc.src)
			}
		})
	}
}
