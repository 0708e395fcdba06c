// Command handover-synth writes a synthetic handover repository of any size
// with a git history, to measure handover at portfolio scale (see
// PERFORMANCE.md and scripts/bench-vs-hugo.sh):
//
//	handover-synth -entities 50000 -commits 5000 -out /tmp/portfolio
//
// The same flags and seed give the same files and the same commits, down to
// the hash of HEAD. This package only wires flags to generator/synth.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/handover-dev/handover/generator/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command with its arguments and streams, for tests; it returns
// the exit status: 0 on success, 1 when writing fails, 2 for a usage error.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("handover-synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: handover-synth [-clients N] [-entities M] [-commits C] [-seed S] -out DIR")
		fmt.Fprintln(stderr, "\nWrites a synthetic handover repository into DIR (created if missing, refused unless empty)\nand, with -commits above 0, makes it a git repository with that many commits.")
		fs.PrintDefaults()
	}
	clients := fs.Int("clients", 0, "client folders (default: one per 100 entities)")
	entities := fs.Int("entities", 1000, "entities in all, shared vendors included")
	commits := fs.Int("commits", 100, "commits in the git history; 0 writes no git repository")
	seed := fs.Uint64("seed", 1, "the same seed gives the same files and history")
	out := fs.String("out", "", "directory to write (required)")
	quiet := fs.Bool("q", false, "print nothing on success")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case *out == "":
		return usage(stderr, "-out DIR is required")
	case fs.NArg() > 0:
		return usage(stderr, "unexpected argument %q (the directory goes in -out)", fs.Arg(0))
	case *entities < 1 || *clients < 0 || *commits < 0:
		return usage(stderr, "-entities must be at least 1, -clients and -commits at least 0")
	}
	if *clients == 0 {
		*clients = max(1, *entities/100)
	}
	if err := emptyDir(*out); err != nil {
		fmt.Fprintf(stderr, "handover-synth: %v\n", err)
		return 1
	}
	start := time.Now()
	n, err := synth.Write(*out, synth.Options{Clients: *clients, Entities: *entities, Seed: *seed})
	if err == nil && *commits > 0 {
		err = synth.Git(*out, *commits, *seed)
	}
	if err != nil {
		fmt.Fprintf(stderr, "handover-synth: %v\n", err)
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stdout, "wrote %s: %d clients, %d entities, %d commits in %s\n",
			*out, *clients, n, *commits, time.Since(start).Round(time.Millisecond))
	}
	return 0
}

func usage(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "handover-synth: "+format+"\nRun 'handover-synth -h' for usage.\n", args...)
	return 2
}

// emptyDir creates dir, or checks that it is empty: a synthetic portfolio
// never lands on top of real files.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: choose a new or empty directory", dir)
	}
	return nil
}
