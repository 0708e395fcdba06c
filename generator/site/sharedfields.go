package site

import "sync"

// sharedFields lets the two pages that list an entity's fields, its own
// and its client's handover pack, prepare them once: at 50k entities the
// fields were the largest part of the render after the pages' own text.
// An entity's fields are kept from the first of the two until its
// client's last page is rendered (the jobs of a client run one after the
// other), so that only the clients in progress hold theirs. The zero value
// keeps nothing; a nil one neither. Only templates ask for the fields
// (Page.Fields): the pages written in Go write them straight from the
// documents (writeEntityFields).
type sharedFields struct {
	mu      sync.Mutex
	fields  map[*Entity][]Field
	pending map[*Client]int // jobs of the client not done yet
}

// expect records the jobs to come, by the client whose pages they render.
func (s *sharedFields) expect(jobs []job) {
	s.fields, s.pending = map[*Entity][]Field{}, map[*Client]int{}
	for _, j := range jobs {
		if c := j.page.Client; c != nil {
			s.pending[c]++
		}
	}
}

// get returns e's fields, prepared by m once while its client's pages are
// rendered.
func (s *sharedFields) get(m *siteModel, e *Entity) []Field {
	c := e.Client
	if s == nil || c == nil {
		return m.fields(e)
	}
	s.mu.Lock()
	fs, ok := s.fields[e]
	s.mu.Unlock()
	if ok {
		return fs
	}
	fs = m.fields(e) // outside the lock: every core renders pages
	s.mu.Lock()
	if s.pending[c] > 0 {
		s.fields[e] = fs
	}
	s.mu.Unlock()
	return fs
}

// done ends a job: the last one of a client drops its entities' fields.
func (s *sharedFields) done(j job) {
	c := j.page.Client
	if s == nil || c == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending[c] == 0 {
		return // not expected: nothing kept
	}
	if s.pending[c]--; s.pending[c] > 0 {
		return
	}
	delete(s.pending, c)
	delete(s.fields, c.Entity)
	for _, e := range c.Entities {
		delete(s.fields, e)
	}
}
