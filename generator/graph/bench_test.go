package graph

import (
	"fmt"
	"testing"

	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/generator/synth"
)

// synthIndex writes a synthetic portfolio of about entities entities (100
// per client) and resolves it.
func synthIndex(b *testing.B, entities int) *resolve.Index {
	b.Helper()
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: entities / 100, Entities: entities, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	repo, diags := load.Repo(dir, load.Options{})
	if len(diags) > 0 {
		b.Fatalf("load: %v", diags[0])
	}
	ix, diags := resolve.Docs(repo.Docs)
	if len(diags) > 0 {
		b.Fatalf("resolve: %v", diags[0])
	}
	return ix
}

func BenchmarkNew(b *testing.B) {
	ix := synthIndex(b, 10000)
	for b.Loop() {
		New(ix)
	}
}

// BenchmarkImpactAll computes the blast radius, with paths, of every node
// of a 10,000-entity portfolio, as the site does for entity pages.
func BenchmarkImpactAll(b *testing.B) {
	g := New(synthIndex(b, 10000))
	affected := 0
	for b.Loop() {
		affected = 0
		for n := range g.Nodes {
			affected += len(g.Impact(n))
		}
	}
	b.ReportMetric(float64(len(g.Nodes)), "nodes")
	b.ReportMetric(float64(affected), "affected")
}

func BenchmarkDependentCounts(b *testing.B) {
	for _, size := range []int{10000, 50000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			g := New(synthIndex(b, size))
			for b.Loop() {
				g.DependentCounts()
			}
			b.ReportMetric(float64(len(g.Nodes)), "nodes")
		})
	}
}

func BenchmarkSinglePointsOfFailure(b *testing.B) {
	g := New(synthIndex(b, 10000))
	for b.Loop() {
		g.SinglePointsOfFailure()
	}
}

func BenchmarkCycles(b *testing.B) {
	g := New(synthIndex(b, 10000))
	for b.Loop() {
		g.Cycles()
	}
}
