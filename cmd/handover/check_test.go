package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/handover-dev/handover/internal/testutil"
)

func TestCheckCommand(t *testing.T) {
	// The examples: Fernhill has an expired domain (an error) and scores low.
	code, out, _ := runCLI(t, "check", examples, "--today", "2026-11-26")
	if code != 1 || !strings.Contains(out, "Fernhill Veterinary Clinic (fernhill-veterinary)") || !strings.Contains(out, "the domain expired 16 days ago") {
		t.Errorf("check examples: exit %d\n%.1500s", code, out)
	}
	// Before the domain expired, only readiness decides.
	code, _, stderr := runCLI(t, "check", examples, "--today", "2026-10-01", "--min-readiness", "40")
	if code != 0 {
		t.Errorf("--min-readiness 40 before the expiry: exit %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "check", examples, "--today", "2026-10-01", "--min-readiness", "90")
	if code != 1 || !strings.Contains(stderr, "below --min-readiness 90") {
		t.Errorf("--min-readiness 90: exit %d %s", code, stderr)
	}
	_, js, _ := runCLI(t, "check", examples, "--today", "2026-11-26", "--format", "json")
	var r struct {
		Clients []struct {
			Client string
			Score  int
		}
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil || len(r.Clients) != 4 {
		t.Fatalf("json: %v %d clients", err, len(r.Clients))
	}
	for _, c := range r.Clients {
		if (c.Client == "fernhill-veterinary") != (c.Score < 70) {
			t.Errorf("%s scores %d: only the incomplete client should score below 70", c.Client, c.Score)
		}
	}
	_, gh, _ := runCLI(t, "check", examples, "--today", "2026-11-26", "--format", "github")
	if !strings.Contains(gh, "::error file=../../examples/clients/fernhill-veterinary/configurations/domain.yaml,line=") {
		t.Errorf("github format lacks the expired domain as an error:\n%.600s", gh)
	}
	_, sarif, _ := runCLI(t, "check", examples, "--today", "2026-11-26", "--format", "sarif")
	if !strings.Contains(sarif, `"version": "2.1.0"`) || !strings.Contains(sarif, `"ruleId": "expired"`) {
		t.Errorf("sarif lacks the expiry:\n%.600s", sarif)
	}
	// A complete little repository passes.
	dir := testutil.WriteFiles(t, map[string]string{"handover.yaml": "version: 1\n"})
	if code, out, stderr := runCLI(t, "check", dir, "--min-readiness", "100"); code != 0 {
		t.Errorf("an empty portfolio: exit %d\n%s%s", code, out, stderr)
	}
	// An allowed secret is listed with its reason, never with its value.
	key := "AKIA" + strings.Repeat("T5", 8)
	allowed := testutil.WriteFiles(t, map[string]string{
		"handover.yaml":            "version: 1\n",
		"clients/acme/client.yaml": "kind: Client\nid: acme\nname: Acme\nnotes: " + key + " # handover:allow-secret AWS documentation example\n",
	})
	_, out, _ = runCLI(t, "check", allowed)
	if !strings.Contains(out, "allowed here (rule aws-access-key): AWS documentation example") || strings.Contains(out, key) {
		t.Errorf("check does not list the allowed secret properly:\n%s", out)
	}
	if code, _, _ := runCLI(t, "check", examples, "--today", "26/11/2026"); code != 2 {
		t.Errorf("a bad --today: exit %d, want 2", code)
	}
}
