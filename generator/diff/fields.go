package diff

import (
	"cmp"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// hiddenValue stands in for a credential-like value that is set.
const hiddenValue = "(hidden)"

// fields lists the leaf values that differ between two document values, in
// document-tree order: keys sorted, list items by index. kind and id are the
// entity's identity, not its content.
func fields(old, cur map[string]any) []FieldChange {
	var out []FieldChange
	for _, k := range keys(old, cur) {
		if k == "kind" || k == "id" {
			continue
		}
		out = walk(out, k, k, "", old[k], cur[k])
	}
	return out
}

// walk appends the changes between a and b, found at path under key (the
// last object key on the path) and inside the list item named item.
func walk(out []FieldChange, path, key, item string, a, b any) []FieldChange {
	if same(a, b) {
		return out
	}
	if hidden(key) {
		return append(out, FieldChange{Path: path, Item: item, Old: mask(a), New: mask(b), Hidden: true})
	}
	if prose(key, a, b) {
		return append(out, FieldChange{Path: path, Item: item, Old: a, New: b, Text: true})
	}
	am, aMap := a.(map[string]any)
	bm, bMap := b.(map[string]any)
	if (aMap || a == nil) && (bMap || b == nil) {
		for _, k := range keys(am, bm) {
			out = walk(out, path+"."+k, k, item, am[k], bm[k])
		}
		return out
	}
	al, aList := a.([]any)
	bl, bList := b.([]any)
	if (aList || a == nil) && (bList || b == nil) {
		as, aStrings := strs(al)
		bs, bStrings := strs(bl)
		if aStrings && bStrings {
			added, removed := minus(bs, as), minus(as, bs)
			if len(added) == 0 && len(removed) == 0 {
				return out // only the order or duplicates changed
			}
			return append(out, FieldChange{Path: path, Item: item, Added: added, Removed: removed})
		}
		for i := range max(len(al), len(bl)) {
			a, b := at(al, i), at(bl, i)
			out = walk(out, path+"["+strconv.Itoa(i)+"]", key, cmp.Or(label(b), label(a), item), a, b)
		}
		return out
	}
	return append(out, FieldChange{Path: path, Item: item, Old: a, New: b})
}

// labelKeys are the fields that name a list item, in order of preference:
// a contact's name, a link's title, an escalation step's who, an SLA
// severity's level.
var labelKeys = []string{"name", "title", "who", "level"}

// label names a list item for readers, "" when it has no name.
func label(v any) string {
	m, _ := v.(map[string]any)
	for _, k := range labelKeys {
		if s, ok := m[k].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// keys returns the keys of a and b, sorted, each once.
func keys(a, b map[string]any) []string {
	out := slices.AppendSeq(slices.Collect(maps.Keys(a)), maps.Keys(b))
	slices.Sort(out)
	return slices.Compact(out)
}

func at(l []any, i int) any {
	if i < len(l) {
		return l[i]
	}
	return nil
}

// strs returns the distinct strings of a list, sorted, reporting whether
// every item is a string. An empty or absent list is a list of strings.
func strs(l []any) ([]string, bool) {
	out := make([]string, 0, len(l))
	for _, v := range l {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out), true
}

// same reports whether two JSON values are equal, numbers by value (1 and
// 1.0 are the same number).
func same(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !same(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !same(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// hidden reports whether a field holds a credential or something like one,
// whose value a diff never shows: `credential` (a reference into a vault,
// not a secret, but we do not echo it on principle) and any key that names
// a password, secret, token, API key or private key (a plaintext secret is
// a validation error, but the older revision may still hold one that the
// change removes). policies.credentialSchemes lists scheme names and is not
// hidden.
func hidden(key string) bool {
	k := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(key))
	if strings.HasSuffix(k, "credential") || strings.HasSuffix(k, "credentials") {
		return true
	}
	for _, s := range []string{"password", "passwd", "secret", "token", "apikey", "privatekey"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

func mask(v any) any {
	if v == nil {
		return nil
	}
	return hiddenValue
}

// proseKeys are the fields the schemas type as Markdown: a diff says they
// changed, not how (the pull request shows the text).
var proseKeys = map[string]bool{"description": true, "notes": true, "summary": true, "escalation": true}

// prose reports whether a change is one of Markdown text: a Markdown field
// holding text (a Client's escalation is a list, a Vendor's is prose), or
// any multi-line string.
func prose(key string, a, b any) bool {
	as, aStr := a.(string)
	bs, bStr := b.(string)
	if proseKeys[key] && (aStr || a == nil) && (bStr || b == nil) {
		return true
	}
	return strings.Contains(as, "\n") || strings.Contains(bs, "\n")
}
