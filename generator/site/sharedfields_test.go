package site

import "testing"

// TestSharedFields checks that a client's pages share its entities'
// fields while they render, and that the client's last page drops them.
func TestSharedFields(t *testing.T) {
	r := entityRenderer(t, "../../examples")
	c := r.m.clients[0]
	e := c.Entities[0]
	var shared *Entity
	for _, x := range r.m.all {
		if x.Client == nil {
			shared = x
			break
		}
	}
	pack, page := job{page: &Page{Client: c}}, job{page: &Page{Client: c}}
	var s sharedFields
	s.expect([]job{pack, page, {page: &Page{}}})
	first := s.get(r.m, e)
	if len(first) == 0 {
		t.Fatalf("%s has no fields", e.Ref())
	}
	if again := s.get(r.m, e); &again[0] != &first[0] {
		t.Error("the second page prepared the fields again")
	}
	if s.get(r.m, shared); len(s.fields) != 1 {
		t.Errorf("%d entities kept, want 1: a shared vendor's fields are not kept", len(s.fields))
	}
	s.done(pack)
	if len(s.fields) != 1 {
		t.Error("fields dropped before the client's last page")
	}
	s.done(page)
	if len(s.fields) != 0 || len(s.pending) != 0 {
		t.Errorf("after the client's last page: %d entities kept, %d clients pending", len(s.fields), len(s.pending))
	}
	if after := s.get(r.m, e); &after[0] == &first[0] {
		t.Error("fields kept after the client's last page")
	}
	var none *sharedFields
	if fs := none.get(r.m, e); len(fs) != len(first) {
		t.Error("a nil sharedFields does not prepare fields")
	}
	none.done(page)
}
