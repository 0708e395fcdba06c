package markdown

import (
	"regexp"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// ids generates heading anchors for one document. goldmark's own generator
// drops every non-ASCII byte ("Überblick" → "berblick"); this one keeps
// letters of any script. It is created per call and never shared.
type ids struct {
	used map[string]bool
	next map[string]int // the next suffix to try for a base id
}

func newIDs() *ids {
	return &ids{used: map[string]bool{}, next: map[string]int{}}
}

// destRE matches link and image destinations in a heading's source
// ("](restore.md)"): a reader does not see them, and they would only lengthen
// the anchor. HTML tags stay: "<file>" may well be inside a code span.
var destRE = regexp.MustCompile(`\]\([^)]*\)`)

// Generate returns a unique anchor for a heading whose source text is value
// (inline markup included: goldmark generates ids before parsing inlines).
// Link destinations are dropped, character references resolved, letters
// lowercased and digits kept, every run of anything else turned into one '-',
// dashes trimmed; "section" when nothing is left; "-1", "-2", ... appended to
// repeats.
func (s *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	base := slug(resolve(destRE.ReplaceAll(value, nil)))
	if base == "" {
		base = "section"
	}
	id := base
	if s.used[id] {
		for i := s.next[base] + 1; ; i++ {
			id = base + "-" + strconv.Itoa(i)
			if !s.used[id] {
				s.next[base] = i
				break
			}
		}
	}
	s.used[id] = true
	return []byte(id)
}

// Put records an id set explicitly so that generated ones do not repeat it.
func (s *ids) Put(value []byte) {
	s.used[string(value)] = true
}

func slug(b []byte) string {
	out := make([]byte, 0, len(b))
	dash := false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
			dash = true
		case unicode.IsLetter(r) || unicode.IsDigit(r),
			// A combining mark belongs to the letter before it (a decomposed "ü").
			unicode.In(r, unicode.Mn, unicode.Mc) && len(out) > 0 && !dash:
			if dash && len(out) > 0 {
				out = append(out, '-')
			}
			dash = false
			out = utf8.AppendRune(out, unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return string(out)
}
