// Package secrets finds plaintext secrets in a handover repository: keys,
// tokens, passwords and connection strings in any YAML value or runbook,
// and credential fields that are not references to a password manager. It
// reports each as an error at file:line:col naming the rule, and never
// repeats the secret, not even a part of it. A `# handover:allow-secret
// <reason>` comment on the line (or the line above) allows one finding;
// allowed findings are kept, as infos, so that `check` can list them.
package secrets

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/parallel"
)

// DefaultSchemes are the password-manager reference schemes a credential
// field accepts when the portfolio does not list its own.
var DefaultSchemes = []string{"op", "vault", "bitwarden", "keeper", "passbolt", "azure-keyvault", "aws-sm", "gcp-sm", "itglue", "hudu"}

// pattern is a rule that recognises a secret by its shape, anywhere.
// needles are lower-case strings one of which every match contains: the
// regular expression runs only on values that hold one, which keeps the
// scan of a large portfolio cheap.
type pattern struct {
	rule, what string
	needles    []string
	re         *regexp.Regexp
	// also, when set, is a byte every match holds beside a needle: a note
	// that mentions a password has no '=' and needs no regular expression
	// (31,000 values of a 50k-entity portfolio do, and none has one).
	also byte
}

// patterns are the shapes of well-known secrets. Each matches the secret
// itself, so a finding can point at its column.
var patterns = []pattern{
	{"private-key", "a private key block", []string{"private key"}, regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`), 0},
	{"aws-access-key", "an AWS access key id", []string{"akia", "asia", "agpa", "aida", "aroa", "anpa"}, regexp.MustCompile(`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b`), 0},
	{"aws-secret-key", "an AWS secret access key", []string{"secret"}, regexp.MustCompile(`(?i)aws_?secret_?access_?key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}\b`), 0},
	{"azure-storage-key", "an Azure storage connection string with its key", []string{"accountkey="}, regexp.MustCompile(`(?i)AccountKey=[A-Za-z0-9+/]{20,}={0,2}`), 0},
	{"azure-sas", "an Azure shared access signature", []string{"sharedaccesssignature=", "sig="}, regexp.MustCompile(`(?i)SharedAccessSignature=[^;\s]{20,}|[?&]sig=[A-Za-z0-9%+/]{30,}`), 0},
	{"gcp-api-key", "a Google API key", []string{"aiza"}, regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), 0},
	{"gcp-service-account", "a Google service account key", []string{"service_account"}, regexp.MustCompile(`"type"\s*:\s*"service_account"`), 0},
	{"github-token", "a GitHub token", []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}, regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b`), 0},
	{"gitlab-token", "a GitLab token", []string{"glpat-"}, regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`), 0},
	{"slack-token", "a Slack token", []string{"xox"}, regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`), 0},
	{"slack-webhook", "a Slack webhook URL", []string{"hooks.slack.com"}, regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+`), 0},
	{"stripe-key", "a Stripe secret key", []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"}, regexp.MustCompile(`\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{16,}\b`), 0},
	{"jwt", "a JSON web token", []string{"eyj"}, regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`), 0},
	{"url-password", "a URL with a password in it", []string{"://"}, regexp.MustCompile(`\b[a-z][a-z0-9+.-]*://[^/\s:@"']+:[^/\s@"']+@[^\s"']+`), '@'},
	{"connection-string-password", "a connection string with a password", []string{"password", "pwd"}, regexp.MustCompile(`(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*[^;\s]{3,}`), '='},
}

// patternNeedles finds which patterns' needles a value holds, in one pass.
var patternNeedles = func() *needleSet {
	lists := make([][]string, len(patterns))
	for i, p := range patterns {
		lists[i] = p.needles
	}
	return newNeedleSet(lists)
}()

// match finds the first pattern in v, with the position of its match.
func match(v string) (*pattern, []int) {
	if len(v) < 16 { // shorter than the shortest secret any pattern matches
		return nil, nil
	}
	found := patternNeedles.find(v)
	for i := range patterns {
		p := &patterns[i]
		if found&(1<<i) == 0 {
			continue
		}
		if p.also != 0 && strings.IndexByte(v, p.also) < 0 {
			continue
		}
		if loc := p.re.FindStringIndex(v); loc != nil {
			return p, loc
		}
	}
	return nil, nil
}

// secretKey matches field names that announce a secret.
var secretKey = regexp.MustCompile(`(?i)(?:^|[-_. ])?(?:password|passwd|passphrase|pwd|secret|token|api[-_ ]?key|apikey|access[-_ ]?key|private[-_ ]?key|pin|pincode|client[-_ ]?secret)(?:$|[-_. ])`)

const allowMarker = model.AllowSecretMarker

// keyNeedles are fragments one of which every secretKey match holds.
var keyNeedles = newNeedleSet([][]string{{"pass", "pwd", "secret", "token", "key", "pin"}})

// suspiciousKey tells a key that announces a secret; the cheap test on
// common fragments spares the regular expression for most keys.
func suspiciousKey(key string) bool {
	return keyNeedles.find(key) != 0 && secretKey.MatchString(key)
}

// Scan reports the plaintext secrets in one document; src is its file's
// content. schemes are the reference schemes credential fields may use
// (DefaultSchemes when empty).
func Scan(d *model.Document, src []byte, schemes []string) []diag.Diagnostic {
	if len(schemes) == 0 {
		schemes = DefaultSchemes
	}
	s := &scanner{doc: d, src: src, schemes: schemes}
	// A detached document (see model.Document.Detach) is parsed again
	// only when its values hold what may be a finding: most hold none.
	if d.Node != nil || s.mayFind(d.Value, "", 0) {
		d.WithTree(func(root *model.Node, comments map[*model.Node]string) {
			s.commentsAt = comments
			s.node(root, "", nil, 0)
		})
	}
	if d.Body != "" {
		s.body()
	}
	return s.diags
}

type scanner struct {
	doc        *model.Document
	src        []byte // the file, for columns inside block scalars
	srcLines   []string
	schemes    []string
	commentsAt map[*model.Node]string // see model.Document.Comments
	diags      []diag.Diagnostic
}

func (s *scanner) report(pos diag.Pos, rule, what, allow string) {
	if reason, ok := allowed(allow); ok {
		if reason == "" {
			d := diag.Errorf(pos, "secret-allow-reason", "write why after the marker: # handover:allow-secret it is a public test key",
				"handover:allow-secret needs a reason")
			d.Sensitive = true
			s.diags = append(s.diags, d)
			return
		}
		s.diags = append(s.diags, diag.Diagnostic{File: pos.File, Line: pos.Line, Column: pos.Column, Severity: diag.Info,
			Code: "secret-allowed", Message: fmt.Sprintf("%s allowed here (rule %s): %s", what, rule, reason), Sensitive: true})
		return
	}
	d := diag.Errorf(pos, "secret-"+rule,
		"remove it from the repository (and from its git history), rotate it, and write a reference to your password manager instead, e.g. op://vault/item/field",
		"plaintext secret: this looks like %s; secrets never belong in the handover repository", what)
	d.Sensitive = true
	s.diags = append(s.diags, d)
}

// allowed finds the allow marker in comment text and returns its reason.
func allowed(comments string) (string, bool) {
	i := strings.Index(comments, allowMarker)
	if i < 0 {
		return "", false
	}
	reason := comments[i+len(allowMarker):]
	reason, _, _ = strings.Cut(reason, "\n")
	reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(reason), "-->"))
	return strings.TrimLeft(reason, ":- "), true
}

// node walks the YAML tree; key is the mapping key the node is the value
// of, keyNode its node (for comments above the key).
func (s *scanner) node(n *model.Node, key string, keyNode *model.Node, depth int) {
	if n == nil || depth > 100 {
		return
	}
	switch n.Kind {
	case model.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			s.node(n.Content[i+1], n.Content[i].Value, n.Content[i], depth+1)
		}
	case model.SequenceNode:
		for _, c := range n.Content {
			s.node(c, key, keyNode, depth+1)
		}
	case model.ScalarNode:
		s.scalar(n, key, keyNode)
	}
}

// mayFind tells, from a document's values, whether scalar may report
// anything in it: a value holds the very text of its scalar node when it
// is a string, and a number, boolean or null can only break the
// credential rule. key is as in node.
func (s *scanner) mayFind(v any, key string, depth int) bool {
	if depth > 100 {
		return false
	}
	switch v := v.(type) {
	case model.Object:
		for _, m := range v {
			if s.mayFind(m.Value, m.Key, depth+1) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if s.mayFind(x, key, depth+1) {
				return true
			}
		}
	case string:
		// As a string (!!str) even when its tag was !!timestamp: the
		// tree has the last word.
		_, found := s.find(v, key, true)
		return found
	default:
		return key == "credential"
	}
	return false
}

// reference tells a password-manager reference in an allowed scheme.
func (s *scanner) reference(v string) bool {
	scheme, rest, ok := strings.Cut(v, "://")
	return ok && rest != "" && slices.Contains(s.schemes, scheme)
}

// pos is where the byte at offset of n's value is in the file.
func (s *scanner) pos(n *model.Node, offset int) diag.Pos {
	text := n.Value[:offset]
	nl := strings.LastIndex(text, "\n")
	if n.Style != model.LiteralStyle && n.Style != model.FoldedStyle {
		col := int(n.Column) + len([]rune(text))
		if n.Style == model.DoubleQuotedStyle || n.Style == model.SingleQuotedStyle {
			col++ // the opening quote
		}
		if nl >= 0 { // a multi-line flow scalar: the line is right, the column approximate
			return diag.Pos{File: s.doc.File, Line: int(n.Line) + strings.Count(text, "\n"), Column: 1}
		}
		return diag.Pos{File: s.doc.File, Line: int(n.Line), Column: col}
	}
	// A block scalar's text starts on the line below its indicator, each
	// line indented as in the source.
	line := int(n.Line) + 1 + strings.Count(text, "\n")
	indent := 0
	if lines := s.lines(); line-1 < len(lines) {
		src := lines[line-1]
		indent = len(src) - len(strings.TrimLeft(src, " "))
	}
	return diag.Pos{File: s.doc.File, Line: line, Column: indent + 1 + len([]rune(text[nl+1:]))}
}

func (s *scanner) lines() []string {
	if s.srcLines == nil {
		s.srcLines = strings.Split(string(s.src), "\n")
	}
	return s.srcLines
}

// comments is the comment text around a value and its key, where an
// allow marker may be; it is only needed for a finding.
func (s *scanner) comments(n, keyNode *model.Node) string {
	c := s.commentsAt[n]
	if keyNode != nil {
		c += "\n" + s.commentsAt[keyNode]
	}
	return c
}

func (s *scanner) scalar(n *model.Node, key string, keyNode *model.Node) {
	if f, ok := s.find(n.Value, key, n.Tag == "!!str"); ok {
		s.report(s.pos(n, f.at), f.rule, f.what, s.comments(n, keyNode))
	}
}

// finding is what find found: the rule broken, what it looks like, and the
// byte of the value where it starts.
type finding struct {
	rule, what string
	at         int
}

// find says whether the scalar v, the value of key, breaks a rule; str
// tells a string (tag !!str) from other scalars, whose text the
// suspicious-key rule leaves alone.
func (s *scanner) find(v, key string, str bool) (finding, bool) {
	if key == "credential" && !s.reference(v) {
		// Never echo the value: a credential field is where a pasted
		// password would sit.
		return finding{"credential-not-reference", "a credential that is not a password-manager reference (" + strings.Join(s.schemes, "://, ") + "://)", 0}, true
	}
	if p, loc := match(v); p != nil {
		return finding{p.rule, p.what, loc[0]}, true
	}
	if key != "" && key != "credential" && suspiciousKey(key) && str && literal(v) {
		what := fmt.Sprintf("a literal value in %q", key)
		if entropy(v) >= 3.5 && len(v) >= 16 {
			what = fmt.Sprintf("a random-looking value in %q", key)
		}
		return finding{"secret-field", what, 0}, true
	}
	return finding{}, false
}

// literal tells a value that may be a secret from one that only talks
// about it: references, empty values, and prose are not secrets.
func literal(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.Contains(v, "://") || strings.Count(v, " ") >= 3 {
		return false
	}
	switch strings.ToLower(v) {
	case "none", "n/a", "unknown", "yes", "no", "true", "false", "required", "see notes", "in 1password", "tbd":
		return false
	}
	return true
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]float64{}
	for _, r := range s {
		counts[r]++
	}
	var h float64
	n := float64(len([]rune(s)))
	for _, c := range counts {
		p := c / n
		h -= p * math.Log2(p)
	}
	return h
}

// body scans a runbook's Markdown line by line; an HTML comment
// <!-- handover:allow-secret reason --> on the line or the line above
// allows a finding.
func (s *scanner) body() {
	lines := strings.Split(s.doc.Body, "\n")
	for i, line := range lines {
		p, loc := match(line)
		if p == nil {
			continue
		}
		allow := line
		if i > 0 {
			allow += "\n" + lines[i-1]
		}
		col := 1 + len([]rune(line[:loc[0]]))
		s.report(diag.Pos{File: s.doc.File, Line: s.doc.BodyLine + i, Column: col}, p.rule, p.what, allow)
	}
}

// Repo scans every document; sources gives each file's content. The
// portfolio's policies.credentialSchemes, when set, replaces DefaultSchemes.
func Repo(portfolio *model.Document, docs []*model.Document, sources func(file string) []byte) []diag.Diagnostic {
	schemes := Schemes(portfolio)
	if portfolio != nil {
		docs = append([]*model.Document{portfolio}, docs...)
	}
	results := make([][]diag.Diagnostic, len(docs))
	parallel.Do(len(docs), func(i int) { results[i] = Scan(docs[i], sources(docs[i].File), schemes) })
	var out []diag.Diagnostic
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

// Schemes returns the credential reference schemes the portfolio allows.
func Schemes(portfolio *model.Document) []string {
	if portfolio == nil {
		return DefaultSchemes
	}
	list, _ := portfolio.Value.Object("policies").Get("credentialSchemes").([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return DefaultSchemes
	}
	return out
}
