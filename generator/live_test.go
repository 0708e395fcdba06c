package generator_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/check"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/testutil"
)

// TestLiveMatchesRender edits a git copy of the examples step by step, as
// a consultant does with serve running, and checks after every step that
// Live.Render gives exactly what a fresh Render gives: the same
// diagnostics and the same site, byte for byte. The steps cover each of
// Live's shortcuts and the cases where it must not take them.
func TestLiveMatchesRender(t *testing.T) {
	dir := testutil.CopyDir(t, "../examples")
	repo := testutil.NewGitRepo(t, dir)
	repo.Git("add", ".")
	repo.Commit("Ada Lovelace", "Import the examples")

	const (
		server  = "clients/harper-cole-legal/servers/fs-01.yaml"
		service = "clients/harper-cole-legal/services/file-shares.yaml"
		runbook = "clients/harper-cole-legal/runbooks/restore-file-from-veeam.md"
		other   = "clients/brightsmile-dental/client.yaml"
		vendor  = "vendors/cloudflare.yaml"
	)
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(rel, content string) {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	replace := func(rel, old, new string) func() []string {
		return func() []string {
			s := read(rel)
			if !strings.Contains(s, old) {
				t.Fatalf("%s has no %q", rel, old)
			}
			write(rel, strings.Replace(s, old, new, 1))
			return []string{rel}
		}
	}
	appendTo := func(rel, text string) func() []string {
		return func() []string {
			write(rel, read(rel)+text)
			return []string{rel}
		}
	}
	brokenOther := ""

	steps := []struct {
		name   string
		edit   func() []string // returns what a watcher would report
		errors bool            // the render stops on errors
		reuse  bool            // some pages come from the previous render
	}{
		{"first render", func() []string { return nil }, false, false},
		{"a line added to a server's notes", appendTo(server, "  A line added while serving.\n"), false, true},
		{"a server renamed", replace(server, "name: File server and domain controller (legacy)", "name: Legacy file server"), false, true},
		{"a server's owner removed", replace(server, "owner: Marek Nowak\n", ""), false, true},
		{"a service two hops from a shared vendor renamed", replace("clients/harper-cole-legal/services/document-management.yaml",
			"name: Document and matter management (Casefile Cloud)", "name: Matter management (Casefile Cloud)"), false, true},
		{"a reference added", replace(service, "dependsOn:\n", "dependsOn:\n  - configuration:password-vault\n"), false, true},
		{"a shared vendor linked", replace(service, "dependsOn:\n", "dependsOn:\n  - vendor:hetzner\n"), false, true},
		{"the shared vendor unlinked", replace(service, "  - vendor:hetzner\n", ""), false, true},
		{"a runbook's body edited", appendTo(runbook, "\nOne more step, added while serving.\n"), false, true},
		{"a new server file", func() []string {
			write("clients/harper-cole-legal/servers/print-01.yaml", "kind: Server\nid: print-01\nname: Print server\nhostname: print-01.harpercole.local\nenvironment: staging\nowner: Marek Nowak\ndependsOn:\n  - server:fs-01\n")
			return []string{"clients/harper-cole-legal/servers/print-01.yaml"}
		}, false, true},
		{"the new file deleted", func() []string {
			os.Remove(filepath.Join(dir, "clients/harper-cole-legal/servers/print-01.yaml"))
			return []string{"clients/harper-cole-legal/servers/print-01.yaml"}
		}, false, true},
		{"a shared vendor edited", appendTo(vendor, "# a comment\n"), false, false},
		{"a shared vendor renamed", replace(vendor, "name: Cloudflare", "name: Cloudflare, Inc."), false, false},
		{"another client broken", func() []string {
			brokenOther = read(other)
			write(other, brokenOther+"hostnmae: oops\n")
			return []string{other}
		}, true, false},
		{"a server edited while another client is broken", appendTo(server, "  Another line.\n"), true, false},
		{"the other client fixed", func() []string {
			write(other, brokenOther)
			return []string{other}
		}, false, true},
		{"the portfolio retitled", replace("handover.yaml", "Lanternfish", "Lanternfish & Co"), false, false},
		{"committed", func() []string {
			repo.Git("add", ".")
			repo.Commit("Grace Hopper", "Commit the edits")
			return nil
		}, false, false},
		{"a server edited after the commit", appendTo(server, "  After the commit.\n"), false, true},
	}

	opts := generator.Options{Readiness: check.ForSite}
	live := generator.NewLive(dir, opts)
	for _, st := range steps {
		changed := st.edit()
		live.Changed(changed...)
		got, gotDiags, err := live.Render()
		if err != nil {
			t.Fatalf("%s: live render: %v", st.name, err)
		}
		want, wantDiags, err := generator.Render(dir, false, opts)
		if err != nil {
			t.Fatalf("%s: render: %v", st.name, err)
		}
		if g, w := diagLines(gotDiags), diagLines(wantDiags); !slices.Equal(g, w) {
			t.Errorf("%s: diagnostics differ\nlive:\n%s\nfresh:\n%s", st.name, strings.Join(g, "\n"), strings.Join(w, "\n"))
		}
		if st.errors != diag.HasErrors(wantDiags, false) {
			t.Fatalf("%s: errors = %v, the step expects %v: %v", st.name, diag.HasErrors(wantDiags, false), st.errors, diagLines(wantDiags))
		}
		if st.errors {
			if got.Site != nil {
				t.Errorf("%s: live render gave a site despite errors", st.name)
			}
			continue
		}
		if got.Site == nil || want.Site == nil {
			t.Fatalf("%s: no site (live %v, fresh %v)", st.name, got.Site != nil, want.Site != nil)
		}
		if reused := got.Site.Rendered < got.Site.Pages; reused != st.reuse {
			t.Errorf("%s: rendered %d of %d pages: reused some = %v, want %v", st.name, got.Site.Rendered, got.Site.Pages, reused, st.reuse)
		}
		if got.Site.Pages != want.Site.Pages {
			t.Errorf("%s: %d pages, fresh render has %d", st.name, got.Site.Pages, want.Site.Pages)
		}
		for _, p := range want.Site.Paths() {
			if b, ok := got.Site.Files[p]; !ok {
				t.Errorf("%s: %s missing from the live render", st.name, p)
			} else if !bytes.Equal(b, want.Site.Files[p]) {
				t.Errorf("%s: %s differs from the fresh render", st.name, p)
			}
		}
		for _, p := range got.Site.Paths() {
			if _, ok := want.Site.Files[p]; !ok {
				t.Errorf("%s: %s is in the live render only", st.name, p)
			}
		}
	}
}

func diagLines(ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %s %s: %s", d.Pos(), d.Severity, d.Code, d.Message))
	}
	return out
}

// BenchmarkRebuildGit10k is what `handover serve` does after one save in a
// 10,000-entity portfolio with 1,000 commits: a line is added to a
// server's notes and Live renders the site again, readiness included. The
// target is 200 ms. BenchmarkRenderGit10k, the whole pipeline in memory
// over the same repository, is the baseline to quote it against.
func BenchmarkRebuildGit10k(b *testing.B) {
	dir := generator.SynthGitRepo(b, 10_000)
	file := filepath.Join(dir, "clients", "client-0000", "servers", "web-01.yaml")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(file, orig, 0o644) })
	var stages []string
	progress := func(t generator.Timing) {
		stages = append(stages, fmt.Sprintf("%s %s", t.Stage, t.Duration.Round(time.Millisecond)))
	}
	live := generator.NewLive(dir, generator.Options{Readiness: check.ForSite, Progress: progress})
	if res, diags, err := live.Render(); err != nil || res.Site == nil {
		b.Fatalf("render: %v %v", err, diags[:min(3, len(diags))])
	}
	rendered := 0
	edit := 0
	for b.Loop() {
		edit++
		stages = stages[:0]
		if err := os.WriteFile(file, fmt.Appendf(orig, "  - Edit %d of the rebuild benchmark.\n", edit), 0o644); err != nil {
			b.Fatal(err)
		}
		live.Changed("clients/client-0000/servers/web-01.yaml")
		res, diags, err := live.Render()
		if err != nil || res.Site == nil {
			b.Fatalf("render: %v %v", err, diags[:min(3, len(diags))])
		}
		rendered += res.Site.Rendered
	}
	b.ReportMetric(float64(rendered)/float64(edit), "pages/op")
	b.Logf("the last rebuild: %s", strings.Join(stages, ", "))
}

// BenchmarkRenderGit10k renders the repository of BenchmarkRebuildGit10k
// from scratch, in memory, readiness included: what serve did on every
// change before Live.
func BenchmarkRenderGit10k(b *testing.B) {
	dir := generator.SynthGitRepo(b, 10_000)
	for b.Loop() {
		if res, diags, err := generator.Render(dir, false, generator.Options{Readiness: check.ForSite}); err != nil || res.Site == nil {
			b.Fatalf("render: %v %v", err, diags[:min(3, len(diags))])
		}
	}
}
