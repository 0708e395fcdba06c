package validate

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/synth"
)

// quickDocs loads the documents the quick check is tried on: the examples,
// the broken fixtures and a small synthetic portfolio.
func quickDocs(t *testing.T) (valid, other []*model.Document) {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: 3, Entities: 300, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{dir, "../../examples", "../testdata/broken"} {
		repo, _ := load.Repo(root, load.Options{})
		docs := repo.Docs
		if repo.Portfolio != nil {
			docs = append(docs, repo.Portfolio)
		}
		for _, d := range docs {
			if _, ok := model.KindByName(string(d.Kind)); !ok || d.Value == nil {
				continue
			}
			if root == dir {
				valid = append(valid, d)
			} else {
				other = append(other, d)
			}
		}
	}
	return valid, other
}

// TestQuickAcceptsValid keeps the quick check useful: a synthetic portfolio
// is valid, and the quick check must say so for every document, or each
// one pays for the library's full validation.
func TestQuickAcceptsValid(t *testing.T) {
	s := embedded(t)
	valid, _ := quickDocs(t)
	for _, d := range valid {
		if err := s.byKind[d.Kind].Validate(model.JSON(d.Value)); err != nil {
			t.Fatalf("%s: synthetic document is not valid: %v", d.File, err)
		}
		if !s.quick[d.Kind].valid(d.Value) {
			t.Errorf("%s: quick check turns down a valid document", d.File)
		}
	}
}

// TestQuickNeverWrong checks the one promise of the quick check: when it
// says a value passes, the library agrees. It tries every loaded document
// and thousands of mutations of them (fields removed, added, retyped,
// misspelt; values of every JSON type and of every format the schemas
// check), against the schema of their own kind and of every other kind.
func TestQuickNeverWrong(t *testing.T) {
	s := embedded(t)
	valid, other := quickDocs(t)
	docs := append(valid, other...)
	r := rand.New(rand.NewPCG(1, 2))
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	var tried, agreed, rejected int
	try := func(k model.Kind, v map[string]any, what string) {
		tried++
		full := s.byKind[k].Validate(any(v)) == nil
		q := s.quick[k].valid(model.FromJSON(v))
		if q && !full {
			t.Fatalf("%s: quick check passes a value the %s schema rejects: %#v", what, k, v)
		}
		if q == full {
			agreed++
		}
		if !full {
			rejected++
		}
	}
	for _, d := range docs {
		for _, k := range model.Kinds {
			try(k, model.JSON(d.Value).(map[string]any), d.File)
		}
		for range rounds {
			v := model.JSON(d.Value).(map[string]any)
			for range 1 + r.IntN(3) {
				mutate(r, v)
			}
			try(d.Kind, v, d.File+" (mutated)")
		}
	}
	t.Logf("%d values (%d invalid): quick check agreed with the library on %d", tried, rejected, agreed)
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

// mutationValues are what mutate writes: every JSON type, whole and
// fractional numbers, and strings that pass or fail the schemas' formats
// and patterns.
var mutationValues = []any{
	nil, true, false, int64(0), int64(-1), int64(1), int64(22), int64(65535), int64(65536), int64(1) << 40,
	1.0, 1.5, -0.0, 1e21, 443.0,
	"", " ", "x", strings.Repeat("long ", 300), "café", "\u202ebidi",
	"2026-03-31", "2026-02-30", "2026-3-31", "31/03/2026", "2026-03-31T14:00:00Z",
	"a@b.c", "a@b", "@b.c", "a..b@c.d", "name@example.com", "\"q\"@example.com", "a@[127.0.0.1]", "a@-b.c",
	"https://example.com/a", "http://x", "https://[::1]/", "https://::1/", "example.com", "/relative", "mailto:a@b.c", "op://vault/item/field",
	"server:web-01", "server:Web", "vendor:hetzner", "service:", "web-01", "-web", "WEB", "a" + strings.Repeat("b", 70),
	"+44 20 7946 0123", "0207", "15m", "4h", "2w", "1y", "15", "production", "staging", "critical", "P1", "24x7", "ssh", "https", "tcp",
	"Server", "Client", "Portfolio", "Runbook", "Vendor", "Configuration", "Integration", "Service",
	[]any{}, []any{"a"}, []any{"a", "a"}, []any{"a", int64(1)}, []any{int64(1), 1.0}, []any{"server:a", "server:b"},
	[]any{map[string]any{"title": "t", "url": "https://example.com"}}, []any{map[string]any{"name": "n"}},
	map[string]any{}, map[string]any{"a": "b"}, map[string]any{"name": "x"}, map[string]any{"title": "t", "url": "https://x.y"},
}

var mutationKeys = []string{"kind", "id", "name", "title", "url", "email", "phone", "port", "version", "unknown", "nmae", "notes",
	"description", "tags", "reviewed", "owner", "dependsOn", "environment", "hostname", "credential", "expires", "step"}

// mutate changes one place of v at random.
func mutate(r *rand.Rand, v map[string]any) {
	// Walk down to a random mapping or list.
	var parent any = v
	for depth := 0; depth < 4 && r.IntN(3) > 0; depth++ {
		var next []any
		switch p := parent.(type) {
		case map[string]any:
			for _, k := range sortedKeys(p) {
				if _, ok := p[k].(map[string]any); ok {
					next = append(next, p[k])
				} else if _, ok := p[k].([]any); ok {
					next = append(next, p[k])
				}
			}
		case []any:
			for _, x := range p {
				switch x.(type) {
				case map[string]any, []any:
					next = append(next, x)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		parent = next[r.IntN(len(next))]
	}
	val := mutationValues[r.IntN(len(mutationValues))]
	switch p := parent.(type) {
	case map[string]any:
		keys := sortedKeys(p)
		switch op := r.IntN(4); {
		case op == 0 && len(keys) > 0:
			delete(p, keys[r.IntN(len(keys))])
		case op == 1 && len(keys) > 0:
			p[keys[r.IntN(len(keys))]] = deepCopy(val)
		default:
			p[mutationKeys[r.IntN(len(mutationKeys))]] = deepCopy(val)
		}
	case []any:
		if len(p) > 0 {
			if r.IntN(2) == 0 {
				p[r.IntN(len(p))] = deepCopy(val)
			} else {
				p[r.IntN(len(p))] = deepCopy(p[0])
			}
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
