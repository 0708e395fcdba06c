package model

import (
	"strconv"
	"strings"
)

// RefField describes a field that holds references: which kind has it, its
// path in the document (a trailing "[]" marks a list of references) and the
// edge it makes in the dependency graph.
type RefField struct {
	Kind Kind
	Path string
}

// RefFields lists every field that holds references. The schemas constrain
// their syntax; the resolve stage checks that they point at something. Keep
// this table and schemas/ in step (a test in generator/validate checks it).
var RefFields = []RefField{
	{KindService, "dependsOn[]"},
	{KindServer, "dependsOn[]"},
	{KindServer, "location.provider"},
	{KindServer, "access.via"},
	{KindServer, "runbooks[]"},
	{KindConfiguration, "appliesTo[]"},
	{KindConfiguration, "vendor"},
	{KindIntegration, "provider"},
	{KindIntegration, "runsOn[]"},
	{KindIntegration, "dependsOn[]"},
	{KindRunbook, "appliesTo[]"},
}

// refPaths are the paths of RefFields, split: Refs runs on every document.
var refPaths = func() [][]string {
	paths := make([][]string, len(RefFields))
	for i, f := range RefFields {
		paths[i] = strings.Split(strings.TrimSuffix(f.Path, "[]"), ".")
	}
	return paths
}()

// FieldRef is one reference found in a document: the field it sits in, the
// JSON path to the string (for positions; shared between documents, so
// read only) and the text as written.
type FieldRef struct {
	Field string
	Path  []string
	Text  string
}

// Refs returns every reference the document holds, in table order, skipping
// values that are not strings (the schema reports those).
func (d *Document) Refs() []FieldRef {
	var out []FieldRef
	for i, f := range RefFields {
		if f.Kind != d.Kind {
			continue
		}
		list := strings.HasSuffix(f.Path, "[]")
		path := refPaths[i]
		v := any(d.Value)
		for _, p := range path {
			m, ok := v.(Object)
			if !ok {
				v = nil
				break
			}
			v = m.Get(p)
		}
		field := strings.TrimSuffix(f.Path, "[]")
		if !list {
			if s, ok := v.(string); ok {
				out = append(out, FieldRef{Field: field, Path: path, Text: s})
			}
			continue
		}
		items, _ := v.([]any)
		for i, it := range items {
			if s, ok := it.(string); ok {
				p := append(append([]string(nil), path...), strconv.Itoa(i))
				out = append(out, FieldRef{Field: field, Path: p, Text: s})
			}
		}
	}
	return out
}
