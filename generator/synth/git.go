package synth

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// History dates: the first commit is on FirstCommit and the rest are
// spread evenly, with jitter, until about LastCommit, whatever their number.
var (
	FirstCommit = time.Date(2024, 1, 8, 9, 0, 0, 0, time.UTC)
	LastCommit  = time.Date(2026, 6, 30, 17, 0, 0, 0, time.UTC)
)

// Git makes dir, a directory that Write filled, a git repository with a
// history of commits commits on branch main: the first adds every file and
// each later one edits one to four documents of one client (or a shared
// vendor) the way a consultant would (a review date bumped, a certificate
// renewed, a restore test recorded, a line added to the notes), so that
// every commit still validates. Authors are Engineers and dates run from
// FirstCommit to LastCommit; the history, and so the hash of HEAD, is a
// pure function of the files, commits and seed.
//
// It runs the git command: one `git fast-import` writes the whole history
// (thousands of commits in seconds), then `git reset --hard` makes the work
// tree match HEAD. dir must not be a git repository yet.
func Git(dir string, commits int, seed uint64) error {
	if commits < 1 {
		return fmt.Errorf("synth.Git: %d commits: want at least 1", commits)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		return fmt.Errorf("%s is a git repository already", dir)
	}
	files, err := readTree(dir)
	if err != nil {
		return err
	}
	h := newHistory(files, seed)
	if len(h.clients) == 0 && len(h.shared) == 0 {
		return fmt.Errorf("%s has no handover documents under clients/ or vendors/ to write a history of", dir)
	}
	if err := git(dir, nil, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		err := h.write(bw, commits)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
		done <- err
	}()
	if err := git(dir, pr, "fast-import", "--quiet"); err != nil {
		pr.CloseWithError(err)
		<-done
		return err
	}
	if err := <-done; err != nil {
		return err
	}
	return git(dir, nil, "reset", "-q", "--hard")
}

// git runs one git command in dir, with the user's and the system's
// configuration left out so that nothing personal (hooks, signing,
// autocrlf) changes what is written.
func git(dir string, stdin io.Reader, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_TERMINAL_PROMPT=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s in %s: %w\n%s", args[0], dir, err, stderr.Bytes())
	}
	return nil
}

// file is one file of the repository as Git edits it: its YAML documents
// (a runbook's front matter for a Markdown file) and a runbook's body.
type file struct {
	path string // slash-separated, relative to the repository
	docs []string
	body string
	md   bool
	raw  bool // not a handover document: committed once, never edited
}

func (f *file) String() string {
	switch {
	case f.md:
		return "---\n" + f.docs[0] + "---\n" + f.body
	case f.raw:
		return f.body
	}
	return strings.Join(f.docs, "---\n")
}

// readTree reads every file under dir, sorted by path.
func readTree(dir string) ([]*file, error) {
	var files []*file
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if e.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, parse(filepath.ToSlash(rel), string(src)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	return files, nil
}

func parse(rel, src string) *file {
	f := &file{path: rel}
	switch {
	case rel == "handover.yaml" || !strings.HasPrefix(rel, "clients/") && !strings.HasPrefix(rel, "vendors/"):
		f.raw, f.body = true, src
	case strings.HasSuffix(rel, ".md"):
		end := strings.Index(src, "\n---\n")
		if !strings.HasPrefix(src, "---\n") || end < 0 {
			f.raw, f.body = true, src
			break
		}
		f.md, f.docs, f.body = true, []string{src[4 : end+1]}, src[end+5:]
	case strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml"):
		parts := strings.Split(src, "\n---\n")
		for i := range len(parts) - 1 {
			parts[i] += "\n"
		}
		f.docs = parts
	default:
		f.raw, f.body = true, src
	}
	return f
}

// history draws the commits.
type history struct {
	r       *rand.Rand
	files   []*file
	clients [][]*file // the editable files of each client, by client
	shared  []*file   // shared vendors
}

func newHistory(files []*file, seed uint64) *history {
	h := &history{r: rand.New(rand.NewPCG(seed, 2)), files: files}
	byClient := map[string][]*file{}
	var names []string
	for _, f := range files {
		if f.raw {
			continue
		}
		if strings.HasPrefix(f.path, "vendors/") {
			h.shared = append(h.shared, f)
			continue
		}
		c := strings.SplitN(f.path, "/", 3)[1]
		if byClient[c] == nil {
			names = append(names, c)
		}
		byClient[c] = append(byClient[c], f)
	}
	slices.Sort(names)
	for _, c := range names {
		h.clients = append(h.clients, byClient[c])
	}
	return h
}

// write writes the fast-import stream of commits commits to w.
func (h *history) write(w io.Writer, commits int) error {
	step := LastCommit.Sub(FirstCommit) / time.Duration(max(1, commits-1))
	when := FirstCommit
	for c := 1; c <= commits; c++ {
		author := Engineers[h.r.IntN(len(Engineers))]
		var msg string
		var changed []*file
		if c == 1 {
			msg = "Document every client, imported from the old wiki\n"
			changed = h.files
		} else {
			when = when.Add(step/2 + time.Duration(h.r.Int64N(int64(step))))
			msg, changed = h.commit(author.Name, when)
		}
		stamp := fmt.Sprintf("%s <%s> %d +0000", author.Name, author.Email, when.Unix())
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s", c, stamp, stamp, len(msg), msg)
		if c > 1 {
			fmt.Fprintf(w, "from :%d\n", c-1)
		}
		for _, f := range changed {
			s := f.String()
			if _, err := fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", f.path, len(s), s); err != nil {
				return err
			}
		}
	}
	_, err := io.WriteString(w, "done\n")
	return err
}

// commit edits the files of one change and returns its message and the
// files it changed. Some clients are busier than others: half the commits
// go to the first tenth of them.
func (h *history) commit(author string, when time.Time) (string, []*file) {
	r := h.r
	var pool []*file
	scope := ""
	switch {
	case len(h.clients) == 0 || len(h.shared) > 0 && r.IntN(30) == 0:
		pool, scope = h.shared, "shared vendors"
	case r.IntN(2) == 0:
		pool = h.clients[r.IntN(max(1, len(h.clients)/10))]
	default:
		pool = h.clients[r.IntN(len(h.clients))]
	}
	if scope == "" {
		scope = strings.SplitN(pool[0].path, "/", 3)[1]
	}
	n := 1
	switch x := r.IntN(100); {
	case x >= 92:
		n = 4
	case x >= 80:
		n = 3
	case x >= 55:
		n = 2
	}
	var changed []*file
	var subjects []string
	for range n {
		f := pool[r.IntN(len(pool))]
		if slices.Contains(changed, f) {
			continue
		}
		changed = append(changed, f)
		subjects = append(subjects, h.edit(f, author, when))
	}
	if len(subjects) == 1 {
		return fmt.Sprintf("%s (%s)\n", subjects[0], scope), changed
	}
	var ids []string
	for _, f := range changed {
		ids = append(ids, strings.TrimSuffix(path.Base(f.path), path.Ext(f.path)))
	}
	msg := fmt.Sprintf("Update %s: %s and %s\n\n", scope, strings.Join(ids[:len(ids)-1], ", "), ids[len(ids)-1])
	for _, s := range subjects {
		msg += "- " + s + "\n"
	}
	return msg, changed
}

// edit changes one document of f and says what it did, as a commit
// subject. Every edit keeps the document valid.
func (h *history) edit(f *file, author string, when time.Time) string {
	r := h.r
	i := r.IntN(len(f.docs))
	doc := f.docs[i]
	id, kind := value(doc, "id: "), value(doc, "kind: ")
	day := when.Format("2006-01-02")
	var subject string
	switch x := r.IntN(100); {
	case x < 40:
		doc = setLine(doc, "reviewed: ", day)
		doc = setLine(doc, "reviewedBy: ", author)
		subject = "Review " + id
	case x < 75:
		doc, subject = h.field(doc, kind, id, author, day)
	}
	if doc == f.docs[i] {
		line := strings.ReplaceAll(noteLines[r.IntN(len(noteLines))], "%s", id)
		subject = "Add a note to " + id
		if f.md {
			f.body += fmt.Sprintf("- %s: %s\n", day, line)
			return subject
		}
		doc = addNote(doc, fmt.Sprintf("%s: %s", day, line))
	}
	f.docs[i] = doc
	return subject
}

// field changes a field that changes in real life, by kind.
func (h *history) field(doc, kind, id, author, day string) (string, string) {
	r := h.r
	switch {
	case kind == "Server" && r.IntN(2) == 0:
		return setLine(doc, "  lastRestoreTest: ", day), "Record the restore test of " + id
	case kind == "Server":
		return setLine(doc, "  window: ", patchWindows[r.IntN(len(patchWindows))]), "Move the patching window of " + id
	case kind == "Configuration" && value(doc, "expires: ") != "":
		next := nextYear(value(doc, "expires: "))
		return setLine(doc, "expires: ", next), fmt.Sprintf("Renew %s until %s", id, next)
	case kind == "Vendor" || kind == "Client":
		next := nextYear(value(doc, "  renewal: "))
		return setLine(doc, "  renewal: ", next), fmt.Sprintf("Renew the contract of %s until %s", id, next)
	case kind == "Runbook":
		return setLine(doc, "lastTested: ", day), "Test runbook " + id
	case kind == "Service":
		return setLine(doc, "rto: ", []string{"1h", "4h", "8h", "1d"}[r.IntN(4)]), "Agree the RTO of " + id + " with the client"
	}
	owner := Engineers[r.IntN(len(Engineers))].Name
	return setLine(doc, "owner: ", owner), fmt.Sprintf("Hand %s over to %s", id, owner)
}

// value returns the rest of doc's first line that starts with prefix, or "".
func value(doc, prefix string) string {
	for line := range strings.Lines(doc) {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSuffix(v, "\n")
		}
	}
	return ""
}

// setLine replaces the value of doc's first line that starts with prefix;
// doc stays as it is without one.
func setLine(doc, prefix, v string) string {
	at := 0
	for line := range strings.Lines(doc) {
		if strings.HasPrefix(line, prefix) {
			return doc[:at] + prefix + v + "\n" + doc[at+len(line):]
		}
		at += len(line)
	}
	return doc
}

// addNote adds a line at the end of the document's notes block (a literal
// block, as Write writes it), or starts one when the document has no notes.
func addNote(doc, line string) string {
	if !strings.HasSuffix(doc, "\n") {
		doc += "\n"
	}
	at, in := -1, false
	pos := 0
	for l := range strings.Lines(doc) {
		switch {
		case strings.HasPrefix(l, "notes: |"):
			in = true
		case in && !strings.HasPrefix(l, "  ") && strings.TrimSpace(l) != "":
			at, in = pos, false
		}
		pos += len(l)
	}
	switch {
	case in:
		return doc + "  - " + line + "\n"
	case at >= 0:
		return doc[:at] + "  - " + line + "\n" + doc[at:]
	}
	return doc + "notes: |\n  - " + line + "\n"
}

// nextYear is date a year later; a date that does not parse becomes one
// a year after LastCommit.
func nextYear(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		t = LastCommit
	}
	return t.AddDate(1, 0, 0).Format("2006-01-02")
}
