package main

import (
	"fmt"
	"time"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/check"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/history"
	"github.com/spf13/cobra"
)

func newCheckCmd() *cobra.Command {
	var today, format string
	var minReadiness int
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Could a successor take over tomorrow? Readiness, expiries and stale reviews",
		Long: `Check scores each client's handover readiness from 0 to 100 against the rules
of generator/check (escalation path, SLA, backups with a recent restore test,
monitoring, access, runbooks, vendor support, …), lists what is missing and how
to fix it, and warns about expiries (certificates, domains, licences, contracts,
OS end of life) within the portfolio's warning window and reviews older than its
staleAfter policy. Readiness gaps are warnings; an expired item is an error.

Exit status: 1 when something has expired, or a client scores below
--min-readiness; 0 otherwise.`,
		Example: `  handover check examples --today 2026-11-26
  handover check --min-readiness 80 --format github .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return err
			}
			day, err := parseToday(today)
			if err != nil {
				return err
			}
			known := format == "sarif"
			for _, f := range check.Formats {
				known = known || f == format
			}
			if !known {
				return usageErr("unknown format %q (known: text, markdown, json, github, sarif)", format)
			}
			report, err := readiness(dir, day)
			if err != nil {
				return fail(err)
			}
			out := cmd.OutOrStdout()
			report = report.WithPrefix(dirPrefix(dir))
			if format == "sarif" {
				err = diag.SARIF{}.Format(out, diag.Sort(report.Diagnostics()))
			} else {
				err = report.Write(out, format)
			}
			if err != nil {
				return err
			}
			expired, _ := diag.Count(report.Diagnostics())
			below := report.Below(minReadiness)
			for _, c := range below {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s scores %d, below --min-readiness %d\n", c.Name, c.Score, minReadiness)
			}
			if expired > 0 || len(below) > 0 {
				return failed
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&today, "today", "", "the date to count expiries and ages from, YYYY-MM-DD (default: today)")
	cmd.Flags().IntVar(&minReadiness, "min-readiness", 0, "exit 1 when a client scores below this (0-100)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown, json, github or sarif")
	return cmd
}

func dirPrefix(dir string) string {
	if dir == "." {
		return ""
	}
	return dir
}

func parseToday(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, usageErr("--today %q is not a date: write YYYY-MM-DD", s)
	}
	return t, nil
}

// readiness validates dir, reads its history and runs the checks.
func readiness(dir string, today time.Time) (check.Report, error) {
	m, diags, err := generator.Validate(dir, generator.Options{})
	if err != nil {
		return check.Report{}, err
	}
	if e, _ := diag.Count(diags); e > 0 {
		return check.Report{}, fmt.Errorf("%s has %d errors: run handover validate %s and fix them first", dir, e, dir)
	}
	h, _, err := history.Read(dir, m.Repo.Sources)
	if err != nil {
		return check.Report{}, err
	}
	opts, _ := check.OptionsFor(m.Repo.Portfolio, today)
	report := check.Run(m, h, opts)
	// Secrets allowed with handover:allow-secret are listed, with their
	// reasons, so that a reviewer sees every exception.
	for _, d := range diags {
		if d.Code == "secret-allowed" {
			report.Warnings = append(report.Warnings, d)
		}
	}
	return report, nil
}
