package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/diff"
	"github.com/handover-dev/handover/generator/history"
	"github.com/spf13/cobra"
)

func newDiffCmd() *cobra.Command {
	var from, to, format string
	cmd := &cobra.Command{
		Use:   "diff --from REV [--to REV] [DIR]",
		Short: "Say in words what changed in the model between two revisions",
		Long: `Diff loads the handover model at two git revisions, straight from git objects
(no checkout), and says what changed: entities added and removed, fields changed
(old → new), references gained and lost, grouped by client, and how many more
or fewer entities now depend on each vendor and server. Without --to it
compares with the working tree, uncommitted changes included.

--format markdown writes a pull-request comment; --format json the same as
data. Credential fields are never printed, only that they changed.`,
		Example: `  handover diff --from origin/main
  handover diff --from v1.0 --to HEAD --format markdown > comment.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return err
			}
			if from == "" {
				return usageErr("--from is required: the revision to compare with, e.g. origin/main")
			}
			known := false
			for _, f := range diff.Formats {
				known = known || f == format
			}
			if !known {
				return usageErr("unknown format %q (known: text, markdown, json)", format)
			}
			old, err := modelAt(dir, from)
			if err != nil {
				return fail(err)
			}
			toName := to
			var cur *generator.Model
			if to == "" {
				toName = "the working tree"
				m, diags, err := generator.Validate(dir, generator.Options{})
				if err != nil {
					return fail(err)
				}
				if diag.HasErrors(diags, false) {
					return fail(fmt.Errorf("%s has errors: run handover validate %s", dir, dir))
				}
				cur = m
			} else if cur, err = modelAt(dir, to); err != nil {
				return fail(err)
			}
			return diff.Models(old, cur, from, toName).Write(cmd.OutOrStdout(), format)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the older revision (a commit, branch or tag)")
	cmd.Flags().StringVar(&to, "to", "", "the newer revision (default: the working tree)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	return cmd
}

// modelAt loads and validates the handover directory as it was at rev. A
// revision where the directory or its handover.yaml did not exist yet gives
// a nil model: everything is new. A revision with errors cannot be
// compared.
func modelAt(dir, rev string) (*generator.Model, error) {
	fsys, _, err := history.TreeFS(dir, rev)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(fsys, "handover.yaml"); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	m, diags, err := generator.ValidateFS(fsys, rev, generator.Options{})
	if err != nil {
		return nil, err
	}
	if e, _ := diag.Count(diags); e > 0 {
		f, _ := diag.NewFormatter("text", rev, nil)
		f.Format(os.Stderr, diags)
		return nil, fmt.Errorf("the repository at %s has %d errors (listed above): fix them there, or compare with another revision", rev, e)
	}
	return m, nil
}
