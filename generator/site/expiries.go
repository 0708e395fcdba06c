package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// Expiry is a date by which something must be renewed or replaced.
type Expiry struct {
	Date      string // YYYY-MM-DD
	What      string // "Certificate expires", "OS end of life", …
	Entity    *Entity
	AutoRenew bool
}

// expiries collects every dated deadline of the portfolio, sorted by date.
func (m *siteModel) expiries() []Expiry {
	var out []Expiry
	for _, e := range m.all {
		switch t := e.Typed.(type) {
		case *model.Configuration:
			if t.Expires != "" {
				out = append(out, Expiry{Date: t.Expires, What: Label(t.Type) + " expires", Entity: e,
					AutoRenew: t.AutoRenew != nil && *t.AutoRenew})
			}
		case *model.Server:
			if t.OS.EOL != "" {
				out = append(out, Expiry{Date: t.OS.EOL, What: strings.TrimSpace(t.OS.Name+" "+t.OS.Version) + " end of life", Entity: e})
			}
		case *model.Vendor:
			if t.Contract.Renewal != "" {
				out = append(out, Expiry{Date: t.Contract.Renewal, What: "Vendor contract renewal" + notice(t.Contract.NoticePeriod), Entity: e})
			}
		case *model.Client:
			if t.Contract.Renewal != "" {
				out = append(out, Expiry{Date: t.Contract.Renewal, What: "Support contract renewal" + notice(t.Contract.NoticePeriod), Entity: e})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Expiry) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.Entity.URL, b.Entity.URL), strings.Compare(a.What, b.What))
	})
	return out
}

func notice(p string) string {
	if p == "" {
		return ""
	}
	return fmt.Sprintf(" (notice %s)", p)
}

// expiriesByClient gives each client the expiries of its entities, in the
// order of all (shared vendors' expiries belong to no client).
func expiriesByClient(all []Expiry) map[*Client][]Expiry {
	out := map[*Client][]Expiry{}
	for _, x := range all {
		if x.Entity.Client != nil {
			out[x.Entity.Client] = append(out[x.Entity.Client], x)
		}
	}
	return out
}

// writeICS writes the expiries as an iCalendar feed (RFC 5545) of all-day
// events to w (see textWriter). DTSTAMP is the event's own date, so the
// feed is a pure function of the repository.
func writeICS(w textWriter, title string, xs []Expiry) error {
	line := func(s string) {
		// Fold lines longer than 75 octets, as RFC 5545 §3.1 requires.
		for len(s) > 75 {
			cut := 75
			for cut > 0 && (s[cut]&0xC0) == 0x80 {
				cut--
			}
			w.WriteString(s[:cut])
			w.WriteString("\r\n")
			s = " " + s[cut:]
		}
		w.WriteString(s)
		w.WriteString("\r\n")
	}
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//handover//expiries//EN")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + icsText(title+" expiries"))
	for _, x := range xs {
		d := strings.ReplaceAll(x.Date, "-", "")
		who := x.Entity.Title()
		if x.Entity.Client != nil {
			who = x.Entity.Client.Title() + ": " + who
		}
		line("BEGIN:VEVENT")
		line("UID:" + icsText(x.Entity.Ref()+"/"+x.Entity.ClientID()+"/"+x.What+"@handover"))
		line("DTSTAMP:" + d + "T000000Z")
		line("DTSTART;VALUE=DATE:" + d)
		line("SUMMARY:" + icsText(x.What+": "+who))
		line("DESCRIPTION:" + icsText(x.Entity.Ref()+" in "+x.Entity.Doc.File))
		line("END:VEVENT")
	}
	_, err := w.WriteString("END:VCALENDAR\r\n")
	return err
}

// icsEscaper escapes TEXT values (RFC 5545 §3.3.11). It is built once: a
// Replacer builds its tables on first use.
var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "")

func icsText(s string) string { return icsEscaper.Replace(s) }
