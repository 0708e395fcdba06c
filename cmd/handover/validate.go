package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/hugeheap"
	"github.com/handover-dev/handover/internal/offheap"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	var format string
	var strict bool
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check a handover repository against its schemas and itself",
		Long: `Validate loads every handover.yaml, *.yaml and runbook *.md file under DIR
(default: the current directory), checks each document against the JSON Schema
of its kind, and checks references, ids and placement across documents.

Every problem is printed as file:line:col with a hint. Exit status: 0 when
there is no error, 1 when there is one (or a warning, with --strict), 2 for a
usage error.`,
		Example: `  handover validate examples
  handover validate --format github .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return err
			}
			var opts generator.Options
			opts.Load.Text = &offheap.Arena{Huge: hugeheap.Active()} // validate loads once, as build does
			if v, _ := cmd.Flags().GetBool("verbose"); v && !quiet(cmd) {
				opts.Progress = progress(cmd) // each stage's time, as build -v prints them
			}
			if os.Getenv("GOGC") == "" {
				// Most of what validate allocates stays live until it
				// exits, so a collection at twice the live heap finds
				// little to free; but with the documents' values off the
				// heap, collecting at five times it (as before) touched
				// 40 MB more fresh memory at 50k entities, which costs more
				// on a virtual machine than the collections it saved: 2.5
				// times is quicker than both (PERFORMANCE.md).
				debug.SetGCPercent(150)
			}
			m, diags, err := generator.Validate(dir, opts)
			if err != nil {
				return fail(err)
			}
			f, err := diag.NewFormatter(format, dir, m.Repo.Source)
			if err != nil {
				return usageErr("%s", err)
			}
			if err := f.Format(cmd.OutOrStdout(), diags); err != nil {
				return err
			}
			errs, warns := diag.Count(diags)
			if format == "text" && !quiet(cmd) {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d files, %d documents: %s\n",
					dir, len(m.Repo.Files), len(m.Repo.Docs), summary(errs, warns))
			}
			if diag.HasErrors(diags, strict) {
				return failed
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, github or sarif")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 on warnings too")
	return cmd
}

func dirArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}

func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return usageErr("%s: no such directory", dir)
	}
	if !st.IsDir() {
		return usageErr("%s is not a directory", dir)
	}
	return nil
}

func summary(errs, warns int) string {
	if errs == 0 && warns == 0 {
		return "no problems"
	}
	return fmt.Sprintf("%s, %s", plural(errs, "error"), plural(warns, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
