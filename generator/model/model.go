// Package model owns the types every pipeline stage shares: the kinds of
// entity, references between them, and the loaded documents with their
// source positions. It does no I/O and reports no diagnostics.
package model

import (
	"iter"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/handover-dev/handover/generator/diag"
)

// Kind is the `kind` of an entity document.
type Kind string

// The kinds a handover repository may hold.
const (
	KindPortfolio     Kind = "Portfolio"
	KindClient        Kind = "Client"
	KindService       Kind = "Service"
	KindServer        Kind = "Server"
	KindConfiguration Kind = "Configuration"
	KindIntegration   Kind = "Integration"
	KindVendor        Kind = "Vendor"
	KindRunbook       Kind = "Runbook"
)

// Kinds lists every kind in the order pages and messages present them.
var Kinds = []Kind{KindPortfolio, KindClient, KindService, KindServer, KindConfiguration, KindIntegration, KindVendor, KindRunbook}

// RefName is the lower-case name a kind has in references ("server:web-01")
// and in schema file names.
func (k Kind) RefName() string {
	if n, ok := refNames[k]; ok {
		return n // references are parsed and written by the hundred thousand: no new string each time
	}
	return strings.ToLower(string(k))
}

var refNames = func() map[Kind]string {
	m := map[Kind]string{}
	for _, k := range Kinds {
		m[k] = strings.ToLower(string(k))
	}
	return m
}()

// KindByName finds a kind by its exact name ("Server"), reporting whether it
// is known.
func KindByName(name string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == name {
			return k, true
		}
	}
	return "", false
}

// KindByRefName finds a kind by its reference prefix ("server").
func KindByRefName(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.RefName() == name {
			return k, true
		}
	}
	return "", false
}

// AllowSecretMarker, in a comment beside a value, tells the secret scanner
// that the value is not a secret (with the reason after it). Only yaml.v3
// keeps comments, so load leaves a file that holds it to yaml.v3.
const AllowSecretMarker = "handover:allow-secret"

// IDPattern is what every entity id must match.
var IDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidID reports whether s matches IDPattern, without the regular
// expression: every reference of a portfolio is checked, and the
// expression was a tenth of validate's time in the loops that ask.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Ref is a reference from one entity to another, written `kind:id`.
type Ref struct {
	Kind Kind
	ID   string
}

// String formats the reference as it is written in YAML.
func (r Ref) String() string { return r.Kind.RefName() + ":" + r.ID }

// ParseRef parses `kind:id`, reporting whether it is well formed.
func ParseRef(s string) (Ref, bool) {
	k, id, ok := strings.Cut(s, ":")
	if !ok {
		return Ref{}, false
	}
	kind, ok := KindByRefName(k)
	if !ok || !ValidID(id) {
		return Ref{}, false
	}
	return Ref{Kind: kind, ID: id}, true
}

// Document is one entity as loaded: its kind and id, the client folder it
// belongs to ("" for shared vendors and the portfolio), its value converted
// to JSON types (Object for a mapping, []any, string, float64, int64, bool, nil)
// and where each of its values was written (its YAML node, or the table
// of positions Detach leaves).
type Document struct {
	File   string // slash-separated, relative to the repository root
	Index  int    // position of the document in its file, from 0
	Kind   Kind
	ID     string
	Client string
	Value  Object
	// Node is the document's mapping node, until Detach or DropNodes
	// forget it.
	Node *Node
	// Comments holds the comment text written around a node (above it and
	// after it on its line), for the few nodes that have one and only for
	// files whose comments matter (see load): the secret scanner's allow
	// marker is read from it.
	Comments map[*Node]string

	// order lists the indexes in Value of the top-level fields in the order
	// they are written (see SetFields).
	order []uint16
	// Without the tree (see Detach): where the document starts, how to
	// parse the tree again, and the table of positions built from it the
	// first time a position is asked for.
	line, col int32
	reparse   func(visit func(root *Node))
	table     *lazyPositions

	// Runbooks only: the Markdown body and the line it starts on.
	Body     string
	BodyLine int

	typed typedView // see Typed
}

// Ref returns the reference that points at this document.
func (d *Document) Ref() Ref { return Ref{Kind: d.Kind, ID: d.ID} }

// Pos returns where the document starts.
func (d *Document) Pos() diag.Pos {
	if d.Node != nil {
		return diag.Pos{File: d.File, Line: int(d.Node.Line), Column: int(d.Node.Column)}
	}
	return diag.Pos{File: d.File, Line: int(d.line), Column: int(d.col)}
}

// Keys returns the document's top-level field names in the order they are
// written.
func (d *Document) Keys() []string {
	keys := make([]string, 0, len(d.Value))
	for f := range d.Fields() {
		keys = append(keys, f.Key)
	}
	return keys
}

// Fields returns the document's top-level fields in the order they are
// written: as SetFields was given them, else in the order of their keys.
func (d *Document) Fields() iter.Seq[Member] {
	return func(yield func(Member) bool) {
		if len(d.order) != len(d.Value) {
			for _, f := range d.Value {
				if !yield(f) {
					return
				}
			}
			return
		}
		for _, i := range d.order {
			if !yield(d.Value[i]) {
				return
			}
		}
	}
}

// SetFields sets Value from the document's top-level fields as they are
// written (each key once), sorting them and keeping their written order
// for Fields: two bytes a field. A document with more than 65,535 fields
// keeps the order of its keys instead.
func (d *Document) SetFields(written []Member) {
	d.order = nil
	if len(written) > math.MaxUint16 {
		d.Value = SortMembers(written)
		return
	}
	from := make([]uint16, len(written)) // where each field, once sorted, was written
	for i := range from {
		from[i] = uint16(i)
	}
	sort.Sort(fieldsAndOrigins{written, from})
	d.order = make([]uint16, len(written))
	for i, w := range from {
		d.order[w] = uint16(i)
	}
	d.Value = written
}

// fieldsAndOrigins sorts fields by key, and where each came from with it.
type fieldsAndOrigins struct {
	fields []Member
	from   []uint16
}

func (s fieldsAndOrigins) Len() int           { return len(s.fields) }
func (s fieldsAndOrigins) Less(i, j int) bool { return s.fields[i].Key < s.fields[j].Key }
func (s fieldsAndOrigins) Swap(i, j int) {
	s.fields[i], s.fields[j] = s.fields[j], s.fields[i]
	s.from[i], s.from[j] = s.from[j], s.from[i]
}

// Detach forgets the document's node tree and remembers how to parse it
// again: load calls it as soon as a document is converted, so that a
// large portfolio never holds all its trees at once (they were most of its
// memory). Pos and Keys need no tree. The first FieldPos parses the file
// again and keeps a table of every value's position, a third of the tree's
// size, for the messages that follow; most documents never have one, and
// never pay for it. WithTree and NodeAt parse the file again. reparse calls
// visit with the document's root, valid only during the call. Detach
// reports false, and keeps the tree, for a document with comments (the
// secret scanner reads them).
func (d *Document) Detach(reparse func(visit func(root *Node))) bool {
	if d.Node == nil || len(d.Comments) > 0 || reparse == nil {
		return false
	}
	d.line, d.col = d.Node.Line, d.Node.Column
	d.Node, d.reparse, d.table = nil, reparse, &lazyPositions{}
	return true
}

// DropNodes forgets the document's node tree and positions; Pos and
// FieldPos then give the file alone. A build calls it once every message
// that needs a position is out, before the site renders: the pages need
// neither.
func (d *Document) DropNodes() {
	d.Node, d.Comments, d.reparse, d.table, d.line, d.col = nil, nil, nil, nil, 0, 0
}

// WithTree calls visit with the document's node tree and the comments
// around its nodes (see Comments), parsing the file again when the tree
// was detached: the tree is valid only during the call. It reports
// whether there was a tree.
func (d *Document) WithTree(visit func(root *Node, comments map[*Node]string)) bool {
	if d.Node != nil {
		visit(d.Node, d.Comments)
		return true
	}
	if d.reparse == nil {
		return false
	}
	seen := false
	d.reparse(func(root *Node) {
		seen = true
		visit(root, nil)
	})
	return seen
}

// NodeAt returns a copy of the node Lookup finds at path, without its
// children, or nil when there is no tree.
func (d *Document) NodeAt(path []string) *Node {
	var out *Node
	d.WithTree(func(root *Node, _ map[*Node]string) {
		if n, _ := Lookup(root, path); n != nil {
			c := *n
			c.Content = nil
			out = &c
		}
	})
	return out
}

// FieldPos returns the position of the value at path (object keys and
// decimal array indexes), or of its nearest existing ancestor. With key set,
// it returns the position of the last key instead of its value, which is
// where an unknown or misspelt field should be pointed at.
func (d *Document) FieldPos(path []string, key bool) diag.Pos {
	if d.Node != nil {
		return d.treePos(d.Node, path, key)
	}
	if d.table == nil {
		return d.Pos()
	}
	if p, ok := d.table.get(d.reparse); ok {
		if line, col, ok := p.lookup(path, key); ok {
			return diag.Pos{File: d.File, Line: int(line), Column: int(col)}
		}
		return d.Pos()
	}
	// A tree the table cannot stand for: look in the tree itself.
	pos := d.Pos()
	d.reparse(func(root *Node) { pos = d.treePos(root, path, key) })
	return pos
}

// treePos is FieldPos in the tree under root.
func (d *Document) treePos(root *Node, path []string, key bool) diag.Pos {
	n, k := Lookup(root, path)
	if key && k != nil {
		n = k
	}
	if n == nil {
		return diag.Pos{File: d.File, Line: int(root.Line), Column: int(root.Column)}
	}
	return diag.Pos{File: d.File, Line: int(n.Line), Column: int(n.Column)}
}

// lazyPositions is a detached document's table of positions, built the
// first time it is needed; the stages that report on documents do so from
// several goroutines.
type lazyPositions struct {
	once sync.Once
	p    positions
	ok   bool // false when the table cannot stand for the tree
}

func (l *lazyPositions) get(reparse func(visit func(root *Node))) (positions, bool) {
	l.once.Do(func() {
		reparse(func(root *Node) { l.p, l.ok = indexPositions(root) })
	})
	return l.p, l.ok
}
