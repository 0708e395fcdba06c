package site

import (
	"html/template"
	"strings"
	"testing"
)

// TestEscapeOnto checks escapeOnto's table against html/template's
// escapers, byte by byte and in longer text: without plus as
// template.HTMLEscapeString escapes, with plus as a template escapes text.
func TestEscapeOnto(t *testing.T) {
	inputs := []string{"", "plain text", "clients/acme/servers/web-01.html", hostile, "a+b<c>&d\"e'f\x00g", "ü€ +++"}
	for c := range 256 {
		inputs = append(inputs, "x"+string(rune(c))+"y", "x"+string([]byte{byte(c)})+"y")
	}
	text := template.Must(template.New("t").Parse(`{{.}}`))
	for _, s := range inputs {
		var b strings.Builder
		writeEscaped(&b, s)
		if want := template.HTMLEscapeString(s); b.String() != want {
			t.Errorf("writeEscaped(%q) = %q, want %q", s, b.String(), want)
		}
		b.Reset()
		escapeOnto(&b, s, true)
		var want strings.Builder
		if err := text.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		if b.String() != want.String() {
			t.Errorf("escapeOnto(%q, plus) = %q, want %q", s, b.String(), want.String())
		}
	}
}
