package site

import (
	"regexp"
	"strings"
	"testing"
)

// TestPhonesMatchesPattern checks the hand-written scanner of phones
// against the pattern it replaces, on numbers as consultants write them
// and on text that only looks like them.
func TestPhonesMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(`\+?\d[\d ()./-]{5,}\d`)
	byPattern := func(text string) string {
		var out []string
		for _, m := range re.FindAllString(text, -1) {
			var b strings.Builder
			for _, r := range m {
				if r >= '0' && r <= '9' {
					b.WriteRune(r)
				}
			}
			if b.Len() >= 7 {
				out = append(out, b.String())
			}
		}
		return strings.Join(out, " ")
	}
	for _, text := range []string{
		"", "call +44 161 496 0750 or (0161) 496-0751", "10.40.0.10 and 10.40.0.11",
		"2026-11-26 review, renew 2027-01-12", "port 443, 8443/tcp", "12345", "1234567", "1 2 3 4 5 6 7",
		"ends with 123456-", "a 1-2-3 b 999 999 9999 c", "((((((1)))))))2", "…07700 900123…", "+1 (555) 010-9999x12",
		"ab12cd3456789ef", "1.2.3.4.5.6.7.8.9.0.1.2.3", "---1---------2",
	} {
		if got, want := phones(text), byPattern(text); got != want {
			t.Errorf("phones(%q) = %q, the pattern gives %q", text, got, want)
		}
	}
}
