package model

import "sync"

// typedView is a document's decoded typed view, computed once: the site
// and the checks both read it, and serve keeps the documents of unchanged
// files (and so their views) from one rebuild to the next.
type typedView struct {
	once  sync.Once
	value any
	err   error
}

// Base returns the fields every kind has; each kind's view embeds Common,
// so Base is how code holding any view reaches them.
func (c *Common) Base() *Common { return c }

// Typed returns the document decoded into its kind's view: *Client,
// *Service, *Server, *Configuration, *Integration, *Vendor, *Runbook, or
// *Common for other kinds. It is decoded on first use and shared: callers
// must not modify it. The error is a value that does not fit the view (a
// schema allowing what the view does not hold); the view then keeps what
// did fit.
func (d *Document) Typed() (any, error) {
	d.typed.once.Do(func() {
		d.typed.value = newView(d.Kind)
		d.typed.err = decode(d.typed.value, anyMap(d.Value))
	})
	return d.typed.value, d.typed.err
}

// Common returns the fields every kind has, from the typed view.
func (d *Document) Common() *Common {
	v, _ := d.Typed()
	return v.(interface{ Base() *Common }).Base()
}

func newView(k Kind) any {
	switch k {
	case KindClient:
		return &Client{}
	case KindService:
		return &Service{}
	case KindServer:
		return &Server{}
	case KindConfiguration:
		return &Configuration{}
	case KindIntegration:
		return &Integration{}
	case KindVendor:
		return &Vendor{}
	case KindRunbook:
		return &Runbook{}
	}
	return &Common{}
}

// anyMap keeps a nil Object a JSON null: a document without fields
// decodes to an empty view, as it did from "null".
func anyMap(m Object) any {
	if m == nil {
		return nil
	}
	return m
}
