package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/handover-dev/handover/generator/scaffold"
	"github.com/spf13/cobra"
)

func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new handover repository with one example client",
		Long: `Init creates a handover repository in DIR (default: the current directory;
created if missing): handover.yaml, one example client that shows every kind
(a service, a production server, a certificate, an integration, a vendor and a
runbook), a shared vendor, the JSON Schemas with editor settings, a .gitignore
for the site, and a GitHub Actions workflow that validates pull requests and
publishes the site.

The example validates clean and has no readiness gaps: its dates count from
today. Replace it with your own clients.

Init never overwrites a file: when any of the files it would create exists, it
writes nothing, names them, and exits 1.`,
		Example: `  handover init my-handover
  handover init`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args)
			if st, err := os.Stat(dir); err == nil && !st.IsDir() {
				return usageErr("%s is not a directory", dir)
			}
			files, err := scaffold.Write(dir)
			if err != nil {
				return fail(err)
			}
			printCreated(cmd, dir, files)
			return nil
		},
	}
}

// printCreated lists what init wrote, the schemas on one line, and what to
// run next.
func printCreated(cmd *cobra.Command, dir string, files []string) {
	w := cmd.OutOrStdout()
	where := dir
	if filepath.Clean(dir) == "." {
		where = "the current directory"
	}
	fmt.Fprintf(w, "Created a handover repository in %s:\n", where)
	isSchema := func(f string) bool { return strings.HasPrefix(f, scaffold.SchemaDir+"/") }
	var schemas int
	for _, f := range files {
		if isSchema(f) {
			schemas++
		}
	}
	listed := false
	for _, f := range files {
		switch {
		case !isSchema(f):
			fmt.Fprintf(w, "  %s\n", f)
		case !listed:
			fmt.Fprintf(w, "  %s/*.schema.json (%d JSON Schemas, for your editor)\n", scaffold.SchemaDir, schemas)
			listed = true
		}
	}
	site := filepath.Join(dir, "site")
	fmt.Fprintf(w, `
Everything in it is an example (Example Client Ltd, example.com): replace it with
your own clients. Push it to GitHub: .github/workflows/handover.yml then checks
every pull request and publishes the site (read its comments before you push).

Next:
  handover validate %s
  handover build %s --out %s
  open %s in your browser
`, shellQuote(dir), shellQuote(dir), shellQuote(site), shellQuote(filepath.Join(site, "index.html")))
}

// shellQuote quotes a path for a POSIX shell when it needs it, so that the
// commands init prints can be pasted as they are.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:+,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
