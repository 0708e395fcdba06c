package check

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
)

// expiries lists what of d expires within the warning window or has
// expired:
//
//   - a Configuration's expires (certificate, domain, licence, …): a
//     warning within ExpiryWarning, an error once past. With autoRenew
//     set it is only an info within the window (it should renew by
//     itself), and still an error once past: the renewal failed, or
//     nobody updated expires.
//   - a Server's os.eol: a warning within the window, an error once past.
//   - a Vendor's or Client's contract.renewal: an error once past (the
//     recorded date is over: renewed or lapsed, someone must say which).
//     Before that, a warning from ExpiryWarning before the last day to
//     give notice (renewal less noticePeriod) when there is a notice
//     period, so that there is time to decide; else from ExpiryWarning
//     before the renewal.
func (r *run) expiries(d *model.Document) []Expiry {
	s := r.subject(d)
	var out []Expiry
	add := func(what, when string, sev diag.Severity, msg string, at diag.Pos) {
		t, _ := date(when)
		out = append(out, Expiry{
			Ref: d.Ref().String(), Client: d.Client, Name: s.name(), What: what, Date: when,
			Days: daysBetween(r.opts.Today, t), Severity: sev, Message: msg, Pos: at,
		})
	}
	switch {
	case s.Configuration != nil && s.Configuration.Expires != "":
		c := s.Configuration
		n, state := r.window(c.Expires, 0)
		what := strings.TrimSpace(noun(c.Type) + " expires")
		it := "the " + noun(c.Type)
		if noun(c.Type) == "" {
			it = "it"
		}
		auto := c.AutoRenew != nil && *c.AutoRenew
		switch {
		case state == past && auto:
			add(what, c.Expires, diag.Error, fmt.Sprintf("%s expired %s ago, on %s, although `autoRenew` is on: the renewal failed or `expires` was not updated", it, days(-n), c.Expires), s.At("expires"))
		case state == past:
			add(what, c.Expires, diag.Error, fmt.Sprintf("%s expired %s ago, on %s", it, days(-n), c.Expires), s.At("expires"))
		case state == soon && auto:
			add(what, c.Expires, diag.Info, fmt.Sprintf("%s expires %s (%s) and should renew by itself (`autoRenew`): check that it did, then update `expires`", it, fromToday(n), c.Expires), s.At("expires"))
		case state == soon && c.AutoRenew != nil:
			add(what, c.Expires, diag.Warning, fmt.Sprintf("%s expires %s (%s), and does not renew by itself", it, fromToday(n), c.Expires), s.At("expires"))
		case state == soon:
			add(what, c.Expires, diag.Warning, fmt.Sprintf("%s expires %s (%s)", it, fromToday(n), c.Expires), s.At("expires"))
		}
	case s.Server != nil && s.Server.OS.EOL != "":
		o := s.Server.OS
		name := strings.TrimSpace(o.Name + " " + o.Version)
		if name == "" {
			name = "the operating system"
		}
		switch n, state := r.window(o.EOL, 0); state {
		case past:
			add("OS end of life", o.EOL, diag.Error, fmt.Sprintf("%s reached end of life %s ago, on %s: no more security updates", name, days(-n), o.EOL), s.At("os", "eol"))
		case soon:
			add("OS end of life", o.EOL, diag.Warning, fmt.Sprintf("%s reaches end of life %s (%s): plan the upgrade", name, fromToday(n), o.EOL), s.At("os", "eol"))
		}
	case s.Vendor != nil && s.Vendor.Contract.Renewal != "":
		out = append(out, r.contract(s, "vendor contract renewal", s.Vendor.Contract.Renewal, s.Vendor.Contract.NoticePeriod)...)
	case s.Client != nil && s.Client.Contract.Renewal != "":
		out = append(out, r.contract(s, "support contract renewal", s.Client.Contract.Renewal, s.Client.Contract.NoticePeriod)...)
	}
	return out
}

// contract checks a renewal date with its notice period.
func (r *run) contract(s *Subject, what, renewal, notice string) []Expiry {
	t, ok := date(renewal)
	if !ok {
		return nil
	}
	period, err := ParseDuration(notice)
	if notice == "" || err != nil {
		period = 0
	}
	n, state := r.window(renewal, period)
	e := Expiry{
		Ref: s.Doc.Ref().String(), Client: s.Doc.Client, Name: s.name(), What: what, Date: renewal, Days: n,
		Severity: diag.Warning, Pos: s.At("contract", "renewal"),
	}
	switch state {
	case past:
		e.Severity = diag.Error
		e.Message = fmt.Sprintf("the contract renewal date %s passed %s ago: record whether it renewed or ended, and the next date in `contract.renewal`", renewal, days(-n))
	case soon:
		e.Message = fmt.Sprintf("the contract renews %s, on %s", fromToday(n), renewal)
		if period > 0 {
			by := midnight(t.Add(-period))
			e.NoticeBy = by.Format(time.DateOnly)
			m := daysBetween(r.opts.Today, by)
			if m < 0 {
				e.Message += fmt.Sprintf("; the last day to give notice (%s) was %s, %s ago", notice, e.NoticeBy, days(-m))
			} else {
				e.Message += fmt.Sprintf("; give notice (%s) by %s, %s", notice, e.NoticeBy, fromToday(m))
			}
		}
	default:
		return nil
	}
	return []Expiry{e}
}

type expiryState int

const (
	later expiryState = iota // beyond the warning window
	soon                     // within it, today included
	past                     // the date is over
)

// window places a date relative to today and the warning window, which
// starts ExpiryWarning plus lead (a notice period) before it, and returns
// the days from today to the date.
func (r *run) window(when string, lead time.Duration) (int, expiryState) {
	t, ok := date(when)
	if !ok {
		return 0, later // the schema reports it
	}
	n := daysBetween(r.opts.Today, t)
	switch {
	case n < 0:
		return n, past
	case t.Sub(r.opts.Today) <= r.opts.ExpiryWarning+lead:
		return n, soon
	}
	return n, later
}

// noun names a configuration type in a sentence: "certificate", "DNS
// zone", "licence"; "" for other.
func noun(typ string) string {
	switch typ {
	case "", "other":
		return ""
	case "license":
		return "licence"
	case "dns-zone":
		return "DNS zone"
	case "vpn":
		return "VPN"
	}
	return strings.ReplaceAll(typ, "-", " ")
}

// sortExpiries orders expiries by the day something must be done (the
// notice deadline, else the date), then severity, client and entity.
func sortExpiries(xs []Expiry) {
	slices.SortStableFunc(xs, func(a, b Expiry) int {
		return cmp.Or(cmp.Compare(a.Due(), b.Due()), cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.Client, b.Client),
			cmp.Compare(a.Ref, b.Ref), cmp.Compare(a.What, b.What))
	})
}

// Due is the day something must be done: the last day to give notice on a
// contract with a notice period, else Date.
func (x Expiry) Due() string { return cmp.Or(x.NoticeBy, x.Date) }
