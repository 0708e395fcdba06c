package site

import "testing"

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
