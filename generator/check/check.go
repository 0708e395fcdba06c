// Package check owns the readiness part of the analyse stage: could a
// successor take over a client tomorrow? It scores every entity and every
// client against the readiness rules (Rules, one table), lists what is
// missing with the field to fill in, warns before certificates, domains,
// licences, operating systems and contracts expire, and lists the pages
// whose last review has gone stale. Reports come as text, JSON, Markdown and
// GitHub annotations.
//
// It reads the resolved model, the dependency graph and, when there is one,
// the git history; it reads no files and renders no pages.
//
// Scoring. An entity scores the weight of the rules it passes out of the
// weight of the rules that apply to it, as a whole percentage rounded down
// (so 100 means nothing is missing; 100 also when no rule applies). A
// client scores the same way over the rules applied to its Client document
// and to every entity in its folder, runbooks included, plus the shared
// vendors it uses: a shared vendor counts in every client that has an
// entity referring to it (any reference, access.via included), because that
// client's successor has to call it. Shared vendors are also scored on
// their own (Report.Shared), so that one nobody uses still shows its gaps;
// rule support-channel applies to every vendor, used or not, and
// contract-renewal only to vendors something relies on.
//
// Expiries (see run.expiries for the exact policy) warn within
// policies.expiryWarning, contracts that long before their notice
// deadline, and are errors once past. Stale reviews are the entities whose
// reviewed date, or without one their last commit, is older than
// policies.staleAfter; entities with neither are findings of rule
// reviewed ("never reviewed"), not stale items, since there is no date to
// age. Disabling rule reviewed also drops the stale list.
package check

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/parallel"
)

// Report is the result of a check.
type Report struct {
	Today         string         `json:"today"`         // YYYY-MM-DD
	StaleAfter    string         `json:"staleAfter"`    // the policy applied, as a duration: "180d"
	ExpiryWarning string         `json:"expiryWarning"` // the policy applied: "30d"
	Clients       []ClientReport `json:"clients"`       // by client id
	// Shared holds the shared vendors (vendors/), each scored on its own,
	// worst first as in ClientReport.Entities.
	Shared []EntityScore `json:"shared"`
	// Expiries lists what expires within the warning window or has
	// expired, soonest action first.
	Expiries []Expiry `json:"expiries"`
	// Stale lists the entities whose review is older than StaleAfter, by
	// client, oldest first.
	Stale []Stale `json:"stale"`
	// Warnings are the problems with handover.yaml's policies and readiness
	// tuning (unknown rule ids, unknown thresholds).
	Warnings []diag.Diagnostic `json:"warnings"`
}

// ClientReport is the readiness of one client.
type ClientReport struct {
	Client string `json:"client"` // the client id
	Name   string `json:"name"`
	Score  int    `json:"score"` // 0-100
	// Passed and Applicable are the weights behind Score.
	Passed     int `json:"passed"`
	Applicable int `json:"applicable"`
	// Entities holds the Client document, every entity of the client and
	// the shared vendors it uses, worst first: the most weight missing
	// first, then the lowest score.
	Entities []EntityScore `json:"entities"`
	// Missing is every finding of Entities, heaviest first.
	Missing []Finding `json:"missing"`
}

// EntityScore is the readiness of one entity.
type EntityScore struct {
	Ref        string    `json:"ref"`    // kind:id
	Client     string    `json:"client"` // "" for a shared vendor
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	File       string    `json:"file"`
	Score      int       `json:"score"` // 0-100
	Passed     int       `json:"passed"`
	Applicable int       `json:"applicable"`
	Missing    []Finding `json:"missing"` // heaviest first
}

// Finding is one rule an entity fails.
type Finding struct {
	Rule     string        `json:"rule"`
	Ref      string        `json:"ref"`
	Client   string        `json:"client"` // the entity's client; "" for a shared vendor
	Weight   int           `json:"weight"`
	Reason   string        `json:"reason"`  // the rule's reason
	Fix      string        `json:"fix"`     // the rule's fix
	Message  string        `json:"message"` // what is missing on this entity
	Severity diag.Severity `json:"severity"`
	Pos      diag.Pos      `json:"pos"`
}

// Expiry is something that expires within the warning window, or has
// expired.
type Expiry struct {
	Ref    string `json:"ref"`
	Client string `json:"client"`
	Name   string `json:"name"`
	What   string `json:"what"` // "certificate expires", "OS end of life", "contract renewal"
	Date   string `json:"date"` // YYYY-MM-DD
	Days   int    `json:"days"` // from today to Date; negative when past
	// NoticeBy is, for a contract with a notice period, the last day to
	// give notice before Date.
	NoticeBy string        `json:"noticeBy,omitempty"`
	Severity diag.Severity `json:"severity"`
	Message  string        `json:"message"`
	Pos      diag.Pos      `json:"pos"`
}

// Stale is an entity whose last review (or, without a reviewed date, last
// commit) is older than the StaleAfter policy.
type Stale struct {
	Ref    string `json:"ref"`
	Client string `json:"client"`
	Name   string `json:"name"`
	Since  string `json:"since"` // YYYY-MM-DD
	Days   int    `json:"days"`  // since Since
	// Basis is "reviewed" when Since is the reviewed date, "last commit"
	// when there is none and Since is the date of the last commit.
	Basis string   `json:"basis"`
	Pos   diag.Pos `json:"pos"`
}

// The bases of a Stale.
const (
	basisReviewed = "reviewed"
	basisCommit   = "last commit"
)

// Subject is what a rule looks at: one entity, its typed view (the field
// of its kind is set, the others are nil) and the model around it.
type Subject struct {
	Doc           *model.Document
	Client        *model.Client
	Service       *model.Service
	Server        *model.Server
	Configuration *model.Configuration
	Integration   *model.Integration
	Vendor        *model.Vendor
	Runbook       *model.Runbook

	common *model.Common
	run    *run
}

// At returns the position of the field at path (keys and decimal indexes),
// or of its nearest existing parent: where a finding about it points.
func (s *Subject) At(path ...string) diag.Pos { return s.Doc.FieldPos(path, true) }

// Body returns where a runbook's Markdown body starts.
func (s *Subject) Body() diag.Pos {
	if s.Doc.BodyLine > 0 {
		return diag.Pos{File: s.Doc.File, Line: s.Doc.BodyLine}
	}
	return s.Doc.Pos()
}

// in and out are the graph edges into and out of the subject's node.
func (s *Subject) in() []graph.Edge {
	if n, ok := s.run.graph.Node(s.Doc); ok {
		return s.run.graph.In[n]
	}
	return nil
}

func (s *Subject) out() []graph.Edge {
	if n, ok := s.run.graph.Node(s.Doc); ok {
		return s.run.graph.Out[n]
	}
	return nil
}

// name is how pages title the entity.
func (s *Subject) name() string {
	if s.Runbook != nil && s.Runbook.Title != "" {
		return s.Runbook.Title
	}
	if s.common.Name != "" {
		return s.common.Name
	}
	return s.Doc.ID
}

// run is the state of one Run.
type run struct {
	model       *generator.Model
	hist        *history.History
	graph       *graph.Graph
	opts        Options
	docsPerFile map[string]int
	subjects    map[*model.Document]*Subject
}

// review is when an entity was last looked at: its reviewed date, or its
// last commit; basis is "" when neither is known.
type review struct {
	since string
	days  int
	basis string
}

// Run checks the readiness, expiries and stale reviews of a resolved model
// as of opts.Today. h is the git history, for entities without a reviewed
// date; nil when there is none. Report.Warnings holds the diagnostics of
// OptionsFor on the model's portfolio, whatever opts the caller passed.
func Run(m *generator.Model, h *history.History, opts Options) Report {
	r := newRun(m, h, opts)
	opts = r.opts
	_, warnings := OptionsFor(portfolio(m), opts.Today)
	// Empty lists, not nil: JSON readers get [] rather than null.
	rep := Report{
		Today:         opts.Today.Format(time.DateOnly),
		StaleAfter:    formatDuration(opts.StaleAfter),
		ExpiryWarning: formatDuration(opts.ExpiryWarning),
		Clients:       []ClientReport{},
		Shared:        []EntityScore{},
		Expiries:      []Expiry{},
		Stale:         []Stale{},
		Warnings:      append([]diag.Diagnostic{}, diag.Sort(warnings)...),
	}
	if m.Index == nil {
		return rep
	}

	shared := sortDocs(values(m.Index.Shared))
	all := append(shared, r.clientDocs()...)
	scores := r.scoreAll(all)
	for _, d := range shared {
		rep.Shared = append(rep.Shared, scores[d])
	}
	sortWorstFirst(rep.Shared)
	users := r.sharedUsers()

	for _, client := range clientIDs(m) {
		if opts.Clients != nil && !opts.Clients[client] {
			continue
		}
		cr := ClientReport{Client: client, Name: client, Entities: []EntityScore{}, Missing: []Finding{}}
		if c := m.Index.Clients[client]; c != nil {
			cr.Name = r.subject(c).name()
		}
		for _, d := range sortDocs(values(m.Index.ByClient[client])) {
			cr.Entities = append(cr.Entities, scores[d])
		}
		for _, d := range shared {
			if users[d][client] {
				cr.Entities = append(cr.Entities, scores[d])
			}
		}
		missing := 0
		for _, e := range cr.Entities {
			missing += len(e.Missing)
		}
		cr.Missing = make([]Finding, 0, missing) // sized once: 43 MB of growing at 50k entities
		for _, e := range cr.Entities {
			cr.Passed += e.Passed
			cr.Applicable += e.Applicable
			cr.Missing = append(cr.Missing, e.Missing...)
		}
		cr.Score = percent(cr.Passed, cr.Applicable)
		sortWorstFirst(cr.Entities)
		sortFindings(cr.Missing)
		rep.Clients = append(rep.Clients, cr)
	}

	expiries := make([][]Expiry, len(all))
	stale := make([]Stale, len(all))
	isStale := make([]bool, len(all))
	parallel.Do(len(all), func(i int) {
		expiries[i] = r.expiries(all[i])
		if !opts.Disabled["reviewed"] {
			stale[i], isStale[i] = r.stale(all[i])
		}
	})
	for _, xs := range expiries {
		rep.Expiries = append(rep.Expiries, xs...)
	}
	sortExpiries(rep.Expiries)
	if !opts.Disabled["reviewed"] {
		for i, st := range stale {
			if isStale[i] {
				rep.Stale = append(rep.Stale, st)
			}
		}
		slices.SortStableFunc(rep.Stale, func(a, b Stale) int {
			return cmp.Or(cmp.Compare(a.Client, b.Client), cmp.Compare(b.Days, a.Days), cmp.Compare(a.Ref, b.Ref))
		})
	}
	return rep
}

func newRun(m *generator.Model, h *history.History, opts Options) *run {
	docs := 0
	if m.Repo != nil {
		docs = len(m.Repo.Docs)
	}
	r := &run{model: m, hist: h, graph: m.Graph, opts: opts.withDefaults(), docsPerFile: make(map[string]int, docs), subjects: map[*model.Document]*Subject{}}
	if r.graph == nil {
		r.graph = graph.New(m.Index)
	}
	if m.Repo != nil {
		for _, d := range m.Repo.Docs {
			r.docsPerFile[d.File]++
		}
	}
	return r
}

func portfolio(m *generator.Model) *model.Document {
	if m.Repo == nil {
		return nil
	}
	return m.Repo.Portfolio
}

// scoreAll scores docs on every core. The typed views are decoded and the
// subjects made first, so that scoring only reads what is shared.
func (r *run) scoreAll(docs []*model.Document) map[*model.Document]EntityScore {
	parallel.Do(len(docs), func(i int) { docs[i].Typed() })
	for _, d := range docs {
		r.subject(d)
	}
	scores := make([]EntityScore, len(docs))
	parallel.Do(len(docs), func(i int) { scores[i] = r.score(docs[i]) })
	out := make(map[*model.Document]EntityScore, len(docs))
	for i, d := range docs {
		out[d] = scores[i]
	}
	return out
}

// score applies every enabled rule to one entity.
func (r *run) score(d *model.Document) EntityScore {
	s := r.subject(d)
	es := EntityScore{Ref: d.Ref().String(), Client: d.Client, Name: s.name(), Kind: string(d.Kind), File: d.File, Missing: []Finding{}}
	for _, rule := range Rules {
		if r.opts.Disabled[rule.ID] || !slices.Contains(rule.Kinds, d.Kind) || (rule.Applies != nil && !rule.Applies(s)) {
			continue
		}
		es.Applicable += rule.Weight
		msg, at := rule.Check(s)
		if msg == "" {
			es.Passed += rule.Weight
			continue
		}
		if at.File == "" {
			at = d.Pos()
		}
		es.Missing = append(es.Missing, Finding{
			Rule: rule.ID, Ref: es.Ref, Client: d.Client, Weight: rule.Weight,
			Reason: rule.Reason, Fix: rule.Fix, Message: msg, Severity: diag.Warning, Pos: at,
		})
	}
	es.Score = percent(es.Passed, es.Applicable)
	sortFindings(es.Missing)
	return es
}

// percent is passed out of total as a whole percentage rounded down, 100
// when nothing applies.
func percent(passed, total int) int {
	if total == 0 {
		return 100
	}
	return passed * 100 / total
}

// subject decodes a document's typed view, once per document.
func (r *run) subject(d *model.Document) *Subject {
	if s, ok := r.subjects[d]; ok {
		return s
	}
	s := &Subject{Doc: d, run: r}
	// The value passed its schema: a field of the wrong type was reported
	// there, and the view keeps what fits.
	view, _ := d.Typed()
	s.common = d.Common()
	switch v := view.(type) {
	case *model.Client:
		s.Client = v
	case *model.Service:
		s.Service = v
	case *model.Server:
		s.Server = v
	case *model.Configuration:
		s.Configuration = v
	case *model.Integration:
		s.Integration = v
	case *model.Vendor:
		s.Vendor = v
	case *model.Runbook:
		s.Runbook = v
	}
	r.subjects[d] = s
	return s
}

// sharedUsers maps each shared vendor to the clients with an entity that
// refers to it.
func (r *run) sharedUsers() map[*model.Document]map[string]bool {
	users := map[*model.Document]map[string]bool{}
	for n, d := range r.graph.Nodes {
		if d.Client != "" || d.Kind != model.KindVendor {
			continue
		}
		for _, e := range r.graph.In[n] {
			if c := r.graph.Nodes[e.From].Client; c != "" {
				if users[d] == nil {
					users[d] = map[string]bool{}
				}
				users[d][c] = true
			}
		}
	}
	return users
}

// clientIDs lists every client with a Client document or entities, sorted.
func clientIDs(m *generator.Model) []string {
	var ids []string
	for id := range m.Index.Clients {
		ids = append(ids, id)
	}
	for id := range m.Index.ByClient {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// clientDocs lists every indexed document of every client, sorted.
func (r *run) clientDocs() []*model.Document {
	var out []*model.Document
	for _, id := range clientIDs(r.model) {
		if r.opts.Clients != nil && !r.opts.Clients[id] {
			continue
		}
		out = append(out, sortDocs(values(r.model.Index.ByClient[id]))...)
	}
	return out
}

func values(m map[model.Ref]*model.Document) []*model.Document {
	out := make([]*model.Document, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	return out
}

// sortDocs orders documents as pages do: by kind (model.Kinds order), then id.
func sortDocs(ds []*model.Document) []*model.Document {
	slices.SortFunc(ds, func(a, b *model.Document) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Client, b.Client))
	})
	return ds
}

func kindRank(k model.Kind) int {
	if i := slices.Index(model.Kinds, k); i >= 0 {
		return i
	}
	return len(model.Kinds)
}

func kindOf(ref string) model.Kind {
	r, _ := model.ParseRef(ref)
	return r.Kind
}

// sortWorstFirst orders entity scores worst first: the most weight
// missing first (what a successor misses most), then the lowest score,
// then by kind and id.
func sortWorstFirst(es []EntityScore) {
	slices.SortStableFunc(es, func(a, b EntityScore) int {
		return cmp.Or(cmp.Compare(b.Applicable-b.Passed, a.Applicable-a.Passed), cmp.Compare(a.Score, b.Score),
			cmp.Compare(kindRank(model.Kind(a.Kind)), kindRank(model.Kind(b.Kind))), cmp.Compare(a.Ref, b.Ref), cmp.Compare(a.Client, b.Client))
	})
}

// sortFindings orders findings heaviest first, then in table order, then
// by entity.
func sortFindings(fs []Finding) {
	if len(fs) < 2 {
		return
	}
	order := ruleOrder()
	// The keys are computed once: parsing references in the comparison
	// cost more than the rest of a run on 10,000 entities.
	type keyed struct {
		f          Finding
		rule, kind int
	}
	ks := make([]keyed, len(fs))
	for i, f := range fs {
		ks[i] = keyed{f, order[f.Rule], kindRank(kindOf(f.Ref))}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(b.f.Weight, a.f.Weight), cmp.Compare(a.rule, b.rule),
			cmp.Compare(a.kind, b.kind), cmp.Compare(a.f.Ref, b.f.Ref), cmp.Compare(a.f.Client, b.f.Client))
	})
	for i := range ks {
		fs[i] = ks[i].f
	}
}

// ruleOrder gives each rule's place in Rules, made once: sortFindings
// runs for every entity (57 MB of maps at 50k entities, made each time).
var ruleOrder = sync.OnceValue(func() map[string]int {
	order := make(map[string]int, len(Rules))
	for i, r := range Rules {
		order[r.ID] = i
	}
	return order
})

// Below returns the clients scoring under min, for --min-readiness.
func (r Report) Below(min int) []ClientReport {
	var out []ClientReport
	for _, c := range r.Clients {
		if c.Score < min {
			out = append(out, c)
		}
	}
	return out
}
