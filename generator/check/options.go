package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
)

// Options configure a check. The zero value is useful: every field left
// zero takes its default, and a zero Today is the current date.
type Options struct {
	// Today is the date expiries and ages are counted from; only its
	// calendar date counts. The CLI passes --today, so that a report can be
	// reproduced.
	Today time.Time
	// StaleAfter is how old a review may be: policies.staleAfter, default 180d.
	StaleAfter time.Duration
	// ExpiryWarning is how early an expiry warns: policies.expiryWarning,
	// default 30d.
	ExpiryWarning time.Duration
	// RestoreTestDays is how old a production server's last restore test
	// may be (rule restore-tested), default 180.
	RestoreTestDays int
	// RunbookTestDays is how old a runbook's last test may be (rule
	// runbook-tested), default 365.
	RunbookTestDays int
	// EscalationSteps is how many escalation steps a client needs (rule
	// escalation-path), default 2.
	EscalationSteps int
	// Disabled holds the ids of the rules that neither count nor report.
	Disabled map[string]bool
	// Clients, when set, limits a run to these clients (and the shared
	// vendors): Report.Clients, Expiries and Stale hold only theirs. A
	// client's results do not depend on the other clients, so the live
	// preview scores again only the clients whose files changed.
	Clients map[string]bool
}

// The defaults of Options.
const (
	DefaultStaleAfter      = 180 * Day
	DefaultExpiryWarning   = 30 * Day
	DefaultRestoreTestDays = 180
	DefaultRunbookTestDays = 365
	DefaultEscalationSteps = 2
)

// Thresholds lists the names handover.yaml may set under
// readiness.thresholds, each a whole number, with the rule it tunes.
var Thresholds = []Threshold{
	{Name: "restoreTestDays", Rule: "restore-tested", Default: DefaultRestoreTestDays, field: func(o *Options) *int { return &o.RestoreTestDays }},
	{Name: "runbookTestDays", Rule: "runbook-tested", Default: DefaultRunbookTestDays, field: func(o *Options) *int { return &o.RunbookTestDays }},
	{Name: "escalationSteps", Rule: "escalation-path", Default: DefaultEscalationSteps, field: func(o *Options) *int { return &o.EscalationSteps }},
}

// Threshold is a number in handover.yaml's readiness.thresholds.
type Threshold struct {
	Name    string // as written in handover.yaml
	Rule    string // the rule it tunes
	Default int
	field   func(*Options) *int
}

// withDefaults fills the fields left zero.
func (o Options) withDefaults() Options {
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	o.Today = midnight(o.Today)
	if o.StaleAfter <= 0 {
		o.StaleAfter = DefaultStaleAfter
	}
	if o.ExpiryWarning <= 0 {
		o.ExpiryWarning = DefaultExpiryWarning
	}
	for _, t := range Thresholds {
		if p := t.field(&o); *p <= 0 {
			*p = t.Default
		}
	}
	return o
}

// OptionsFor reads the policies and readiness tuning of a portfolio
// (handover.yaml; nil for none) into Options for a check on today. What it
// cannot use is a warning at its position in handover.yaml, and the default
// applies: an unknown rule id under readiness.disable or an unknown name
// under readiness.thresholds (each naming the closest known one), a
// threshold of 0 and a policy duration that does not parse.
func OptionsFor(portfolio *model.Document, today time.Time) (Options, []diag.Diagnostic) {
	opts := Options{Today: today, Disabled: map[string]bool{}}
	if portfolio == nil {
		return opts.withDefaults(), nil
	}
	var diags []diag.Diagnostic
	policies := portfolio.Value.Object("policies")
	for _, p := range []struct {
		name string
		into *time.Duration
		def  time.Duration
	}{{"staleAfter", &opts.StaleAfter, DefaultStaleAfter}, {"expiryWarning", &opts.ExpiryWarning, DefaultExpiryWarning}} {
		s, ok := policies.Get(p.name).(string)
		if !ok {
			continue
		}
		d, err := ParseDuration(s)
		if err != nil || d <= 0 {
			diags = append(diags, diag.Warnf(portfolio.FieldPos([]string{"policies", p.name}, false), "bad-policy",
				fmt.Sprintf("write a positive duration such as %s (m minutes, h hours, d days, w weeks, y years)", formatDuration(p.def)),
				"policies.%s %q is not a usable duration: the default %s applies", p.name, s, formatDuration(p.def)))
			continue
		}
		*p.into = d
	}

	readiness := portfolio.Value.Object("readiness")
	disable, _ := readiness.Get("disable").([]any)
	ids := RuleIDs()
	for i, v := range disable {
		id, ok := v.(string)
		if !ok {
			continue // the schema reports it
		}
		if slices.Contains(ids, id) {
			opts.Disabled[id] = true
			continue
		}
		pos := portfolio.FieldPos([]string{"readiness", "disable", fmt.Sprint(i)}, false)
		diags = append(diags, unknown(pos, "unknown-readiness-rule", "readiness rule", id, ids))
	}

	thresholds := readiness.Object("thresholds")
	names := make([]string, len(Thresholds))
	for i, t := range Thresholds {
		names[i] = t.Name
	}
	for _, name := range thresholds.Keys() {
		pos := portfolio.FieldPos([]string{"readiness", "thresholds", name}, true)
		i := slices.Index(names, name)
		if i < 0 {
			diags = append(diags, unknown(pos, "unknown-readiness-threshold", "readiness threshold", name, names))
			continue
		}
		t := Thresholds[i]
		n, ok := wholeNumber(thresholds.Get(name))
		if !ok {
			continue // the schema reports it
		}
		if n <= 0 {
			diags = append(diags, diag.Warnf(pos, "bad-readiness-threshold",
				fmt.Sprintf("set a number of at least 1, or remove %s to use the default", name),
				"readiness.thresholds.%s is 0, which rule %s cannot use: the default %d applies", name, t.Rule, t.Default))
			continue
		}
		*t.field(&opts) = n
	}
	return opts.withDefaults(), diags
}

// unknown warns about a name handover.yaml uses that is not one of known,
// naming the closest known one.
func unknown(pos diag.Pos, code, what, name string, known []string) diag.Diagnostic {
	if best, ok := diag.Closest(name, known); ok {
		return diag.Warnf(pos, code, fmt.Sprintf("the closest %s is %s", what, best),
			"unknown %s %q (did you mean %s?): it is ignored", what, name, best)
	}
	return diag.Warnf(pos, code, fmt.Sprintf("known: %s", strings.Join(known, ", ")),
		"unknown %s %q: it is ignored", what, name)
}

// wholeNumber reads a JSON number that is a whole number.
func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		return int(n), true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	case int:
		return n, true
	}
	return 0, false
}
