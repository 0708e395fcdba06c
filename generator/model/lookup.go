package model

import "strconv"

// Lookup walks a YAML node along path, following aliases, and returns the
// deepest node reached and, when the last step was a mapping key, that key's
// node. It stops at the last node that exists, so a path into a missing
// field still lands on its parent.
func Lookup(n *Node, path []string) (val, key *Node) {
	for _, tok := range path {
		n = deref(n)
		if n == nil {
			return nil, nil
		}
		next, k := child(n, tok)
		if next == nil {
			return n, nil
		}
		n, key = next, k
	}
	return deref(n), key
}

func deref(n *Node) *Node {
	for i := 0; n != nil && n.Kind == AliasNode && i < 100; i++ {
		n = n.Target()
	}
	return n
}

func child(n *Node, tok string) (val, key *Node) {
	switch n.Kind {
	case MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i+1], n.Content[i]
			}
		}
	case SequenceNode:
		i, err := strconv.Atoi(tok)
		if err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], nil
		}
	}
	return nil, nil
}
