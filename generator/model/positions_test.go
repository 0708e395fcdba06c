package model

import (
	"slices"
	"sync"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
)

// TestDetachParsesAgainOnlyForPositions checks that a detached document
// answers Pos and Keys without its tree, parses its file again for the
// first FieldPos only (every later one reads the table, from any number of
// goroutines), and again for each WithTree.
func TestDetachParsesAgainOnlyForPositions(t *testing.T) {
	scalar := func(v string, line, col int32) *Node {
		return &Node{Kind: ScalarNode, Tag: "!!str", Value: v, Line: line, Column: col}
	}
	// kind: Server
	// os:
	//   name: Debian
	root := &Node{Kind: MappingNode, Line: 1, Column: 1, Content: []*Node{
		scalar("kind", 1, 1), scalar("Server", 1, 7),
		scalar("os", 2, 1), {Kind: MappingNode, Line: 3, Column: 3, Content: []*Node{
			scalar("name", 3, 3), scalar("Debian", 3, 9),
		}},
	}}
	var mu sync.Mutex
	parses := 0
	d := &Document{File: "s.yaml", Node: root, Value: ObjectOf(map[string]any{"kind": "Server", "os": map[string]any{"name": "Debian"}})}
	if !d.Detach(func(visit func(*Node)) {
		mu.Lock()
		parses++
		mu.Unlock()
		visit(root)
	}) {
		t.Fatal("not detached")
	}
	if d.Node != nil {
		t.Fatal("the tree is kept")
	}
	if got := d.Pos(); got != (diag.Pos{File: "s.yaml", Line: 1, Column: 1}) {
		t.Errorf("Pos = %v", got)
	}
	if got := d.Keys(); !slices.Equal(got, []string{"kind", "os"}) {
		t.Errorf("Keys = %q", got)
	}
	if parses != 0 {
		t.Fatalf("Pos and Keys parsed the file %d times", parses)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := d.FieldPos([]string{"os", "name"}, true); got != (diag.Pos{File: "s.yaml", Line: 3, Column: 3}) {
				t.Errorf("FieldPos(os.name, key) = %v", got)
			}
		})
	}
	wg.Wait()
	if got := d.FieldPos([]string{"os", "missing"}, false); got != (diag.Pos{File: "s.yaml", Line: 3, Column: 3}) {
		t.Errorf("FieldPos(os.missing) = %v, want the nearest ancestor", got)
	}
	if parses != 1 {
		t.Errorf("FieldPos parsed the file %d times, want once", parses)
	}
	if n := d.NodeAt([]string{"os", "name"}); n == nil || n.Value != "Debian" {
		t.Errorf("NodeAt(os.name) = %v", n)
	}
	if parses != 2 {
		t.Errorf("%d parses after NodeAt, want 2", parses)
	}
	d.DropNodes()
	if got := d.FieldPos([]string{"os"}, false); got != (diag.Pos{File: "s.yaml"}) {
		t.Errorf("FieldPos after DropNodes = %v, want the file alone", got)
	}
	if got := d.Keys(); !slices.Equal(got, []string{"kind", "os"}) {
		t.Errorf("Keys after DropNodes = %q", got)
	}
}
