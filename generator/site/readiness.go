package site

// Readiness is what the site shows of the readiness check: a score per
// client and the gaps of each entity. The check stage fills it (through
// the caller: generator/check builds on the pipeline's model, so the site
// takes this plain view of it rather than importing it).
type Readiness struct {
	AsOf     string                     // the date the scores hold for, YYYY-MM-DD
	Clients  map[string]ClientReadiness // by client id
	Entities map[string][]Gap           // by EntityKey
	Shared   map[string]ClientReadiness // unused today: shared vendors are scored in each client that uses them
}

// ClientReadiness is one client's score and what keeps it from 100.
type ClientReadiness struct {
	Score int
	Gaps  []Gap
}

// Gap is one missing item or warning: a readiness finding, an expiry or a
// stale review.
type Gap struct {
	Ref      string // kind:id of the entity
	Rule     string
	Message  string
	Fix      string
	Severity string // error, warning or info
}

// EntityKey names an entity in Readiness.Entities: its client (empty for
// shared vendors) and its reference.
func EntityKey(client, ref string) string { return client + "/" + ref }

// gaps returns the readiness gaps of an entity, or nil.
func (p *Page) Gaps(e *Entity) []Gap {
	if p.r.readiness == nil || e == nil {
		return nil
	}
	return p.r.readiness.Entities[EntityKey(e.Doc.Client, e.Ref())]
}

// ClientScore returns a client's readiness, or nil when there is none.
func (p *Page) ClientScore(c *Client) *ClientReadiness {
	if p.r.readiness == nil || c == nil {
		return nil
	}
	if cr, ok := p.r.readiness.Clients[c.C.ID]; ok {
		return &cr
	}
	return nil
}

// Readiness tells whether the site has readiness data.
func (p *Page) Readiness() *Readiness { return p.r.readiness }

// ByRef finds an entity of the page's client (or a shared vendor) by its
// reference, for linking a gap to its page.
func (p *Page) ByRef(client *Client, ref string) *Entity {
	id := ""
	if client != nil {
		id = client.C.ID
	}
	if e := p.r.m.byKey[EntityKey(id, ref)]; e != nil {
		return e
	}
	return p.r.m.byKey[EntityKey("", ref)]
}
