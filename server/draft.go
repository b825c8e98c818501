package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/corpus/writer"
	"codenav/docimport"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// The drafting page: the draft travels in the form and comes back as a preview or a
// download; saving it as a modification's legal text is in drafts.go.

type draftBody struct {
	Docs     []*corpus.Document
	Doc      *corpus.Document
	Base     *corpus.Version
	Mod      string
	Text     string
	Preview  template.HTML
	Problems []string
	// Notes are what the checks of a draft found (checkDraft): problems and changes of
	// applicability.
	Notes []draftNote
	// Import is the report of a file imported into the editor (Imported is true then).
	Import   []docimport.Finding
	Imported bool
	// Saved is the modification's saved text (its revision and history) when the page
	// drafts the legal text of an existing modification.
	Saved *savedDraft
	// Error and Notice are shown above the editor; Conflict is a save refused as stale.
	Error    string
	Notice   string
	Conflict *writer.ErrConflict
}

// draftBase reads ?doc= and ?base= (default: the version in force) of a document the reader may see.
func (s *Server) draftBase(c *gin.Context, doc, base string) (*corpus.Document, *corpus.Version, error) {
	d := s.view(c).Document(doc)
	if d == nil {
		return nil, nil, notFoundErr{fmt.Sprintf("no document %q", doc)}
	}
	if base == "" {
		v := d.At(s.today())
		if v == nil {
			v = d.Latest()
		}
		return d, v, nil
	}
	if !versionParamRE().MatchString(base) {
		return nil, nil, badRequest{fmt.Sprintf("parameter base: %q is not a version number such as 2.0", base)}
	}
	v := d.Version(base)
	if v == nil {
		return nil, nil, notFoundErr{fmt.Sprintf("%s has no version %s", d.ID, base)}
	}
	return d, v, nil
}

func (s *Server) draftPage(c *gin.Context) {
	b := draftBody{Docs: s.view(c).Documents(), Mod: c.Query("mod")}
	if id := c.Query("doc"); id != "" {
		d, v, err := s.draftBase(c, id, c.Query("base"))
		if err != nil {
			s.failErr(c, err)
			return
		}
		b.Doc, b.Base, b.Text = d, v, v.Tree().Source()
		// A modification's draft opens its saved text (drafted against its own base), not
		// the base version.
		if m := s.modFor(b.Mod); m != nil {
			if err := s.openSaved(c, &b, m, d); err != nil {
				s.failErr(c, err)
				return
			}
			if id := c.Query("saved"); id != "" {
				b.Notice = "Saved as revision " + shortRev(id) + "."
			}
		}
	}
	s.page(c, http.StatusOK, "draft", pageData{Title: "Draft legal text", Body: b})
}

// readDraft reads the posted form: the document, its base and the edited text.
func (s *Server) readDraft(c *gin.Context) (*corpus.Document, *corpus.Version, string, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxRedlineBody)
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, "", errTooLarge
		}
		return nil, nil, "", badRequest{"malformed form: " + err.Error()}
	}
	d, v, err := s.draftBase(c, c.PostForm("doc"), c.PostForm("base"))
	if err != nil {
		return nil, nil, "", err
	}
	text := strings.ReplaceAll(c.PostForm("text"), "\r\n", "\n")
	if !utf8.ValidString(text) {
		return nil, nil, "", badRequest{"field text: the draft is not valid UTF-8"}
	}
	if err := s.checkText("text", text); err != nil {
		return nil, nil, "", err
	}
	return d, v, text, nil
}

var errTooLarge = errors.New("too large")

// draftAbout says what a draft's Word redline compares: the document, the base version and
// its date, the modification and who drafted it, when.
func (s *Server) draftAbout(d *corpus.Document, base *corpus.Version, mod, author string) []string {
	now := s.now().UTC().Format("2006-01-02 15:04 UTC")
	about := []string{
		fmt.Sprintf("%s: %s", docLabel(d), d.Title),
		fmt.Sprintf("Compares version %s (effective %s) with the draft as of %s (accept all changes: the draft; reject all: version %s)", base.Number, base.Effective, now, base.Number),
	}
	if m := s.modFor(mod); m != nil {
		about = append(about, fmt.Sprintf("Modification %s: %s", m.ID, m.Title))
	} else if modRE().MatchString(mod) {
		about = append(about, "Modification "+mod)
	}
	if author == "" {
		return append(about, "Drafted without signing in; redline made "+now)
	}
	return append(about, fmt.Sprintf("Drafted by %s; redline made %s", author, now))
}

// modRE is what a modification id looks like, for file names.
var modRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`) })

// writeNotes writes the checks' findings for the drafting page: problems first.
func writeNotes(w *bytes.Buffer, notes []draftNote) {
	if len(notes) == 0 {
		return
	}
	w.WriteString(`<ul class="draft-notes" id="draft-notes">`)
	for _, n := range notes {
		cls := "note-change"
		if n.Problem {
			cls = "note-problem"
		}
		fmt.Fprintf(w, `<li class="%s">%s</li>`, cls, template.HTMLEscapeString(n.String()))
	}
	w.WriteString("</ul>")
}

// draftProblems are what is wrong in a draft: the same checks as validate makes of a version.
func draftProblems(tree *legaltext.Doc) []string {
	var out []string
	for _, p := range tree.Problems {
		out = append(out, fmt.Sprintf("line %d: %s", p.Line, p.Msg))
	}
	return out
}

func (s *Server) draftFail(c *gin.Context, err error) {
	if errors.Is(err, errTooLarge) {
		s.fail(c, http.StatusRequestEntityTooLarge, "the draft is over 5 MiB")
		return
	}
	s.failWork(c, err)
}

// draftPost previews the draft's redline, or downloads the draft or its redline.
func (s *Server) draftPost(c *gin.Context) {
	d, base, text, err := s.readDraft(c)
	if err != nil {
		s.draftFail(c, err)
		return
	}
	action := c.DefaultPostForm("action", "preview")
	switch action {
	case "preview", "fragment", "markdown", "docx", "html":
	case "save", "save-over":
		s.saveDraft(c, d, base, text)
		return
	default:
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("field action: %q is not one of preview, save, markdown, docx, html", action))
		return
	}
	mod := strings.TrimSpace(c.PostForm("mod"))
	title := fmt.Sprintf("%s: draft against version %s", docLabel(d), base.Number)
	name := d.ID + "-draft-against-" + base.Number
	if modRE().MatchString(mod) {
		title = mod + ", " + title
		name = mod + "-" + name
	}
	// Parsing, comparing and rendering run as one piece of budgeted work.
	var (
		problems []string
		notes    []draftNote
		preview  []byte
		out      []byte
	)
	user := reader(c).User // read here: the job must not touch the request's context
	err = s.work.do(c.Request.Context(), func(ctx context.Context) error {
		var tree *legaltext.Doc
		r, err := compareSteps(ctx, func() *legaltext.Doc { return base.Tree() }, func() *legaltext.Doc {
			tree = legaltext.ParseScheme([]byte(text), base.Tree().Scheme())
			return tree
		})
		if err != nil {
			return err
		}
		problems = draftProblems(tree)
		notes = s.checkDraft(d, base, tree)
		switch {
		case len(problems) > 0 && action != "preview" && action != "fragment":
			return nil
		case action == "preview" || action == "fragment":
			buf := &cappedBuffer{max: s.limits.MaxOutputBytes}
			err = redline.WriteHTML(buf, r, redline.HTMLOptions{})
			preview = buf.buf
		case action == "docx" || action == "html":
			out, err = s.renderRedlineBy(r, action, title, user, s.draftAbout(d, base, mod, user), s.now())
		}
		return err
	})
	if err != nil {
		s.failWork(c, err)
		return
	}
	if len(problems) > 0 && action != "preview" && action != "fragment" {
		s.fail(c, http.StatusBadRequest, "the draft has problems: "+strings.Join(problems, "; "))
		return
	}
	switch action {
	case "preview", "fragment":
		buf := bytes.NewBuffer(preview)
		status := http.StatusOK
		if len(problems) > 0 {
			status = http.StatusBadRequest
		}
		if action == "fragment" {
			// For the live preview: the redline alone, with the problems above it.
			var out bytes.Buffer
			for _, p := range problems {
				fmt.Fprintf(&out, `<p class="error" role="alert">%s</p>`, template.HTMLEscapeString(p))
			}
			writeNotes(&out, notes)
			out.Write(buf.Bytes())
			c.Data(status, "text/html; charset=utf-8", out.Bytes())
			return
		}
		b := draftBody{Docs: s.view(c).Documents(), Doc: d, Base: base, Mod: c.PostForm("mod"), Text: text,
			Preview: template.HTML(buf.String()), Problems: problems, Notes: notes}
		if m := s.modFor(b.Mod); m != nil {
			// Preview keeps the revision the editor started from, so that a save after it
			// is still checked against it.
			b.Saved = &savedDraft{Path: writer.LegalTextPath(m.ID, d.ID), Rev: c.PostForm("rev")}
		}
		s.page(c, status, "draft", pageData{Title: "Draft legal text", Body: b})
	case "markdown":
		var md strings.Builder
		fmt.Fprintf(&md, "---\nbase: %q\n", base.Number)
		if mod := strings.TrimSpace(c.PostForm("mod")); mod != "" {
			fmt.Fprintf(&md, "# modification: %s\n", strings.NewReplacer("\n", " ", "\r", " ").Replace(mod))
		}
		md.WriteString("---\n")
		md.WriteString(text)
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.md"`, d.ID))
		c.Data(http.StatusOK, "text/markdown; charset=utf-8", []byte(md.String()))
	case "docx", "html":
		s.sendRedline(c, out, action, name)
	}
}
