// Package generator runs the pipeline of DESIGN.md §2 over a handover
// repository. Each stage lives in its own package; this file only calls
// them in order, times them and gathers their diagnostics.
package generator

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/generator/secrets"
	"github.com/handover-dev/handover/generator/site"
	"github.com/handover-dev/handover/generator/validate"
	"github.com/handover-dev/handover/generator/write"
	sitetemplate "github.com/handover-dev/handover/site-template"
)

// Options configure a run of the pipeline.
type Options struct {
	Load load.Options
	// Since, for Build: a "What changed since" page, said by the caller
	// (generator/diff compares models, and imports this package).
	Since *site.Since
	// Progress, when set, is told each stage as it ends (for -v and
	// terminals).
	Progress func(Timing)
	// Readiness, for Build, scores the model for the site (generator/check
	// builds on this package's Model, so the caller wires it in). only,
	// when set, limits it to those clients and the shared vendors.
	Readiness func(m *Model, h *history.History, only map[string]bool) *site.Readiness
}

// stopwatch times stages that run one after the other and tells
// Options.Progress of each as it ends.
type stopwatch struct {
	opts    Options
	timings []Timing
	start   time.Time
}

func newStopwatch(opts Options) *stopwatch { return &stopwatch{opts: opts, start: time.Now()} }

// lap ends a stage: it took the time since the previous one ended.
func (s *stopwatch) lap(stage string) { s.laps(stage, "", 0) }

// laps ends two stages: the second, then, took last of the time since the
// previous lap, the first the rest.
func (s *stopwatch) laps(first, second string, last time.Duration) {
	now := time.Now()
	ts := []Timing{{first, now.Sub(s.start) - last}}
	if second != "" {
		ts = append(ts, Timing{second, last})
	}
	for _, t := range ts {
		s.record(t)
	}
	s.start = now
}

func (s *stopwatch) record(t Timing) {
	s.timings = append(s.timings, t)
	if s.opts.Progress != nil {
		s.opts.Progress(t)
	}
}

// beside ends a stage that ran beside the previous ones and took d of
// their time: the stages' times then add up to more than the whole.
func (s *stopwatch) beside(stage string, d time.Duration) {
	s.record(Timing{stage, d})
	s.start = time.Now()
}

// Model is what the pipeline knows about a repository after resolving.
type Model struct {
	Repo  *load.Result
	Index *resolve.Index
	Graph *graph.Graph
}

// Timing is how long one stage took.
type Timing struct {
	Stage    string
	Duration time.Duration
}

// Validate runs load → validate → resolve → analyse over dir and returns the model
// with every diagnostic, sorted. The error is for failures a user cannot
// cause (a broken embedded schema); everything else is a diagnostic.
func Validate(dir string, opts Options) (*Model, []diag.Diagnostic, error) {
	return validateTimed(os.DirFS(dir), dir, opts, newStopwatch(opts))
}

// ValidateFS is Validate over a file system, such as a git tree at some
// revision; name is how messages refer to it.
func ValidateFS(fsys fs.FS, name string, opts Options) (*Model, []diag.Diagnostic, error) {
	return validateTimed(fsys, name, opts, newStopwatch(opts))
}

func validateTimed(fsys fs.FS, name string, opts Options, sw *stopwatch) (*Model, []diag.Diagnostic, error) {
	schemas, err := validate.Embedded()
	if err != nil {
		return nil, nil, fmt.Errorf("embedded schemas: %w", err)
	}
	repo, diags := load.FS(fsys, name, opts.Load)
	sw.lap("load")
	// resolve and analyse need nothing of the schemas and the secret
	// scanner, and all of them only read the documents: the first two,
	// mostly on one core, run beside the others, which use every core.
	var (
		index                    *resolve.Index
		g                        *graph.Graph
		rd                       []diag.Diagnostic
		resolveTook, analyseTook time.Duration
	)
	linked := make(chan struct{})
	go func() {
		defer close(linked)
		start := time.Now()
		index, rd = resolve.Docs(repo.Docs)
		resolveTook = time.Since(start)
		g = graph.New(index)
		rd = append(rd, g.Warnings()...)
		analyseTook = time.Since(start) - resolveTook
	}()
	diags = append(diags, validate.Repo(schemas, repo)...)
	diags = append(diags, secrets.Repo(repo.Portfolio, repo.Docs, repo.Source)...)
	sw.lap("validate")
	<-linked
	diags = append(diags, rd...)
	sw.beside("resolve", resolveTook)
	sw.beside("analyse", analyseTook)
	return &Model{Repo: repo, Index: index, Graph: g}, diag.Sort(diag.Redact(diags)), nil
}

// BuildResult tells what a build did.
type BuildResult struct {
	Model   *Model
	History *history.History // nil outside git
	Site    *site.Site
	Timings []Timing
	Written bool // false when errors stopped the build before writing
}

// Build runs the whole pipeline and writes the site to out, atomically. It
// writes nothing when there is an error diagnostic (or a warning, with
// strict): the previous site stays as it was.
func Build(dir, out string, strict bool, opts Options) (*BuildResult, []diag.Diagnostic, error) {
	if err := checkOut(dir, out); err != nil {
		return nil, nil, err
	}
	if rel, err := filepath.Rel(dir, out); err == nil && !strings.HasPrefix(rel, "..") {
		rel = filepath.ToSlash(rel)
		if !load.Ignored(os.DirFS(dir), rel) {
			return nil, nil, fmt.Errorf("--out %s is inside the repository but not ignored: add /%s/ to %s, or build outside the repository",
				out, rel, filepath.Join(dir, ".gitignore"))
		}
		opts.Load.Skip = append(opts.Load.Skip, rel)
	}
	var tx *write.Tx
	wait := func() error { return nil }
	begin := func(so *site.Options) error {
		var err error
		tx, err = write.Begin(out, site.Marker)
		if err != nil {
			return err
		}
		// Pages are written while the next ones render: a renderer that
		// waited for the disk would leave its core idle.
		so.Emit, wait = tx.Background(4)
		so.Stream = tx.Stream
		return nil
	}
	sw := newStopwatch(opts)
	res, diags, err := render(dir, strict, opts, begin, sw)
	werr := wait()
	if err != nil || res.Site == nil {
		if tx != nil {
			tx.Abort()
		}
		return res, diags, err
	}
	if werr != nil {
		tx.Abort()
		return res, diags, werr
	}
	if err := tx.All(res.Site.Files); err != nil {
		tx.Abort()
		return res, diags, err
	}
	if err := tx.Commit(); err != nil {
		return res, diags, err
	}
	sw.lap("write")
	res.Timings, res.Written = sw.timings, true
	return res, diags, nil
}

// Render runs the pipeline up to the rendered site, in memory: Build
// without the write. The site is nil when there is an error diagnostic (or
// a warning, with strict).
func Render(dir string, strict bool, opts Options) (*BuildResult, []diag.Diagnostic, error) {
	return render(dir, strict, opts, nil, newStopwatch(opts))
}

// render is Render; begin, when set, is called once the site is known to
// be wanted (no errors so far) and sets where each page goes as soon as it
// is rendered (site.Options.Emit, Stream): Build writes them to disk as
// they come.
func render(dir string, strict bool, opts Options, begin func(*site.Options) error, sw *stopwatch) (res *BuildResult, diags []diag.Diagnostic, err error) {
	m, diags, err := validateTimed(os.DirFS(dir), dir, opts, sw)
	res = &BuildResult{Model: m}
	defer func() { res.Timings = sw.timings }()
	if err != nil || diag.HasErrors(diags, strict) {
		return res, diags, err
	}
	hist, hd, err := history.Read(dir, m.Repo.Sources)
	if err != nil {
		return res, diags, err
	}
	diags = append(diags, hd...)
	res.History = hist
	if hist != nil {
		// History.Documents' work, which Read does ahead, is no part of
		// the pass over the history: it is a stage of its own.
		sw.laps("enrich", "split", hist.Split)
	} else {
		sw.lap("enrich")
	}
	if diag.HasErrors(diags, strict) {
		return res, diag.Sort(diags), nil
	}
	if begin != nil {
		// Every message with a position is out: the pages and the
		// readiness report on them need no position, and a build keeps
		// the model no longer than this.
		for _, d := range m.Repo.Docs {
			d.DropNodes()
		}
	}
	so := site.Options{Template: Template(dir), History: hist, Since: opts.Since}
	if opts.Readiness != nil {
		// Worked out beside the render's own preparation, which does not
		// need it (site.Options.ReadinessLater).
		ready := make(chan *site.Readiness, 1)
		go func() { ready <- opts.Readiness(m, hist, nil) }()
		so.ReadinessLater = sync.OnceValue(func() *site.Readiness { return <-ready })
	}
	if begin != nil {
		if err := begin(&so); err != nil {
			return res, diags, err
		}
	}
	s, sd, err := site.Render(m.Repo, m.Index, m.Graph, so)
	diags = diag.Sort(append(diags, sd...))
	if err != nil || diag.HasErrors(diags, strict) {
		return res, diags, err
	}
	res.Site = s
	sw.lap("render")
	return res, diags, nil
}

// Template returns the site template: the embedded one, under the
// repository's own site-template/ folder when it has one.
func Template(dir string) fs.FS {
	own := filepath.Join(dir, "site-template")
	if st, err := os.Stat(own); err == nil && st.IsDir() {
		return site.Overlay(site.NoSymlinks(own), sitetemplate.FS)
	}
	return sitetemplate.FS
}

// checkOut refuses an output directory that is the repository itself or
// holds it: replacing it would delete the documentation.
func checkOut(dir, out string) error {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if absOut == absDir || strings.HasPrefix(absDir, absOut+string(filepath.Separator)) {
		return fmt.Errorf("--out %s would replace the repository itself: choose a directory such as %s", out, filepath.Join(dir, "site"))
	}
	return nil
}
