package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/handover-dev/handover/schemas"
	"github.com/spf13/cobra"
)

func newSchemaCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schema [KIND]",
		Short: "Print or write the JSON Schemas, for editors",
		Long: `Schema prints the JSON Schema (draft 2020-12) of one kind, lists the schemas,
or with --out writes them all to a directory, for editors: point the YAML
language server at them with a line such as
  # yaml-language-server: $schema=../../schemas/server.schema.json`,
		Example: `  handover schema --out schemas
  handover schema server`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			names, err := fs.Glob(schemas.FS, "*.schema.json")
			if err != nil {
				return err
			}
			switch {
			case out != "":
				if err := os.MkdirAll(out, 0o755); err != nil {
					return usageErr("cannot create %s: %v", out, err)
				}
				for _, n := range names {
					b, _ := fs.ReadFile(schemas.FS, n)
					if err := os.WriteFile(filepath.Join(out, n), b, 0o644); err != nil {
						return fmt.Errorf("write schema: %w", err)
					}
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d schemas to %s\n", len(names), out)
			case len(args) == 1:
				b, err := fs.ReadFile(schemas.FS, strings.ToLower(args[0])+".schema.json")
				if err != nil {
					return usageErr("no schema named %q (known: %s)", args[0], strings.Join(kinds(names), ", "))
				}
				_, err = cmd.OutOrStdout().Write(b)
				return err
			default:
				for _, k := range kinds(names) {
					fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s%s.schema.json\n", k, schemas.BaseURL, k)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write every schema into this directory")
	return cmd
}

func kinds(files []string) []string {
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(f, ".schema.json"))
	}
	return out
}
