package site

import (
	"encoding/json"
	"regexp"
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
	Keys   string `json:"keys"` // what names this entity: id, reference, hostname, addresses, endpoint
	Text   string `json:"text"`
	Phones string `json:"phones,omitempty"` // every phone number, digits only, so "+44 161 496 0750" is one token
}

// searchIndex emits the index as a script that sets a global: fetch() does
// not work from file://, a <script src> does.
func (r *renderer) searchIndex() []byte {
	var docs []searchDoc
	add := func(title, kind, client, url, keys, text string) {
		docs = append(docs, searchDoc{ID: len(docs), Title: title, Kind: kind, Client: client, URL: url, Keys: keys, Text: text, Phones: phones(text)})
	}
	for _, e := range r.m.all {
		client := ""
		if e.Client != nil {
			client = e.Client.Title()
		}
		add(e.Title(), string(e.Kind()), client, e.URL, keys(e), searchText(e))
		var contacts []model.Contact
		switch t := e.Typed.(type) {
		case *model.Client:
			contacts = t.Contacts
		case *model.Vendor:
			contacts = t.Contacts
		}
		for _, c := range contacts {
			add(c.Name, "Contact", client, e.URL, c.Email, strings.Join([]string{c.Role, c.Email, c.Phone, e.Title()}, " "))
		}
	}
	b, _ := json.Marshal(docs)
	return []byte("window.HANDOVER_SEARCH = " + string(b) + ";\n")
}

// keys are the identifiers a successor types to find this very entity.
func keys(e *Entity) string {
	k := []string{e.C.ID, e.Ref()}
	switch t := e.Typed.(type) {
	case *model.Server:
		k = append(append(k, t.Hostname), t.Addresses...)
	case *model.Integration:
		k = append(k, t.Endpoint)
	case *model.Vendor:
		k = append(k, t.AccountID, t.Website)
	}
	return strings.Join(k, " ")
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

var phoneRe = regexp.MustCompile(`\+?\d[\d ()./-]{5,}\d`)

// phones finds phone numbers in text and writes each as its digits.
func phones(text string) string {
	var out []string
	for _, m := range phoneRe.FindAllString(text, -1) {
		var b strings.Builder
		for _, r := range m {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		if b.Len() >= 7 {
			out = append(out, b.String())
		}
	}
	return strings.Join(out, " ")
}
