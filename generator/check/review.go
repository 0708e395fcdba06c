package check

import (
	"fmt"
	"time"

	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/model"
)

// review finds when an entity was last looked at: its reviewed date when
// it has one, else the date of the last commit that changed it (its own
// document, in a file of several), else nothing.
func (r *run) review(d *model.Document) review {
	if s := d.Value.String("reviewed"); s != "" {
		if t, ok := date(s); ok {
			return review{since: s, days: daysBetween(t, r.opts.Today), basis: basisReviewed}
		}
	}
	if c := r.lastCommit(d); c != nil {
		return review{since: c.When.Format(time.DateOnly), days: daysBetween(c.When, r.opts.Today), basis: basisCommit}
	}
	return review{}
}

// lastCommit is the newest commit that changed d, or nil.
func (r *run) lastCommit(d *model.Document) *history.Commit {
	fh := r.hist.File(d.File)
	if fh == nil {
		return nil
	}
	commits := fh.Commits
	if r.docsPerFile[d.File] > 1 {
		if docs, err := r.hist.Documents(d.File); err == nil {
			commits = docs[string(d.Kind)+"/"+d.ID]
		}
	}
	if len(commits) == 0 {
		return nil
	}
	return commits[0]
}

// isStale reports whether a review that many days old breaks the
// StaleAfter policy.
func (r *run) isStale(rv review) bool {
	return rv.basis != "" && time.Duration(rv.days)*Day > r.opts.StaleAfter
}

// stale returns the Stale item of d, when its review is stale.
func (r *run) stale(d *model.Document) (Stale, bool) {
	rv := r.review(d)
	if !r.isStale(rv) {
		return Stale{}, false
	}
	return Stale{
		Ref: d.Ref().String(), Client: d.Client, Name: r.subject(d).name(),
		Since: rv.since, Days: rv.days, Basis: rv.basis, Pos: d.FieldPos([]string{"reviewed"}, true),
	}, true
}

// message says how old the review is, for reports and diagnostics.
func (s Stale) message(policy string) string {
	if s.Basis == basisReviewed {
		return fmt.Sprintf("last reviewed %s, %s ago (policy: every %s)", s.Since, days(s.Days), policy)
	}
	return fmt.Sprintf("never reviewed, and last changed %s, %s ago (policy: every %s)", s.Since, days(s.Days), policy)
}
