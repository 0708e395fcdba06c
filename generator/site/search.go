package site

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/parallel"
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

// searchRecord is a searchDoc without its id, which is its place in the
// whole index.
type searchRecord struct {
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	Client string `json:"client,omitempty"`
	URL    string `json:"url"`
	Keys   string `json:"keys"`
	Text   string `json:"text"`
	Phones string `json:"phones,omitempty"`
}

// searchIndex emits the index as a script that sets a global: fetch() does
// not work from file://, a <script src> does. Each entity's records are
// encoded once per cache (see Cache) and joined with their ids.
func (r *renderer) searchIndex() []byte { return r.searchIndexBy(searchChunk) }

// searchChunk is how many entities' records are made at once (see
// writeSearchIndex).
const searchChunk = 2048

// searchIndexBy is searchIndex making the records chunk entities at a time.
func (r *renderer) searchIndexBy(chunk int) []byte {
	var buf bytes.Buffer
	r.writeSearchIndex(&buf, chunk) // a bytes.Buffer does not fail
	return buf.Bytes()
}

// writeSearchIndex writes the index to w, making the records chunk
// entities at a time, on every core, and writing them before the next
// chunk: holding all of them beside the index doubled its 65 MB at 50k
// entities, at the end of the build, where the heap peaked. A build
// streams it to its file (Options.Stream) and holds neither.
func (r *renderer) writeSearchIndex(w textWriter, chunk int) error {
	all := r.m.all
	if len(all) == 0 {
		_, err := w.WriteString("window.HANDOVER_SEARCH = null;\n")
		return err
	}
	records := make([][][]byte, min(chunk, len(all)))
	w.WriteString("window.HANDOVER_SEARCH = [")
	id := 0
	for start := 0; start < len(all); start += chunk {
		part := records[:min(chunk, len(all)-start)]
		parallel.Do(len(part), func(i int) { part[i] = r.cache.searchRecords(all[start+i]) })
		if buf, ok := w.(*bytes.Buffer); ok && start == 0 {
			// Sized once, from the first chunk: growing a buffer of
			// megabytes by doubling cost more than encoding the records.
			size := 64
			for _, recs := range part {
				for _, rec := range recs {
					size += len(rec) + 16
				}
			}
			buf.Grow(size/len(part)*len(all) + size/8)
		}
		for _, recs := range part {
			for _, rec := range recs {
				if id > 0 {
					w.WriteByte(',')
				}
				w.WriteString(`{"id":`)
				w.WriteString(strconv.Itoa(id))
				w.WriteByte(',')
				w.Write(rec)
				id++
			}
		}
		clear(part)
	}
	_, err := w.WriteString("];\n")
	return err
}

// textWriter is what the files made as they are written (the search
// index, the iCalendar feed) go to: a bytes.Buffer, or the bufio.Writer
// of Options.Stream, which keeps the first error of a write to return it
// from the last.
type textWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// searchRecords encodes an entity's records (itself, then its contacts),
// each as JSON without the opening brace and the id.
func searchRecords(e *Entity) [][]byte {
	client := ""
	if e.Client != nil {
		client = e.Client.Title()
	}
	var out [][]byte
	add := func(title, kind, url, keys, text string) {
		out = append(out, appendSearchRecord(nil, searchRecord{Title: title, Kind: kind, Client: client, URL: url, Keys: keys, Text: text, Phones: phones(text)}))
	}
	add(e.Title(), string(e.Kind()), e.URL, keys(e), searchText(e))
	var contacts []model.Contact
	switch t := e.Typed.(type) {
	case *model.Client:
		contacts = t.Contacts
	case *model.Vendor:
		contacts = t.Contacts
	}
	for _, c := range contacts {
		add(c.Name, "Contact", e.URL, c.Email, strings.Join([]string{c.Role, c.Email, c.Phone, e.Title()}, " "))
	}
	return out
}

// appendSearchRecord appends r as json.Marshal encodes it, without the
// opening brace (see searchRecords): by hand, as it is most of what the
// search index costs to make.
func appendSearchRecord(b []byte, r searchRecord) []byte {
	b = slices.Grow(b, 64+len(r.Title)+len(r.Kind)+len(r.Client)+len(r.URL)+len(r.Keys)+len(r.Text)+len(r.Phones))
	b = appendJSONString(append(b, `"title":`...), r.Title)
	b = appendJSONString(append(b, `,"kind":`...), r.Kind)
	if r.Client != "" {
		b = appendJSONString(append(b, `,"client":`...), r.Client)
	}
	b = appendJSONString(append(b, `,"url":`...), r.URL)
	b = appendJSONString(append(b, `,"keys":`...), r.Keys)
	b = appendJSONString(append(b, `,"text":`...), r.Text)
	if r.Phones != "" {
		b = appendJSONString(append(b, `,"phones":`...), r.Phones)
	}
	return append(b, '}')
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
// addresses, phones, …) and a runbook's body, joined by spaces. It walks
// the values twice, to size the text and then to write it: a list of the
// parts to join was 5% of what a build allocated.
func searchText(e *Entity) string {
	n, parts := 0, 0
	eachText(e, func(s string) { n, parts = n+len(s), parts+1 })
	var b strings.Builder
	b.Grow(n + max(parts-1, 0))
	first := true
	eachText(e, func(s string) {
		if !first {
			b.WriteByte(' ') // between parts, empty ones too, as strings.Join
		}
		first = false
		b.WriteString(s)
	})
	return b.String()
}

// eachText calls f with each string value of e, in order, and its body.
func eachText(e *Entity, f func(string)) {
	walkText(e.Doc.Value, f)
	if e.Doc.Body != "" {
		f(e.Doc.Body)
	}
}

func walkText(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case model.Object:
		for _, m := range v {
			if m.Key != "kind" {
				walkText(m.Value, f)
			}
		}
	case []any:
		for _, it := range v {
			walkText(it, f)
		}
	}
}

// phones finds phone numbers in text and writes each as its digits: a
// number is what `\+?\d[\d ()./-]{5,}\d` matches, kept when it has seven
// digits or more. It scans by hand: the regular expression was a tenth of
// a whole render.
func phones(text string) string {
	var out []string
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) {
			continue
		}
		// The longest run of number characters from i, and the last digit
		// in it: the greedy match, when at least five characters lie
		// between the first and the last digit.
		k, last := i+1, i
		for k < len(text) && isPhoneChar(text[k]) {
			if isDigit(text[k]) {
				last = k
			}
			k++
		}
		if last-i-1 < 5 {
			i = k - 1 // no match can start inside this run either
			continue
		}
		var b strings.Builder
		for j := i; j <= last; j++ {
			if isDigit(text[j]) {
				b.WriteByte(text[j])
			}
		}
		if b.Len() >= 7 {
			out = append(out, b.String())
		}
		i = last
	}
	return strings.Join(out, " ")
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isPhoneChar(c byte) bool {
	return isDigit(c) || c == ' ' || c == '(' || c == ')' || c == '.' || c == '/' || c == '-'
}
