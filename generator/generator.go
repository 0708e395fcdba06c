// Package generator runs the pipeline of DESIGN.md §2 over a handover
// repository. Each stage lives in its own package; this file only calls
// them in order and gathers their diagnostics.
package generator

import (
	"fmt"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/generator/validate"
)

// Options configure a run of the pipeline.
type Options struct {
	Load load.Options
}

// Model is what the pipeline knows about a repository after resolving.
type Model struct {
	Repo  *load.Result
	Index *resolve.Index
}

// Validate runs load → validate → resolve over dir and returns the model
// with every diagnostic, sorted. The error is for failures a user cannot
// cause (a broken embedded schema); everything else is a diagnostic.
func Validate(dir string, opts Options) (*Model, []diag.Diagnostic, error) {
	schemas, err := validate.Embedded()
	if err != nil {
		return nil, nil, fmt.Errorf("embedded schemas: %w", err)
	}
	repo, diags := load.Repo(dir, opts.Load)
	diags = append(diags, validate.Repo(schemas, repo)...)
	index, rd := resolve.Docs(repo.Docs)
	diags = append(diags, rd...)
	return &Model{Repo: repo, Index: index}, diag.Sort(diags), nil
}
