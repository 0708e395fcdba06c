package site

import (
	"sync"

	"github.com/handover-dev/handover/generator/model"
)

// Cache keeps what a render derived from each document alone, for the
// next render with the same Cache (serve renders again and again): a
// document that did not change is the same *model.Document, and what was
// derived from it is reused. Only what depends on nothing but the
// document and the names of its client is kept. A nil *Cache keeps
// nothing.
type Cache struct {
	mu     sync.Mutex
	search map[*model.Document]cachedSearch // kept from the last render
	next   map[*model.Document]cachedSearch // filled by this one
}

type cachedSearch struct {
	key     string // what else the records depend on: the client's title and the page's URL
	records [][]byte
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// searchRecords returns the entity's search records, from the cache when
// the document and what else they depend on are unchanged.
func (c *Cache) searchRecords(e *Entity) [][]byte {
	if c == nil {
		return searchRecords(e)
	}
	key := e.URL
	if e.Client != nil {
		key += "\x00" + e.Client.Title()
	}
	c.mu.Lock()
	if c.next == nil {
		c.next = map[*model.Document]cachedSearch{}
	}
	cs, ok := c.search[e.Doc]
	if ok && cs.key == key {
		c.next[e.Doc] = cs
		c.mu.Unlock()
		return cs.records
	}
	c.mu.Unlock()
	cs = cachedSearch{key: key, records: searchRecords(e)} // outside the lock: renders call this on every core
	c.mu.Lock()
	c.next[e.Doc] = cs
	c.mu.Unlock()
	return cs.records
}

// done ends a render: what it did not use is dropped.
func (c *Cache) done() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.search, c.next = c.next, nil
}
