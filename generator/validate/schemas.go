// Package validate owns the second stage of the pipeline: it checks every
// loaded document against the JSON Schema of its kind and turns each failure
// into a diagnostic at the exact file:line:col, with a message and a hint a
// consultant can act on. It knows nothing of references between documents
// (the resolve stage does).
package validate

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/schemas"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schemas is the compiled schema of every kind, plus the raw schema
// documents, which messages read for property names and descriptions. It is
// safe for concurrent use once built.
type Schemas struct {
	byKind map[model.Kind]*jsonschema.Schema
	quick  map[model.Kind]*quick // spares byKind the documents that pass
	raw    map[string]any        // schema documents by $id
}

// Embedded compiles the schemas built into the binary.
func Embedded() (*Schemas, error) { return Compile(schemas.FS) }

// Compile compiles every *.schema.json in fsys, each registered under its
// $id, and picks one per kind by file name (server.schema.json for Server).
func Compile(fsys fs.FS) (*Schemas, error) {
	files, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	s := &Schemas{byKind: map[model.Kind]*jsonschema.Schema{}, quick: map[model.Kind]*quick{}, raw: map[string]any{}}
	ids := map[string]string{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", f, err)
		}
		obj, _ := doc.(map[string]any)
		id, _ := obj["$id"].(string)
		if id == "" {
			return nil, fmt.Errorf("schema %s: no $id", f)
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", f, err)
		}
		s.raw[id] = doc
		ids[f] = id
	}
	for _, k := range model.Kinds {
		id, ok := ids[k.RefName()+".schema.json"]
		if !ok {
			return nil, fmt.Errorf("no schema for kind %s (%s.schema.json)", k, k.RefName())
		}
		sch, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", id, err)
		}
		s.byKind[k] = sch
		s.quick[k] = newQuick(sch)
	}
	return s, nil
}

// at returns the raw schema object that a dereferenced schema location
// (an absolute URL with a JSON pointer fragment) names, or nil.
func (s *Schemas) at(loc string) map[string]any {
	base, frag, _ := strings.Cut(loc, "#")
	v := s.raw[base]
	if frag != "" {
		ptr, err := url.PathUnescape(frag)
		if err != nil {
			return nil
		}
		for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
			tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[tok]
		}
	}
	m, _ := v.(map[string]any)
	return m
}

// deref follows a schema object's $ref, resolved against the location it
// was found at, until it reaches an object without one.
func (s *Schemas) deref(loc string, m map[string]any) (string, map[string]any) {
	for i := 0; m != nil && i < 8; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			break
		}
		base, err := url.Parse(loc)
		if err != nil {
			break
		}
		r, err := url.Parse(ref)
		if err != nil {
			break
		}
		next := s.at(base.ResolveReference(r).String())
		if next == nil {
			break
		}
		// A $ref beside its own description keeps the outer description.
		if d, ok := m["description"]; ok {
			if _, has := next["description"]; !has {
				next = withDescription(next, d)
			}
		}
		loc, m = base.ResolveReference(r).String(), next
	}
	return loc, m
}

func withDescription(m map[string]any, d any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out["description"] = d
	return out
}

// properties returns the property names a schema object allows, sorted.
func properties(m map[string]any) []string {
	props, _ := m["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// description returns the first sentence of a property's description.
func (s *Schemas) description(loc, prop string) string {
	m := s.at(loc)
	props, _ := m["properties"].(map[string]any)
	p, _ := props[prop].(map[string]any)
	if p == nil {
		return ""
	}
	d, _ := p["description"].(string)
	if d == "" {
		_, p = s.deref(loc, p)
		d, _ = p["description"].(string)
	}
	if i := strings.Index(d, ". "); i > 0 {
		d = d[:i+1]
	}
	return d
}
