package validate

import (
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/schemas"
)

func embedded(t testing.TB) *Schemas {
	t.Helper()
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRefFieldsMatchSchemas keeps model.RefFields and the schemas in step:
// every field the resolver follows must be a reference in the schema, and
// every reference in a schema must be followed.
func TestRefFieldsMatchSchemas(t *testing.T) {
	s := embedded(t)
	inTable := map[string]bool{}
	for _, f := range model.RefFields {
		inTable[string(f.Kind)+"."+f.Path] = true
	}
	for _, k := range model.Kinds {
		base := schemas.BaseURL + k.RefName() + ".schema.json"
		for _, p := range s.refPaths(base, s.raw[base].(map[string]any), "", 0) {
			key := string(k) + "." + p
			if !inTable[key] {
				t.Errorf("schema has a reference at %s that model.RefFields does not list", key)
			}
			delete(inTable, key)
		}
	}
	for key := range inTable {
		t.Errorf("model.RefFields lists %s, which is not a reference in the schema", key)
	}
}

// refPaths lists the paths (dotted, "[]" for list items) whose schema is one
// of the reference definitions of common.schema.json.
func (s *Schemas) refPaths(loc string, m map[string]any, prefix string, depth int) []string {
	if depth > 10 {
		return nil
	}
	if ref, ok := m["$ref"].(string); ok && strings.Contains(ref, "$defs/") {
		def := ref[strings.LastIndex(ref, "/")+1:]
		switch {
		case def == "refs":
			return []string{prefix + "[]"}
		case def == "ref" || strings.HasSuffix(def, "Ref"):
			return []string{prefix}
		case strings.HasSuffix(def, "Refs"):
			return []string{prefix + "[]"}
		}
	}
	loc, m = s.deref(loc, m)
	var out []string
	props, _ := m["properties"].(map[string]any)
	for name, p := range props {
		sub := name
		if prefix != "" {
			sub = prefix + "." + name
		}
		pm, _ := p.(map[string]any)
		out = append(out, s.refPaths(loc, pm, sub, depth+1)...)
	}
	if items, ok := m["items"].(map[string]any); ok {
		if r := s.refPaths(loc, items, prefix, depth+1); len(r) == 1 && r[0] == prefix {
			return []string{prefix + "[]"}
		} else {
			out = append(out, r...)
		}
	}
	return out
}
