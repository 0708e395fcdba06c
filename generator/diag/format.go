package diag

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// Formatter writes a sorted list of diagnostics in one output format.
type Formatter interface {
	Format(w io.Writer, ds []Diagnostic) error
}

// Sources gives the content of a repository file by its relative path, for
// the source excerpt under each text diagnostic; nil means no excerpts.
type Sources func(file string) []byte

// NewFormatter returns the formatter for a --format name. Prefix is joined
// before each file so that paths are as the user typed the directory
// ("examples/clients/…" for `handover validate examples`).
func NewFormatter(name, prefix string, src Sources) (Formatter, error) {
	switch name {
	case "text", "":
		return Text{Prefix: prefix, Sources: src}, nil
	case "json":
		return JSON{Prefix: prefix}, nil
	case "github":
		return GitHub{Prefix: prefix}, nil
	case "sarif":
		return SARIF{Prefix: prefix}, nil
	}
	return nil, fmt.Errorf("unknown format %q (known: text, json, github, sarif)", name)
}

func withPrefix(prefix, file string) string {
	if prefix == "" || prefix == "." || file == "" {
		return file
	}
	return path.Join(prefix, file)
}

// Text prints diagnostics as a compiler does: the position, severity, code
// and message on one line, then the source line with a caret under the
// column, then the hint.
type Text struct {
	Prefix  string
	Sources Sources
}

// Format implements Formatter.
func (t Text) Format(w io.Writer, ds []Diagnostic) error {
	bw := bufio.NewWriter(w)
	lines := map[string][]string{}
	secret := map[Pos]bool{}
	for _, d := range ds {
		if d.Sensitive {
			secret[Pos{File: d.File, Line: d.Line}] = true
		}
	}
	for _, d := range ds {
		p := d.Pos()
		p.File = withPrefix(t.Prefix, p.File)
		fmt.Fprintf(bw, "%s: %s[%s]: %s\n", p, d.Severity, d.Code, d.Message)
		if d.Line > 0 && t.Sources != nil && !secret[Pos{File: d.File, Line: d.Line}] {
			ls, ok := lines[d.File]
			if !ok {
				ls = splitLines(t.Sources(d.File))
				lines[d.File] = ls
			}
			if d.Line <= len(ls) {
				writeExcerpt(bw, d.Line, d.Column, ls[d.Line-1])
			}
		}
		if d.Hint != "" {
			fmt.Fprintf(bw, "  hint: %s\n", d.Hint)
		}
	}
	return bw.Flush()
}

func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	s := strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\r", "\n")
	return strings.Split(s, "\n")
}

// writeExcerpt prints one source line and a caret under column. Control
// characters are shown as spaces so a hostile file cannot move the cursor,
// and long lines are cut around the column.
func writeExcerpt(w io.Writer, line, col int, src string) {
	const maxWidth = 120
	runes := []rune(src)
	start := 0
	if col > maxWidth-20 {
		start = col - (maxWidth - 20)
	}
	end := min(len(runes), start+maxWidth)
	var b strings.Builder
	for _, r := range runes[start:end] {
		if r < 0x20 && r != '\t' || r == 0x7f || r == utf8.RuneError {
			r = ' '
		}
		b.WriteRune(r)
	}
	num := fmt.Sprint(line)
	fmt.Fprintf(w, " %s | %s\n", num, b.String())
	if col > 0 {
		pad := make([]rune, 0, col)
		for _, r := range runes[start:min(len(runes), start+col-1)] {
			if r == '\t' {
				pad = append(pad, '\t')
			} else {
				pad = append(pad, ' ')
			}
		}
		fmt.Fprintf(w, " %s | %s^\n", strings.Repeat(" ", len(num)), string(pad))
	}
}

// JSON prints all diagnostics as one JSON array (an empty array when clean).
type JSON struct{ Prefix string }

// Format implements Formatter.
func (j JSON) Format(w io.Writer, ds []Diagnostic) error {
	out := make([]Diagnostic, len(ds))
	for i, d := range ds {
		d.File = withPrefix(j.Prefix, d.File)
		out[i] = d
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// GitHub prints workflow commands that GitHub Actions turns into annotations
// on the pull request: ::error file=…,line=…,col=…,title=…::message.
type GitHub struct{ Prefix string }

// Format implements Formatter.
func (g GitHub) Format(w io.Writer, ds []Diagnostic) error {
	bw := bufio.NewWriter(w)
	for _, d := range ds {
		level := "error"
		switch d.Severity {
		case Warning:
			level = "warning"
		case Info:
			level = "notice"
		}
		props := []string{"file=" + ghProperty(withPrefix(g.Prefix, d.File))}
		if d.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Line))
		}
		if d.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", d.Column))
		}
		props = append(props, "title="+ghProperty(d.Code))
		msg := d.Message
		if d.Hint != "" {
			msg += "\n" + d.Hint
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
	}
	return bw.Flush()
}

// ghData escapes a workflow command's message as the Actions runner expects.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
