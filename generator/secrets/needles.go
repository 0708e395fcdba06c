package secrets

import (
	"encoding/binary"
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
	if !isASCII(s) {
		// Lowering other letters may give ASCII ones (the Kelvin sign
		// gives k) and moves bytes: do it as strings.ToLower.
		return ns.findLowered(strings.ToLower(s))
	}
	var found uint64
	for i := 0; i+1 < len(s); i++ { // every needle is two bytes or more
		// Most bytes start some needle, far fewer pairs: one table look-up
		// and one bit test a byte, with no branch on the letters' case.
		c0, c1 := lowerASCII[s[i]], lowerASCII[s[i+1]]
		if p := uint(c0)<<7 | uint(c1); ns.pairs[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		// Common pairs (an, as, se, pa) start needles of eight lists:
		// the second byte rules most of them out before a comparison.
		for _, n := range ns.byFirst[c0] {
			if n.text[1] == c1 && found&(1<<n.list) == 0 && hasPrefixFold(s[i:], n.text) {
				found |= 1 << n.list
			}
		}
	}
	return found
}

// lowerASCII lowers an ASCII byte; find only sees ASCII text.
var lowerASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = lower(byte(c))
	}
	return t
}()

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

// isASCII tells whether s is all ASCII, eight bytes at a time.
func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64([]byte(s[i:i+8]))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
