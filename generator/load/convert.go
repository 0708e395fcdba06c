package load

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/offheap"
	yaml "go.yaml.in/yaml/v3"
)

// converter turns a node tree into JSON values (model.Object, []any,
// string, int64, float64, bool, nil) and reports, as diagnostics, every YAML
// feature that would otherwise give a silent surprise: duplicate and merge
// keys, non-string keys, YAML 1.1 booleans and octals, infinities, custom
// tags, nesting that is too deep and aliases that expand too far.
type converter struct {
	file     string
	maxDepth int
	maxDocs  int
	budget   int // nodes left to convert in this file, aliases included
	diags    []diag.Diagnostic
	exceeded bool
	text     *offheap.Arena // where the fast parser puts block scalars (Options.Text)
	// off, with Options.Text, is where the documents' values go: their
	// fields, lists, strings and numbers, off the heap (internal/offheap).
	// Every string stored there is in the arena too (Slab.String).
	off *offheap.Slab
}

// The boxers of the values a document holds off the heap.
var (
	boxString = offheap.NewBoxer[string]()
	boxInt    = offheap.NewBoxer[int64]()
	boxFloat  = offheap.NewBoxer[float64]()
	boxObject = offheap.NewBoxer[model.Object]()
	boxList   = offheap.NewBoxer[[]any]()
)

// str is the value of a string scalar: off the heap with c.off.
func (c *converter) str(s string) any { return boxString.Box(c.off, c.off.String(s)) }

func (c *converter) pos(n *model.Node) diag.Pos {
	return diag.Pos{File: c.file, Line: int(n.Line), Column: int(n.Column)}
}

func (c *converter) errorf(n *model.Node, code, hint, format string, args ...any) {
	c.diags = append(c.diags, diag.Errorf(c.pos(n), code, hint, format, args...))
}

func (c *converter) warnf(n *model.Node, code, hint, format string, args ...any) {
	c.diags = append(c.diags, diag.Warnf(c.pos(n), code, hint, format, args...))
}

// enter counts n against the file's budget and depth limit, and reports
// whether it may be converted.
func (c *converter) enter(n *model.Node, depth int) bool {
	if c.exceeded {
		return false
	}
	c.budget--
	if c.budget < 0 {
		c.exceeded = true
		c.errorf(n, "yaml-too-large", "split the file, or use fewer and smaller aliases (*name)",
			"the document expands to too many values (aliases included); stopped reading here")
		return false
	}
	if depth > c.maxDepth {
		c.exceeded = true
		c.errorf(n, "yaml-too-deep", "flatten the structure: handover documents need only a few levels",
			"values are nested more than %d levels deep", c.maxDepth)
		return false
	}
	return true
}

func (c *converter) value(n *model.Node, depth int) any {
	if !c.enter(n, depth) {
		return nil
	}
	switch n.Kind {
	case model.AliasNode:
		if n.Target() == nil {
			return nil
		}
		return c.value(n.Target(), depth+1)
	case model.MappingNode:
		return boxObject.Box(c.off, model.SortMembers(c.mapping(n, depth)))
	case model.SequenceNode:
		out := offheap.MakeSlice[any](c.off, len(n.Content))
		for _, item := range n.Content {
			out = append(out, c.value(item, depth+1))
		}
		return boxList.Box(c.off, out)
	case model.ScalarNode:
		return c.scalar(n)
	}
	return nil
}

// mapping converts a mapping's fields, in the order they are written, each
// key once.
func (c *converter) mapping(n *model.Node, depth int) []model.Member {
	out := offheap.MakeSlice[model.Member](c.off, len(n.Content)/2)
	var seen map[string]bool // for the duplicate check of a large mapping
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := mappingKey(n, i), n.Content[i+1]
		if k.Kind != model.ScalarNode {
			c.errorf(k, "yaml-complex-key", "use a plain name as the key",
				"a mapping key must be a plain value, not a list or a mapping")
			continue
		}
		if k.Tag == "!!merge" {
			c.errorf(k, "yaml-merge-key", "write the fields out in full: merge keys hide where a value comes from",
				"merge keys (<<) are not supported")
			continue
		}
		if k.Tag != "!!str" && k.Style == 0 {
			c.warnf(k, "yaml-non-string-key", fmt.Sprintf("quote the key: %q", k.Value),
				"key %s is a %s in YAML; it is read as the text %q", k.Value, tagName(k.Tag), k.Value)
		}
		// The keys kept so far are exactly those of out: no second list
		// of key nodes per mapping just for this rare message. A scan is
		// quickest for the few keys of most mappings; a set keeps a large
		// one linear.
		if len(out) == maxScannedKeys && seen == nil {
			seen = make(map[string]bool, len(n.Content)/2)
			for _, m := range out {
				seen[m.Key] = true
			}
		}
		var dup bool
		if seen != nil {
			dup = seen[k.Value]
			seen[k.Value] = true
		} else {
			dup = slices.ContainsFunc(out, func(m model.Member) bool { return m.Key == k.Value })
		}
		if dup {
			c.errorf(k, "yaml-duplicate-key", "remove one of them: YAML keeps only one value per key",
				"duplicate key %q (first at line %d)", k.Value, firstKey(n, k.Value).Line)
			continue
		}
		out = append(out, model.Member{Key: c.off.String(k.Value), Value: c.value(v, depth+1)})
	}
	return out[:len(out):len(out)] // an append to a document's fields copies them to the heap
}

// maxScannedKeys is the size from which mapping checks for duplicate keys
// with a set rather than by scanning the keys kept so far.
const maxScannedKeys = 64

// mappingKey returns the key node of the pair at i, through an alias.
func mappingKey(n *model.Node, i int) *model.Node {
	k := n.Content[i]
	if t := k.Target(); t != nil {
		k = t
	}
	return k
}

// firstKey returns the first key of n that mapping kept under name.
func firstKey(n *model.Node, name string) *model.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := mappingKey(n, i); k.Kind == model.ScalarNode && k.Tag != "!!merge" && k.Value == name {
			return k
		}
	}
	return nil
}

var yaml11Bools = map[string]bool{"yes": true, "no": true, "on": true, "off": true, "y": true, "n": true}

// leadingZero tells an integer written with a leading zero (0755, -012,
// 0_1): what YAML 1.1 reads as octal. It is `^[-+]?0[0-9_]+$`, by hand:
// it runs on every integer.
func leadingZero(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if len(s) < 2 || s[0] != '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '_' {
			return false
		}
	}
	return true
}

func (c *converter) scalar(n *model.Node) any {
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return c.str(n.Value)
		}
		return b // static: no boxing
	case "!!int":
		if leadingZero(n.Value) {
			c.warnf(n, "yaml-octal", fmt.Sprintf("quote it (%q) if it is text such as a postcode or a file mode", n.Value),
				"%s has a leading zero: YAML 1.1 tools read it as an octal number", n.Value)
		}
		s := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return boxInt.Box(c.off, i)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) {
			return boxFloat.Box(c.off, f)
		}
		return c.str(n.Value)
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			c.errorf(n, "yaml-not-finite", fmt.Sprintf("quote it (%q) if it is text", n.Value),
				"%s is not a finite number", n.Value)
			return nil
		}
		return boxFloat.Box(c.off, f)
	case "!!str", "!!timestamp", "!!binary", "!":
		c.checkCharacters(n)
		// Dates stay text: the schemas check them as YYYY-MM-DD strings.
		if n.Style == 0 && n.Tag == "!!str" && len(n.Value) <= 3 && yaml11Bools[strings.ToLower(n.Value)] {
			c.warnf(n, "yaml-ambiguous-bool", fmt.Sprintf("write %q if you mean the text, or true/false for a yes/no answer", n.Value),
				"unquoted %s is a boolean in YAML 1.1 (editors and other tools read it so); handover reads the text %q", n.Value, n.Value)
		}
		return c.str(n.Value)
	}
	c.errorf(n, "yaml-tag", "remove the tag; handover files use plain YAML values",
		"custom tag %s is not supported", n.Tag)
	return nil
}

func tagName(tag string) string {
	switch tag {
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	case "!!null":
		return "null"
	case "!!timestamp":
		return "date"
	}
	return strings.TrimPrefix(tag, "!!")
}

// checkCharacters warns about characters that hide what a value says:
// control characters (escape sequences that rewrite a terminal) and
// bidirectional overrides (text that reads differently than it is).
func (c *converter) checkCharacters(n *model.Node) {
	if plainText(n.Value) {
		return
	}
	for _, r := range n.Value {
		switch {
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			c.warnf(n, "yaml-control-character", "remove it: control characters cannot be read and can rewrite a terminal",
				"the value contains the control character U+%04X", r)
			return
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			c.warnf(n, "yaml-bidi-character", "remove it: it makes the text read differently than it is written",
				"the value contains the bidirectional control character U+%04X", r)
			return
		}
	}
}

// plainText tells text that checkCharacters has nothing to say about
// without decoding it: printable ASCII, tabs, line breaks, and multi-byte
// characters other than those starting with 0xE2 (where the bidirectional
// controls are, U+2000 to U+2FFF). It runs on every string value.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f || b == 0xe2 {
			return false
		}
	}
	return true
}

// fromYAML copies what yaml.v3 parsed into model nodes, keeping the
// comments apart, and shares what aliases share: a document that expands
// to millions of values through aliases stays small here, and converter
// bounds the expansion.
type fromYAML struct {
	lineOffset int32
	anchors    map[*yaml.Node]*model.Node
	comments   map[*model.Node]string
}

func (f *fromYAML) node(n *yaml.Node, depth int) *model.Node {
	if m, ok := f.anchors[n]; ok {
		return m
	}
	m := &model.Node{Tag: n.Tag, Value: n.Value, Line: int32(n.Line) + f.lineOffset, Column: int32(n.Column),
		Style: model.NodeStyle(n.Style)}
	if n.Anchor != "" {
		if f.anchors == nil {
			f.anchors = map[*yaml.Node]*model.Node{}
		}
		f.anchors[n] = m
	}
	if n.LineComment != "" || n.HeadComment != "" {
		if f.comments == nil {
			f.comments = map[*model.Node]string{}
		}
		f.comments[m] = n.LineComment + "\n" + n.HeadComment
	}
	switch n.Kind {
	case yaml.ScalarNode:
		m.Kind = model.ScalarNode
	case yaml.MappingNode:
		m.Kind = model.MappingNode
	case yaml.SequenceNode:
		m.Kind = model.SequenceNode
	case yaml.AliasNode:
		m.Kind = model.AliasNode
		if n.Alias != nil && depth < maxNodeDepth {
			m.Content = []*model.Node{f.node(n.Alias, depth+1)}
		}
		return m
	}
	if len(n.Content) > 0 && depth < maxNodeDepth {
		m.Content = make([]*model.Node, len(n.Content))
		for i, c := range n.Content {
			m.Content[i] = f.node(c, depth+1)
		}
	}
	return m
}

// maxNodeDepth stops copying a tree deeper than any handover document
// needs; converter reports the depth, from a lower limit.
const maxNodeDepth = 1000
