package check

import (
	"path"

	"github.com/handover-dev/handover/generator/diag"
)

// Diagnostics returns the report as diagnostics, sorted, for annotations
// and editors: every readiness finding as a warning with code
// check-<rule-id> (a shared vendor's once, however many clients use it),
// every expiry as code expiry (a warning, or an info when it renews by
// itself) or, once past, an error with code expired, every stale review
// as a warning with code stale, and the portfolio warnings. A stale
// entity's finding of rule reviewed is left out: its stale diagnostic,
// at the same place, says the same.
func (r Report) Diagnostics() []diag.Diagnostic {
	type key struct{ ref, client string }
	stale := map[key]bool{}
	var ds []diag.Diagnostic
	for _, s := range r.Stale {
		stale[key{s.Ref, s.Client}] = true
		ds = append(ds, diag.Warnf(s.Pos, "stale",
			"check the page against the real system, then set `reviewed` to the date and `reviewedBy`",
			"%s: %s", s.Ref, s.message(r.StaleAfter)))
	}
	finding := func(f Finding) {
		if f.Rule == "reviewed" && stale[key{f.Ref, f.Client}] {
			return
		}
		d := diag.Warnf(f.Pos, "check-"+f.Rule, f.Fix, "%s: %s", f.Ref, f.Message)
		d.Severity = f.Severity
		ds = append(ds, d)
	}
	for _, c := range r.Clients {
		for _, e := range c.Entities {
			if e.Client != "" {
				for _, f := range e.Missing {
					finding(f)
				}
			}
		}
	}
	for _, e := range r.Shared {
		for _, f := range e.Missing {
			finding(f)
		}
	}
	for _, x := range r.Expiries {
		code := "expiry"
		if x.Days < 0 {
			code = "expired"
		}
		d := diag.Warnf(x.Pos, code, expiryHint(x), "%s: %s", x.Ref, x.Message)
		d.Severity = x.Severity
		ds = append(ds, d)
	}
	ds = append(ds, r.Warnings...)
	return diag.Sort(ds)
}

// expiryHint says what to do about an expiry.
func expiryHint(x Expiry) string {
	switch x.What {
	case "OS end of life":
		return "upgrade or replace the server, then update `os`"
	case "vendor contract renewal", "support contract renewal":
		return "decide whether to renew or give notice, then record the next date in `contract.renewal`"
	}
	return "renew it, then set `expires` to the new date"
}

// WithPrefix returns a copy of the report whose positions are joined to
// prefix, so that they read as the user typed the directory
// ("examples/clients/…" for `handover check examples`).
func (r Report) WithPrefix(prefix string) Report {
	if prefix == "" || prefix == "." {
		return r
	}
	join := func(p diag.Pos) diag.Pos {
		if p.File != "" {
			p.File = path.Join(prefix, p.File)
		}
		return p
	}
	findings := func(fs []Finding) []Finding {
		out := make([]Finding, len(fs))
		for i, f := range fs {
			f.Pos = join(f.Pos)
			out[i] = f
		}
		return out
	}
	entities := func(es []EntityScore) []EntityScore {
		out := make([]EntityScore, len(es))
		for i, e := range es {
			e.File = path.Join(prefix, e.File)
			e.Missing = findings(e.Missing)
			out[i] = e
		}
		return out
	}
	out := r
	out.Clients = make([]ClientReport, len(r.Clients))
	for i, c := range r.Clients {
		c.Entities = entities(c.Entities)
		c.Missing = findings(c.Missing)
		out.Clients[i] = c
	}
	out.Shared = entities(r.Shared)
	out.Expiries = make([]Expiry, len(r.Expiries))
	for i, x := range r.Expiries {
		x.Pos = join(x.Pos)
		out.Expiries[i] = x
	}
	out.Stale = make([]Stale, len(r.Stale))
	for i, s := range r.Stale {
		s.Pos = join(s.Pos)
		out.Stale[i] = s
	}
	out.Warnings = make([]diag.Diagnostic, len(r.Warnings))
	for i, w := range r.Warnings {
		p := join(w.Pos())
		w.File = p.File
		out.Warnings[i] = w
	}
	return out
}
