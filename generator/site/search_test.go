package site

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/model"
)

// TestSearchIndexInChunks checks that the index is the same whatever the
// number of entities whose records are made at once.
func TestSearchIndexInChunks(t *testing.T) {
	r := entityRenderer(t, "../../examples")
	whole := r.searchIndexBy(len(r.m.all) + 1)
	for _, chunk := range []int{1, 3, 64} {
		if got := r.searchIndexBy(chunk); string(got) != string(whole) {
			at := firstDiff(got, whole)
			t.Errorf("chunks of %d differ at byte %d: %q, whole %q", chunk, at, around(got, at), around(whole, at))
		}
	}
}

// TestSearchRecordIsMarshal checks the hand-written record against
// json.Marshal of searchRecord, the index's format.
func TestSearchRecordIsMarshal(t *testing.T) {
	for _, s := range jsonStrings {
		for _, r := range []searchRecord{
			{Title: s, Kind: "Server", Client: s, URL: "clients/a/servers/" + s + ".html", Keys: s, Text: s, Phones: s},
			{Title: s, Kind: "Vendor", URL: "vendors/v.html", Keys: "", Text: s}, // no client, no phones
		} {
			want, _ := json.Marshal(r)
			if got := appendSearchRecord([]byte("{"), r); string(got) != string(want) {
				t.Errorf("record of %q:\n got %s\nwant %s", s, got, want)
			}
		}
	}
}

// TestSearchTextIsJoin checks searchText against joining every string
// value, empty ones included, and the body.
func TestSearchTextIsJoin(t *testing.T) {
	doc := &model.Document{Kind: model.KindServer, Value: model.ObjectOf(map[string]any{
		"kind": "Server", "id": "web-01", "empty": "", "list": []any{"a", "", []any{"b"}, 3, true},
		"nested": map[string]any{"x": "y", "kind": "kept below the top"},
	}), Body: "the body"}
	var parts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			parts = append(parts, v)
		case model.Object:
			for _, f := range v {
				if f.Key != "kind" {
					walk(f.Value)
				}
			}
		case []any:
			for _, it := range v {
				walk(it)
			}
		}
	}
	walk(doc.Value)
	parts = append(parts, doc.Body)
	if got, want := searchText(&Entity{Doc: doc}), strings.Join(parts, " "); got != want {
		t.Errorf("searchText = %q, want %q", got, want)
	}
	if got := searchText(&Entity{Doc: &model.Document{}}); got != "" {
		t.Errorf("searchText of nothing = %q", got)
	}
}
