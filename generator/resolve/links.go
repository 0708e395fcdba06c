package resolve

import (
	"path"
	"regexp"
	"strings"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
)

// markdownLink finds the destination of inline Markdown links and images:
// [text](dest) and ![alt](dest).
var markdownLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)`)

// markdownFields are the fields whose text is Markdown.
var markdownFields = []string{"description", "notes"}

// links reports Markdown links that point outside the repository: an
// absolute path, or a relative one that climbs above the root. The site
// could not follow them, and a successor reading it would find nothing.
func links(d *model.Document) []diag.Diagnostic {
	var out []diag.Diagnostic
	check := func(text string, pos func(line, col int) diag.Pos) {
		for i, line := range strings.Split(text, "\n") {
			for _, m := range markdownLink.FindAllStringSubmatchIndex(line, -1) {
				dest := line[m[2]:m[3]]
				if strings.Contains(dest, ":") || strings.HasPrefix(dest, "#") {
					continue // a URL, a reference or an anchor
				}
				target := path.Clean(path.Join(path.Dir(d.File), dest))
				if strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, `\`) || target == ".." || strings.HasPrefix(target, "../") {
					out = append(out, diag.Errorf(pos(i, m[2]), "link-outside-repo",
						"link to a file inside the repository with a relative path, or to a web page with its full https:// address",
						"link %q leaves the repository", truncate(dest, 60)))
				}
			}
		}
	}
	if d.Body != "" {
		check(d.Body, func(line, col int) diag.Pos {
			return diag.Pos{File: d.File, Line: d.BodyLine + line, Column: col + 1}
		})
	}
	for _, f := range markdownFields {
		if s := d.Value.String(f); strings.Contains(s, "](") {
			check(s, func(line, _ int) diag.Pos { return d.FieldPos([]string{f}, false) })
		}
	}
	return out
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
