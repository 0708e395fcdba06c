// Package diag owns the Diagnostic type that every pipeline stage returns for
// problems a user can cause, and the formats that print diagnostics (text,
// json, github). It knows nothing about YAML, schemas or the model.
package diag

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
)

// Severity says how much a diagnostic matters. Errors fail a command;
// warnings fail it only under --strict; infos never do.
type Severity int

// The severities, most severe first so that sorting puts errors on top when
// positions are equal.
const (
	Error Severity = iota
	Warning
	Info
)

// String returns the lower-case name used in every output format.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// MarshalText makes a Severity appear as its name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name, so that tools can read our JSON back.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	case "info":
		*s = Info
	default:
		return fmt.Errorf("unknown severity %q", b)
	}
	return nil
}

// Diagnostic is one problem found in a handover repository: where it is, how
// bad it is, a stable kebab-case code, what is wrong and how to fix it.
// File is slash-separated and relative to the repository root; Line and
// Column are 1-based, and 0 when the problem concerns the whole file.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`

	// Sensitive marks a diagnostic about a secret: no format prints the
	// source line it points at, and other diagnostics on that line have
	// their quoted values hidden (see Redact).
	Sensitive bool `json:"-"`
}

// Pos is a position in a file of the repository.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String formats the position as file:line:col, dropping what is unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Errorf returns an error diagnostic at pos.
func Errorf(pos Pos, code, hint, format string, args ...any) Diagnostic {
	return at(pos, Error, code, hint, format, args...)
}

// Warnf returns a warning diagnostic at pos.
func Warnf(pos Pos, code, hint, format string, args ...any) Diagnostic {
	return at(pos, Warning, code, hint, format, args...)
}

func at(pos Pos, sev Severity, code, hint, format string, args ...any) Diagnostic {
	return Diagnostic{
		File: pos.File, Line: pos.Line, Column: pos.Column,
		Severity: sev, Code: code, Message: fmt.Sprintf(format, args...), Hint: hint,
	}
}

// Pos returns where the diagnostic points.
func (d Diagnostic) Pos() Pos { return Pos{File: d.File, Line: d.Line, Column: d.Column} }

// Sort orders diagnostics by file, line, column, severity, code and message,
// and drops exact duplicates, so that every output is deterministic.
func Sort(ds []Diagnostic) []Diagnostic {
	slices.SortFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(ds)
}

// Count returns how many diagnostics have each severity.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

// HasErrors reports whether any diagnostic is an error, or a warning when
// strict is set.
func HasErrors(ds []Diagnostic, strict bool) bool {
	e, w := Count(ds)
	return e > 0 || (strict && w > 0)
}

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// Redact hides the quoted values in the messages and hints of diagnostics
// that share a line with a sensitive one: a schema error on the same value
// as a leaked token must not print the token.
func Redact(ds []Diagnostic) []Diagnostic {
	lines := map[Pos]bool{}
	for _, d := range ds {
		if d.Sensitive {
			lines[Pos{File: d.File, Line: d.Line}] = true
		}
	}
	if len(lines) == 0 {
		return ds
	}
	for i, d := range ds {
		if !d.Sensitive && lines[Pos{File: d.File, Line: d.Line}] {
			ds[i].Message = quoted.ReplaceAllString(d.Message, "(hidden: this line holds a secret)")
			ds[i].Hint = quoted.ReplaceAllString(d.Hint, "(hidden)")
			ds[i].Sensitive = true
		}
	}
	return ds
}
