package site

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/handover-dev/handover/generator/model"
)

// exportClient writes a client's documents as JSON for other tools
// (model.json): what json.MarshalIndent(…, "", "  ") gives for
//
//	{"client": value, "entities": [{"kind", "id", "file", "value", "body" (omitempty)}, …]}
//
// written by hand, since the values are only maps, lists and scalars:
// reflection and the indenting pass after it cost a 50k portfolio more than
// a second of CPU. TestExportIsMarshalIndent holds it to the same bytes.
func exportClient(c *Client) ([]byte, error) {
	return appendExport(make([]byte, 0, 2048*(len(c.Entities)+1)), c) // about what an entity takes
}

// appendExport appends what exportClient gives to b.
func appendExport(b []byte, c *Client) ([]byte, error) {
	b = append(b, "{\n  \"client\": "...)
	b, err := appendJSON(b, c.Doc.Value, 1)
	if err != nil {
		return nil, err
	}
	b = append(b, ",\n  \"entities\": "...)
	if len(c.Entities) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, e := range c.Entities {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n    {\n      \"kind\": "...)
			b = appendJSONString(b, string(e.Kind()))
			b = append(b, ",\n      \"id\": "...)
			b = appendJSONString(b, e.C.ID)
			b = append(b, ",\n      \"file\": "...)
			b = appendJSONString(b, e.Doc.File)
			b = append(b, ",\n      \"value\": "...)
			if b, err = appendJSON(b, e.Doc.Value, 3); err != nil {
				return nil, err
			}
			if e.Doc.Body != "" {
				b = append(b, ",\n      \"body\": "...)
				b = appendJSONString(b, e.Doc.Body)
			}
			b = append(b, "\n    }"...)
		}
		b = append(b, "\n  ]"...)
	}
	return append(b, "\n}\n"...), nil
}

// appendJSON appends v, a document's value or part of one, as
// json.MarshalIndent would with an indent of two spaces, v being depth
// levels in.
func appendJSON(b []byte, v any, depth int) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case model.Object:
		if v == nil {
			return append(b, "null"...), nil
		}
		if len(v) == 0 {
			return append(b, "{}"...), nil
		}
		b = append(b, '{')
		for i, f := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNewline(b, depth+1)
			b = appendJSONString(b, f.Key)
			b = append(b, ": "...)
			if b, err = appendJSON(b, f.Value, depth+1); err != nil {
				return nil, err
			}
		}
		return append(appendNewline(b, depth), '}'), nil
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		if len(v) == 0 {
			return append(b, "[]"...), nil
		}
		b = append(b, '[')
		for i, it := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNewline(b, depth+1)
			if b, err = appendJSON(b, it, depth+1); err != nil {
				return nil, err
			}
		}
		return append(appendNewline(b, depth), ']'), nil
	}
	// Floats, and whatever else a value may hold: as encoding/json writes
	// them, rare enough not to write by hand.
	j, err := json.MarshalIndent(v, strings.Repeat("  ", depth), "  ")
	return append(b, j...), err
}

func appendNewline(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, "  "...)
	}
	return b
}

// jsonSafe are the ASCII bytes appendJSONString copies as they are, looked
// up rather than compared six times a byte.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = !strings.ContainsRune(`"\<>&`, rune(c))
	}
	return safe
}()

// appendJSONString appends s quoted as encoding/json quotes it (its
// appendString, with HTML escaping): <, > and & as \u003c…, control
// characters, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd. Pages
// embed it in <script type="application/json">, and it is written here
// rather than through json.Marshal, which allocated a copy of every
// string with a newline or a non-ASCII letter in it.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
