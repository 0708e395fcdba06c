package site

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/synth"
)

// TestLabel checks the labels of field names, asked for twice: the second
// time they come from what the first made.
func TestLabel(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"lastRestoreTest", "Last restore test"},
		{"hostname", "Hostname"},
		{"rto", "RTO"},
		{"accountId", "Account ID"},
		{"maxUploadMB", "Max upload m b"},
		{"éclair", "Éclair"},
	} {
		for range 2 {
			if got := Label(tc.key); got != tc.want {
				t.Errorf("Label(%q) = %q, want %q", tc.key, got, tc.want)
			}
		}
	}
}

// TestEntityFieldsAreFields checks writeEntityFields, which the pages
// written in Go call, against writeFields of the Field tree, which
// templates get: on every entity of the examples, the synthetic portfolio
// and the XSS fixtures, and on a server holding every kind of value.
func TestEntityFieldsAreFields(t *testing.T) {
	synthetic := t.TempDir()
	if _, err := synth.Write(synthetic, synth.Options{Clients: 2, Entities: 200, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	compare := func(t *testing.T, r *renderer, e *Entity) {
		t.Helper()
		p := &Page{Path: e.URL, Site: r.info, r: r, from: e}
		var want, got bytes.Buffer
		fs := p.Fields(e)
		if len(fs) > 0 {
			p.writeFields(&want, fs)
		}
		if wrote := p.writeEntityFields(&got, e); wrote != (len(fs) > 0) {
			t.Errorf("%s: writeEntityFields reports %t for %d fields", e.Ref(), wrote, len(fs))
		}
		if at := firstDiff(want.Bytes(), got.Bytes()); at >= 0 {
			t.Errorf("%s differs at byte %d:\nField tree: %q\ndirect:     %q", e.Ref(), at, around(want.Bytes(), at), around(got.Bytes(), at))
		}
	}
	for _, dir := range []string{"../../examples", synthetic, filepath.Join("testdata", "xss")} {
		r := entityRenderer(t, dir)
		for _, e := range r.m.all {
			compare(t, r, e)
		}
	}

	r := entityRenderer(t, "../../examples")
	var server, runbook *Entity
	for _, e := range r.m.all {
		if server == nil && e.Kind() == model.KindServer {
			server = e
		}
	}
	for _, e := range r.m.all {
		if runbook == nil && server != nil && e.Kind() == model.KindRunbook && e.Client == server.Client {
			runbook = e
		}
	}
	if server == nil || runbook == nil {
		t.Fatal("the examples have no server with a runbook beside it")
	}
	for _, tc := range []struct {
		name  string
		value model.Object
	}{
		{"nothing to show", model.Object{{Key: "kind", Value: "Server"}, {Key: "id", Value: "x"}, {Key: "notes", Value: "shown elsewhere"}, {Key: "os", Value: nil}}},
		{"every kind of value", model.Object{
			{Key: "hostname", Value: hostile},
			{Key: "empty", Value: ""},
			{Key: "managed", Value: true},
			{Key: "backup", Value: false},
			{Key: "cores", Value: int64(-8)},
			{Key: "ratio", Value: 0.000001},
			{Key: "big", Value: 1e21},
			{Key: "other", Value: uint8(7)},
			{Key: "credential", Value: "op://vault/" + hostile},
			{Key: "summary", Value: "**bold** [a runbook](" + runbook.Doc.File + ") " + hostile},
			{Key: "eol", Value: "2027-01-01" + hostile},
			{Key: "email", Value: "ops+" + hostile + "@example.com"},
			{Key: "phone", Value: "+44 (0) 161 496 0750 " + hostile},
			{Key: "fax", Value: "12"},
			{Key: "url", Value: "https://example.com/?a=1&b=" + hostile},
			{Key: "spaced", Value: "https://example.com/a b"},
			{Key: "dependsOn", Value: []any{runbook.Ref(), "server:nowhere", "not a ref " + hostile, "", nil, int64(3)}},
			{Key: "runbooks", Value: []any{}},
			{Key: "access", Value: model.Object{{Key: "via", Value: runbook.Ref()}, {Key: "notes", Value: "shown: not at the top"}, {Key: "gone", Value: nil}}},
			{Key: "location", Value: model.Object{{Key: "rack", Value: nil}}},
			{Key: "hardware", Value: model.Object{}},
			{Key: "disks", Value: []any{model.Object{{Key: "size", Value: int64(100)}, {Key: "phone", Value: "0"}}, model.Object{}, []any{"nested", []any{}}}},
			{Key: "zz" + hostile, Value: "a key that needs escaping"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := server.Doc
			doc := &model.Document{File: d.File, Kind: d.Kind, ID: d.ID, Client: d.Client}
			doc.SetFields(slices.Clone(tc.value))
			e := *server
			e.Doc = doc
			compare(t, r, &e)
		})
	}
}

// TestRefLeaves: every path that holds references ends in a name of
// refLeaves, which writeMemberText asks before isRefField.
func TestRefLeaves(t *testing.T) {
	for _, f := range model.RefFields {
		p := strings.TrimSuffix(f.Path, "[]")
		leaf := p[strings.LastIndex(p, ".")+1:]
		if !refLeaves[leaf] || !isRefField(f.Kind, p) {
			t.Errorf("%s %s: leaf %q in refLeaves %t", f.Kind, f.Path, leaf, refLeaves[leaf])
		}
	}
	if refLeaves["hostname"] || refLeaves["location"] {
		t.Error("refLeaves holds names that hold no references")
	}
}
