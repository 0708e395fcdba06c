package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/model"
)

// Rule is one thing a successor needs to find in the handover repository.
// A rule applies to the entities of Kinds that Applies accepts; an entity
// scores the Weight of every rule it passes, out of the weight of every rule
// that applies to it.
type Rule struct {
	// ID is stable and kebab-case: handover.yaml's readiness.disable and the
	// diagnostics (check-<id>) name rules by it.
	ID     string
	Kinds  []model.Kind
	Weight int // 1 (nice to have) to 5 (cannot take over without it)
	// Reason says in one line why a successor needs it.
	Reason string
	// Fix says what to write, naming the YAML field.
	Fix string
	// Applies narrows Kinds (production servers, critical services); nil
	// accepts every entity of Kinds.
	Applies func(s *Subject) bool
	// Check returns "" when the entity passes; otherwise what is missing, in
	// words, and where the finding points: the field that is missing or
	// wrong, or its nearest parent (Subject.At).
	Check func(s *Subject) (missing string, at diag.Pos)
}

// Rules is the readiness table: every rule, ordered as reports list the
// findings of equal weight. Options.Disabled turns rules off.
var Rules = []Rule{
	{
		ID: "contacts", Kinds: kinds(model.KindClient), Weight: 5,
		Reason: "a successor must be able to phone someone at the client",
		Fix:    "add `contacts` with a `name`, `role` and `phone` for at least one person",
		Check:  checkContacts,
	},
	{
		ID: "escalation-path", Kinds: kinds(model.KindClient), Weight: 4,
		Reason: "when the first call does not fix it, a successor must know who comes next and when",
		Fix:    "list the steps under `escalation`, each with `who`, `contact` and `after`",
		Check:  checkEscalation,
	},
	{
		ID: "contact-24x7", Kinds: kinds(model.KindClient), Weight: 3,
		Reason: "incidents happen at night and at weekends; a successor needs a number that answers then",
		Fix:    "say which `escalation` step (in `who`) or contact (in `hours` or `notes`) answers 24x7, on-call or out of hours, with its `contact` or `phone`",
		Check:  checkContact24x7,
	},
	{
		ID: "sla-severities", Kinds: kinds(model.KindClient), Weight: 3,
		Reason: "a successor must know how fast each priority has to be answered and fixed",
		Fix:    "list `sla.severities`, each with `level`, `definition`, `response` and `resolution`",
		Check:  checkSLA,
	},
	{
		ID: "backup", Kinds: kinds(model.KindServer), Weight: 5, Applies: production,
		Reason: "a successor must know what is backed up, when and where, before anything breaks",
		Fix:    "add `backup` with `schedule`, `retention` and `target` (or say in `schedule` that it is not backed up, and why)",
		Check:  checkBackup,
	},
	{
		ID: "restore-tested", Kinds: kinds(model.KindServer), Weight: 4, Applies: productionWithBackup,
		Reason: "only a tested restore proves that the backup can bring the server back",
		Fix:    "restore a file or the machine to a scratch location, then set `backup.lastRestoreTest` to that date",
		Check:  checkRestoreTested,
	},
	{
		ID: "monitoring", Kinds: kinds(model.KindServer), Weight: 4, Applies: production,
		Reason: "a successor must know what watches the server and who gets its alerts",
		Fix:    "add `monitoring` with `tool`, `checks` and `alertsTo`",
		Check:  checkMonitoring,
	},
	{
		ID: "access", Kinds: kinds(model.KindServer), Weight: 4, Applies: production,
		Reason: "a successor must be able to get in: how, and with which credential",
		Fix:    "add `access.method` and `access.credential` (a vault reference such as op://…, never the password)",
		Check:  checkAccess,
	},
	{
		ID: "server-runbook", Kinds: kinds(model.KindServer), Weight: 3, Applies: production,
		Reason: "a successor needs written steps for the routine and the 3 a.m. tasks on this server",
		Fix:    "write a runbook and list it in the server's `runbooks`, or name the server in the runbook's `appliesTo`",
		Check:  checkServerRunbook,
	},
	{
		ID: "dependency-path", Kinds: kinds(model.KindService), Weight: 3, Applies: critical,
		Reason: "when a critical service fails, a successor must be able to follow it down to a vendor to call",
		Fix:    "add `dependsOn` down to the servers, integrations or vendors it needs, and `location.provider` or `provider` on those",
		Check:  checkDependencyPath,
	},
	{
		ID: "owner", Kinds: kinds(model.KindIntegration), Weight: 2,
		Reason: "a successor must know who understands this integration and can approve changes to it",
		Fix:    "set `owner` to a person or team",
		Check:  checkOwner,
	},
	{
		ID: "auth", Kinds: kinds(model.KindIntegration), Weight: 4,
		Reason: "a successor must know how the integration authenticates and where its secret lives, to rotate or fix it",
		Fix:    "set `auth.method`, and `auth.credential` (a vault reference) for a method with a secret (api-key, oauth2, basic, mtls, hmac, ssh-key)",
		Check:  checkAuth,
	},
	{
		ID: "failure-impact", Kinds: kinds(model.KindIntegration), Weight: 3,
		Reason: "a successor must know how urgent it is when this integration stops",
		Fix:    "set `failureImpact.level` and `failureImpact.description` (what breaks for whom)",
		Check:  checkFailureImpact,
	},
	{
		ID: "support-channel", Kinds: kinds(model.KindVendor), Weight: 4,
		Reason: "a successor must be able to reach the vendor's support",
		Fix:    "add `support.phone`, `support.email` or `support.portal`",
		Check:  checkSupportChannel,
	},
	{
		ID: "contract-renewal", Kinds: kinds(model.KindVendor), Weight: 2, Applies: reliedOn,
		Reason: "a contract that lapses unnoticed takes down what depends on the vendor",
		Fix:    "set `contract.renewal` and `contract.noticePeriod`; with no fixed term, set `contract.noticePeriod` or say so in `contract.reference` (\"pay as you go\", \"monthly rolling\")",
		Check:  checkContractRenewal,
	},
	{
		ID: "runbook-tested", Kinds: kinds(model.KindRunbook), Weight: 3,
		Reason: "an untested runbook may fail at the worst moment",
		Fix:    "walk through the runbook (on staging if need be), then set `lastTested` to that date",
		Check:  checkRunbookTested,
	},
	{
		ID: "runbook-sections", Kinds: kinds(model.KindRunbook), Weight: 3, Applies: aboutCritical,
		Reason: "on a critical service a successor must be able to tell that it worked, and undo it when it did not",
		Fix:    "add to the Markdown body a `## Verification` heading (how to tell it worked) and a `## Rollback` one (or \"Roll back\", \"Back out\")",
		Check:  checkRunbookSections,
	},
	{
		ID: "reviewed", Kinds: kinds(model.KindClient, model.KindService, model.KindServer, model.KindConfiguration, model.KindIntegration, model.KindVendor, model.KindRunbook), Weight: 2,
		Reason: "a page nobody has checked against the real system for months may be wrong",
		Fix:    "check the page against the real system, then set `reviewed` to today's date and `reviewedBy`",
		Check:  checkReviewed,
	},
}

func kinds(ks ...model.Kind) []model.Kind { return ks }

// RuleIDs lists the ids of Rules, in table order.
func RuleIDs() []string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = r.ID
	}
	return ids
}

// production accepts servers whose environment is production.
func production(s *Subject) bool { return s.Server.Environment == "production" }

// productionWithBackup accepts production servers with a backup section:
// without one, rule backup already fails, and a restore test is
// meaningless.
func productionWithBackup(s *Subject) bool { return production(s) && s.Server.Backup != nil }

// critical accepts services of criticality critical.
func critical(s *Subject) bool { return s.Service.Criticality == "critical" }

// reliedOn accepts vendors that some entity refers to other than as a
// runbook's subject: hosting, providing, supplying, being depended on or
// gone through for access. An unused vendor's contract matters to nobody.
func reliedOn(s *Subject) bool {
	for _, e := range s.in() {
		if e.Type != graph.Documents {
			return true
		}
	}
	return false
}

// aboutCritical accepts runbooks that apply to a critical service, or to an
// entity whose failure reaches a critical service.
func aboutCritical(s *Subject) bool {
	g := s.run.graph
	for _, e := range s.out() {
		if e.Type != graph.Documents {
			continue
		}
		if g.Criticality(e.To) == "critical" {
			return true
		}
		for _, a := range g.Impact(e.To) {
			if g.Criticality(a.Node) == "critical" {
				return true
			}
		}
	}
	return false
}

func checkContacts(s *Subject) (string, diag.Pos) {
	for _, c := range s.Client.Contacts {
		if c.Phone != "" {
			return "", diag.Pos{}
		}
	}
	if len(s.Client.Contacts) == 0 {
		return "no contacts", s.At("contacts")
	}
	return fmt.Sprintf("none of the %s has a phone number", plural(len(s.Client.Contacts), "contact")), s.At("contacts")
}

func checkEscalation(s *Subject) (string, diag.Pos) {
	n, want := len(s.Client.Escalation), s.run.opts.EscalationSteps
	switch {
	case n >= want:
		return "", diag.Pos{}
	case n == 0:
		return "no escalation steps", s.At("escalation")
	}
	return fmt.Sprintf("escalation has %s; a successor needs at least %d", plural(n, "step"), want), s.At("escalation")
}

// outOfHours is the 24x7 heuristic: text that says someone answers around
// the clock ("24x7", "24/7", "24 x 7", "24 hours", "around the clock",
// "day or night", "any time", "whatever the time"), is on call ("on-call",
// "on call", "oncall") or covers out of hours ("out of hours",
// "out-of-hours", "after hours"), in any case.
var outOfHours = regexp.MustCompile(`(?i)\b24\s*(?:x|×|/)\s*7\b|\b24\s*hours?\b|\b(?:a?round|all)[\s-]the[\s-]clock\b|\bday\s+(?:or|and)\s+night\b|\bany\s*time\b|\bwhatever\s+the\s+time\b|\bon[\s-]?call\b|\b(?:out[\s-]of|after)[\s-]hours\b`)

// negation is a word that, earlier in the same clause, turns a 24x7
// mention into its opposite: "no out-of-hours number", "not on call".
var negation = regexp.MustCompile(`(?i)\b(?:no|not|never|without|none|nobody|isn't|aren't|doesn't|don't|cannot|can't)\b`)

// mentions24x7 reports whether text says, in a clause without a negation
// before the mention, that someone answers around the clock. Clauses end at
// . ; : ! ? and line breaks; a parenthesis starts a new one.
func mentions24x7(s string) bool {
	for _, m := range outOfHours.FindAllStringIndex(s, -1) {
		start := strings.LastIndexAny(s[:m[0]], ".;:!?\n(") + 1
		if !negation.MatchString(s[start:m[0]]) {
			return true
		}
	}
	return false
}

// checkContact24x7 looks for an escalation step (its who) or a contact (its
// name, role, hours or notes) that mentions24x7 and can be reached: the
// step has a contact, the contact a phone. It is a heuristic over free
// text, so it errs both ways at the edges: "no out-of-hours number" and
// "not on call" do not pass (a negation earlier in the clause), but "on
// call: see the wiki" does. Anyone can read the escalation on the client
// page to judge.
func checkContact24x7(s *Subject) (string, diag.Pos) {
	var unreachable string
	var at diag.Pos
	for i, st := range s.Client.Escalation {
		if mentions24x7(st.Who) {
			if st.Contact != "" {
				return "", diag.Pos{}
			}
			unreachable, at = fmt.Sprintf("escalation step %q answers out of hours but has no `contact`", st.Who), s.At("escalation", fmt.Sprint(i))
		}
	}
	for i, c := range s.Client.Contacts {
		if mentions24x7(c.Name) || mentions24x7(c.Role) || mentions24x7(c.Hours) || mentions24x7(c.Notes) {
			if c.Phone != "" {
				return "", diag.Pos{}
			}
			if unreachable == "" {
				unreachable, at = fmt.Sprintf("contact %s answers out of hours but has no `phone`", c.Name), s.At("contacts", fmt.Sprint(i))
			}
		}
	}
	if unreachable != "" {
		return unreachable, at
	}
	if len(s.Client.Escalation) > 0 {
		at = s.At("escalation")
	} else {
		at = s.At("contacts")
	}
	return "no escalation step or contact says it answers 24x7, on call or out of hours", at
}

func checkSLA(s *Subject) (string, diag.Pos) {
	sev := s.Client.SLA.Severities
	if len(sev) == 0 {
		return "no `sla.severities`", s.At("sla", "severities")
	}
	var gaps []string
	var at diag.Pos
	for i, v := range sev {
		var missing []string
		if v.Response == "" {
			missing = append(missing, "response")
		}
		if v.Resolution == "" {
			missing = append(missing, "resolution")
		}
		if len(missing) == 0 {
			continue
		}
		if len(gaps) == 0 {
			at = s.At("sla", "severities", fmt.Sprint(i))
		}
		gaps = append(gaps, fmt.Sprintf("%s has no %s", v.Level, strings.Join(missing, " or ")))
	}
	if len(gaps) == 0 {
		return "", diag.Pos{}
	}
	return strings.Join(gaps, "; "), at
}

func checkBackup(s *Subject) (string, diag.Pos) {
	b := s.Server.Backup
	switch {
	case b == nil:
		return "no `backup`", s.At("backup")
	case b.Schedule == "" && b.Target == "" && b.Tool == "":
		return "`backup` says neither when (`schedule`) nor where (`target`)", s.At("backup")
	}
	return "", diag.Pos{}
}

func checkRestoreTested(s *Subject) (string, diag.Pos) {
	return tested(s, s.Server.Backup.LastRestoreTest, "restore test", s.run.opts.RestoreTestDays, "backup", "lastRestoreTest")
}

func checkRunbookTested(s *Subject) (string, diag.Pos) {
	return tested(s, s.Runbook.LastTested, "test", s.run.opts.RunbookTestDays, "lastTested")
}

// tested checks that a test date is at most limit days old.
func tested(s *Subject, when, what string, limit int, field ...string) (string, diag.Pos) {
	if when == "" {
		return fmt.Sprintf("no %s recorded (`%s`)", what, strings.Join(field, ".")), s.At(field...)
	}
	t, ok := date(when)
	if !ok {
		return "", diag.Pos{} // the schema reports it
	}
	if age := daysBetween(t, s.run.opts.Today); age > limit {
		return fmt.Sprintf("last %s %s was %s ago; the limit is %s", what, when, days(age), days(limit)), s.At(field...)
	}
	return "", diag.Pos{}
}

func checkMonitoring(s *Subject) (string, diag.Pos) {
	m := s.Server.Monitoring
	switch {
	case m == nil:
		return "no `monitoring`", s.At("monitoring")
	case m.Tool == "" && len(m.Checks) == 0:
		return "`monitoring` names no `tool` and no `checks`", s.At("monitoring")
	}
	return "", diag.Pos{}
}

func checkAccess(s *Subject) (string, diag.Pos) {
	a := s.Server.Access
	if a == nil {
		return "no `access`", s.At("access")
	}
	var missing []string
	if a.Method == "" {
		missing = append(missing, "`access.method`")
	}
	if a.Credential == "" {
		missing = append(missing, "`access.credential`")
	}
	if len(missing) == 0 {
		return "", diag.Pos{}
	}
	return "no " + strings.Join(missing, " and "), s.At("access")
}

func checkServerRunbook(s *Subject) (string, diag.Pos) {
	for _, e := range s.in() {
		if e.Type == graph.Documents && s.run.graph.Nodes[e.From].Kind == model.KindRunbook {
			return "", diag.Pos{}
		}
	}
	return "no runbook applies to this server", s.At("runbooks")
}

// checkDependencyPath walks the service's failure dependencies (what breaks
// it, transitively) and looks for a vendor among them.
func checkDependencyPath(s *Subject) (string, diag.Pos) {
	g := s.run.graph
	start, ok := g.Node(s.Doc)
	if !ok {
		return "it depends on nothing", s.At("dependsOn")
	}
	seen := map[int]bool{start: true}
	queue := []int{start}
	for i := 0; i < len(queue); i++ {
		for _, e := range g.Out[queue[i]] {
			if !e.Type.Failure() || seen[e.To] {
				continue
			}
			if g.Nodes[e.To].Kind == model.KindVendor {
				return "", diag.Pos{}
			}
			seen[e.To] = true
			queue = append(queue, e.To)
		}
	}
	if len(queue) == 1 {
		return "it depends on nothing", s.At("dependsOn")
	}
	return fmt.Sprintf("none of its %s leads to a vendor", plural(len(queue)-1, "dependency")), s.At("dependsOn")
}

func checkOwner(s *Subject) (string, diag.Pos) {
	if s.Integration.Owner == "" {
		return "no `owner`", s.At("owner")
	}
	return "", diag.Pos{}
}

// secretMethods are the auth methods that always involve a secret. none
// has none, and other may not (an inbound connector that trusts an IP
// address): those need no credential.
var secretMethods = []string{"api-key", "oauth2", "basic", "mtls", "hmac", "ssh-key"}

func checkAuth(s *Subject) (string, diag.Pos) {
	a := s.Integration.Auth
	switch {
	case a.Method == "":
		return "no `auth.method`", s.At("auth")
	case slices.Contains(secretMethods, a.Method) && a.Credential == "":
		return fmt.Sprintf("no `auth.credential` for method %s", a.Method), s.At("auth")
	}
	return "", diag.Pos{}
}

func checkFailureImpact(s *Subject) (string, diag.Pos) {
	f := s.Integration.FailureImpact
	var missing []string
	if f.Level == "" {
		missing = append(missing, "`failureImpact.level`")
	}
	if strings.TrimSpace(f.Description) == "" {
		missing = append(missing, "`failureImpact.description`")
	}
	if len(missing) == 0 {
		return "", diag.Pos{}
	}
	return "no " + strings.Join(missing, " and "), s.At("failureImpact")
}

func checkSupportChannel(s *Subject) (string, diag.Pos) {
	sp := s.Vendor.Support
	if sp.Phone == "" && sp.Email == "" && sp.Portal == "" {
		return "no support phone, email or portal", s.At("support")
	}
	return "", diag.Pos{}
}

// noFixedTerm is how a contract.reference says that there is nothing to
// renew: "Pay as you go", "monthly rolling", "no minimum term", "free plan".
var noFixedTerm = regexp.MustCompile(`(?i)\bpay[\s-]as[\s-]you[\s-]go\b|\brolling\b|\bno\s+(?:minimum\s+)?(?:term|contract|commitment)\b|\bfree\s+(?:plan|tier)\b`)

// checkContractRenewal passes with a renewal date, with a notice period
// alone (a rolling contract has no renewal date; its notice period is what
// a successor needs) and with a reference that says there is no fixed
// term (noFixedTerm).
func checkContractRenewal(s *Subject) (string, diag.Pos) {
	c := s.Vendor.Contract
	if c.Renewal != "" || c.NoticePeriod != "" || noFixedTerm.MatchString(c.Reference) {
		return "", diag.Pos{}
	}
	if c.Reference != "" {
		return "no `contract.renewal`", s.At("contract")
	}
	return "no `contract`: nothing says when it renews, or that it does not", s.At("contract")
}

// checkRunbookSections reads the headings of the Markdown body, at any
// level, ignoring code blocks: one must contain "verif" (Verify,
// Verification), one "rollback", "roll back" or "back out", in any case.
func checkRunbookSections(s *Subject) (string, diag.Pos) {
	var verify, rollback bool
	src := []byte(s.Doc.Body)
	doc := runbookParser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		t := strings.ToLower(string(h.Lines().Value(src)))
		verify = verify || strings.Contains(t, "verif")
		rollback = rollback || rollbackHeading.MatchString(t)
		return ast.WalkSkipChildren, nil
	})
	var missing []string
	if !verify {
		missing = append(missing, "verification")
	}
	if !rollback {
		missing = append(missing, "rollback")
	}
	if len(missing) == 0 {
		return "", diag.Pos{}
	}
	return fmt.Sprintf("no %s heading, on a runbook for a critical service", strings.Join(missing, " or ")), s.Body()
}

// runbookParser is made once: goldmark's parser is safe for concurrent
// use (the site's renderer shares one), and making one per runbook was 40
// MB of a 50k build's allocations.
var runbookParser = sync.OnceValue(goldmark.DefaultParser)

var rollbackHeading = regexp.MustCompile(`roll[\s-]?back|back[\s-]?out`)

// checkReviewed passes when the entity was reviewed, or else last changed
// in git, within StaleAfter.
func checkReviewed(s *Subject) (string, diag.Pos) {
	rv := s.run.review(s.Doc)
	switch {
	case rv.basis == "":
		return "never reviewed: no `reviewed` date and no git history", s.At("reviewed")
	case !s.run.isStale(rv):
		return "", diag.Pos{}
	}
	st, _ := s.run.stale(s.Doc)
	return st.message(formatDuration(s.run.opts.StaleAfter)), st.Pos
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
