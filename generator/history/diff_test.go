package history

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// rawTree encodes entries as git stores a tree, in git's order.
func rawTree(es []treeEntry) []byte {
	es = slices.Clone(es)
	slices.SortFunc(es, compareEntries)
	var b bytes.Buffer
	for _, e := range es {
		mode := "100644"
		switch e.mode {
		case filemode.Dir:
			mode = "40000"
		case filemode.Executable:
			mode = "100755"
		}
		fmt.Fprintf(&b, "%s %s\x00", mode, e.name)
		b.Write(e.hash[:])
	}
	return b.Bytes()
}

// naivePairs pairs every entry of both trees, as diffTrees did before it
// skipped the entries the trees share.
func naivePairs(ta, tb []byte) []string {
	var out []string
	xs, ys := entries{rest: ta}, entries{rest: tb}
	x, hasX := xs.next()
	y, hasY := ys.next()
	for hasX || hasY {
		c := 0
		switch {
		case !hasY:
			c = -1
		case !hasX:
			c = 1
		default:
			c = compareEntries(x, y)
		}
		switch {
		case c < 0:
			out = append(out, pairString(x, treeEntry{}))
			x, hasX = xs.next()
		case c > 0:
			out = append(out, pairString(treeEntry{}, y))
			y, hasY = ys.next()
		default:
			if x.hash != y.hash || x.mode != y.mode {
				out = append(out, pairString(x, y))
			}
			x, hasX = xs.next()
			y, hasY = ys.next()
		}
	}
	return out
}

func pairString(x, y treeEntry) string {
	return fmt.Sprintf("%s %o %x | %s %o %x", x.name, x.mode, x.hash[:3], y.name, y.mode, y.hash[:3])
}

// TestPairEntriesSkipsOnlyWhatIsShared compares pairEntries, which skips
// the entries two trees begin and end with alike, with pairing every
// entry, on trees of up to 600 entries and their edits: hashes and modes
// changed, entries added and removed, at the ends and in the middle, names
// that are prefixes of others, and hashes holding NUL and space bytes.
func TestPairEntriesSkipsOnlyWhatIsShared(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	hash := func() (h plumbing.Hash) {
		for i := range h {
			h[i] = []byte{0, ' ', 'a', 0xff, byte(r.IntN(256))}[r.IntN(5)]
		}
		return h
	}
	modes := []filemode.FileMode{filemode.Regular, filemode.Dir, filemode.Executable}
	entry := func() treeEntry {
		name := []string{"a", "a.yaml", "a-b", "client-0001", "client-0002", "servers", "servers.yaml", "z"}[r.IntN(8)]
		return treeEntry{name: fmt.Appendf(nil, "%s%d", name, r.IntN(300)), mode: modes[r.IntN(len(modes))], hash: hash()}
	}
	tested := 0
	for round := range 3000 {
		byName := map[string]treeEntry{}
		for range r.IntN(600) {
			e := entry()
			byName[string(e.name)] = e
		}
		var a []treeEntry
		for _, e := range byName {
			a = append(a, e)
		}
		b := slices.Clone(a)
		for range r.IntN(4) {
			if len(b) == 0 {
				break
			}
			i := r.IntN(len(b))
			switch r.IntN(4) {
			case 0:
				b[i].hash = hash()
			case 1:
				b[i].mode = modes[(slices.Index(modes, b[i].mode)+1)%len(modes)]
			case 2:
				b = slices.Delete(b, i, i+1)
			default:
				if e := entry(); byName[string(e.name)].name == nil {
					b = append(b, e)
				}
			}
		}
		ta, tb := rawTree(a), rawTree(b)
		if round%3 == 0 {
			ta, tb = tb, ta
		}
		var got []string
		errA, errB, err := pairEntries(ta, tb, func(x, y treeEntry) error {
			got = append(got, pairString(x, y))
			return nil
		})
		if err != nil || errA != nil || errB != nil {
			t.Fatal(err, errA, errB)
		}
		if want := naivePairs(ta, tb); !slices.Equal(got, want) {
			t.Fatalf("round %d: pairs\n got  %q\n want %q", round, got, want)
		}
		if len(got) > 0 {
			tested++
		}
	}
	if tested < 1000 {
		t.Errorf("only %d rounds had a difference", tested)
	}
}

// TestPairEntriesMalformed: a tree cut short is reported, wherever the
// cut falls, and a tree that cannot be parsed is not taken as equal.
func TestPairEntriesMalformed(t *testing.T) {
	good := rawTree([]treeEntry{
		{name: []byte("a.yaml"), mode: filemode.Regular, hash: plumbing.Hash{1}},
		{name: []byte("b.yaml"), mode: filemode.Regular, hash: plumbing.Hash{2}},
		{name: []byte("c"), mode: filemode.Dir, hash: plumbing.Hash{3}},
	})
	for cut := 1; cut < len(good); cut++ {
		_, errB, err := pairEntries(good, good[:cut], func(x, y treeEntry) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if errB == nil && naiveErr(good[:cut]) != nil {
			t.Errorf("a tree cut at byte %d of %d is not reported", cut, len(good))
		}
	}
}

func naiveErr(tree []byte) error {
	it := entries{rest: tree}
	for {
		if _, ok := it.next(); !ok {
			return it.err
		}
	}
}
