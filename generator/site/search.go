package site

import (
	"encoding/json"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// searchDoc is one entry of the client-side search index.
type searchDoc struct {
	ID     int    `json:"id"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	Client string `json:"client,omitempty"`
	URL    string `json:"url"`
	Text   string `json:"text"`
}

// searchIndex emits the index as a script that sets a global: fetch() does
// not work from file://, a <script src> does.
func (r *renderer) searchIndex() []byte {
	var docs []searchDoc
	add := func(title, kind, client, url, text string) {
		docs = append(docs, searchDoc{ID: len(docs), Title: title, Kind: kind, Client: client, URL: url, Text: text})
	}
	for _, e := range r.m.all {
		client := ""
		if e.Client != nil {
			client = e.Client.Title()
		}
		add(e.Title(), string(e.Kind()), client, e.URL, searchText(e))
		var contacts []model.Contact
		switch t := e.Typed.(type) {
		case *model.Client:
			contacts = t.Contacts
		case *model.Vendor:
			contacts = t.Contacts
		}
		for _, c := range contacts {
			add(c.Name, "Contact", client, e.URL, strings.Join([]string{c.Role, c.Email, c.Phone, e.Title()}, " "))
		}
	}
	b, _ := json.Marshal(docs)
	return []byte("window.HANDOVER_SEARCH = " + string(b) + ";\n")
}

// searchText is every string value of the entity (ids, hostnames,
// addresses, phones, …) and a runbook's body.
func searchText(e *Entity) string {
	var parts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			parts = append(parts, v)
		case map[string]any:
			for _, k := range sortedKeys(v) {
				if k != "kind" {
					walk(v[k])
				}
			}
		case []any:
			for _, it := range v {
				walk(it)
			}
		}
	}
	walk(e.Doc.Value)
	if e.Doc.Body != "" {
		parts = append(parts, e.Doc.Body)
	}
	return strings.Join(parts, " ")
}
