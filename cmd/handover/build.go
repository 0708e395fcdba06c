package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/check"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/diff"
	"github.com/handover-dev/handover/generator/site"
	"github.com/handover-dev/handover/internal/hugeheap"
	"github.com/handover-dev/handover/internal/offheap"
	"github.com/spf13/cobra"
)

func newBuildCmd() *cobra.Command {
	var out, format, since string
	var strict bool
	cmd := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Render the handover website",
		Long: `Build validates the repository in DIR (default: the current directory) and
renders the static handover website into --out (default: DIR/site).

When validation finds an error, nothing is written and the previous site stays
as it was. Otherwise the site is rendered into a temporary directory beside
--out and swapped in, so an interrupted build never leaves half a site. A
non-empty --out that is not a previous handover site is refused.

The site is self-contained: open index.html from disk, or publish the folder
on any static host.`,
		Example: `  handover build examples --out site
  handover build . --out public --strict`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join(dir, "site")
			}
			f, err := diag.NewFormatter(format, dir, nil)
			if err != nil {
				return usageErr("%s", err)
			}
			start := time.Now()
			opts := generator.Options{Progress: progress(cmd), Readiness: check.ForSite}
			// A build loads once and exits: the files' text can live
			// outside the heap, where it does not raise the collector's
			// goal (internal/offheap).
			opts.Load.Text = &offheap.Arena{Huge: hugeheap.Active()}
			// The collector runs at Go's default: collecting at 2.25 times
			// the live heap (ninth session) measured only 1-2% quicker in
			// the tenth, for 50 MB more peak memory at 50k entities: the
			// fresh memory it touches costs nearly what the collections
			// save (PERFORMANCE.md).
			if since != "" {
				if opts.Since, err = sincePage(dir, since); err != nil {
					return fail(err)
				}
			}
			res, diags, err := generator.Build(dir, out, strict, opts)
			if err != nil {
				return fail(err)
			}
			if tf, ok := f.(diag.Text); ok {
				tf.Sources = res.Model.Repo.Source
				f = tf
			}
			if err := f.Format(cmd.OutOrStdout(), diags); err != nil {
				return err
			}
			errs, warns := diag.Count(diags)
			stderr := cmd.ErrOrStderr()
			if !res.Written {
				fmt.Fprintf(stderr, "%s: %s; nothing written, %s left as it was\n", dir, summary(errs, warns), out)
				return failed
			}
			var stages []string
			for _, t := range res.Timings {
				stages = append(stages, fmt.Sprintf("%s %s", t.Stage, t.Duration.Round(time.Millisecond)))
			}
			ix := res.Model.Index
			entities := len(ix.Shared)
			for _, c := range ix.ByClient {
				entities += len(c)
			}
			if quiet(cmd) {
				return nil
			}
			fmt.Fprintf(stderr, "built %s: %d clients, %d entities, %d pages, %s in %s\n  %s\n",
				out, len(ix.Clients), entities, res.Site.Pages, plural(warns, "warning"),
				time.Since(start).Round(time.Millisecond), strings.Join(stages, ", "))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "output directory (default DIR/site)")
	cmd.Flags().StringVar(&format, "format", "text", "diagnostics format: text, json or github")
	cmd.Flags().BoolVar(&strict, "strict", false, "refuse to build on warnings too")
	cmd.Flags().StringVar(&since, "since", "", "add a \"What changed since REV\" page, e.g. the last handover tag")
	return cmd
}

// sincePage says in Markdown what changed between rev and the working tree.
func sincePage(dir, rev string) (*site.Since, error) {
	old, err := modelAt(dir, rev)
	if err != nil {
		return nil, err
	}
	cur, diags, err := generator.Validate(dir, generator.Options{})
	if err != nil || diag.HasErrors(diags, false) {
		return nil, err // Build reports the errors and writes nothing
	}
	var b strings.Builder
	if err := diff.Models(old, cur, rev, "this build").WriteMarkdown(&b); err != nil {
		return nil, err
	}
	return &site.Since{Rev: rev, Markdown: b.String()}, nil
}
