// Command handover validates a consultancy's handover repository and renders
// it as a static website. This package only wires flags to the generator.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/handover-dev/handover/generator"
	_ "github.com/handover-dev/handover/internal/hugeheap" // huge pages for the heap, from its init: see its package comment
	"github.com/spf13/cobra"
)

// exitError carries an exit code out of a command without printing a Go
// error: 1 when the repository has errors, 2 for usage errors.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// failed is returned when diagnostics were printed and the command must exit 1.
var failed = &exitError{code: 1}

// fail reports an error that is not about usage (a directory that cannot be
// written, a refused output directory) with exit code 1.
func fail(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: 1, msg: err.Error()}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "handover",
		Short: "Validate a handover repository and render it as a static website",
		Long: `handover turns a git repository of YAML files describing each client's servers,
configurations, integrations, vendors, contacts and runbooks into a static
handover website that a successor can take over support from.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolP("quiet", "q", false, "print only diagnostics and results, no summaries")
	root.PersistentFlags().BoolP("verbose", "v", false, "print each pipeline stage as it ends, with its time")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%s", err) })
	root.AddCommand(newInitCmd(), newValidateCmd(), newBuildCmd(), newServeCmd(), newCheckCmd(), newImpactCmd(), newDiffCmd(), newSchemaCmd(), newVersionCmd())
	return root
}

func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "handover: %s\n", ee.msg)
		}
		if ee.code == 2 {
			fmt.Fprintln(stderr, "Run 'handover --help' for usage.")
		}
		return ee.code
	}
	// cobra's own errors (unknown command, wrong argument count) are usage errors.
	fmt.Fprintf(stderr, "handover: %s\nRun 'handover --help' for usage.\n", err)
	return 2
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func quiet(cmd *cobra.Command) bool {
	q, _ := cmd.Flags().GetBool("quiet")
	return q
}

// progress reports pipeline stages: every stage as a line with -v; on a
// terminal, one line rewritten in place; in CI (no terminal), nothing until
// the summary.
func progress(cmd *cobra.Command) func(generator.Timing) {
	if quiet(cmd) {
		return nil
	}
	w := cmd.ErrOrStderr()
	if v, _ := cmd.Flags().GetBool("verbose"); v {
		return func(t generator.Timing) { fmt.Fprintf(w, "%-9s %s\n", t.Stage, t.Duration.Round(time.Millisecond)) }
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return func(t generator.Timing) {
				fmt.Fprintf(w, "\r\033[K%s done (%s)…", t.Stage, t.Duration.Round(time.Millisecond))
			}
		}
	}
	return nil
}
