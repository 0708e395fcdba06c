package diff

import (
	"encoding/json"
	"io"
)

// WriteJSON writes r as indented JSON, for tools: the same fields in the
// same order every time (object keys of old and new values sorted). Like
// the other formats it holds no credential-like value and no runbook text.
func (r Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // nothing embeds it in HTML; keep values readable
	return enc.Encode(r)
}
