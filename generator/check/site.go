package check

import (
	"time"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/site"
)

// ForSite runs the checks for a build (generator.Options.Readiness), as of the last commit (the
// same commit gives the same site) or, outside git, as of today.
//
// only, when set, limits the report to these clients and the shared
// vendors (Options.Clients), for the live preview.
func ForSite(m *generator.Model, h *history.History, only map[string]bool) *site.Readiness {
	asOf := time.Now().UTC()
	if h != nil && h.Head != nil {
		asOf = h.Head.When
	}
	opts, _ := OptionsFor(m.Repo.Portfolio, asOf)
	opts.Clients = only
	report := Run(m, h, opts)
	r := &site.Readiness{AsOf: report.Today, Clients: map[string]site.ClientReadiness{}, Entities: map[string][]site.Gap{}}
	gap := func(f Finding) site.Gap {
		return site.Gap{Ref: f.Ref, Rule: f.Rule, Message: f.Message, Fix: f.Fix, Severity: f.Severity.String()}
	}
	addGaps := func(e EntityScore) { // once per rule
		key := site.EntityKey(e.Client, e.Ref)
		for _, f := range e.Missing {
			if !containsGap(r.Entities[key], f.Rule) {
				r.Entities[key] = append(r.Entities[key], gap(f))
			}
		}
	}
	for _, c := range report.Clients {
		cr := site.ClientReadiness{Score: c.Score}
		for _, f := range c.Missing {
			cr.Gaps = append(cr.Gaps, gap(f))
		}
		r.Clients[c.Client] = cr
		for _, e := range c.Entities {
			if e.Client != "" { // a shared vendor: below, whichever clients are scored
				addGaps(e)
			}
		}
	}
	// A shared vendor's gaps count where a client uses it, as the client
	// reports include it.
	used := map[string]bool{}
	for d := range newRun(m, h, opts).sharedUsers() {
		used[d.Ref().String()] = true
	}
	for _, e := range report.Shared {
		if used[e.Ref] {
			addGaps(e)
		}
	}
	for _, x := range report.Expiries {
		key := site.EntityKey(x.Client, x.Ref)
		r.Entities[key] = append(r.Entities[key], site.Gap{Ref: x.Ref, Rule: "expiry", Message: x.Message, Severity: x.Severity.String()})
	}
	return r
}

func containsGap(gs []site.Gap, rule string) bool {
	for _, g := range gs {
		if g.Rule == rule {
			return true
		}
	}
	return false
}
