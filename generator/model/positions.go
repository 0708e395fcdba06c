package model

import (
	"cmp"
	"slices"
	"strconv"
)

// positions is where every value of a document was written, without the
// node tree: what FieldPos needs once the tree is gone. A large portfolio
// holds millions of nodes, and a position costs a third of a node.
//
// Each value is found by a hash of its path from the root (keys and
// sequence indexes), so a lookup walks the path as Lookup walks the tree.
// The entries are sorted by hash; the first of two equal paths (a
// duplicate key) wins, as in Lookup.
type positions []posEntry

type posEntry struct {
	hash      uint64
	line, kln int32 // the value's line, and its key's (0: no key)
	col, kcol uint16
	kind      NodeKind
}

const posSeed uint64 = 14695981039346656037 // FNV-1a's offset basis

// pathHash extends the hash of a path by one step.
func pathHash(h uint64, tok string) uint64 {
	for i := 0; i < len(tok); i++ {
		h ^= uint64(tok[i])
		h *= 1099511628211
	}
	// A separator no token can hold, so that ["ab"] and ["a","b"] differ.
	h ^= 0x100
	return h * 1099511628211
}

// indexPositions records the position of every value under root. It gives
// up (ok false) on what the table cannot hold as the tree does: aliases,
// and columns past 65,535. Such a document keeps its tree.
func indexPositions(root *Node) (p positions, ok bool) {
	out := make(positions, 0, count(root))
	ok = true
	// The hashes of the keys of the mappings being walked, innermost last:
	// a duplicate key's value is never looked up, so neither it nor what
	// is under it goes in the table.
	var keys []uint64
	var walk func(n, key *Node, h uint64)
	walk = func(n, key *Node, h uint64) {
		e := posEntry{hash: h, line: n.Line, col: uint16(n.Column), kind: n.Kind}
		if n.Column > 1<<16-1 || n.Kind == AliasNode {
			ok = false
		}
		if key != nil {
			e.kln, e.kcol = key.Line, uint16(key.Column)
			if key.Column > 1<<16-1 {
				ok = false
			}
		}
		out = append(out, e)
		switch n.Kind {
		case MappingNode:
			base := len(keys)
			var seen map[uint64]bool // for long mappings, where a scan would be quadratic
			for i := 0; i+1 < len(n.Content); i += 2 {
				kh := pathHash(h, n.Content[i].Value)
				if dup(keys[base:], kh, &seen) {
					continue
				}
				keys = append(keys, kh)
				walk(n.Content[i+1], n.Content[i], kh) // leaves keys as it found them
			}
			keys = keys[:base]
		case SequenceNode:
			for i, c := range n.Content {
				walk(c, nil, pathHash(h, strconv.Itoa(i)))
			}
		}
	}
	walk(root, nil, posSeed)
	if !ok {
		return nil, false
	}
	// Paths are unique (duplicate keys are skipped); equal hashes are a
	// collision, and either entry will do.
	slices.SortFunc(out, func(a, b posEntry) int { return cmp.Compare(a.hash, b.hash) })
	return slices.Clip(slices.CompactFunc(out, func(a, b posEntry) bool { return a.hash == b.hash })), true
}

// count is how many nodes the tree under n holds, for a table of its size.
func count(n *Node) int {
	c := 1
	switch n.Kind {
	case AliasNode:
		return c
	case MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			c += count(n.Content[i])
		}
		return c
	}
	for _, k := range n.Content {
		c += count(k)
	}
	return c
}

// dup tells whether h is one of the hashes in before, the keys of a
// mapping so far; seen is built when the mapping is long.
func dup(before []uint64, h uint64, seen *map[uint64]bool) bool {
	if len(before) < 16 {
		return slices.Contains(before, h)
	}
	if *seen == nil {
		*seen = make(map[uint64]bool, 2*len(before))
		for _, b := range before {
			(*seen)[b] = true
		}
	}
	if (*seen)[h] {
		return true
	}
	(*seen)[h] = true
	return false
}

func (p positions) find(h uint64) (posEntry, bool) {
	i, ok := slices.BinarySearchFunc(p, h, func(e posEntry, h uint64) int { return cmp.Compare(e.hash, h) })
	if !ok {
		return posEntry{}, false
	}
	return p[i], true
}

// lookup is Lookup over the table: the line and column of the value at
// path, or of its key when key is set and the last step was a mapping key,
// or of the deepest value that exists on the way.
func (p positions) lookup(path []string, key bool) (line, col int32, ok bool) {
	h := posSeed
	cur, ok := p.find(h)
	if !ok {
		return 0, 0, false
	}
	for _, tok := range path {
		switch cur.kind {
		case MappingNode:
		case SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 {
				return cur.line, int32(cur.col), true
			}
			tok = strconv.Itoa(i)
		default:
			return cur.line, int32(cur.col), true
		}
		nh := pathHash(h, tok)
		next, found := p.find(nh)
		if !found {
			return cur.line, int32(cur.col), true
		}
		cur, h = next, nh
	}
	if key && cur.kln > 0 {
		return cur.kln, int32(cur.kcol), true
	}
	return cur.line, int32(cur.col), true
}
