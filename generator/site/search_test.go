package site

import (
	"encoding/json"
	"testing"
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
