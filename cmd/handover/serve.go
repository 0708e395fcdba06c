package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/check"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/serve"
	"github.com/handover-dev/handover/generator/site"
)

func newServeCmd() *cobra.Command {
	var port int
	cmd := &cobra.Command{
		Use:   "serve [DIR]",
		Short: "Preview the site on 127.0.0.1, rebuilt and reloaded on every save",
		Long: `Serve renders the site into memory and serves it on 127.0.0.1 (never on other
interfaces). It watches the repository and rebuilds after every change; open
pages reload by themselves. When a change breaks the build, the terminal and
every page show the errors with file:line until it is fixed. Nothing is
written to disk.`,
		Example: `  handover serve examples
  handover serve . --port 8080`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := dirArg(args)
			if err := checkDir(dir); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, cmd, dir, port, nil)
		},
	}
	cmd.Flags().IntVarP(&port, "port", "p", 4321, "the port to listen on (0 picks a free one)")
	return cmd
}

// runServe serves until ctx ends; ready, when set, is told the address
// once the server listens (for tests).
func runServe(ctx context.Context, cmd *cobra.Command, dir string, port int, ready func(addr string)) error {
	stderr := cmd.ErrOrStderr()
	live := generator.NewLive(dir, generator.Options{Readiness: check.ForSite})
	var sources diag.Sources
	var pages string
	build := func(changed []string) (*site.Site, []diag.Diagnostic, error) {
		live.Changed(changed...)
		res, diags, err := live.Render()
		if res != nil && res.Model != nil {
			sources = res.Model.Repo.Source
		}
		if res == nil {
			return nil, diags, err
		}
		if res.Site != nil {
			pages = fmt.Sprintf("%d of %d pages rendered", res.Site.Rendered, res.Site.Pages)
		}
		return res.Site, diags, err
	}
	srv := serve.New(dir, build, filepath.Join(dir, "site"))
	report := func(diags []diag.Diagnostic, took time.Duration, err error) {
		if err != nil {
			fmt.Fprintf(stderr, "handover: %v\n", err)
			return
		}
		f, _ := diag.NewFormatter("text", dir, sources)
		f.Format(stderr, diags)
		if e, _ := diag.Count(diags); e > 0 {
			fmt.Fprintf(stderr, "the site does not build (%d errors): the browser shows them until they are fixed\n", e)
			return
		}
		fmt.Fprintf(stderr, "rebuilt in %s (%s)\n", took.Round(time.Millisecond), pages)
	}
	report(srv.Rebuild())

	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return usageErr("cannot listen on 127.0.0.1:%d: %v (try --port 0)", port, err)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go httpSrv.Serve(ln)
	addr := "http://" + ln.Addr().String() + "/"
	watching := make(chan struct{})
	watchErr := make(chan error, 1)
	go func() { watchErr <- srv.Watch(ctx, func() { close(watching) }, report) }()
	select {
	case <-watching:
	case err := <-watchErr:
		return fail(err)
	}
	fmt.Fprintf(stderr, "serving %s at %s (Ctrl-C to stop)\n", dir, addr)
	if ready != nil {
		ready(addr)
	}
	select {
	case <-ctx.Done():
	case err = <-watchErr:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	httpSrv.Shutdown(shutdown)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fail(err)
	}
	return nil
}
