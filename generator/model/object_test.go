package model

import (
	"encoding/json"
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
			if !slices.IsSortedFunc(o, byKey) || !slices.Equal(o.Keys(), o.SortedKeys()) {
				t.Errorf("ObjectOf did not sort the keys: %v", o.Keys())
			}
		})
	}
}

// TestObjectKeepsWrittenOrder checks what Object adds to a map: the fields
// in the order they are written, which pages show, and sorted on demand.
func TestObjectKeepsWrittenOrder(t *testing.T) {
	o := Object{{"kind", "Server"}, {"id", "a"}, {"name", "A"}, {"backup", Object{{"z", int64(1)}, {"a", int64(2)}}}}
	if got, want := o.Keys(), []string{"kind", "id", "name", "backup"}; !slices.Equal(got, want) {
		t.Errorf("Keys() = %v, want %v", got, want)
	}
	if got, want := o.Sorted().Keys(), []string{"backup", "id", "kind", "name"}; !slices.Equal(got, want) {
		t.Errorf("Sorted().Keys() = %v, want %v", got, want)
	}
	if o[0].Key != "kind" {
		t.Errorf("Sorted changed the object it was called on: %v", o.Keys())
	}
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
	sorted := o.Sorted()
	if &sorted[0] != &sorted.Sorted()[0] {
		t.Error("Sorted copied an object already sorted")
	}
}
