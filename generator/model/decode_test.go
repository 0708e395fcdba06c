package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

// viaJSON is what Typed did before decode: a round trip through
// encoding/json, the reference decode is held to.
func viaJSON(kind Kind, v map[string]any) (any, error) {
	view := newView(kind)
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, view)
	}
	return view, err
}

func TestDecodeMatchesJSON(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		v    map[string]any
	}{
		{"server", KindServer, map[string]any{
			"kind": "Server", "id": "web-01", "name": "Web", "tags": []any{"a", "b"}, "hostname": "web-01.example",
			"os":        map[string]any{"name": "Debian", "version": "12", "eol": "2028-06-30"},
			"backup":    map[string]any{"schedule": "nightly", "target": "vendor:aws"},
			"access":    nil,
			"addresses": []any{"10.0.0.1", nil},
			"links":     []any{map[string]any{"title": "Wiki", "url": "https://x"}},
			"unknown":   map[string]any{"x": int64(1)},
		}},
		{"client", KindClient, map[string]any{
			"kind": "Client", "id": "acme",
			"contacts":   []any{map[string]any{"name": "Ann", "escalationOrder": int64(1)}, map[string]any{"name": "Bob", "escalationOrder": 2.0}},
			"escalation": []any{map[string]any{"step": int64(1), "who": "Ann", "after": "15m"}},
			"sla":        map[string]any{"severities": []any{map[string]any{"level": "P1", "response": "15m"}}},
		}},
		{"configuration", KindConfiguration, map[string]any{"kind": "Configuration", "autoRenew": true, "expires": "2027-01-01"}},
		{"wrong types", KindServer, map[string]any{
			"name": int64(7), "tags": "web", "os": "Debian", "backup": "none", "monitoring": []any{"x"},
			"access": map[string]any{"method": true}, "addresses": []any{int64(1), "10.0.0.2"},
		}},
		{"numbers into ints", KindClient, map[string]any{"contacts": []any{
			map[string]any{"escalationOrder": 1.5}, map[string]any{"escalationOrder": 1e300},
			map[string]any{"escalationOrder": -0.0}, map[string]any{"escalationOrder": "2"},
		}}},
		{"boolean as text", KindConfiguration, map[string]any{"autoRenew": "yes"}},
		{"case-insensitive keys", KindServer, map[string]any{"Hostname": "h", "HOSTNAME": "H", "reviewedby": "Ann"}},
		{"empty", KindVendor, map[string]any{}},
		{"nil", KindRunbook, nil},
		{"other kind", Kind("Widget"), map[string]any{"name": "w", "notes": "n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, werr := viaJSON(tc.kind, tc.v)
			got := newView(tc.kind)
			gerr := decode(got, anyMap(ObjectOf(tc.v)))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decode gave %+v, encoding/json %+v", got, want)
			}
			if (gerr == nil) != (werr == nil) {
				t.Errorf("decode error %v, encoding/json error %v", gerr, werr)
			}
		})
	}
}

var benchServer = map[string]any{
	"kind": "Server", "id": "web-01", "name": "Web", "tags": []any{"a", "b"}, "hostname": "web-01.example",
	"description": "A server", "owner": "Ann", "reviewed": "2026-01-01", "reviewedBy": "Bob", "notes": "Notes",
	"os":         map[string]any{"name": "Debian", "version": "12", "eol": "2028-06-30"},
	"backup":     map[string]any{"schedule": "nightly", "target": "vendor:aws", "retention": "30d"},
	"monitoring": map[string]any{"tool": "x", "checks": []any{"a", "b"}, "alertsTo": []any{"c"}},
	"addresses":  []any{"10.0.0.1"},
	"services":   []any{map[string]any{"name": "https", "port": int64(443)}},
}

// BenchmarkDecode decodes a server's view; compare BenchmarkDecodeViaJSON.
func BenchmarkDecode(b *testing.B) {
	v := ObjectOf(benchServer)
	for b.Loop() {
		_ = decode(newView(KindServer), v)
	}
}

// BenchmarkDecodeViaJSON is the round trip decode replaced.
func BenchmarkDecodeViaJSON(b *testing.B) {
	for b.Loop() {
		_, _ = viaJSON(KindServer, benchServer)
	}
}
