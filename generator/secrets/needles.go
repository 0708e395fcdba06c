package secrets

import (
	"strings"
	"unicode/utf8"
)

// needleSet finds which of several lists of needles (lower-case ASCII)
// occur in a text, ignoring case. It answers what
// strings.Contains(strings.ToLower(text), needle) would for every needle,
// but in one pass over the text and, for ASCII text, without making its
// lower-case copy: it runs on every value of every document.
type needleSet struct {
	lists   [][]string
	byFirst [utf8.RuneSelf][]needle // by first byte
	// pairs has bit c0<<7|c1 set when a needle starts with the bytes c0,
	// c1: most bytes of a text start some needle, far fewer two bytes do.
	pairs [utf8.RuneSelf * utf8.RuneSelf / 64]uint64
}

type needle struct {
	text string
	list int
}

// newNeedleSet indexes at most 64 lists of lower-case ASCII needles.
func newNeedleSet(lists [][]string) *needleSet {
	if len(lists) > 64 {
		panic("secrets: more than 64 needle lists")
	}
	ns := &needleSet{lists: lists}
	for i, list := range lists {
		for _, n := range list {
			if len(n) < 2 || n != strings.ToLower(n) || !isASCII(n) {
				panic("secrets: needle " + n + " is not lower-case ASCII of two bytes or more")
			}
			ns.byFirst[n[0]] = append(ns.byFirst[n[0]], needle{n, i})
			p := int(n[0])<<7 | int(n[1])
			ns.pairs[p>>6] |= 1 << (p & 63)
		}
	}
	return ns
}

// find returns the lists with a needle in s, list i as bit 1<<i.
func (ns *needleSet) find(s string) uint64 {
	var found uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Lowering other letters may give ASCII ones (the Kelvin
			// sign gives k) and moves bytes: do it as strings.ToLower.
			return ns.findLowered(strings.ToLower(s))
		}
		if i+1 == len(s) {
			break // every needle is two bytes or more
		}
		c1 := s[i+1]
		if c1 >= utf8.RuneSelf {
			continue // the next byte sends s to findLowered
		}
		if p := int(lower(c))<<7 | int(lower(c1)); ns.pairs[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		for _, n := range ns.byFirst[lower(c)] {
			if found&(1<<n.list) == 0 && hasPrefixFold(s[i:], n.text) {
				found |= 1 << n.list
			}
		}
	}
	return found
}

func (ns *needleSet) findLowered(s string) uint64 {
	var found uint64
	for i, list := range ns.lists {
		for _, n := range list {
			if strings.Contains(s, n) {
				found |= 1 << i
				break
			}
		}
	}
	return found
}

// hasPrefixFold tells whether s starts with the lower-case ASCII prefix,
// ignoring the case of ASCII letters in s.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		if lower(s[j]) != prefix[j] {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
