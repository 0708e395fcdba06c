package load

import (
	"slices"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
)

// FuzzLoad feeds arbitrary bytes to the parser as a YAML file and as a
// runbook. It must never panic, and every diagnostic must name the file,
// point inside it and say what to do.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("kind: Server\nid: web-01\nhostname: web-01.example.com\n"), false)
	f.Add([]byte("---\nkind: Runbook\nid: restart\ntitle: Restart\n---\n# Steps\n"), true)
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"), false)
	f.Add([]byte("<<: {a: 1}\nk: 1\nk: 2\n"), false)
	opts := Options{}.withDefaults()
	f.Fuzz(func(t *testing.T, b []byte, markdown bool) {
		rel := "clients/acme/servers/x.yaml"
		if markdown {
			rel = "clients/acme/runbooks/x.md"
		}
		r := parse(rel, b, opts)
		// YAML breaks lines at \n, \r\n and a lone \r.
		lines := 1
		for i, c := range b {
			if c == '\n' || c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
				lines++
			}
		}
		for _, d := range r.diags {
			if d.File != rel || d.Line < 0 || d.Line > lines || d.Column < 0 || d.Code == "" || d.Message == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
			if d.Severity == diag.Error && d.Hint == "" {
				t.Fatalf("error without a hint: %+v", d)
			}
		}
		for _, d := range r.docs {
			if d.File != rel || d.Value == nil {
				t.Fatalf("bad document %+v", d)
			}
			_ = d.FieldPos([]string{"id"}, true)
			checkSorted(t, d.Value)
			if keys := d.Keys(); len(keys) != len(d.Value) || !slices.Equal(slices.Sorted(slices.Values(keys)), d.Value.Keys()) {
				t.Fatalf("written keys %q are not the document's keys %q", keys, d.Value.Keys())
			}
		}
	})
}

// checkSorted fails unless every mapping in v has its keys sorted, each
// once, as model.Object promises.
func checkSorted(t *testing.T, v any) {
	switch v := v.(type) {
	case model.Object:
		for i := range v {
			if i > 0 && v[i-1].Key >= v[i].Key {
				t.Fatalf("keys %q out of order or repeated", v.Keys())
			}
			checkSorted(t, v[i].Value)
		}
	case []any:
		for _, x := range v {
			checkSorted(t, x)
		}
	}
}
