package secrets

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// lowered is what needleSet.find must answer: the needles of each list
// looked for in strings.ToLower(s).
func lowered(lists [][]string, s string) uint64 {
	var found uint64
	l := strings.ToLower(s)
	for i, list := range lists {
		for _, n := range list {
			if strings.Contains(l, n) {
				found |= 1 << i
			}
		}
	}
	return found
}

func TestNeedleSet(t *testing.T) {
	lists := make([][]string, len(patterns))
	for i, p := range patterns {
		lists[i] = p.needles
	}
	lists = append(lists, keyNeedles.lists...)
	ns := newNeedleSet(lists)
	cases := []string{
		"", "a", "AKIA", "akia", "xAkIaX", "Asia and Europe", "the PRIVATE KEY block", "private  key",
		"ACCOUNTKEY=abc", "accountkey", "https://x", ":/", "SIG=", "eyJhbGci", "Password", "pwd",
		"Service_Account", "hooks.slack.com/services", "GHP_", "gh p_", "Github_Pat_x", "glpat-", "xoxb",
		"Sk_Live_", "rk_test_", "WHSEC_", "apiKey", "Token", "PIN", "spin", "passphrase",
		// Non-ASCII: the Kelvin sign lowers to k, the long s does not lower to s.
		"AccountKey=", "private Key", "ſecret", "café password", "Ünicode ghp_", "\u212a", "AKIA\u00e9",
	}
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "k", "i", "A", "K", "I", "s", "S", "e", "y", "j", "J", "_", "=", ":", "/", "p", "w", "d", "\u212a", "é", " "}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := ns.find(s), lowered(lists, s); got != want {
			t.Errorf("find(%q) = %b, want %b", s, got, want)
		}
	}
}

// BenchmarkNeedleSet runs the pattern needles over the text of a typical
// document's values: prose, hostnames, dates and references.
func BenchmarkNeedleSet(b *testing.B) {
	values := []string{
		"Primary application server for the practice management system; patched monthly by the MSP.",
		"app-01.acme.internal", "2026-03-01", "server:dc-01", "op://IT/app-01/admin",
		"ping and agent heartbeat every minute", "the application's health endpoint answers within 2 seconds",
		"Restore the nightly image to the standby host, then repoint DNS.",
	}
	var n int
	for _, v := range values {
		n += len(v)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, v := range values {
			patternNeedles.find(v)
		}
	}
}
