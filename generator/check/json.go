package check

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/handover-dev/handover/generator/diag"
)

// WriteJSON writes r as indented JSON, for tools: the fields of Report with
// their json names, positions as {file, line, column} like diag's JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // nothing embeds it in HTML; keep values readable
	return enc.Encode(r)
}

// jsonPos is a diag.Pos in JSON, named as diag.Diagnostic names it.
type jsonPos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func toJSON(p diag.Pos) jsonPos { return jsonPos{p.File, p.Line, p.Column} }

// marshal is json.Marshal without HTML escaping, as WriteJSON writes the
// rest: a Marshaler's output is not unescaped by the encoder around it.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// MarshalJSON writes the position as {file, line, column}.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	return marshal(struct {
		plain
		Pos jsonPos `json:"pos"`
	}{plain(f), toJSON(f.Pos)})
}

// MarshalJSON writes the position as {file, line, column}.
func (x Expiry) MarshalJSON() ([]byte, error) {
	type plain Expiry
	return marshal(struct {
		plain
		Pos jsonPos `json:"pos"`
	}{plain(x), toJSON(x.Pos)})
}

// MarshalJSON writes the position as {file, line, column}.
func (s Stale) MarshalJSON() ([]byte, error) {
	type plain Stale
	return marshal(struct {
		plain
		Pos jsonPos `json:"pos"`
	}{plain(s), toJSON(s.Pos)})
}
