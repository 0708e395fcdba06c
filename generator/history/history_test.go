package history

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/handover-dev/handover/generator/diag"
)

const (
	ada = "Ada Admin <ada@example.com>"
	bo  = "Bo Ops <bo@example.com>"
)

// servers is a multi-document file; each argument is one line of a
// document that the scenario changes.
func servers(web, db, app string) string {
	s := `# Acme's servers, one document each.
kind: Server
id: web-01
name: Web front end
hostname: web-01.acme.example
` + web + `
environment: production
os:
  name: Debian
  version: "12"
---
kind: "Server"
id: 'db-01'  # the primary database
name: Database
hostname: db-01.acme.example
backup:
  schedule: daily
` + db + `
  retention: 30d
  target: vendor:hetzner
monitoring:
  tool: uptime-kuma
  alertsTo: ops@acme.example
`
	if app != "" {
		s += "---\nkind: Server\nid: app-01\nname: Application server\n" + app + "\n"
	}
	return s
}

const client = `kind: Client
id: acme
name: Acme Ltd
contacts:
  - name: Carol Chief
    role: IT manager
`

// scenario is the main test repository: several files and commits, a
// rename, a merge with changes (and a conflict) on both branches, a
// multi-document file, a file deleted and re-created, a mode change, a
// symbolic link, commits with equal times and a commit older than its
// parent, and (when the handover directory is a subdirectory) commits that
// only touch files outside it.
type scenario struct {
	repo   *gitRepo
	dir    string // the handover directory
	prefix string
	c      map[string]string // commit hash by short name
}

func newScenario(t *testing.T, prefix string) *scenario {
	t.Helper()
	root := t.TempDir()
	r := newGitRepo(t, root)
	s := &scenario{repo: r, dir: filepath.Join(root, filepath.FromSlash(prefix)), prefix: prefix, c: map[string]string{}}
	p := func(path string) string { return join(prefix, path) }

	r.Write("README.md", "# Acme\n")
	s.c["start"] = r.Commit(ada, "Start the repository")

	r.Write(p("handover.yaml"), "version: 1\ntitle: Acme handover\n")
	r.Write(p("clients/acme/client.yaml"), client)
	r.Write(p("clients/acme/servers.yaml"), servers("role: web", "  lastRestoreTest: 2026-01-10", ""))
	r.Write(p("vendors/hosting.yaml"), "kind: Vendor\nid: hetzner\nname: Hetzner\n")
	r.Write(p("vendors/legacy.yaml"), "kind: Vendor\nid: legacy\nname: Old hosting\n")
	r.Write(p("clients/acme/runbooks/restart.sh"), "#!/bin/sh\nsystemctl restart nginx\n")
	s.c["describe"] = r.Commit(ada, "Describe Acme and its servers")

	r.Write(p("clients/acme/servers.yaml"), servers("role: web proxy", "  lastRestoreTest: 2026-01-10", ""))
	s.c["web"] = r.Commit(bo, "Upgrade web-01 to a proxy")

	r.Write(p("clients/acme/servers.yaml"), servers("role: web proxy", "  lastRestoreTest: 2026-02-14", ""))
	r.Write(p("clients/acme/client.yaml"), client+"    email: carol@acme.example\n")
	s.c["db"] = r.Commit(ada, "Record db-01's restore test\n\nThe restore took 14 minutes.\n")

	r.Git("mv", p("vendors/hosting.yaml"), p("vendors/hetzner.yaml"))
	s.c["rename"] = r.Commit(ada, "Name the hosting vendor's file after it")

	r.Write("README.md", "# Acme\n\nSee docs/handover.\n")
	s.c["outside"] = r.Commit(bo, "Point the README at the handover")

	r.Git("checkout", "-q", "-b", "feature")
	r.Write(p("clients/acme/servers.yaml"), servers("role: reverse proxy", "  lastRestoreTest: 2026-02-14", "role: app"))
	s.c["app"] = r.Commit(bo, "Add app-01 behind web-01")
	r.Write(p("handover.yaml"), "version: 1\ntitle: Acme handover (draft)\n")
	s.c["draft"] = r.Commit(bo, "Mark the site as a draft")

	r.Git("checkout", "-q", "main")
	r.Write(p("clients/acme/servers.yaml"), servers("role: web proxy", "  lastRestoreTest: 2026-03-01", ""))
	s.c["restore"] = r.Commit(ada, "Record another restore test")
	r.Write(p("handover.yaml"), "version: 1\ntitle: Acme IT handover\n")
	s.c["title"] = r.Commit(ada, "Retitle the site")
	s.c["merge"] = r.Merge(ada, "feature", "Merge branch 'feature'", map[string]string{
		p("handover.yaml"): "version: 1\ntitle: Acme IT handover (draft)\n",
	})

	r.Git("rm", "-q", p("vendors/legacy.yaml"))
	s.c["retire"] = r.Commit(bo, "Retire the legacy vendor")
	r.Write(p("vendors/legacy.yaml"), "kind: Vendor\nid: legacy\nname: Old hosting, back for the archive\n")
	s.c["revive"] = r.Commit(bo, "Bring back the legacy vendor")

	if err := os.Chmod(filepath.Join(s.dir, "clients/acme/runbooks/restart.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("servers.yaml", filepath.Join(s.dir, "clients/acme/link.yaml")); err != nil {
		t.Fatal(err)
	}
	r.Git("add", p("clients/acme/link.yaml"))
	s.c["mode"] = r.Commit(ada, "Make the restart script executable")

	// Equal committer times on two branches, and a commit older than its
	// parent: the order must still be git's.
	when := base.Add(time.Duration(r.Tick) * time.Hour)
	r.Tick++
	r.Git("checkout", "-q", "-b", "hotfix")
	r.Write(p("vendors/legacy.yaml"), "kind: Vendor\nid: legacy\nname: Old hosting (archive)\n")
	s.c["skew"] = r.CommitAt(base.Add(90*time.Minute), bo, "Shorten the legacy vendor's name")
	r.Write(p("vendors/hetzner.yaml"), "kind: Vendor\nid: hetzner\nname: Hetzner Online\n")
	s.c["tie-hotfix"] = r.CommitAt(when, bo, "Spell out Hetzner's name")
	r.Git("checkout", "-q", "main")
	r.Write(p("clients/acme/client.yaml"), client+"    email: carol.chief@acme.example\n")
	s.c["tie-main"] = r.CommitAt(when, ada, "Update Carol's email")
	s.c["hotfix"] = r.Merge(ada, "hotfix", "Merge branch 'hotfix'", nil)
	return s
}

// gitLogFlags are the flags that make git log list what FileHistory holds.
var gitLogFlags = []string{"--full-history", "--no-merges"}

// checkAgainstGit compares h with what the git CLI says of the repository:
// every file's commits, every commit in order, every commit's changes.
func checkAgainstGit(t *testing.T, r *gitRepo, prefix string, h *History) {
	t.Helper()
	spec := prefix
	if spec == "" {
		spec = "."
	}
	paths := map[string]bool{}
	for path := range h.Files {
		paths[path] = true
	}
	changed := r.Lines(append(append([]string{"log", "--format=", "--name-only"}, gitLogFlags...), "--", spec)...)
	for _, path := range changed {
		if prefix != "" {
			path = strings.TrimPrefix(path, prefix+"/")
		}
		paths[path] = true
	}
	if len(paths) == 0 {
		t.Fatal("no paths to compare")
	}
	for path := range paths {
		want := r.Lines(append(append([]string{"log", "--format=%H"}, gitLogFlags...), "--", join(prefix, path))...)
		if got := hashes(h.File(path)); !slices.Equal(got, want) {
			t.Errorf("%s: commits\n got  %v\n want %v (git log %s -- %s)", path, got, want, strings.Join(gitLogFlags, " "), join(prefix, path))
		}
	}

	want := r.Lines("log", "--format=%H%x00%an%x00%ae%x00%aI%x00%s")
	if len(h.Commits) != len(want) {
		t.Fatalf("Commits: got %d, git log lists %d", len(h.Commits), len(want))
	}
	for i, line := range want {
		f := strings.Split(line, "\x00")
		when, err := time.Parse(time.RFC3339, f[3])
		if err != nil {
			t.Fatal(err)
		}
		c := h.Commits[i]
		if c.Hash != f[0] || c.Author != f[1] || c.Email != f[2] || !c.When.Equal(when) || c.When.Location() != time.UTC || c.Subject != f[4] {
			t.Errorf("Commits[%d] = %+v, git log says %q", i, *c, f)
		}
	}
	if h.Head == nil || h.Head.Hash != strings.TrimSpace(r.Git("rev-parse", "HEAD")) {
		t.Errorf("Head = %+v, want HEAD", h.Head)
	}

	wantChanges := map[string][]string{}
	for _, c := range h.Commits {
		if len(r.Lines("rev-list", "--no-walk", "--min-parents=2", c.Hash)) > 0 {
			continue
		}
		files := r.Lines("diff-tree", "-r", "--root", "--no-commit-id", "--name-only", c.Hash, "--", spec)
		for i, f := range files {
			if prefix != "" {
				files[i] = strings.TrimPrefix(f, prefix+"/")
			}
		}
		if len(files) > 0 {
			slices.Sort(files)
			wantChanges[c.Hash] = files
		}
	}
	if len(h.Changes) != len(wantChanges) {
		t.Errorf("Changes has %d commits, git diff-tree %d", len(h.Changes), len(wantChanges))
	}
	for hash, want := range wantChanges {
		if got := h.Changes[hash]; !slices.Equal(got, want) {
			t.Errorf("Changes[%s] = %v, git diff-tree says %v", hash, got, want)
		}
	}
}

// packDeltas counts the objects stored as deltas in the repository's
// packs.
func packDeltas(t *testing.T, r *gitRepo) int {
	t.Helper()
	idx, err := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	if err != nil || len(idx) == 0 {
		t.Fatalf("no pack: %v", err)
	}
	n := 0
	for _, line := range r.Lines(append([]string{"verify-pack", "-v"}, idx...)...) {
		// hash type size size-in-pack offset [depth base]
		if f := strings.Fields(line); len(f) == 7 && len(f[0]) == 40 {
			n++
		}
	}
	return n
}

func hashes(fh *FileHistory) []string {
	if fh == nil {
		return nil
	}
	var out []string
	for _, c := range fh.Commits {
		out = append(out, c.Hash)
	}
	return out
}

func TestReadGit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prefix string
		pack   func(r *gitRepo) // what happens to the objects after the scenario
	}{
		{"at the root", "", nil},
		{"in a subdirectory", "docs/handover", nil},
		{"packed with offset deltas", "", func(r *gitRepo) {
			r.Git("repack", "-a", "-d", "-f", "--window=250", "--depth=250")
		}},
		// Packs as old clients and some servers write them, and objects in
		// two packs and loose, as a repository has between two gcs.
		{"packed with ref deltas, in two packs and loose", "docs/handover", func(r *gitRepo) {
			r.Git("-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "--window=250", "--depth=250")
			r.Write("README.md", "# Acme\n\nThe handover is in docs/handover.\n")
			r.Commit(bo, "Reword the README")
			r.Git("-c", "repack.useDeltaBaseOffset=false", "repack", "-d")
			r.Write("README.md", "# Acme\n\nThe IT handover is in docs/handover.\n")
			r.Commit(bo, "Reword the README again")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t, tc.prefix)
			if tc.pack != nil {
				tc.pack(s.repo)
				if deltas := packDeltas(t, s.repo); deltas == 0 {
					t.Fatal("the pack has no deltas")
				}
			}
			files := readFiles(t, s.dir)
			h, diags, err := Read(s.dir, files)
			if err != nil {
				t.Fatal(err)
			}
			if len(diags) != 0 {
				t.Errorf("diagnostics: %v", diags)
			}
			if h.Prefix != tc.prefix || h.Root != s.repo.Dir || h.Shallow {
				t.Errorf("Root %q, Prefix %q, Shallow %v; want %q, %q, false", h.Root, h.Prefix, h.Shallow, s.repo.Dir, tc.prefix)
			}
			checkAgainstGit(t, s.repo, tc.prefix, h)

			c := s.c
			for _, want := range []struct {
				path    string
				commits []string
			}{
				{"vendors/hetzner.yaml", []string{"tie-hotfix", "rename"}},
				{"vendors/hosting.yaml", []string{"rename", "describe"}},
				// git log orders by committer time, not by ancestry: the
				// commit dated before its parent comes last.
				{"vendors/legacy.yaml", []string{"revive", "retire", "describe", "skew"}},
				{"handover.yaml", []string{"title", "draft", "describe"}},
				{"clients/acme/runbooks/restart.sh", []string{"mode", "describe"}},
			} {
				var names []string
				for _, commit := range h.File(want.path).Commits {
					for name, hash := range c {
						if hash == commit.Hash {
							names = append(names, name)
						}
					}
				}
				if !slices.Equal(names, want.commits) {
					t.Errorf("%s: commits %v, want %v", want.path, names, want.commits)
				}
			}
			// The merge differs from both its parents in these files, yet
			// no merge counts (git log --no-merges): nobody edited them there
			// but for the conflict resolved in handover.yaml.
			bothSides := s.repo.Lines("diff-tree", "--cc", "--no-commit-id", "--name-only", c["merge"])
			if len(bothSides) != 2 {
				t.Fatalf("the merge changed %v relative to both parents, want handover.yaml and servers.yaml", bothSides)
			}
			for _, path := range bothSides {
				path = strings.TrimPrefix(path, tc.prefix+"/")
				if slices.Contains(hashes(h.File(path)), c["merge"]) {
					t.Errorf("%s: the merge counts as a change", path)
				}
			}
			if tc.prefix != "" {
				for path := range h.Files {
					if path == "README.md" || strings.HasPrefix(path, "..") || strings.HasPrefix(path, tc.prefix) {
						t.Errorf("Files holds %q, outside the handover directory or not relative to it", path)
					}
				}
				if _, ok := h.Changes[c["outside"]]; ok {
					t.Errorf("Changes holds the commit that only changed the README")
				}
			}
			for path, fh := range h.Files {
				if fh.Dirty {
					t.Errorf("%s is dirty in a clean checkout", path)
				}
			}
		})
	}
}

func TestReadGitDirty(t *testing.T) {
	s := newScenario(t, "docs/handover")
	write := func(path, content string) {
		full := filepath.Join(s.dir, filepath.FromSlash(path))
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("clients/acme/servers.yaml", "kind: Server\nid: web-01\n")
	write("clients/acme/new.yaml", "kind: Server\nid: new-01\n")
	// Staged is not committed: still dirty.
	write("handover.yaml", "version: 1\ntitle: Staged title\n")
	s.repo.Git("add", "docs/handover/handover.yaml")

	h, _, err := Read(s.dir, readFiles(t, s.dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		dirty bool
	}{
		{"clients/acme/servers.yaml", true},
		{"clients/acme/new.yaml", true},
		{"handover.yaml", true},
		{"clients/acme/client.yaml", false},
		{"vendors/legacy.yaml", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			fh := h.File(tc.path)
			if fh == nil {
				t.Fatal("no history")
			}
			if fh.Dirty != tc.dirty {
				t.Errorf("Dirty = %v, want %v", fh.Dirty, tc.dirty)
			}
		})
	}
	if n := len(h.File("clients/acme/new.yaml").Commits); n != 0 {
		t.Errorf("untracked file has %d commits", n)
	}
}

// TestDocumentsGit checks Documents both ways it is computed: when the
// pages ask, through go-git, and ahead by Read for the files it is given.
func TestDocumentsGit(t *testing.T) {
	s := newScenario(t, "")
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		ahead bool // Read split the multi-document file's history
	}{
		{"when asked", nil, false},
		{"ahead", readFiles(t, s.dir), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, _, err := Read(s.dir, tc.files)
			if err != nil {
				t.Fatal(err)
			}
			if _, ahead := h.objects.docs["clients/acme/servers.yaml"]; ahead != tc.ahead {
				t.Errorf("split ahead: %v, want %v", ahead, tc.ahead)
			}
			if _, ahead := h.objects.docs["clients/acme/client.yaml"]; ahead {
				t.Error("a file of one document was split ahead")
			}
			checkDocuments(t, s, h)
		})
	}
}

func checkDocuments(t *testing.T, s *scenario, h *History) {
	t.Helper()
	docs, err := h.Documents("clients/acme/servers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"Server/web-01": {"app", "web", "describe"},
		"Server/db-01":  {"restore", "db", "describe"},
		"Server/app-01": {"app"},
	}
	if len(docs) != len(want) {
		t.Errorf("documents %v, want %v", keys(docs), keys(want))
	}
	for key, names := range want {
		var wantHashes []string
		for _, n := range names {
			wantHashes = append(wantHashes, s.c[n])
		}
		var got []string
		for _, c := range docs[key] {
			got = append(got, c.Hash)
		}
		if !slices.Equal(got, wantHashes) {
			t.Errorf("%s: commits %v, want %v (%v)", key, got, wantHashes, names)
		}
	}
	// Pages render in parallel: concurrent calls, remembered or not.
	var wg sync.WaitGroup
	for _, path := range []string{"clients/acme/servers.yaml", "clients/acme/servers.yaml", "clients/acme/client.yaml", "vendors/legacy.yaml"} {
		wg.Go(func() {
			again, err := h.Documents(path)
			if err != nil || len(again) == 0 {
				t.Errorf("%s: %v, %v", path, keys(again), err)
			}
		})
	}
	wg.Wait()
	if got, err := h.Documents("clients/acme/client.yaml"); err != nil || !slices.Equal(keys(got), []string{"Client/acme"}) {
		t.Errorf("client.yaml: documents %v, %v", keys(got), err)
	}
	if none, err := h.Documents("no/such.yaml"); err != nil || len(none) != 0 {
		t.Errorf("unknown path: %v, %v", none, err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestSplitDocuments(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want map[string]string
	}{
		{"one", "kind: Server\nid: a\n", map[string]string{"Server/a": "kind: Server\nid: a"}},
		{"leading separator and quotes", "---\nkind: 'Server'\nid: \"a\" # x\n---\r\nid: b\r\nkind: Vendor\r\n",
			map[string]string{"Server/a": "kind: 'Server'\nid: \"a\" # x", "Vendor/b": "id: b\nkind: Vendor"}},
		{"nested keys do not count", "kind: Server\nid: a\nlocation:\n  id: b\n  kind: x\n",
			map[string]string{"Server/a": "kind: Server\nid: a\nlocation:\n  id: b\n  kind: x"}},
		{"no id", "kind: Server\nname: x\n", map[string]string{}},
		{"blank lines at the ends", "\nkind: Server\nid: a\n\n\n---\n\nkind: Server\nid: b\n\nname: b\n",
			map[string]string{"Server/a": "kind: Server\nid: a", "Server/b": "kind: Server\nid: b\n\nname: b"}},
		{"document end", "kind: Server\nid: a\n...\n# trailing\n--- # next\nkind: Server\nid: b\n",
			map[string]string{"Server/a": "kind: Server\nid: a", "Server/b": "kind: Server\nid: b"}},
		{"markers only alone or before a blank", "kind: Server\nid: a\n----\n---x\n...y\nkindly: x\nid:b\n---\tc\nkind: Vendor\nid: v\n",
			map[string]string{"Server/a": "kind: Server\nid: a\n----\n---x\n...y\nkindly: x\nid:b", "Vendor/v": "kind: Vendor\nid: v"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := splitDocuments([]byte(tc.in))
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s: got %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestReadGitShallow(t *testing.T) {
	s := newScenario(t, "docs/handover")
	clone := filepath.Join(t.TempDir(), "clone")
	s.repo.Git("clone", "-q", "--depth", "2", "file://"+s.repo.Dir, clone)
	r := &gitRepo{T: t, Dir: clone, Home: s.repo.Home}
	dir := filepath.Join(clone, "docs", "handover")

	h, diags, err := Read(dir, readFiles(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if !h.Shallow {
		t.Error("Shallow = false in a shallow clone")
	}
	if len(diags) != 1 || diags[0].Code != "shallow-history" || diags[0].Severity != diag.Warning || !strings.Contains(diags[0].Hint, "fetch-depth: 0") {
		t.Errorf("diagnostics %v, want one shallow-history warning with a fetch-depth hint", diags)
	}
	checkAgainstGit(t, r, "docs/handover", h)

	full, _, err := Read(s.dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Commits) >= len(full.Commits) {
		t.Errorf("shallow history has %d commits, the full one %d", len(h.Commits), len(full.Commits))
	}
	if got, all := len(h.File("vendors/legacy.yaml").Commits), len(full.File("vendors/legacy.yaml").Commits); got >= all {
		t.Errorf("vendors/legacy.yaml: %d commits in the shallow clone, %d in full", got, all)
	}
}

func TestReadNoGit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		code  string
	}{
		{"outside git", func(t *testing.T, dir string) {
			if _, err := open(dir, false, cache.DefaultMaxSize); !errors.Is(err, errNoRepo) {
				t.Skipf("the temporary directory %s is inside a git repository", dir)
			}
		}, "no-git"},
		{"empty repository (git)", func(t *testing.T, dir string) {
			r := newGitRepo(t, dir)
			r.Write("handover.yaml", "version: 1\n")
		}, "no-commits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(t, dir)
			h, diags, err := Read(dir, map[string][]byte{"handover.yaml": []byte("version: 1\n")})
			if err != nil {
				t.Fatal(err)
			}
			if h != nil {
				t.Errorf("History = %+v, want nil", h)
			}
			if len(diags) != 1 || diags[0].Code != tc.code || diags[0].Severity != diag.Warning || diags[0].Hint == "" {
				t.Errorf("diagnostics %v, want one %s warning with a hint", diags, tc.code)
			}
			if h.File("handover.yaml") != nil {
				t.Error("a nil History has a file")
			}
		})
	}
}

func TestReadGitFormats(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, r *gitRepo) (dir string, git *gitRepo)
		code  string // the diagnostic expected, "" for none
	}{
		{"extensions go-git rejects but a reader may ignore", func(t *testing.T, r *gitRepo) (string, *gitRepo) {
			r.Git("config", "core.repositoryFormatVersion", "1")
			r.Git("config", "extensions.worktreeConfig", "true")
			r.Git("config", "extensions.partialClone", "origin")
			r.Git("config", "extensions.objectFormat", "sha1")
			return r.Dir, r
		}, ""},
		{"an extension nobody knows", func(t *testing.T, r *gitRepo) (string, *gitRepo) {
			r.Git("config", "core.repositoryFormatVersion", "1")
			r.Git("config", "extensions.somethingNew", "true")
			return r.Dir, nil
		}, "git-unreadable"},
		{"linked worktree", func(t *testing.T, r *gitRepo) (string, *gitRepo) {
			wt := filepath.Join(t.TempDir(), "wt")
			r.Git("worktree", "add", "-q", "-b", "other", wt)
			w := &gitRepo{T: t, Dir: wt, Home: r.Home, Tick: r.Tick}
			w.Write("vendors/aws.yaml", "kind: Vendor\nid: aws\nname: Amazon Web Services\n")
			w.Commit(bo, "Rename AWS")
			return wt, w
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newGitRepo(t, t.TempDir())
			r.Write("handover.yaml", "version: 1\n")
			r.Write("vendors/aws.yaml", "kind: Vendor\nid: aws\nname: AWS\n")
			r.Commit(ada, "Start the handover")
			r.Write("handover.yaml", "version: 1\ntitle: Acme\n")
			r.Commit(ada, "Title the site")
			dir, git := tc.setup(t, r)
			h, diags, err := Read(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code != "" {
				if h != nil || len(diags) != 1 || diags[0].Code != tc.code || diags[0].Severity != diag.Warning {
					t.Errorf("History %v, diagnostics %v; want nil and one %s warning", h, diags, tc.code)
				}
				return
			}
			if len(diags) != 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			checkAgainstGit(t, git, "", h)
			if _, _, err := TreeFS(dir, "HEAD~1"); err != nil {
				t.Errorf("TreeFS: %v", err)
			}
		})
	}
}

func TestTreeFSGit(t *testing.T) {
	for _, prefix := range []string{"", "docs/handover"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			s := newScenario(t, prefix)
			r := s.repo
			spec := prefix
			if spec == "" {
				spec = "."
			}
			fsys, commit, err := TreeFS(s.dir, "HEAD~1")
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSpace(r.Git("rev-parse", "HEAD~1")); commit.Hash != want {
				t.Errorf("commit %s, want %s", commit.Hash, want)
			}

			var want []string
			for _, line := range r.Lines("ls-tree", "-r", "--full-tree", "HEAD~1", "--", spec) {
				mode, path, _ := strings.Cut(line, "\t")
				if strings.HasPrefix(mode, "120000") {
					continue
				}
				if prefix != "" {
					path = strings.TrimPrefix(path, prefix+"/")
				}
				want = append(want, path)
				got, err := fs.ReadFile(fsys, path)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				if show := r.Git("show", "HEAD~1:"+join(prefix, path)); string(got) != show {
					t.Errorf("%s at HEAD~1: got %q, git show says %q", path, got, show)
				}
			}
			if err := fstest.TestFS(fsys, want...); err != nil {
				t.Error(err)
			}
			// The loader reads files in parallel.
			var wg sync.WaitGroup
			for _, path := range want {
				wg.Go(func() {
					if _, err := fs.ReadFile(fsys, path); err != nil {
						t.Errorf("concurrent read of %s: %v", path, err)
					}
				})
			}
			wg.Wait()
			if _, err := fs.Stat(fsys, "clients/acme/link.yaml"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("symbolic link: Stat gives %v, want not exist", err)
			}

			entries, err := fs.ReadDir(fsys, "clients/acme")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if wantNames := []string{"client.yaml", "runbooks", "servers.yaml"}; !slices.Equal(names, wantNames) {
				t.Errorf("ReadDir = %v, want %v", names, wantNames)
			}
			info, err := fs.Stat(fsys, "clients/acme/runbooks/restart.sh")
			if err != nil || info.Mode() != 0o555 {
				t.Errorf("executable: %v, %v", info, err)
			}
		})
	}
}

func TestTreeFSRevisionsGit(t *testing.T) {
	s := newScenario(t, "docs/handover")
	r := s.repo
	r.Git("tag", "-a", "-m", "first handover", "v1", s.c["rename"])
	for _, tc := range []struct {
		name, rev, want string
	}{
		{"hash", s.c["web"], s.c["web"]},
		{"short hash", s.c["db"][:9], s.c["db"]},
		{"branch", "feature", s.c["draft"]},
		{"annotated tag", "v1", s.c["rename"]},
		{"ancestry", "HEAD~2", s.c["mode"]},
		{"second parent", "HEAD^2", s.c["tie-hotfix"]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, err := TreeFS(s.dir, tc.rev)
			if err != nil {
				t.Fatal(err)
			}
			if c.Hash != tc.want {
				t.Errorf("%s resolved to %s, want %s", tc.rev, c.Hash, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name, rev string
		notExist  bool
	}{
		{"unknown branch", "no-such-branch", false},
		{"before the handover directory", s.c["start"], true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := TreeFS(s.dir, tc.rev)
			if err == nil || !strings.Contains(err.Error(), tc.rev) {
				t.Fatalf("error %v, want one naming %q", err, tc.rev)
			}
			if errors.Is(err, fs.ErrNotExist) != tc.notExist {
				t.Errorf("errors.Is(%v, fs.ErrNotExist) = %v", err, !tc.notExist)
			}
		})
	}
}

func TestWithFilesGit(t *testing.T) {
	s := newScenario(t, "docs/handover")
	r := s.repo
	// A merge that adds a file itself: HEAD has it, no commit of
	// `git log --no-merges` does.
	r.Git("checkout", "-q", "-b", "side")
	r.Write("README.md", "# Acme\n\nSee docs/handover for the handover.\n")
	r.Commit(bo, "Reword the README")
	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--no-ff", "--no-commit", "side")
	r.Write("docs/handover/vendors/merged.yaml", "kind: Vendor\nid: merged\nname: Added by a merge\n")
	r.Commit(ada, "Merge branch 'side'")

	committed := readFiles(t, s.dir)
	// The work tree of the first Read: an edit, and a file git never saw.
	before := maps.Clone(committed)
	before["handover.yaml"] = []byte("version: 1\ntitle: Work in progress\n")
	before["clients/acme/draft.yaml"] = []byte("kind: Server\nid: draft-01\n")
	h, _, err := Read(s.dir, before)
	if err != nil {
		t.Fatal(err)
	}
	if fh := h.File("vendors/merged.yaml"); fh == nil || len(fh.Commits) != 0 || fh.Dirty {
		t.Fatalf("the file the merge added: %+v, want a clean history without commits", fh)
	}
	saved, pointers := deepCopy(h.Files), maps.Clone(h.Files)
	docs, err := h.Documents("clients/acme/servers.yaml")
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name    string
		changed map[string][]byte // nil: deleted
	}{
		{"nothing", map[string][]byte{}},
		{"edit a committed file", map[string][]byte{"clients/acme/servers.yaml": []byte("kind: Server\nid: web-01\n")}},
		{"undo an edit", map[string][]byte{"handover.yaml": committed["handover.yaml"]}},
		{"edit a file without commits in HEAD", map[string][]byte{"vendors/merged.yaml": []byte("kind: Vendor\nid: merged\n")}},
		{"add a file", map[string][]byte{"vendors/new.yaml": []byte("kind: Vendor\nid: new\n")}},
		{"recreate a deleted file", map[string][]byte{"vendors/hosting.yaml": []byte("kind: Vendor\nid: hetzner\nname: Hetzner\n")}},
		{"recreate it as committed before", map[string][]byte{"vendors/legacy.yaml": committed["vendors/legacy.yaml"]}},
		{"delete a committed file", map[string][]byte{"vendors/hetzner.yaml": nil}},
		{"delete an edited file", map[string][]byte{"handover.yaml": nil}},
		{"delete a file git never saw", map[string][]byte{"clients/acme/draft.yaml": nil}},
		{"delete the file the merge added", map[string][]byte{"vendors/merged.yaml": nil}},
		{"delete a file that does not exist", map[string][]byte{"no/such.yaml": nil}},
		{"several at once", map[string][]byte{
			"clients/acme/client.yaml": []byte("kind: Client\nid: acme\n"),
			"clients/acme/draft.yaml":  committed["clients/acme/client.yaml"],
			"vendors/legacy.yaml":      nil,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := maps.Clone(before)
			for path, b := range tc.changed {
				if b == nil {
					delete(now, path)
				} else {
					now[path] = b
				}
			}
			want, _, err := Read(s.dir, now)
			if err != nil {
				t.Fatal(err)
			}
			got := h.WithFiles(tc.changed)
			compareFiles(t, got.Files, want.Files)
			if got.Head != h.Head || len(got.Commits) != len(h.Commits) || got.Shallow != h.Shallow {
				t.Errorf("the copy changed more than files")
			}
			compareFiles(t, h.Files, saved)
			for path, fh := range h.Files {
				if pointers[path] != fh {
					t.Errorf("%s: WithFiles replaced the original's history", path)
				}
			}
			again, err := got.Documents("clients/acme/servers.yaml")
			if err != nil || !maps.EqualFunc(again, docs, slices.Equal) {
				t.Errorf("Documents of the copy: %v, %v; want %v", again, err, docs)
			}
		})
	}
	if (*History)(nil).WithFiles(map[string][]byte{"handover.yaml": nil}) != nil {
		t.Error("WithFiles on no History made one")
	}
}

// deepCopy copies Files and every history in it.
func deepCopy(files map[string]*FileHistory) map[string]*FileHistory {
	out := map[string]*FileHistory{}
	for path, fh := range files {
		c := *fh
		c.Commits, c.blobs = slices.Clone(fh.Commits), slices.Clone(fh.blobs)
		out[path] = &c
	}
	return out
}

// compareFiles reports every difference between two Files maps: paths,
// commits, Dirty flags and what Documents and WithFiles read.
func compareFiles(t *testing.T, got, want map[string]*FileHistory) {
	t.Helper()
	for path, w := range want {
		g := got[path]
		switch {
		case g == nil:
			t.Errorf("%s: missing, want %+v", path, *w)
		case g.Dirty != w.Dirty:
			t.Errorf("%s: Dirty = %v, want %v", path, g.Dirty, w.Dirty)
		case !slices.Equal(hashes(g), hashes(w)) || !slices.Equal(g.blobs, w.blobs) || g.head != w.head:
			t.Errorf("%s: history %v (blobs %v, head %v), want %v (%v, %v)", path, hashes(g), g.blobs, g.head, hashes(w), w.blobs, w.head)
		}
	}
	for path, g := range got {
		if want[path] == nil {
			t.Errorf("%s: %+v, want none", path, *g)
		}
	}
}

// TestObjectsGit reads every object of a repository as the walk does and
// compares it with what git says, in each way git stores objects.
func TestObjectsGit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		repack   []string
		wantKind plumbing.ObjectType // the kind of delta the pack must hold
	}{
		{"loose", nil, 0},
		{"offset deltas", []string{"repack", "-a", "-d", "-f", "--window=250", "--depth=250"}, plumbing.OFSDeltaObject},
		{"ref deltas", []string{"-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "--window=250", "--depth=250"}, plumbing.REFDeltaObject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t, "")
			r := s.repo
			if tc.repack != nil {
				r.Git(tc.repack...)
			}
			repo, err := open(s.dir, false, cache.DefaultMaxSize)
			if err != nil {
				t.Fatal(err)
			}
			defer repo.close()
			src, err := openObjects(repo.objects, repo.git.Storer)
			if err != nil {
				t.Fatal(err)
			}
			defer src.close()
			if want := min(len(tc.repack), 1); len(src.packs) != want {
				t.Fatalf("%d packs open, want %d", len(src.packs), want)
			}
			want := catAll(t, r)
			if len(want) < 50 {
				t.Fatalf("only %d objects", len(want))
			}
			objects := newObjectReader(src)
			deltas := 0
			// Twice: the second time from the cache.
			for range 2 {
				for hash, w := range want {
					h := plumbing.NewHash(hash)
					if tc.wantKind != 0 {
						deltas += countKind(t, objects, h, tc.wantKind)
					}
					typ, got, err := objects.read(h, 0)
					if err != nil {
						t.Fatalf("%s %s: %v", w.typ, hash, err)
					}
					if typ.String() != w.typ || !bytes.Equal(got, w.data) {
						t.Errorf("%s %s: read a %s of %d bytes, not what git cat-file shows", w.typ, hash, typ, len(got))
					}
				}
			}
			if tc.wantKind != 0 && deltas == 0 {
				t.Errorf("the pack holds no %s", tc.wantKind)
			}
			if _, _, err := objects.read(plumbing.NewHash("0123456789012345678901234567890123456789"), 0); !errors.Is(err, plumbing.ErrObjectNotFound) {
				t.Errorf("a missing object: %v, want plumbing.ErrObjectNotFound", err)
			}
		})
	}
}

// countKind returns 1 if the object is stored in the first pack as that
// kind of object (or delta), else 0.
func countKind(t *testing.T, objects *objectReader, h plumbing.Hash, kind plumbing.ObjectType) int {
	t.Helper()
	off := objects.src.packs[0].find(h)
	if off < 0 {
		return 0 // objects nothing refers to stay loose
	}
	typ, _, err := objects.header(0, off)
	if err != nil {
		t.Fatalf("%s: %v", h, err)
	}
	if typ != kind {
		return 0
	}
	return 1
}

type catObject struct {
	typ  string
	data []byte
}

// catAll returns every object of the repository as git cat-file shows it.
func catAll(t *testing.T, r *gitRepo) map[string]catObject {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = r.Dir
	cmd.Env = r.Env(base, ada)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file: %v", err)
	}
	objects := map[string]catObject{}
	for len(out) > 0 {
		header, rest, _ := bytes.Cut(out, []byte{'\n'})
		f := strings.Fields(string(header))
		if len(f) != 3 {
			t.Fatalf("git cat-file: header %q", header)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil || size+1 > len(rest) {
			t.Fatalf("git cat-file: header %q", header)
		}
		objects[f[0]] = catObject{typ: f[1], data: rest[:size]}
		out = rest[size+1:]
	}
	return objects
}

// TestBlobHashIsGits checks the dirty check's hash against go-git's, which
// is git's: a blob hashed differently would mark every file uncommitted.
func TestBlobHashIsGits(t *testing.T) {
	for _, b := range [][]byte{nil, {}, []byte("kind: Server\n"), []byte("a\x00b"), bytes.Repeat([]byte("0123456789"), 10_000)} {
		if got, want := blobHash(b), plumbing.ComputeHash(plumbing.BlobObject, b); got != want {
			t.Errorf("blobHash of %d bytes = %s, want %s", len(b), got, want)
		}
	}
}
