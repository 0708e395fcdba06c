package main

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handover-dev/handover/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got, *update)
}

// TestImpactExamples pins the blast radius of the shared vendor the most
// clients rely on, in both formats.
func TestImpactExamples(t *testing.T) {
	code, text, stderr := runCLI(t, "impact", "vendor:cloudflare", examples)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "impact-cloudflare.txt", []byte(text))
	code, js, stderr := runCLI(t, "impact", "vendor:cloudflare", examples, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "impact-cloudflare.json", []byte(js))

	var r struct {
		Affected []struct{ Ref, Client, Because string }
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	clients := map[string]bool{}
	for _, a := range r.Affected {
		clients[a.Client] = true
		// Labels carry the client when another client has the same id.
		if !strings.HasSuffix(strings.SplitN(a.Because, " → ", 2)[0], a.Ref) || !strings.HasSuffix(a.Because, "vendor:cloudflare") {
			t.Errorf("%s: path %q does not explain it", a.Ref, a.Because)
		}
	}
	if len(clients) != 3 {
		t.Errorf("cloudflare's failure reaches %d clients, want all 3", len(clients))
	}
}

func TestImpactErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not a reference", []string{"impact", "hetzner", examples}, 2, "not a reference"},
		{"unknown entity", []string{"impact", "server:nope", examples}, 1, "no entity server:nope"},
		{"ambiguous id", []string{"impact", "configuration:m365-tenant", examples}, 2, "add --client"},
		{"client prefix", []string{"impact", "harper-cole-legal/configuration:m365-tenant", examples}, 0, ""},
		{"client flag", []string{"impact", "configuration:m365-tenant", examples, "--client", "brightsmile-dental"}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}
