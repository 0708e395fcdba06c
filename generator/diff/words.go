package diff

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words shared by the text and Markdown formats. A style says how each
// format marks up what came from the repository.
type style struct {
	code func(string) string // an id, a path, a value: verbatim, in a code span for Markdown
	text func(string) string // a name in running text: escaped for Markdown
}

// How long a value may be in a field line, and in the summary sentence.
const (
	valueLimit   = 80
	summaryLimit = 40
)

// value spells a JSON value: strings as they are (cut at limit runes),
// yes/no for booleans, numbers as written; lists and objects, which only
// appear where a field changed type, as compact JSON.
func value(v any, st style, limit int) string {
	var s string
	switch x := v.(type) {
	case string:
		if x == "" {
			return "(empty)"
		}
		s = x
	case bool:
		s = "no"
		if x {
			s = "yes"
		}
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return "(none)"
	default:
		b, err := json.Marshal(x)
		if err != nil {
			b = []byte(fmt.Sprint(x))
		}
		s = string(b)
	}
	return st.code(truncate(visible(s), limit))
}

// truncate cuts s to at most limit runes, ending with an ellipsis when cut.
func truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:limit-1]), unicode.IsSpace) + "…"
}

// visible escapes control characters, which would otherwise reach a
// terminal (escape sequences) or break a line.
func visible(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lastKey is the last object key of a field path: contacts[2].phone → phone.
func lastKey(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	return path
}

// verb says whether a value was added, removed or changed.
func verb(old, cur any) string {
	switch {
	case old == nil:
		return "added"
	case cur == nil:
		return "removed"
	}
	return "changed"
}

// field spells one field change: "backup.schedule: nightly → hourly",
// "tags: added pci; removed mariadb", "description changed",
// "access.credential: credential reference changed".
func field(f FieldChange, st style) string {
	path := fieldPath(f, st)
	switch {
	case f.Hidden:
		k := strings.ToLower(lastKey(f.Path))
		if strings.HasSuffix(k, "credential") || strings.HasSuffix(k, "credentials") {
			return path + ": credential reference " + verb(f.Old, f.New)
		}
		return path + " " + verb(f.Old, f.New) + " (value hidden)"
	case f.Text:
		return path + " " + verb(f.Old, f.New)
	case f.Added != nil || f.Removed != nil:
		var parts []string
		if len(f.Added) > 0 {
			parts = append(parts, "added "+list(f.Added, st))
		}
		if len(f.Removed) > 0 {
			parts = append(parts, "removed "+list(f.Removed, st))
		}
		return path + ": " + strings.Join(parts, "; ")
	case f.Old == nil:
		return path + ": set to " + value(f.New, st, valueLimit)
	case f.New == nil:
		return path + ": removed (was " + value(f.Old, st, valueLimit) + ")"
	}
	old, cur := pair(f.Old, f.New, st, valueLimit)
	return path + ": " + old + " → " + cur
}

// fieldPath spells a field's path, with the list item it is in:
// "contacts[1].phone (Gareth Price)", but not "contacts[1].name (Gareth
// Price)" when the value itself says it.
func fieldPath(f FieldChange, st style) string {
	if f.Item == "" || f.Old == any(f.Item) || f.New == any(f.Item) {
		return st.code(f.Path)
	}
	return st.code(f.Path) + " (" + st.text(truncate(f.Item, summaryLimit)) + ")"
}

// pair spells an old and a new value side by side. When two long strings
// differ only after the point where they would be cut, both start a little
// before the first difference, so the reader sees what changed.
func pair(old, cur any, st style, limit int) (string, string) {
	a, aStr := old.(string)
	b, bStr := cur.(string)
	if aStr && bStr {
		ra, rb := []rune(a), []rune(b)
		if len(ra) > limit || len(rb) > limit {
			d := 0
			for d < len(ra) && d < len(rb) && ra[d] == rb[d] {
				d++
			}
			if d > limit/2 {
				start := d - limit/4
				// Start at a word where there is one close by.
				for i := start; i < d && i < start+limit/8; i++ {
					if ra[i-1] == ' ' {
						start = i
						break
					}
				}
				old, cur = "…"+string(ra[start:]), "…"+string(rb[start:])
			}
		}
	}
	return value(old, st, limit), value(cur, st, limit)
}

// list spells the items of a set, each as a value.
func list(items []string, st style) string {
	parts := make([]string, len(items))
	for i, s := range items {
		parts[i] = value(s, st, valueLimit)
	}
	return strings.Join(parts, ", ")
}

// join lists phrases as a sentence does: "a", "a and b", "a, b and c".
func join(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// plural spells a count with its noun: "1 entity", "3 entities".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// possessive spells "Northwind Outfitters'" and "Brightsmile Dental Group's".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// clientNames maps client ids to names, for the dependents lines.
func (r Result) clientNames() map[string]string {
	names := map[string]string{}
	for _, c := range r.Clients {
		names[c.Client] = c.Name
	}
	return names
}

// subject names an entity in running text: "shared vendor `aws`",
// "Northwind Outfitters' server `db-01`", "client Northwind Outfitters".
// clientName is "" when the context already names the client.
func subject(ref, client, clientName string, st style) string {
	kind, id, _ := strings.Cut(ref, ":")
	switch {
	case kind == "client":
		if clientName == "" {
			return "the client record"
		}
		return "client " + st.text(clientName)
	case client == "":
		return "shared " + kind + " " + st.code(id)
	case clientName == "":
		return kind + " " + st.code(id)
	}
	return possessive(st.text(clientName)) + " " + kind + " " + st.code(id)
}

// dependentsWords says how a blast radius changed: "3 more entities now
// depend on shared vendor `aws` (7 in all)".
func dependentsWords(d DependentsChange, clientName string, st style) string {
	who := subject(d.Ref, d.Client, clientName, st)
	diff := d.After - d.Before
	switch {
	case d.Before == 0:
		return fmt.Sprintf("%s now %s on %s", plural(d.After, "entity", "entities"), depend(d.After), who)
	case d.After == 0:
		return fmt.Sprintf("nothing depends on %s any more (%s did)", who, plural(d.Before, "entity", "entities"))
	case diff > 0:
		return fmt.Sprintf("%s now %s on %s (%d in all)", plural(diff, "more entity", "more entities"), depend(diff), who, d.After)
	}
	return fmt.Sprintf("%s %s on %s (%d in all)", plural(-diff, "fewer entity", "fewer entities"), depend(-diff), who, d.After)
}

func depend(n int) string {
	if n == 1 {
		return "depends"
	}
	return "depend"
}
