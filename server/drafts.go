package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/corpus/writer"
	"codenav/docimport"
	"codenav/legaltext"
	"codenav/legaltext/merge"
	"codenav/legaltext/redline"
)

// Saved drafts: a drafter saves a modification's legal text of a document into the corpus
// (modifications/<id>/legal-text/<doc>.md) through the corpus writer, which writes it
// atomically, refuses a save that did not start from the file's current revision, reloads the
// site (Config.Reload) and records the save in the history (git, or the drafts store).

// savedDraft is what the drafting page knows of a modification's saved text.
type savedDraft struct {
	Path    string // corpus-relative
	Rev     string // the revision the editor starts from ("" for no saved text)
	History []writer.Revision
	Latest  *corpus.Version // the latest version of the document, when it is not the base
}

// modFor returns the modification id of the drafting page and the modification itself when
// it exists (a free-text id such as "MP200" of a proposal not yet in the corpus is allowed for
// previews and downloads, not for saving).
func (s *Server) modFor(id string) *corpus.Modification {
	if id == "" {
		return nil
	}
	return s.code.Modification(id)
}

// legalTextFile reads the saved legal text of a modification from disk: its body and the
// revision of the file. The served corpus was loaded from the same file.
func (s *Server) legalTextFile(lt *corpus.LegalText) (body string, rev string, err error) {
	data, err := os.ReadFile(lt.Path)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", lt.Path, err)
	}
	_, b, _, _, _ := legaltext.FrontMatter(data)
	return string(b), writer.RevisionOf(data, true), nil
}

// openSaved fills the drafting page from the modification's saved text of d, when it has one.
func (s *Server) openSaved(c *gin.Context, b *draftBody, m *corpus.Modification, d *corpus.Document) error {
	rel := writer.LegalTextPath(m.ID, d.ID)
	b.Saved = &savedDraft{Path: rel}
	if lt := m.LegalTextFor(d.ID); lt != nil && s.view(c).CanSee(lt.Doc) {
		body, rev, err := s.legalTextFile(lt)
		if err != nil {
			return err
		}
		b.Base, b.Text, b.Saved.Rev = lt.Base, body, rev
		if latest := d.Latest(); latest != lt.Base {
			b.Saved.Latest = latest
		}
	}
	if s.drafts.writer != nil {
		h, err := s.drafts.writer.History(c.Request.Context(), rel)
		if err != nil {
			return err
		}
		b.Saved.History = h
	}
	return nil
}

// maySave checks that the reader may save drafts: saving is configured, the reader is a
// signed-in drafter (or admin), and the form carries a valid CSRF token.
func (s *Server) maySave(c *gin.Context) error {
	if s.drafts.writer == nil {
		return statusErr{http.StatusNotFound, "saving drafts is not configured on this server (start it with --save-drafts)"}
	}
	if s.auth == nil || s.signer == nil {
		return statusErr{http.StatusForbidden, "saving drafts needs sign-in: start the server with --users"}
	}
	r := reader(c)
	if !r.SignedIn {
		return statusErr{http.StatusUnauthorized, "saving a draft needs sign-in as a reader with the drafter role"}
	}
	if !slices.Contains(r.Roles, "drafter") && !slices.Contains(r.Roles, "admin") {
		return statusErr{http.StatusForbidden, "saving a draft needs the drafter role"}
	}
	if !s.csrfOK(c) {
		return statusErr{http.StatusForbidden, "the form has expired or did not come from this site; reload the drafting page (your text is below)"}
	}
	return nil
}

// drafting is what saving drafts needs: Config's Writer and Reload.
type drafting struct {
	writer *writer.Writer
	reload func(ctx context.Context) error
}

// statusErr is an error with the status to answer.
type statusErr struct {
	status int
	msg    string
}

func (e statusErr) Error() string { return e.msg }

// legalTextContent is the file saved: front matter naming the base (and keeping the title
// of the text it replaces), then the text.
func legalTextContent(base *corpus.Version, title, text string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nbase: %q\n", base.Number)
	if title != "" {
		fmt.Fprintf(&b, "title: %q\n", title)
	}
	b.WriteString("---\n")
	b.WriteString(text)
	if !strings.HasSuffix(text, "\n") {
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// saveDraft saves text as the modification's legal text of d, drafted against base. It
// answers with a redirect to the reopened draft, or with the drafting page showing why not
// (the text kept in the editor).
func (s *Server) saveDraft(c *gin.Context, d *corpus.Document, base *corpus.Version, text string) {
	b := draftBody{Docs: s.view(c).Documents(), Doc: d, Base: base, Mod: c.PostForm("mod"), Text: text}
	again := func(status int, msg string) {
		b.Error = msg
		s.page(c, status, "draft", pageData{Title: "Draft legal text", Body: b})
	}
	if err := s.maySave(c); err != nil {
		var se statusErr
		errors.As(err, &se)
		again(se.status, se.msg)
		return
	}
	m := s.modFor(b.Mod)
	switch {
	case m == nil:
		again(http.StatusBadRequest, fmt.Sprintf("field mod: there is no modification %q in the corpus; a draft is saved as the legal text of an existing modification", b.Mod))
		return
	case !slices.Contains(m.Documents, d.ID):
		again(http.StatusBadRequest, fmt.Sprintf("modification %s does not list %s among the documents it affects; add it to modifications/%s/modification.yaml first", m.ID, d.ID, m.ID))
		return
	}
	b.Saved = &savedDraft{Path: writer.LegalTextPath(m.ID, d.ID), Rev: c.PostForm("rev")}
	expect := b.Saved.Rev
	if c.PostForm("action") == "save-over" {
		// The drafter has seen the conflict and chose to replace the other save: the save
		// is checked against the revision the conflict showed, so a third save in between
		// is still caught.
		expect = c.PostForm("over")
	}
	var problems []string
	err := s.work.do(c.Request.Context(), func(ctx context.Context) error {
		problems = draftProblems(legaltext.ParseScheme([]byte(text), d.Numbering))
		return nil
	})
	if err != nil {
		s.failWork(c, err)
		return
	}
	if len(problems) > 0 {
		b.Problems = problems
		again(http.StatusBadRequest, "the draft has problems and was not saved")
		return
	}
	title := ""
	if lt := m.LegalTextFor(d.ID); lt != nil {
		title = lt.Title
	}
	msg := strings.TrimSpace(c.PostForm("message"))
	if msg == "" {
		msg = fmt.Sprintf("%s: legal text of %s against %s", m.ID, d.ID, base.Number)
	} else if !strings.HasPrefix(msg, m.ID) {
		msg = m.ID + ": " + msg
	}
	r := reader(c)
	rev, err := s.drafts.writer.Save(c.Request.Context(), writer.Save{
		Path: b.Saved.Path, Content: legalTextContent(base, title, text), Expect: expect,
		Author: writer.Author{Name: r.User}, Message: msg, Check: s.reload,
	})
	var conflict *writer.ErrConflict
	switch {
	case errors.As(err, &conflict):
		// Never a silent overwrite: the drafter's text stays in the editor, with the way to
		// see what the other save changed, and a deliberate "save over it".
		b.Conflict = conflict
		again(http.StatusConflict, "Not saved: "+conflict.Error()+". Your text is still in the editor.")
		return
	case errors.Is(err, writer.ErrUnchanged):
		b.Saved.Rev = c.PostForm("rev")
		again(http.StatusOK, err.Error())
		return
	case err != nil:
		s.log.WarnContext(c.Request.Context(), "save draft", "path", b.Saved.Path, "error", err)
		again(http.StatusUnprocessableEntity, "Not saved: the corpus would not load with this text: "+err.Error())
		return
	}
	s.log.InfoContext(c.Request.Context(), "draft saved", "path", b.Saved.Path, "revision", rev.ID, "author", rev.Author)
	c.Redirect(http.StatusSeeOther, s.u("/draft?"+url.Values{"mod": {m.ID}, "doc": {d.ID}, "saved": {rev.ID}}.Encode()))
}

// reload makes the site serve the corpus as it is on disk now.
func (s *Server) reload(ctx context.Context) error {
	if s.drafts.reload == nil {
		return nil
	}
	return s.drafts.reload(ctx)
}

// draftCompare is the redline between two saves of a modification's legal text (or the base
// and a save): ?mod=&doc=&from=base|<revision>&to=<revision>|current&format=html|docx.
func (s *Server) draftCompare(c *gin.Context) {
	m := s.modFor(c.Query("mod"))
	d := s.view(c).Document(c.Query("doc"))
	if m == nil || d == nil {
		s.notFound(c, "no such modification or document")
		return
	}
	lt := m.LegalTextFor(d.ID)
	if lt == nil || s.drafts.writer == nil {
		s.notFound(c, fmt.Sprintf("%s has no saved legal text of %s", m.ID, d.ID))
		return
	}
	format := c.DefaultQuery("format", "html")
	if format != "html" && format != "docx" {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter format: %q is not one of html, docx", format))
		return
	}
	rel := writer.LegalTextPath(m.ID, d.ID)
	ctx := c.Request.Context()
	// side reads one side: the base version, the current file, or a save in the history.
	// saved says who saved a revision and when, from the history ("" when it is not there).
	saved := func(ctx context.Context, id string) string {
		h, err := s.drafts.writer.History(ctx, rel)
		if err != nil {
			return ""
		}
		for _, r := range h {
			if r.ID == id || id == "" {
				return fmt.Sprintf(", saved by %s on %s", r.Author, r.When.UTC().Format("2006-01-02 15:04 UTC"))
			}
		}
		return ""
	}
	side := func(ctx context.Context, key string) (*legaltext.Doc, string, error) {
		switch key {
		case "base":
			return lt.Base.Tree(), fmt.Sprintf("version %s (effective %s)", lt.Base.Number, lt.Base.Effective), nil
		case "", "current":
			body, _, err := s.legalTextFile(lt)
			return legaltext.ParseScheme([]byte(body), d.Numbering), "the current text" + saved(ctx, ""), err
		}
		data, err := s.drafts.writer.At(ctx, rel, key)
		if err != nil {
			return nil, "", notFoundErr{fmt.Sprintf("no save %q of %s", key, rel)}
		}
		_, body, _, _, _ := legaltext.FrontMatter(data)
		return legaltext.ParseScheme(body, d.Numbering), "save " + shortRev(key) + saved(ctx, key), nil
	}
	var out []byte
	// Read from the request here: the job may outlive the handler (budget spent), and gin
	// reuses the request's context for other requests once the handler returns.
	from, to, user := c.DefaultQuery("from", "base"), c.Query("to"), reader(c).User
	err := s.work.do(ctx, func(ctx context.Context) error {
		a, an, err := side(ctx, from)
		if err != nil {
			return err
		}
		b, bn, err := side(ctx, to)
		if err != nil {
			return err
		}
		r := redline.Compare(a, b)
		title := fmt.Sprintf("%s, %s: %s → %s", m.ID, docLabel(d), an, bn)
		about := []string{fmt.Sprintf("%s: %s", docLabel(d), d.Title),
			fmt.Sprintf("Compares %s with %s: accept every change for the second, reject every change for the first", an, bn),
			fmt.Sprintf("Modification %s: %s", m.ID, m.Title),
			"Redline made by " + user + ", " + s.now().UTC().Format("2006-01-02 15:04 UTC")}
		out, err = s.renderRedlineBy(r, format, title, user, about, s.now())
		return err
	})
	if err != nil {
		s.failWork(c, err)
		return
	}
	s.sendRedline(c, out, format, m.ID+"-"+d.ID+"-compare")
}

func shortRev(id string) string {
	if len(id) > 10 {
		return id[:10]
	}
	return id
}

// rebaseBody is the page that rebases a modification's legal text onto the latest version.
type rebaseBody struct {
	Mod       *corpus.Modification
	LT        *corpus.LegalText
	Onto      *corpus.Version
	Rev       string
	Conflicts []conflictView
	Redline   template.HTML
	Error     string
}

// conflictView is one conflict as the page shows it: what each side changed, word by word.
type conflictView struct {
	N          int
	C          merge.Conflict
	Latest     template.HTML // base -> latest, word level
	Mine       template.HTML // base -> this modification, word level
	Choice     string
	Edit       string
	Replacable bool // the latest text is in the merged text, so a choice can replace it
}

// rebaseFor reads ?mod= and ?doc= (or the form) and rebases the legal text onto the latest version.
func (s *Server) rebaseFor(c *gin.Context, modID, docID string) (*rebaseBody, *merge.Result, error) {
	m := s.modFor(modID)
	d := s.view(c).Document(docID)
	if m == nil || d == nil {
		return nil, nil, notFoundErr{"no such modification or document"}
	}
	lt := m.LegalTextFor(d.ID)
	if lt == nil {
		return nil, nil, notFoundErr{fmt.Sprintf("%s has no saved legal text of %s", m.ID, d.ID)}
	}
	_, rev, err := s.legalTextFile(lt)
	if err != nil {
		return nil, nil, err
	}
	b := &rebaseBody{Mod: m, LT: lt, Onto: d.Latest(), Rev: rev}
	var res *merge.Result
	err = s.work.do(c.Request.Context(), func(ctx context.Context) error {
		res = lt.Rebase(b.Onto)
		for i, k := range res.Conflicts {
			b.Conflicts = append(b.Conflicts, conflictView{N: i, C: k, Choice: "latest", Edit: k.Theirs,
				Latest:     s.wordDiff(&legaltext.Node{Source: k.Base}, &legaltext.Node{Source: k.Ours, ID: k.Clause}, d.Numbering),
				Mine:       s.wordDiff(&legaltext.Node{Source: k.Base}, &legaltext.Node{Source: k.Theirs, ID: k.Clause}, d.Numbering),
				Replacable: k.Ours != "" && strings.Contains(res.Text, k.Ours)})
		}
		return ctx.Err()
	})
	return b, res, err
}

// rebasePage shows the rebase: each conflict inline, with what the latest version and this
// modification changed, and a choice of base, latest, mine or an edit.
func (s *Server) rebasePage(c *gin.Context) {
	b, _, err := s.rebaseFor(c, c.Query("mod"), c.Query("doc"))
	if err != nil {
		s.failWork(c, err)
		return
	}
	s.page(c, http.StatusOK, "rebase", pageData{Title: "Rebase " + b.Mod.ID + " onto version " + b.Onto.Number, Body: b})
}

// rebasePost applies the choices: into the editor (action=apply), or saved at once (action=save).
func (s *Server) rebasePost(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxRedlineBody)
	if err := c.Request.ParseForm(); err != nil {
		s.fail(c, http.StatusBadRequest, "malformed form: "+err.Error())
		return
	}
	b, res, err := s.rebaseFor(c, c.PostForm("mod"), c.PostForm("doc"))
	if err != nil {
		s.failWork(c, err)
		return
	}
	if c.PostForm("onto") != b.Onto.Number {
		s.fail(c, http.StatusConflict, fmt.Sprintf("version %s is now the latest of %s, not %s: open the rebase again", b.Onto.Number, b.LT.Doc.ID, c.PostForm("onto")))
		return
	}
	text, err := resolve(res, c.PostForm)
	for i := range b.Conflicts {
		b.Conflicts[i].Choice = c.PostForm(fmt.Sprintf("choice-%d", i))
		if e := c.PostForm(fmt.Sprintf("edit-%d", i)); e != "" {
			b.Conflicts[i].Edit = e
		}
	}
	if err != nil {
		b.Error = err.Error()
		s.page(c, http.StatusBadRequest, "rebase", pageData{Title: "Rebase " + b.Mod.ID, Body: b})
		return
	}
	if err := s.checkText("text", text); err != nil {
		s.failWork(c, err)
		return
	}
	switch c.PostForm("action") {
	case "save":
		// The save carries the revision the rebase started from: a save in between is a 409.
		c.Request.PostForm.Set("rev", c.PostForm("rev"))
		c.Request.PostForm.Set("mod", b.Mod.ID)
		if c.PostForm("message") == "" {
			c.Request.PostForm.Set("message", fmt.Sprintf("rebase onto version %s", b.Onto.Number))
		}
		s.saveDraft(c, b.LT.Doc, b.Onto, text)
	default:
		db := draftBody{Docs: s.view(c).Documents(), Doc: b.LT.Doc, Base: b.Onto, Mod: b.Mod.ID, Text: text,
			Saved:  &savedDraft{Path: writer.LegalTextPath(b.Mod.ID, b.LT.Doc.ID), Rev: c.PostForm("rev")},
			Notice: fmt.Sprintf("Rebased onto version %s with your choices; not saved yet.", b.Onto.Number)}
		s.page(c, http.StatusOK, "draft", pageData{Title: "Draft legal text", Body: db})
	}
}

// resolve applies the choice made for each conflict to the merged text, which holds the
// latest version's words at each conflict.
func resolve(res *merge.Result, form func(string) string) (string, error) {
	text := res.Text
	for i, k := range res.Conflicts {
		choice := form(fmt.Sprintf("choice-%d", i))
		var repl string
		switch choice {
		case "", "latest":
			continue
		case "base":
			repl = k.Base
		case "mine":
			repl = k.Theirs
		case "edit":
			repl = strings.TrimSpace(strings.ReplaceAll(form(fmt.Sprintf("edit-%d", i)), "\r\n", "\n"))
		default:
			return "", fmt.Errorf("field choice-%d: %q is not one of base, latest, mine, edit", i, choice)
		}
		if repl == k.Ours {
			continue
		}
		at := strings.Index(text, k.Ours)
		if k.Ours == "" || at < 0 {
			return "", fmt.Errorf("clause %s: the latest version has no text there to replace (%s conflict); choose the latest text here, then add the clause in the editor", clauseName(k.Clause), k.Kind)
		}
		text = text[:at] + repl + text[at+len(k.Ours):]
	}
	return text, nil
}

func clauseName(id string) string {
	if id == "" {
		return "(before the first clause)"
	}
	return id
}

// maxUpload is the largest file the drafting page imports (the request limit is 6 MiB).
const maxUpload = 5 << 20

// draftUpload starts a draft from a Word (or Markdown, or plain-text) file: the importer
// (docimport) turns it into our Markdown, and the drafting page opens it against the base
// chosen, with the import's report of what it could not carry over. Nothing is saved.
func (s *Server) draftUpload(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload+64<<10)
	if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is over %d MiB", maxUpload>>20))
			return
		}
		s.fail(c, http.StatusBadRequest, "malformed upload: "+err.Error())
		return
	}
	d, base, err := s.draftBase(c, c.PostForm("doc"), c.PostForm("base"))
	if err != nil {
		s.failErr(c, err)
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		s.fail(c, http.StatusBadRequest, "field file: choose a .docx, .md or .txt file to start from")
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.failErr(c, fmt.Errorf("read the upload: %w", err))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		s.failErr(c, fmt.Errorf("read the upload: %w", err))
		return
	}
	if len(data) > maxUpload {
		s.fail(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is over %d MiB", maxUpload>>20))
		return
	}
	var res *docimport.Result
	err = s.work.do(c.Request.Context(), func(ctx context.Context) error {
		var err error
		res, err = docimport.Import(fh.Filename, data, docimport.Options{Prefix: d.Prefix})
		return err
	})
	switch {
	case docimport.IsInputError(err):
		s.fail(c, http.StatusBadRequest, "the file cannot be imported: "+err.Error())
		return
	case err != nil:
		s.failWork(c, err)
		return
	}
	if err := s.checkText("file", res.Markdown); err != nil {
		s.failWork(c, err)
		return
	}
	b := draftBody{Docs: s.view(c).Documents(), Doc: d, Base: base, Mod: c.PostForm("mod"), Text: res.Markdown,
		Notice: fmt.Sprintf("Imported %s: %d words, %d parts, %d clauses. Not saved yet: check the redline, then save.",
			fh.Filename, len(docimport.Words(res.Source)), res.Parts, res.Clauses),
		Import: res.Report, Imported: true}
	if m := s.modFor(b.Mod); m != nil {
		b.Saved = &savedDraft{Path: writer.LegalTextPath(m.ID, d.ID), Rev: c.PostForm("rev")}
	}
	s.page(c, http.StatusOK, "draft", pageData{Title: "Draft legal text", Body: b})
}
