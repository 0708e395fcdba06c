package validate

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/parallel"
)

// Document checks one document against the schema its kind names. The
// kind is checked first, so a document with a misspelt kind gets one clear
// message instead of a wall of failures from every schema.
func (s *Schemas) Document(d *model.Document, portfolioFile string) []diag.Diagnostic {
	if d.Value == nil {
		return nil
	}
	raw, has := d.Value.Lookup("kind")
	name, _ := raw.(string)
	switch {
	case d.Kind == model.KindPortfolio && d.File == portfolioFile:
		name = string(model.KindPortfolio) // kind is optional in handover.yaml
	case !has:
		return []diag.Diagnostic{diag.Errorf(d.Pos(), "missing-kind",
			"add a first line such as `kind: Server`; kinds are "+kindList(),
			"document has no kind, so handover cannot tell what it describes")}
	case name == "":
		return []diag.Diagnostic{diag.Errorf(d.FieldPos([]string{"kind"}, false), "unknown-kind",
			"kinds are "+kindList(), "kind must be a kind name, not %s", describe(raw))}
	}
	k, ok := model.KindByName(name)
	if !ok {
		msg := fmt.Sprintf("unknown kind %q", name)
		if best, ok := diag.Closest(name, kindNames()); ok {
			msg += fmt.Sprintf(" (did you mean %q?)", best)
		}
		return []diag.Diagnostic{diag.Errorf(d.FieldPos([]string{"kind"}, false), "unknown-kind", "kinds are "+kindList(), "%s", msg)}
	}
	if k == model.KindPortfolio && d.File != portfolioFile {
		return []diag.Diagnostic{diag.Errorf(d.FieldPos([]string{"kind"}, false), "misplaced-portfolio",
			"keep the portfolio settings in handover.yaml at the repository root",
			"a Portfolio document may only be in %s", portfolioFile)}
	}
	if s.quick[k].valid(d.Value) {
		return nil
	}
	err := s.byKind[k].Validate(model.JSON(d.Value))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	ls := leaves(ve)
	// A misspelt required field is reported once, as the misspelling.
	typos := map[string]bool{}
	for _, l := range ls {
		if k, ok := l.ErrorKind.(*kind.AdditionalProperties); ok {
			allowed := properties(s.at(l.SchemaURL))
			for _, p := range k.Properties {
				if best, ok := diag.Closest(p, allowed); ok {
					typos[fieldName(l.InstanceLocation)+"\x00"+best] = true
				}
			}
		}
	}
	var out []diag.Diagnostic
	for _, l := range ls {
		out = append(out, s.explain(d, l, typos)...)
	}
	return out
}

func kindNames() []string {
	var names []string
	for _, k := range model.Kinds {
		names = append(names, string(k))
	}
	return names
}

func kindList() string { return strings.Join(kindNames(), ", ") }

// leaves collects the errors that say what is wrong; the inner nodes only
// say that a subschema failed. Under anyOf and oneOf the branches are
// alternatives, so the node itself is the leaf.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		return []*jsonschema.ValidationError{e}
	}
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// fieldName formats an instance location as a consultant reads it:
// os.version, contacts[2].email.
func fieldName(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			fmt.Fprintf(&b, "[%s]", p)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "document"
	}
	return b.String()
}

var defName = regexp.MustCompile(`/\$defs/([A-Za-z]+)$`)

func (s *Schemas) explain(d *model.Document, e *jsonschema.ValidationError, typos map[string]bool) []diag.Diagnostic {
	path := e.InstanceLocation
	field := fieldName(path)
	valPos := d.FieldPos(path, false)
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		allowed := properties(s.at(e.SchemaURL))
		var out []diag.Diagnostic
		for _, p := range k.Properties {
			msg := fmt.Sprintf("unknown field %q", p)
			hint := "remove it, or move it under `notes:` if it is information for a successor"
			if best, ok := diag.Closest(p, allowed); ok {
				msg += fmt.Sprintf(" (did you mean %q?)", best)
				hint = fmt.Sprintf("rename it to %q", best)
			} else if len(allowed) > 0 {
				hint = "fields allowed here: " + strings.Join(allowed, ", ")
			}
			if len(path) > 0 {
				msg += " in " + field
			}
			out = append(out, diag.Errorf(d.FieldPos(append(slices.Clone(path), p), true), "unknown-field", hint, "%s", msg))
		}
		return out
	case *kind.Required:
		var out []diag.Diagnostic
		pos := d.FieldPos(path, true)
		if len(path) == 0 {
			pos = d.Pos()
		}
		for _, m := range k.Missing {
			if typos[field+"\x00"+m] {
				continue
			}
			hint := fmt.Sprintf("add `%s: …`", m)
			if desc := s.description(e.SchemaURL, m); desc != "" {
				hint += ": " + desc
			}
			where := ""
			if len(path) > 0 {
				where = " in " + field
			}
			out = append(out, diag.Errorf(pos, "missing-field", hint, "missing required field %q%s", m, where))
		}
		return out
	case *kind.Type:
		node := d.NodeAt(path) // a detached document parses its file again for it
		return []diag.Diagnostic{diag.Errorf(valPos, "invalid-type", typeHint(node, k),
			"%s must be %s, not %s", field, article(k.Want), describeNode(node, k.Got))}
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		msg := fmt.Sprintf("invalid %s %s", field, describe(k.Got))
		if g, ok := k.Got.(string); ok {
			if best, ok := diag.Closest(g, want); ok {
				msg += fmt.Sprintf(" (did you mean %q?)", best)
			}
		}
		return []diag.Diagnostic{diag.Errorf(valPos, "invalid-enum", "allowed values: "+strings.Join(want, ", "), "%s", msg)}
	case *kind.Const:
		return []diag.Diagnostic{diag.Errorf(valPos, "invalid-value", fmt.Sprintf("write %s: %v", lastKey(path), k.Want),
			"%s must be %s, not %s", field, describe(k.Want), describe(k.Got))}
	case *kind.Pattern:
		msg, hint := patternText(field, k, defOf(e.SchemaURL))
		return []diag.Diagnostic{diag.Errorf(valPos, "invalid-format", hint, "%s", msg)}
	case *kind.Format:
		return []diag.Diagnostic{diag.Errorf(valPos, "invalid-format", formatHint(k.Want),
			"%s is not a valid %s: %s", field, formatName(k.Want), describe(k.Got))}
	case *kind.UniqueItems:
		return []diag.Diagnostic{diag.Errorf(d.FieldPos(append(slices.Clone(path), strconv.Itoa(k.Duplicates[1])), false),
			"duplicate-item", "remove the repeated item",
			"%s lists the same item twice (items %d and %d)", field, k.Duplicates[0]+1, k.Duplicates[1]+1)}
	case *kind.Minimum:
		return []diag.Diagnostic{diag.Errorf(valPos, "out-of-range", "", "%s must be at least %s, not %s", field, rat(k.Want), rat(k.Got))}
	case *kind.Maximum:
		return []diag.Diagnostic{diag.Errorf(valPos, "out-of-range", "", "%s must be at most %s, not %s", field, rat(k.Want), rat(k.Got))}
	case *kind.MinLength:
		return []diag.Diagnostic{diag.Errorf(valPos, "too-short", "fill it in or remove the line", "%s must have at least %d characters", field, k.Want)}
	case *kind.MaxLength:
		return []diag.Diagnostic{diag.Errorf(valPos, "too-long", "shorten it; long text belongs in description or notes", "%s must have at most %d characters, not %d", field, k.Want, k.Got)}
	case *kind.MinItems:
		return []diag.Diagnostic{diag.Errorf(valPos, "too-few-items", "add items or remove the field", "%s must list at least %d items, not %d", field, k.Want, k.Got)}
	case *kind.MaxItems:
		return []diag.Diagnostic{diag.Errorf(valPos, "too-many-items", "", "%s may list at most %d items, not %d", field, k.Want, k.Got)}
	case *kind.MinProperties:
		return []diag.Diagnostic{diag.Errorf(valPos, "too-few-items", "add fields or remove it", "%s must have at least %d fields", field, k.Want)}
	}
	return []diag.Diagnostic{diag.Errorf(valPos, "schema", "see the schema with `handover schema "+d.Kind.RefName()+"`",
		"%s: %s", field, e.ErrorKind.LocalizedString(englishPrinter))}
}

func lastKey(path []string) string {
	if len(path) == 0 {
		return "value"
	}
	return path[len(path)-1]
}

func defOf(schemaURL string) string {
	if m := defName.FindStringSubmatch(schemaURL); m != nil {
		return m[1]
	}
	return ""
}

func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// describe shows a value in a message, quoting strings and cutting long
// ones: the value may be anything a user wrote.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "empty"
	case string:
		if r := []rune(v); len(r) > 60 {
			v = string(r[:60]) + "…"
		}
		return strconv.Quote(v)
	case []any:
		return "a list"
	case model.Object:
		return "a mapping"
	}
	return fmt.Sprint(v)
}

// describeNode says what a value is, using the text as written: 8.10, not
// the number 8.1 it became.
func describeNode(n *model.Node, got string) string {
	switch got {
	case "null":
		return "empty"
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	}
	if n != nil && n.Kind == model.ScalarNode {
		return fmt.Sprintf("the %s %s", got, n.Value)
	}
	return "a " + got
}

func article(want []string) string {
	var out []string
	for _, w := range want {
		switch w {
		case "object":
			out = append(out, "a mapping")
		case "array":
			out = append(out, "a list")
		case "integer":
			out = append(out, "a whole number")
		default:
			out = append(out, "a "+w)
		}
	}
	return strings.Join(out, " or ")
}

func typeHint(n *model.Node, k *kind.Type) string {
	wantString := slices.Contains(k.Want, "string")
	switch {
	case k.Got == "null":
		return "the value is empty: fill it in, or remove the line"
	case wantString && n != nil && n.Kind == model.ScalarNode && (k.Got == "number" || k.Got == "integer"):
		hint := fmt.Sprintf("quote it: %q", n.Value)
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			if norm := strconv.FormatFloat(f, 'f', -1, 64); norm != n.Value {
				hint += fmt.Sprintf(" (unquoted, YAML reads %s as the number %s)", n.Value, norm)
			}
		}
		return hint
	case wantString && n != nil && n.Kind == model.ScalarNode && k.Got == "boolean":
		return fmt.Sprintf("quote it: %q (unquoted, YAML reads %s as a boolean)", n.Value, n.Value)
	case slices.Contains(k.Want, "array") && k.Got != "object":
		return "write a list: each item on its own line, starting with `- `"
	case slices.Contains(k.Want, "boolean") && k.Got == "string":
		return "write true or false, without quotes"
	case slices.Contains(k.Want, "integer") || slices.Contains(k.Want, "number"):
		return "write a number without quotes"
	}
	return "see the schema with `handover schema` for what this field holds"
}

var refPattern = regexp.MustCompile(`^\^\(?([a-z|]+)\)?:`)

func patternText(field string, k *kind.Pattern, def string) (msg, hint string) {
	got := describe(k.Got)
	switch {
	case def == "id":
		return fmt.Sprintf("%s %s is not a valid id", field, got),
			"use lowercase letters, digits and dashes, starting with a letter or digit (at most 63): e.g. web-01"
	case def == "duration":
		return fmt.Sprintf("%s %s is not a duration", field, got),
			"write a whole number and a unit: 15m, 4h, 2d, 2w, 1y"
	case def == "date":
		return fmt.Sprintf("%s %s is not a date", field, got), "write YYYY-MM-DD, e.g. 2026-03-31"
	case def == "phone":
		return fmt.Sprintf("%s %s is not a phone number", field, got), "write the number with its country code, e.g. +44 161 496 0750"
	case def == "url" || def == "uri":
		return fmt.Sprintf("%s %s is not a web address", field, got), "write a full URL, e.g. https://example.com/path"
	case def == "credential":
		return fmt.Sprintf("%s is not a reference to a password manager", field),
			"write a reference such as op://vault/item/field, never the secret itself"
	}
	if m := refPattern.FindStringSubmatch(k.Want); m != nil {
		kinds := strings.Split(m[1], "|")
		ex := kinds[0] + ":some-id"
		return fmt.Sprintf("%s %s is not a reference to a %s", field, got, strings.Join(kinds, " or ")),
			fmt.Sprintf("write kind:id, e.g. %s (kind in lowercase, then the id)", ex)
	}
	return fmt.Sprintf("%s %s does not have the expected form", field, got), "it must match the pattern " + k.Want
}

func formatName(f string) string {
	switch f {
	case "uri", "uri-reference", "iri":
		return "URL"
	case "email", "idn-email":
		return "email address"
	}
	return f
}

func formatHint(f string) string {
	switch f {
	case "date":
		return "write YYYY-MM-DD with a real calendar day, e.g. 2026-03-31"
	case "email", "idn-email":
		return "write name@example.com"
	case "uri", "iri":
		return "write a full URL starting with https://"
	case "date-time":
		return "write 2026-03-31T14:00:00Z"
	}
	return ""
}

// Repo validates the portfolio and every document of a loaded repository,
// in parallel, and returns the diagnostics in document order.
func Repo(s *Schemas, repo *load.Result) []diag.Diagnostic {
	docs := repo.Docs
	if repo.Portfolio != nil {
		docs = append([]*model.Document{repo.Portfolio}, docs...)
	}
	results := make([][]diag.Diagnostic, len(docs))
	parallel.Do(len(docs), func(i int) { results[i] = s.Document(docs[i], load.PortfolioFile) })
	var out []diag.Diagnostic
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}
