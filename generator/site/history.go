package site

import (
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/model"
)

// Change is one commit as pages list it, with the entities it changed.
type Change struct {
	*history.Commit
	Entities []*Entity
}

// Date is the commit's author date, YYYY-MM-DD.
func (c Change) Date() string { return c.When.Format("2006-01-02") }

// attachHistory gives every entity its commits, newest first: the commits
// of its file, or for a file holding several documents those that changed
// its own document. It returns every commit that changed an entity, in
// history order, with the entities it changed.
func (m *siteModel) attachHistory(h *history.History, docsPerFile map[string]int) ([]Change, error) {
	if h == nil {
		return nil, nil
	}
	byCommit := map[string][]*Entity{}
	// Documents copies its answer for each call: ask once per file, not
	// once per document of it.
	perFile := map[string]map[string][]*history.Commit{}
	for _, e := range m.all {
		fh := h.File(e.Doc.File)
		if fh == nil {
			continue
		}
		e.Dirty = fh.Dirty
		e.History = fh.Commits
		if docsPerFile[e.Doc.File] > 1 {
			docs, ok := perFile[e.Doc.File]
			if !ok {
				var err error
				if docs, err = h.Documents(e.Doc.File); err != nil {
					return nil, err
				}
				perFile[e.Doc.File] = docs
			}
			e.History = docs[string(e.Doc.Kind)+"/"+e.Doc.ID]
		}
		for _, c := range e.History {
			byCommit[c.Hash] = append(byCommit[c.Hash], e)
		}
	}
	var changes []Change
	for _, c := range h.Commits {
		if es := byCommit[c.Hash]; len(es) > 0 {
			slices.SortFunc(es, func(a, b *Entity) int { return strings.Compare(a.URL, b.URL) })
			changes = append(changes, Change{Commit: c, Entities: slices.Compact(es)})
		}
	}
	return changes, nil
}

// LastChange is the newest commit of the entity, or nil.
func (e *Entity) LastChange() *history.Commit {
	if len(e.History) == 0 {
		return nil
	}
	return e.History[0]
}

// recentByClient keeps, for each client, the changes to its entities, at
// most n, in one pass over all of them: a pass per client was quadratic
// in a portfolio where every client has a long history.
func recentByClient(all []Change, n int) map[*Client][]Change {
	out := map[*Client][]Change{}
	for _, ch := range all {
		var touched []*Client // in the order the change lists them
		byClient := map[*Client][]*Entity{}
		for _, e := range ch.Entities {
			c := e.Client
			if c == nil || len(out[c]) == n {
				continue
			}
			if _, ok := byClient[c]; !ok {
				touched = append(touched, c)
			}
			byClient[c] = append(byClient[c], e)
		}
		for _, c := range touched {
			out[c] = append(out[c], Change{Commit: ch.Commit, Entities: byClient[c]})
		}
	}
	return out
}

// CommitURL links to a commit in the repository's web interface, when the
// portfolio names one.
func (p *Page) CommitURL(c *history.Commit) string {
	repo := strings.TrimSuffix(p.Site.Portfolio.Site.Repository, "/")
	if repo == "" || c == nil {
		return ""
	}
	return repo + "/commit/" + c.Hash
}

// docsPerFile counts the documents of each file.
func docsPerFile(docs []*model.Document) map[string]int {
	n := make(map[string]int, len(docs))
	for _, d := range docs {
		n[d.File]++
	}
	return n
}
