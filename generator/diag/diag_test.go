package diag

import (
	"bytes"
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	cases := []struct {
		word  string
		cands []string
		want  string
	}{
		{"hostnmae", []string{"addresses", "hostname", "role"}, "hostname"},
		{"web-1", []string{"db-01", "web-01"}, "web-01"},
		{"prod", []string{"production", "staging"}, "production"},
		{"db-01", []string{"web-01"}, ""},
		{"x", []string{"hostname"}, ""},
		{"Server", []string{"Server"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.word, func(t *testing.T) {
			got, ok := Closest(tc.word, tc.cands)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("Closest(%q) = %q, %v; want %q", tc.word, got, ok, tc.want)
			}
		})
	}
}

func TestTextExcerptIsSafe(t *testing.T) {
	src := []byte("kind: Server\nname: \x1b[2Jevil\tvalue\n")
	ds := []Diagnostic{{File: "a.yaml", Line: 2, Column: 7, Code: "x", Message: "m", Hint: "h"}}
	var buf bytes.Buffer
	if err := (Text{Sources: func(string) []byte { return src }}).Format(&buf, ds); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequence reached the terminal: %q", out)
	}
	want := "a.yaml:2:7: error[x]: m\n 2 | name:  [2Jevil\tvalue\n   |       ^\n  hint: h\n"
	if out != want {
		t.Errorf("got\n%q\nwant\n%q", out, want)
	}
}

func TestGitHubEscaping(t *testing.T) {
	ds := []Diagnostic{{File: "a,b:c.yaml", Line: 3, Column: 1, Severity: Warning, Code: "c", Message: "50% done\nnext", Hint: "h"}}
	var buf bytes.Buffer
	if err := (GitHub{}).Format(&buf, ds); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=a%2Cb%3Ac.yaml,line=3,col=1,title=c::50%25 done%0Anext%0Ah\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestSortDropsDuplicates(t *testing.T) {
	d := Diagnostic{File: "b.yaml", Line: 1}
	got := Sort([]Diagnostic{d, {File: "a.yaml", Line: 9}, d})
	if len(got) != 2 || got[0].File != "a.yaml" {
		t.Errorf("Sort = %v", got)
	}
}
