package validate

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/model"
)

// patternCorpus is text around what the schemas' patterns accept: dates,
// ids and references, each a little wrong in every way.
func patternCorpus() []string {
	c := []string{"", "-", ":", "a", "0", "a-", "-a", "A", "é", "a\n", "\na", "a b", "2026-01-31", "2026-1-31", "2026-01-31\n",
		"2026-01-3x", "2026/01/31", "20260-01-31", "٢٠٢٦-٠١-٣١", "https://x", "http://", "HTTPS://x", "ftp://x", "https:/x",
		strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("9", 62) + "-", "server:", "server:web-01",
		"Server:web-01", "server:web_01", "server:-web", "servers:web", "vendor:" + strings.Repeat("b", 63),
		"vendor:" + strings.Repeat("b", 64), "runbook:restart:now", "portfolio:x", "client:acme", " server:x", "server:x "}
	for _, kind := range []string{"service", "server", "configuration", "integration", "vendor", "runbook"} {
		c = append(c, kind+":a", kind+":0-1", kind+":-1", kind+":", kind+"s:a", kind+":A", kind+":"+strings.Repeat("x", 63))
	}
	alphabet := []string{"a", "z", "0", "9", "-", ":", "/", "A", "_", "\n", "é", "s", "server:", "http", "://", "2026", "-01"}
	for i := range 4000 {
		var b strings.Builder
		for j := range i % 9 {
			b.WriteString(alphabet[(i*7+j*13+j*j)%len(alphabet)])
		}
		c = append(c, b.String())
	}
	return c
}

// TestQuickPatternsAreTheExpressions checks each pattern written out
// against its regular expression, and that the schemas still use it.
func TestQuickPatternsAreTheExpressions(t *testing.T) {
	schemas, err := filepath.Glob(filepath.Join("..", "..", "schemas", "*.json"))
	if err != nil || len(schemas) == 0 {
		t.Fatal("no schemas", err)
	}
	var all strings.Builder
	for _, f := range schemas {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	corpus := patternCorpus()
	for src, match := range quickPatterns {
		re := regexp.MustCompile(src)
		quoted := strings.ReplaceAll(src, `\`, `\\`)
		if !strings.Contains(all.String(), `"`+quoted+`"`) {
			t.Errorf("no schema uses %s: drop it from quickPatterns", src)
		}
		accepted := 0
		for _, s := range corpus {
			if got, want := match(s), re.MatchString(s); got != want {
				t.Errorf("%s on %q: %t, the expression says %t", src, s, got, want)
			} else if got {
				accepted++
			}
		}
		if accepted == 0 {
			t.Errorf("%s accepts nothing of the corpus: the test covers it badly", src)
		}
	}
	for _, s := range corpus {
		if got, want := model.ValidID(s), model.IDPattern.MatchString(s); got != want {
			t.Errorf("ValidID(%q) = %t, IDPattern says %t", s, got, want)
		}
	}
}
