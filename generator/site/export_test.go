package site

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/handover-dev/handover/generator/model"
)

// marshalExport is model.json as encoding/json writes it: what
// exportClient must give, byte for byte.
func marshalExport(c *Client) ([]byte, error) {
	type entity struct {
		Kind  model.Kind   `json:"kind"`
		ID    string       `json:"id"`
		File  string       `json:"file"`
		Value model.Object `json:"value"`
		Body  string       `json:"body,omitempty"`
	}
	out := struct {
		Client   model.Object `json:"client"`
		Entities []entity     `json:"entities"`
	}{Client: c.Doc.Value}
	for _, e := range c.Entities {
		out.Entities = append(out.Entities, entity{Kind: e.Kind(), ID: e.C.ID, File: e.Doc.File, Value: e.Doc.Value, Body: e.Doc.Body})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
}

// TestExportIsMarshalIndent checks the hand-written model.json against
// encoding/json: every client of the examples, and values that test the
// escaping and the numbers.
func TestExportIsMarshalIndent(t *testing.T) {
	repo, ix, g := stages(t, "../../examples")
	m, err := build(repo, ix, g)
	if err != nil {
		t.Fatal(err)
	}
	hostile := map[string]any{
		"html":     `</script><script>alert("x")</script> & more`,
		"controls": "tab\there\nnew line\r\x00\x1f\b\f",
		"unicode":  "Café Müller \u2028\u2029 😀 \ufeff",
		"invalid":  "bad \xff\xfe utf-8",
		"quotes":   `say "hi" \ back`,
		"numbers": []any{int64(0), int64(-42), int64(math.MaxInt64), 1.5, 1e21, 1e-7, -0.0, 123456789.125,
			float64(1 << 53)},
		"empty":  map[string]any{"map": map[string]any{}, "list": []any{}, "null": nil, "no": false},
		"nested": []any{[]any{[]any{"deep"}}, map[string]any{"b": true, "a": nil}},
		"<key>":  "& keys are escaped too",
	}
	doc := func(v map[string]any, body string) *Entity {
		return &Entity{Doc: &model.Document{Kind: model.KindServer, File: "clients/x/s.yaml", Value: model.ObjectOf(v), Body: body},
			C: &model.Common{ID: "s"}}
	}
	clients := append([]*Client{}, m.clients...)
	clients = append(clients,
		&Client{Entity: doc(hostile, ""), Entities: []*Entity{doc(hostile, "# Body\n\n<b>&</b>\n"), doc(nil, "")}},
		&Client{Entity: doc(map[string]any{}, "")}, // no entities: "entities": null
	)
	for _, c := range clients {
		want, err := marshalExport(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := exportClient(c)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			at := firstDiff(got, want)
			t.Errorf("client %s differs at byte %d:\n got %q\nwant %q", c.C.ID, at, around(got, at), around(want, at))
		}
	}
}

// jsonStrings are strings whose quoting tells encoding/json's rules apart.
var jsonStrings = []string{
	"", "plain text", `quote " and \ backslash`, "</script><script>alert(1)</script> & more",
	"line\nbreak\r\ttab\b\f", "\x00\x01\x1f\x7f", "café £5 – “quoted” 日本語 🙂",
	"\u2028 and \u2029", "bad \xff\xfe utf-8 \xc3", "truncated \xe2\x82", "+44 161 496 0750",
}

// TestAppendJSONStringIsMarshal checks the hand-written quoting against
// json.Marshal, which pages and exports must match byte for byte.
func TestAppendJSONStringIsMarshal(t *testing.T) {
	all := string(func() []byte {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}())
	for _, s := range append(jsonStrings, all) {
		want, _ := json.Marshal(s)
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got[1:], want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}
