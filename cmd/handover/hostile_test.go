package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/handover-dev/handover/internal/testutil"
)

// fakes are the secrets the hostile corpus refers to as {{name}}: they are
// assembled here, so that nothing secret-shaped is stored in the
// repository, and every output is searched for them.
var fakes = map[string]string{
	"aws-key":      "AKIA" + strings.Repeat("Z3", 8),
	"github-token": "ghp_" + strings.Repeat("Qw3r", 9),
	"stripe-key":   "sk_" + "live_" + strings.Repeat("Pl4", 8),
	"slack-token":  "xoxp-" + "2345678901-" + strings.Repeat("dEf", 6),
	"jwt":          "eyJ" + strings.Repeat("0eXAiOi", 2) + ".eyJ" + strings.Repeat("pc3MiOi", 2) + "." + strings.Repeat("TJVA95", 3),
	"pem":          "-----BEGIN OPENSSH " + "PRIVATE KEY-----",
	"gcp-key":      "AIza" + strings.Repeat("Xk_7", 8) + "xyz",
	"azure-key":    strings.Repeat("Ab3+", 16) + "==",
	"password":     "Corr3ct-H0rse-Battery",
	"huge":         strings.Repeat("x", 1<<20+100),
}

// ownScript matches the scripts a site may load: its own assets.
var ownScript = regexp.MustCompile(`^(\.\./)*assets/[a-z/.-]+\.js$`)

var placeholder = regexp.MustCompile(`\{\{([a-z0-9-]+)\}\}`)

type hostileCase struct{ file, place, expect string }

func hostileCorpus(t *testing.T) []hostileCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "hostile", "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []hostileCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		parts := strings.Split(sc.Text(), "\t")
		out = append(out, hostileCase{parts[0], parts[1], parts[2]})
	}
	return out
}

// TestHostileCorpus puts each hostile file into a valid repository and
// runs validate and build over it: no panic, the expected exit code, no
// secret in any output, the previous site untouched when the build fails,
// and a site whose markup is inert when it succeeds.
func TestHostileCorpus(t *testing.T) {
	cases := hostileCorpus(t)
	if len(cases) < 30 {
		t.Fatalf("only %d hostile files", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "hostile", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			b = placeholder.ReplaceAllFunc(b, func(m []byte) []byte { return []byte(fakes[string(m[2:len(m)-2])]) })
			dir := testutil.WriteFiles(t, map[string]string{
				"handover.yaml":            "version: 1\nconsultancy:\n  name: Test\npolicies:\n  credentialSchemes: [op]\n",
				"clients/acme/client.yaml": "kind: Client\nid: acme\nname: Acme\n",
				"clients/acme/servers/web-01.yaml": "kind: Server\nid: web-01\nname: Web\nhostname: web-01.example.com\n" +
					"environment: staging\n",
				tc.place: string(b),
			})
			want := map[string]int{"error": 1, "ok": 0}[tc.expect]
			code, stdout, stderr := runCLI(t, "validate", dir)
			if code != want {
				t.Errorf("validate exit %d, want %d\n%.2000s%.500s", code, want, stdout, stderr)
			}
			noSecrets(t, stdout+stderr)
			_, js, _ := runCLI(t, "validate", "--format", "json", dir)
			noSecrets(t, js)

			out := filepath.Join(t.TempDir(), "site")
			if code, _, stderr := runCLI(t, "build", testutil.CopyDir(t, "../../examples"), "--out", out); code != 0 {
				t.Fatalf("build of the examples failed: %s", stderr)
			}
			before, _ := os.ReadFile(filepath.Join(out, "index.html"))
			code, stdout, stderr = runCLI(t, "build", dir, "--out", out)
			noSecrets(t, stdout+stderr)
			after, _ := os.ReadFile(filepath.Join(out, "index.html"))
			if code != want {
				t.Errorf("build exit %d, want %d", code, want)
			}
			if code != 0 {
				if !bytes.Equal(before, after) {
					t.Errorf("a failed build changed the previous site")
				}
				return
			}
			filepath.WalkDir(out, func(p string, e os.DirEntry, err error) error {
				if err != nil || e.IsDir() {
					return err
				}
				page, _ := os.ReadFile(p)
				noSecrets(t, string(page))
				if strings.HasSuffix(p, ".html") {
					for _, problem := range testutil.LiveMarkup(page, ownScript) {
						t.Errorf("%s: %s", p, problem)
					}
				}
				return nil
			})
		})
	}
}

func noSecrets(t *testing.T, output string) {
	t.Helper()
	for name, v := range fakes {
		if name == "huge" {
			continue
		}
		if strings.Contains(output, v) || strings.Contains(output, v[:12]) {
			t.Errorf("output contains the %s (or its first 12 characters)", name)
		}
	}
}
