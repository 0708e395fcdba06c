package model

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// TestObjectIsTheMap checks Object against the map[string]any it stands
// for: the same encoding as encoding/json's, the same lookups, and a round
// trip through JSON and FromJSON.
func TestObjectIsTheMap(t *testing.T) {
	cases := []struct {
		name string
		v    map[string]any
	}{
		{"nil", nil},
		{"empty", map[string]any{}},
		{"flat", map[string]any{"kind": "Server", "id": "web-01", "port": int64(443), "ratio": 1.5, "on": true, "none": nil}},
		{"nested", map[string]any{"os": map[string]any{"name": "Debian", "version": "12"},
			"contacts": []any{map[string]any{"name": "Ann", "phone": "+44"}, "text", []any{map[string]any{}}}}},
		{"escaping", map[string]any{"<b>": "</script> & \u2028", "é": "\xff", "": "empty key"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := ObjectOf(tc.v)
			want, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("Marshal gave %s, the map %s", got, want)
			}
			for k, v := range tc.v {
				if got, ok := o.Lookup(k); !ok || !reflect.DeepEqual(JSON(got), v) {
					t.Errorf("Lookup(%q) = %v, %v; want %v", k, got, ok, v)
				}
			}
			if got, ok := o.Lookup("missing"); ok || got != nil || o.Get("missing") != nil {
				t.Errorf("Lookup(missing) = %v, %v", got, ok)
			}
			if back := JSON(o); !reflect.DeepEqual(back, map[string]any(tc.v)) {
				t.Errorf("JSON(ObjectOf(v)) = %#v, want %#v", back, tc.v)
			}
			if !slices.IsSortedFunc(o, byKey) {
				t.Errorf("ObjectOf did not sort the keys: %v", o.Keys())
			}
		})
	}
}

// TestObjectLookup checks lookups by scan and by bisection, present and
// missing keys, and the typed getters.
func TestObjectLookup(t *testing.T) {
	for _, n := range []int{0, 1, maxScanned, maxScanned + 1, 100} {
		m := map[string]any{}
		for i := range n {
			m[fmt.Sprintf("k%03d", i)] = int64(i)
		}
		o := ObjectOf(m)
		for i := range n {
			if v, ok := o.Lookup(fmt.Sprintf("k%03d", i)); !ok || v != int64(i) {
				t.Errorf("%d fields: Lookup(k%03d) = %v, %v", n, i, v, ok)
			}
		}
		for _, k := range []string{"", "k", "k-01", fmt.Sprintf("k%03d", n), "l"} {
			if v, ok := o.Lookup(k); ok {
				t.Errorf("%d fields: Lookup(%q) = %v, want none", n, k, v)
			}
		}
	}
	o := ObjectOf(map[string]any{"name": "A", "backup": map[string]any{"a": int64(2)}})
	if s := o.String("name"); s != "A" {
		t.Errorf(`String("name") = %q`, s)
	}
	if s := o.String("backup"); s != "" {
		t.Errorf(`String("backup") = %q, want "" for a mapping`, s)
	}
	if b := o.Object("backup"); b.Get("a") != int64(2) {
		t.Errorf(`Object("backup") = %v`, b)
	}
	if b := o.Object("name"); b != nil {
		t.Errorf(`Object("name") = %v, want nil for a string`, b)
	}
}

// TestDocumentKeepsWrittenOrder checks that a document's fields come in
// the order they are written, though its Object is sorted, and still after
// the tree is gone; a document given its Object alone has its keys' order.
func TestDocumentKeepsWrittenOrder(t *testing.T) {
	plain := &Document{Value: ObjectOf(map[string]any{"kind": "Server", "id": "a", "name": "A", "backup": "b"})}
	if got, want := plain.Keys(), []string{"backup", "id", "kind", "name"}; !slices.Equal(got, want) {
		t.Errorf("without SetFields, Keys() = %v, want key order %v", got, want)
	}
	d := &Document{Node: &Node{Kind: MappingNode}}
	d.SetFields([]Member{{"kind", "Server"}, {"id", "a"}, {"name", "A"}, {"backup", "b"}})
	if !slices.IsSortedFunc(d.Value, byKey) {
		t.Errorf("SetFields left Value unsorted: %v", d.Value.Keys())
	}
	d.DropNodes()
	want := []string{"kind", "id", "name", "backup"}
	if got := d.Keys(); !slices.Equal(got, want) {
		t.Errorf("Keys() = %v, want %v", got, want)
	}
	var got []string
	for f := range d.Fields() {
		got = append(got, f.Key)
		if f.Value != d.Value.Get(f.Key) {
			t.Errorf("field %s = %v, Get gives %v", f.Key, f.Value, d.Value.Get(f.Key))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Fields() gave %v, want %v", got, want)
	}
}
