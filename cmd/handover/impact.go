package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
	"github.com/spf13/cobra"
)

func newImpactCmd() *cobra.Command {
	var client, format string
	cmd := &cobra.Command{
		Use:   "impact REF [DIR]",
		Short: "Show what breaks, transitively, if REF fails",
		Long: `Impact prints the blast radius of an entity: everything that depends on it,
directly or through other entities, as a tree, with the business services where
the client feels it and the SLA severity the failure would be handled at.

REF is a reference as written in YAML (vendor:hetzner, server:web-01). An id
that several clients use needs the client: --client northwind-outfitters, or
northwind-outfitters/server:web-01. Shared vendors need none.`,
		Example: `  handover impact vendor:cloudflare examples
  handover impact server:pms-01 examples --client brightsmile-dental --format json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args[1:])
			if err := checkDir(dir); err != nil {
				return err
			}
			if format != "text" && format != "json" {
				return usageErr("unknown format %q (known: text, json)", format)
			}
			refText := args[0]
			if c, r, ok := strings.Cut(refText, "/"); ok {
				client, refText = c, r
			}
			ref, ok := model.ParseRef(refText)
			if !ok {
				return usageErr("%q is not a reference: write kind:id, e.g. vendor:hetzner or server:web-01", args[0])
			}
			m, diags, err := generator.Validate(dir, generator.Options{})
			if err != nil {
				return fail(err)
			}
			if diag.HasErrors(diags, false) {
				return fail(fmt.Errorf("%s has errors: run handover validate %s first", dir, dir))
			}
			g := m.Graph
			n, found := g.Find(client, ref)
			if client == "" && !found {
				var in []string
				for id, table := range m.Index.ByClient {
					if _, ok := table[ref]; ok {
						in = append(in, id)
					}
				}
				sort.Strings(in)
				switch len(in) {
				case 0:
				case 1:
					n, found = g.Find(in[0], ref)
				default:
					return usageErr("%s exists in several clients (%s): add --client", ref, strings.Join(in, ", "))
				}
			}
			if !found {
				return fail(fmt.Errorf("no entity %s%s in %s", ref, inClient(client), dir))
			}
			report := g.Report(n, m.Index.Clients)
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(report)
			}
			return report.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&client, "client", "", "the client whose entity REF names")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func inClient(c string) string {
	if c == "" {
		return ""
	}
	return " in client " + c
}
