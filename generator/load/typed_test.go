package load

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/handover-dev/handover/generator/synth"
)

// TestTypedViewsMatchJSON decodes the typed view of every document of the
// examples and of a synthetic portfolio, and compares it with what a
// round trip through encoding/json gives.
func TestTypedViewsMatchJSON(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: 2, Entities: 200, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../../examples", dir} {
		repo, _ := Repo(root, Options{})
		if len(repo.Docs) < 20 {
			t.Fatalf("%s: %d documents", root, len(repo.Docs))
		}
		for _, d := range repo.Docs {
			got, _ := d.Typed()
			want := reflect.New(reflect.TypeOf(got).Elem()).Interface()
			b, err := json.Marshal(d.Value)
			if err == nil {
				err = json.Unmarshal(b, want)
			}
			if err != nil {
				t.Fatalf("%s: %v", d.File, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: typed view %+v, encoding/json %+v", d.File, d.Ref(), got, want)
			}
		}
	}
}
