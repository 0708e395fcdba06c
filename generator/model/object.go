package model

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Object is a mapping of a document as load gives it: its fields sorted
// by key (in byte order, as encoding/json writes a map), each key once. It
// stands where encoding/json would give a map[string]any, for a fraction
// of the memory and of the time to build: a Go map costs about 336 bytes
// even with three keys, an Object 32 bytes a field, and a portfolio of
// 50,000 documents holds about a million mappings from load to the end of a
// build. The order in which a document's own fields are written is kept by
// the document (see Document.Fields).
type Object []Member

// Member is one field of an Object.
type Member struct {
	Key   string
	Value any
}

// maxScanned is the size up to which Lookup scans instead of bisecting.
const maxScanned = 8

// Lookup returns the value of the field key, and whether there is one.
func (o Object) Lookup(key string) (any, bool) {
	if len(o) <= maxScanned {
		for i := range o {
			if o[i].Key == key {
				return o[i].Value, true
			}
		}
		return nil, false
	}
	if i, ok := o.search(key); ok {
		return o[i].Value, true
	}
	return nil, false
}

// search bisects for the field key: its index, or where it would go.
func (o Object) search(key string) (int, bool) {
	lo, hi := 0, len(o)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if o[m].Key < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(o) && o[lo].Key == key
}

// Get returns the value of the field key, or nil when there is none.
func (o Object) Get(key string) any {
	v, _ := o.Lookup(key)
	return v
}

// String returns the field key when it is a string, or "".
func (o Object) String(key string) string {
	s, _ := o.Get(key).(string)
	return s
}

// Object returns the field key when it is a mapping, or nil.
func (o Object) Object(key string) Object {
	m, _ := o.Get(key).(Object)
	return m
}

// Keys returns the field names, sorted.
func (o Object) Keys() []string {
	keys := make([]string, len(o))
	for i := range o {
		keys[i] = o[i].Key
	}
	return keys
}

// SortMembers sorts fields into an Object. Keys must be distinct.
func SortMembers(fields []Member) Object {
	slices.SortFunc(fields, byKey)
	return fields
}

func byKey(a, b Member) int { return strings.Compare(a.Key, b.Key) }

// MarshalJSON encodes the object as encoding/json encodes the map it
// stands for: keys sorted, HTML characters escaped, null when nil.
func (o Object) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(m.Key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// JSON returns v with every Object in it made a map[string]any: the values
// encoding/json gives, which is what a JSON Schema validator takes. Other
// values are shared, not copied.
func JSON(v any) any {
	switch t := v.(type) {
	case Object:
		if t == nil {
			return map[string]any(nil)
		}
		m := make(map[string]any, len(t))
		for _, f := range t {
			m[f.Key] = JSON(f.Value)
		}
		return m
	case []any:
		return mapItems(t, JSON)
	}
	return v
}

// FromJSON returns v with every map[string]any in it made an Object, its
// fields in key order: for values built by hand, as tests and a few
// callers do, in the form load gives.
func FromJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return ObjectOf(t)
	case []any:
		return mapItems(t, FromJSON)
	}
	return v
}

// mapItems returns a new list of f of each item.
func mapItems(items []any, f func(any) any) []any {
	out := make([]any, len(items))
	for i, item := range items {
		out[i] = f(item)
	}
	return out
}

// ObjectOf is FromJSON for a mapping; nil gives nil.
func ObjectOf(m map[string]any) Object {
	if m == nil {
		return nil
	}
	out := make(Object, 0, len(m))
	for k, v := range m {
		out = append(out, Member{k, FromJSON(v)})
	}
	return SortMembers(out)
}
