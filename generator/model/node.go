package model

// Node is one YAML value of a document and where it was written. It is the
// compact form of yaml.Node that every document keeps for the whole run,
// so that any stage can point a message at a field: about half the size,
// without the parser's anchors and comments (Document.Comment has those a
// message needs).
type Node struct {
	Tag   string // the resolved tag: !!str, !!int, !!map, !!seq, ...
	Value string // a scalar's text, quotes and escapes resolved
	// Content holds a mapping's keys and values in turn, a sequence's
	// items, and an alias's target (its only element).
	Content      []*Node
	Line, Column int32 // 1-based; Column counts characters
	Kind         NodeKind
	Style        NodeStyle
}

// NodeKind is what a Node holds.
type NodeKind uint8

// The kinds of node, as in yaml.v3 less the document.
const (
	ScalarNode NodeKind = iota + 1
	MappingNode
	SequenceNode
	AliasNode
)

// NodeStyle is how a value was written: the bits of yaml.v3's Style.
type NodeStyle uint8

// The styles of node, with yaml.v3's values.
const (
	TaggedStyle       NodeStyle = 1 << 0
	DoubleQuotedStyle NodeStyle = 1 << 1
	SingleQuotedStyle NodeStyle = 1 << 2
	LiteralStyle      NodeStyle = 1 << 3
	FoldedStyle       NodeStyle = 1 << 4
	FlowStyle         NodeStyle = 1 << 5
)

// Target returns what an alias points at, or nil.
func (n *Node) Target() *Node {
	if n.Kind != AliasNode || len(n.Content) == 0 {
		return nil
	}
	return n.Content[0]
}
