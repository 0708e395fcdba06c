package load

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/offheap"
)

// fastYAML parses the YAML that handover files are made of (block mappings
// and sequences, plain and quoted one-line scalars, literal blocks, one-line
// flow lists) into the root node of each document, and calls use with
// them: the trees yaml.v3's Decoder builds for them (see fromYAML), several
// times faster and with no allocation per node. The trees live in scratch
// memory that the next file reuses, so they are valid only during the
// call: what is kept of them is converted (values) or indexed (positions,
// see model.Document.Detach). lineOffset is added to every line.
//
// It gives up (ok false, without calling use, or when use returns false)
// on everything else: anchors, tags, folded and multi-line scalars,
// escapes, tabs, CRLF, syntax errors. The caller then parses the file with
// yaml.v3, which also words the syntax errors. FuzzFastYAML checks that
// both give the same trees whenever this one accepts a file.
//
// Comments are skipped, not kept: the only reader of comments is the
// secret scanner's allow marker, and a file that holds one is left to
// yaml.v3.
func fastYAML(b []byte, lineOffset int, text *offheap.Arena, use func(roots []*model.Node) bool) (ok bool) {
	if len(b) == 0 {
		return use(nil)
	}
	if !fastEligible(b) {
		return false
	}
	s := scratchPool.Get().(*fastScratch)
	defer s.reset()
	// Values are cut from the file's text without copying it: load keeps
	// the bytes for the whole run (Result.Sources) and never writes to them.
	p := &fastParser{src: unsafe.String(unsafe.SliceData(b), len(b)), lineOffset: int32(lineOffset), s: s, text: text}
	p.split()
	roots, ok := p.stream()
	return ok && use(roots)
}

// fastEligible rejects, in one pass, the bytes this parser leaves to
// yaml.v3: tabs, carriage returns, control characters, the characters YAML
// reads as line breaks or byte-order marks, and the allow marker.
func fastEligible(b []byte) bool {
	if !utf8.Valid(b) {
		return false // load reports it before parsing; this keeps the parser whole on its own
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 0x20 && c < 0x7f, c == '\n':
		case c < 0x20, c == 0x7f:
			return false
		case c == 0xc2: // C1 controls, NEL (U+0085) among them
			if i+1 < len(b) && b[i+1] < 0xa0 {
				return false
			}
		case c == 0xe2: // U+2028, U+2029: line and paragraph separators
			if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xa8 || b[i+2] == 0xa9) {
				return false
			}
		case c == 0xef: // U+FEFF, U+FFFE, U+FFFF
			if i+2 < len(b) && ((b[i+1] == 0xbb && b[i+2] == 0xbf) || (b[i+1] == 0xbf && b[i+2] >= 0xbe)) {
				return false
			}
		}
	}
	return !bytes.Contains(b, []byte(model.AllowSecretMarker))
}

// fastLine is one line of the source: where it starts and ends (without
// its line break), how many spaces indent it, and whether it holds nothing
// but spaces or a comment.
type fastLine struct {
	start, end, indent int
	blank              bool
}

type fastParser struct {
	src        string
	lineOffset int32
	lines      []fastLine
	s          *fastScratch
	text       *offheap.Arena // where block scalars' text goes (Options.Text)
}

// fastScratch holds the nodes of a file while it is parsed: chunks reused
// from file to file.
type fastScratch struct {
	lines         []fastLine
	nodes         [][]model.Node
	chunk, used   int // the chunk being filled, and how much of it is
	ptrs          [][]*model.Node
	pchunk, pused int
	stack         []*model.Node // the children of the collections being parsed
}

const (
	scratchNodes = 512
	scratchPtrs  = 2048
)

var scratchPool = sync.Pool{New: func() any { return new(fastScratch) }}

func (s *fastScratch) node() *model.Node {
	if s.chunk == len(s.nodes) {
		s.nodes = append(s.nodes, make([]model.Node, scratchNodes))
	}
	n := &s.nodes[s.chunk][s.used]
	if s.used++; s.used == scratchNodes {
		s.chunk, s.used = s.chunk+1, 0
	}
	return n
}

func (s *fastScratch) content(children []*model.Node) []*model.Node {
	if len(children) > scratchPtrs {
		return slices.Clone(children)
	}
	if s.pchunk < len(s.ptrs) && scratchPtrs-s.pused < len(children) {
		s.pchunk, s.pused = s.pchunk+1, 0
	}
	if s.pchunk == len(s.ptrs) {
		s.ptrs = append(s.ptrs, make([]*model.Node, scratchPtrs))
	}
	c := s.ptrs[s.pchunk][s.pused : s.pused+len(children) : s.pused+len(children)]
	copy(c, children)
	s.pused += len(children)
	return c
}

// reset clears what was handed out, so that the pool holds on to no
// file's text, and puts the scratch back in the pool.
func (s *fastScratch) reset() {
	for i := 0; i < s.chunk && i < len(s.nodes); i++ {
		clear(s.nodes[i])
	}
	if s.chunk < len(s.nodes) {
		clear(s.nodes[s.chunk][:s.used])
	}
	for i := 0; i < s.pchunk && i < len(s.ptrs); i++ {
		clear(s.ptrs[i])
	}
	if s.pchunk < len(s.ptrs) {
		clear(s.ptrs[s.pchunk][:s.pused])
	}
	s.lines = s.lines[:0]
	clear(s.stack[:cap(s.stack)])
	s.stack = s.stack[:0]
	s.chunk, s.used, s.pchunk, s.pused = 0, 0, 0, 0
	scratchPool.Put(s)
}

// finish copies the trees under roots out of the scratch, into one array
// of nodes and one of children.
func (p *fastParser) split() {
	p.lines = p.s.lines[:0]
	for start := 0; start <= len(p.src); {
		end := strings.IndexByte(p.src[start:], '\n')
		if end < 0 {
			end = len(p.src)
		} else {
			end += start
		}
		l := fastLine{start: start, end: end}
		for l.start+l.indent < end && p.src[l.start+l.indent] == ' ' {
			l.indent++
		}
		l.blank = l.start+l.indent == end || p.src[l.start+l.indent] == '#'
		p.lines = append(p.lines, l)
		if end == len(p.src) {
			break
		}
		start = end + 1
	}
	p.s.lines = p.lines
}

func (p *fastParser) node(kind model.NodeKind, tag string, line, off int) *model.Node {
	n := p.s.node()
	*n = model.Node{Kind: kind, Tag: tag, Line: int32(line+1) + p.lineOffset, Column: int32(p.col(line, off))}
	return n
}

// content returns a slice of exactly the children given, from the scratch.
func (p *fastParser) content(children []*model.Node) []*model.Node {
	if len(children) == 0 {
		return nil
	}
	return p.s.content(children)
}

// col is the 1-based column of the byte at off in line i, counted in
// characters as yaml.v3 counts them.
func (p *fastParser) col(i, off int) int {
	start := p.lines[i].start
	for j := start; j < off; j++ {
		if p.src[j] >= 0x80 {
			return 1 + utf8.RuneCountInString(p.src[start:off])
		}
	}
	return 1 + off - start
}

// next skips blank and comment lines from i.
func (p *fastParser) next(i int) int {
	for i < len(p.lines) && p.lines[i].blank {
		i++
	}
	return i
}

// marker tells a document marker line: `---` at the start of a line, then
// nothing but spaces or a comment. `...` and `--- value` give up.
func (p *fastParser) marker(i int) (isMarker, ok bool) {
	l := p.lines[i]
	s := p.src[l.start:l.end]
	if l.indent > 0 || !(strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...")) {
		return false, true
	}
	if len(s) > 3 && s[3] != ' ' {
		return false, true // `---x` is a plain scalar, and no key
	}
	if s[0] == '.' || !restIsComment(s[3:]) {
		return true, false
	}
	return true, true
}

// restIsComment tells text after a value that holds nothing but spaces and
// perhaps a comment.
func restIsComment(s string) bool {
	t := strings.TrimLeft(s, " ")
	return t == "" || (t[0] == '#' && len(t) < len(s))
}

func (p *fastParser) stream() ([]*model.Node, bool) {
	var roots []*model.Node
	i := p.next(0)
	for i < len(p.lines) {
		if m, ok := p.marker(i); !ok {
			return nil, false
		} else if m {
			i = p.next(i + 1)
			if i == len(p.lines) {
				return nil, false // an empty document
			}
			if m, _ := p.marker(i); m {
				return nil, false
			}
		}
		l := p.lines[i]
		root, end, ok := p.block(i, l.start+l.indent, -1)
		if !ok {
			return nil, false
		}
		roots = append(roots, root)
		i = p.next(end)
		if i < len(p.lines) {
			if m, ok := p.marker(i); !m || !ok {
				return nil, false
			}
		}
	}
	return roots, true
}

// block parses the mapping or sequence that starts at offset off of line
// i; parent is the indentation of the block it is in (-1 at the top).
// It returns the line after it.
func (p *fastParser) block(i, off, parent int) (*model.Node, int, bool) {
	indent := off - p.lines[i].start
	if indent <= parent {
		return nil, 0, false
	}
	if seqItem(p.src[off:p.lines[i].end]) {
		return p.sequence(i, indent)
	}
	return p.mapping(i, off)
}

func seqItem(s string) bool { return s == "-" || strings.HasPrefix(s, "- ") }

// key reads a plain key at off and returns where its value starts. Keys
// are restricted to names (letters, digits, `_ - . /`), as handover's are.
func (p *fastParser) key(i, off int) (key string, after int, ok bool) {
	end := p.lines[i].end
	j := off
	if j < end {
		if c := p.src[j]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", 0, false
		}
	}
	for j < end {
		c := p.src[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '/' {
			j++
			continue
		}
		break
	}
	// YAML bounds a key written without `?` to 1,024 characters.
	if j == off || j == end || p.src[j] != ':' || (j+1 < end && p.src[j+1] != ' ') || j-off > 1000 {
		return "", 0, false
	}
	return p.src[off:j], j + 1, true
}

func (p *fastParser) mapping(i, off int) (*model.Node, int, bool) {
	indent := p.col(i, off) - 1
	if off-p.lines[i].start != indent {
		return nil, 0, false // not ASCII before the key: columns and indentation differ
	}
	m := p.node(model.MappingNode, "!!map", i, off)
	base := len(p.s.stack) // this mapping's children go on the stack, above base
	for {
		key, after, ok := p.key(i, off)
		if !ok {
			return nil, 0, false
		}
		tag, ok := resolvePlain(key)
		if !ok {
			return nil, 0, false
		}
		k := p.node(model.ScalarNode, tag, i, off)
		k.Value = key
		v, next, ok := p.value(i, after, indent, true)
		if !ok {
			return nil, 0, false
		}
		p.s.stack = append(p.s.stack, k, v)
		i = p.next(next)
		if i == len(p.lines) {
			break
		}
		if mk, _ := p.marker(i); mk {
			break
		}
		l := p.lines[i]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, 0, false
		}
		off = l.start + l.indent
	}
	m.Content = p.content(p.s.stack[base:])
	p.s.stack = p.s.stack[:base]
	return m, i, true
}

func (p *fastParser) sequence(i, indent int) (*model.Node, int, bool) {
	s := p.node(model.SequenceNode, "!!seq", i, p.lines[i].start+indent)
	base := len(p.s.stack) // as in mapping
	for {
		l := p.lines[i]
		off := l.start + l.indent + 1
		for off < l.end && p.src[off] == ' ' {
			off++
		}
		if off == l.end || p.src[off] == '#' {
			return nil, 0, false // the item starts on the next line
		}
		var item *model.Node
		var next int
		var ok bool
		if _, _, isKey := p.key(i, off); isKey {
			item, next, ok = p.mapping(i, off)
		} else {
			item, next, ok = p.value(i, off, indent, false)
		}
		if !ok {
			return nil, 0, false
		}
		p.s.stack = append(p.s.stack, item)
		i = p.next(next)
		if i == len(p.lines) {
			break
		}
		if mk, _ := p.marker(i); mk {
			break
		}
		l = p.lines[i]
		if l.indent < indent || l.indent == indent && !seqItem(p.src[l.start+l.indent:l.end]) {
			break // the mapping this list is a value of goes on, or ends
		}
		if l.indent > indent {
			return nil, 0, false
		}
	}
	s.Content = p.content(p.s.stack[base:])
	p.s.stack = p.s.stack[:base]
	return s, i, true
}

// value parses what follows a key's colon (or a sequence item's dash) at
// off of line i; indent is the indentation of the mapping or sequence it
// belongs to. It returns the line after the value.
func (p *fastParser) value(i, off, indent int, inMapping bool) (*model.Node, int, bool) {
	l := p.lines[i]
	start := off
	for off < l.end && p.src[off] == ' ' {
		off++
	}
	if off == l.end || p.src[off] == '#' && off > start {
		// Nothing on this line: a block below, or null.
		j := p.next(i + 1)
		if j < len(p.lines) {
			if mk, _ := p.marker(j); !mk {
				nl := p.lines[j]
				if nl.indent > indent || (inMapping && nl.indent == indent && seqItem(p.src[nl.start+nl.indent:nl.end])) {
					if nl.indent == indent {
						return p.sequence(j, indent)
					}
					return p.block(j, nl.start+nl.indent, indent)
				}
			}
		}
		if !inMapping {
			return nil, 0, false
		}
		n := p.node(model.ScalarNode, "!!null", i, start)
		return n, i + 1, true
	}
	n := p.node(model.ScalarNode, "!!str", i, off)
	switch c := p.src[off]; c {
	case '|':
		return p.literal(n, i, off, indent)
	case '\'', '"':
		v, end, ok := p.quoted(off, l.end)
		if !ok || !restIsComment(p.src[end:l.end]) {
			return nil, 0, false
		}
		n.Value = v
		n.Style = model.SingleQuotedStyle
		if c == '"' {
			n.Style = model.DoubleQuotedStyle
		}
	case '[':
		return p.flowSeq(n, i, off, indent)
	case '{':
		rest := p.src[off+1 : l.end]
		t := strings.TrimLeft(rest, " ")
		if t == "" || t[0] != '}' || !restIsComment(t[1:]) {
			return nil, 0, false
		}
		n.Kind, n.Tag, n.Style = model.MappingNode, "!!map", model.FlowStyle
	case '-', '?', ':':
		if off+1 == l.end || p.src[off+1] == ' ' {
			return nil, 0, false
		}
		fallthrough
	default:
		if strings.IndexByte("],{}#&*!>%@`", c) >= 0 {
			return nil, 0, false
		}
		v := p.src[off:l.end]
		if h := strings.Index(v, " #"); h >= 0 {
			v = v[:h]
		}
		v = strings.TrimRight(v, " ")
		if strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
			return nil, 0, false
		}
		tag, ok := resolvePlain(v)
		if !ok {
			return nil, 0, false
		}
		n.Tag, n.Value = tag, v
	}
	// A one-line scalar: a deeper line below would continue it.
	if j := p.next(i + 1); j < len(p.lines) && p.lines[j].indent > indent {
		return nil, 0, false
	}
	return n, i + 1, true
}

// quotedEscapes are the escapes of double-quoted scalars read here; the
// rarer ones (\x, \u, \N, ...) are left to yaml.v3.
var quotedEscapes = map[byte]string{'\\': "\\", '"': "\"", '\'': "'", 'n': "\n", 't': "\t", 'r': "\r", ' ': " "}

// quoted reads a one-line quoted scalar at off.
func (p *fastParser) quoted(off, end int) (string, int, bool) {
	q := p.src[off]
	var b strings.Builder
	from := off + 1
	for j := off + 1; j < end; j++ {
		switch c := p.src[j]; {
		case c == '\\' && q == '"':
			if j+1 == end {
				return "", 0, false
			}
			esc, ok := quotedEscapes[p.src[j+1]]
			if !ok {
				return "", 0, false
			}
			b.WriteString(p.src[from:j])
			b.WriteString(esc)
			j++
			from = j + 1
		case c == q && q == '\'' && j+1 < end && p.src[j+1] == '\'':
			b.WriteString(p.src[from : j+1])
			j++
			from = j + 1
		case c == q:
			if from == off+1 {
				return p.src[from:j], j + 1, true
			}
			b.WriteString(p.src[from:j])
			return b.String(), j + 1, true
		}
	}
	return "", 0, false
}

// flowSeq reads a one-line flow list of scalars: `[a, 'b', "c"]`.
func (p *fastParser) flowSeq(n *model.Node, i, off, indent int) (*model.Node, int, bool) {
	end := p.lines[i].end
	n.Kind, n.Tag, n.Style = model.SequenceNode, "!!seq", model.FlowStyle
	var items []*model.Node
	j := off + 1
	for {
		for j < end && p.src[j] == ' ' {
			j++
		}
		if j == end {
			return nil, 0, false
		}
		if p.src[j] == ']' && len(items) == 0 {
			j++
			break
		}
		item := p.node(model.ScalarNode, "!!str", i, j)
		switch c := p.src[j]; c {
		case '\'', '"':
			v, after, ok := p.quoted(j, end)
			if !ok {
				return nil, 0, false
			}
			item.Value, j = v, after
			item.Style = model.SingleQuotedStyle
			if c == '"' {
				item.Style = model.DoubleQuotedStyle
			}
		default:
			if strings.IndexByte("[]{},#&*!|>'\"%@`?:-", c) >= 0 {
				return nil, 0, false
			}
			k := j
			// yaml.v3 ends a plain scalar in a flow list at `?` too.
			for k < end && strings.IndexByte(",[]{}#:?", p.src[k]) < 0 {
				k++
			}
			if k < end && strings.IndexByte("#:?[{}", p.src[k]) >= 0 {
				return nil, 0, false
			}
			v := strings.TrimRight(p.src[j:k], " ")
			tag, ok := resolvePlain(v)
			if !ok {
				return nil, 0, false
			}
			item.Tag, item.Value, j = tag, v, k
		}
		items = append(items, item)
		for j < end && p.src[j] == ' ' {
			j++
		}
		if j == end {
			return nil, 0, false
		}
		if p.src[j] == ']' {
			j++
			break
		}
		if p.src[j] != ',' || j+1 == end || p.src[j+1] != ' ' {
			return nil, 0, false
		}
		j++
	}
	if !restIsComment(p.src[j:end]) {
		return nil, 0, false
	}
	n.Content = p.content(items)
	if k := p.next(i + 1); k < len(p.lines) && p.lines[k].indent > indent {
		return nil, 0, false
	}
	return n, i + 1, true
}

// literal reads a literal block scalar (`|`, `|-`, `|+`) whose indicator
// is at off of line i, in a block indented by indent.
func (p *fastParser) literal(n *model.Node, i, off, indent int) (*model.Node, int, bool) {
	l := p.lines[i]
	chomp := byte(0)
	h := off + 1
	if h < l.end && (p.src[h] == '-' || p.src[h] == '+') {
		chomp = p.src[h]
		h++
	}
	if h < l.end && p.src[h] != ' ' || !restIsComment(p.src[h:l.end]) {
		return nil, 0, false
	}
	n.Style = model.LiteralStyle
	// The first line with text sets the indentation; empty lines before
	// it must be truly empty.
	j := i + 1
	for j < len(p.lines) && p.lines[j].start == p.lines[j].end {
		j++
	}
	if j == len(p.lines) || p.lines[j].indent == p.lines[j].end-p.lines[j].start {
		return nil, 0, false
	}
	m := p.lines[j].indent
	if m <= indent {
		return nil, 0, false // an empty block scalar
	}
	leading := j - (i + 1)
	// The text is kept for the whole run: size it once, to at most the
	// source it spans.
	end := j
	for ; end < len(p.lines) && (p.lines[end].indent >= m || p.lines[end].indent == p.lines[end].end-p.lines[end].start); end++ {
	}
	b := p.text.Bytes(leading + p.lines[end-1].end - p.lines[j].start + 1)
	for k := 0; k < leading; k++ {
		b = append(b, '\n')
	}
	last := j // the line after the last line with text
	k := j
	for ; k < len(p.lines); k++ {
		ln := p.lines[k]
		width := ln.end - ln.start
		if ln.indent == width { // only spaces
			if width > m {
				return nil, 0, false
			}
			continue
		}
		if ln.indent < m {
			break
		}
		for e := last; e < k; e++ {
			b = append(b, '\n')
		}
		if k > j {
			b = append(b, '\n')
		}
		b = append(b, p.src[ln.start+m:ln.end]...)
		last = k + 1
	}
	// Chomping: what becomes of the final line break and the empty lines
	// after the text.
	broken := p.lines[last-1].end < len(p.src)
	switch chomp {
	case 0:
		if broken {
			b = append(b, '\n')
		}
	case '+':
		if broken {
			b = append(b, '\n')
		}
		for e := last; e < k; e++ {
			if p.lines[e].end < len(p.src) {
				b = append(b, '\n')
			}
		}
	}
	n.Value = unsafe.String(unsafe.SliceData(b), len(b)) // b is not written to again
	return n, k, true
}

// resolvePlain gives the tag yaml.v3 resolves a plain scalar to (its
// resolve.go, for the tags handover reads), and gives up on merge keys.
func resolvePlain(s string) (string, bool) {
	if s == "" {
		return "!!null", true
	}
	switch c := s[0]; {
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		return resolveNumber(s), true
	case c == '.':
		switch s {
		case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
			return "!!float", true
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return "!!float", true
		}
	case strings.IndexByte("yYnNtTfFoO~<", c) >= 0:
		switch s {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool", true
		case "~", "null", "Null", "NULL":
			return "!!null", true
		case "<<":
			return "", false
		}
	}
	return "!!str", true
}

// yamlFloat is yaml.v3's pattern of a float.
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

func resolveNumber(s string) string {
	switch s {
	case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float"
	}
	if timestamp(s) {
		return "!!timestamp"
	}
	plain := strings.ReplaceAll(s, "_", "")
	if !numberShaped(plain) {
		return "!!str" // spares the failed parses below, each of which allocates its error
	}
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return "!!int"
	}
	if yamlFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return "!!float"
		}
	}
	for _, prefix := range []struct {
		p    string
		base int
	}{{"0b", 2}, {"-0b", 2}, {"0o", 8}, {"-0o", 8}} {
		if rest, ok := strings.CutPrefix(plain, prefix.p); ok {
			if prefix.p[0] == '-' {
				rest = "-" + rest
			}
			if _, err := strconv.ParseInt(rest, prefix.base, 64); err == nil {
				return "!!int"
			}
			if _, err := strconv.ParseUint(rest, prefix.base, 64); err == nil && prefix.p[0] != '-' {
				return "!!int"
			}
		}
	}
	return "!!str"
}

// numberShaped tells whether s, without underscores, may be one of the
// numbers resolveNumber takes: only digits, signs, one dot, exponents and
// the letters of the hexadecimal, octal and binary forms.
func numberShaped(s string) bool {
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == '+', c == '-',
			c == 'x', c == 'X', c == 'o', c == 'O':
		case c == '.':
			if dots++; dots > 1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// timestampFormats are those yaml.v3 reads a plain scalar as a timestamp in.
var timestampFormats = []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"}

func timestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	if len(s) == 10 { // a date: the other formats all need more
		_, err := time.Parse("2006-1-2", s)
		return err == nil
	}
	for _, f := range timestampFormats {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}
