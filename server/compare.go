package server

import (
	"archive/zip"
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// maxRedlineBody is the largest text pair POST /api/v1/redline accepts.
const maxRedlineBody = 5 << 20

type versionPair struct{ from, to *corpus.Version }

// redlines caches comparisons of two stored versions: versions never change while the process
// runs, and the same pairs (each version against the one before) are asked for again and
// again. The cache keeps the most recently used pairs only, and each pair is compared once
// however many readers ask for it at the same time, while other pairs are compared beside it.
type redlines struct {
	mu       sync.Mutex
	max      int // pairs
	maxBytes int // their estimated memory
	size     int
	m        map[versionPair]*redlineEntry
	order    list.List // of *redlineEntry, most recently used first
}

type redlineEntry struct {
	key  versionPair
	done chan struct{} // closed when r is set
	r    *redline.Redline
	elem *list.Element
	size int
}

// defaultRedlineCacheBytes bounds the memory of the compared pairs kept: a pair of long
// versions holds both texts, word by word.
const defaultRedlineCacheBytes = 64 << 20

// redlineBytes estimates the memory of the redline of two versions from their Markdown (the
// comparison keeps both texts and their words; about 3 bytes per byte of text on the
// generated corpus's heap profiles).
func redlineBytes(from, to *corpus.Version) int {
	return 3 * (len(from.Tree().Source()) + len(to.Tree().Source()))
}

// evict drops the least recently used pairs while there are too many; rl.mu is held.
func (rl *redlines) evict() {
	for rl.order.Len() > max(rl.max, 1) || (rl.maxBytes > 0 && rl.size > rl.maxBytes && rl.order.Len() > 1) {
		old := rl.order.Remove(rl.order.Back()).(*redlineEntry)
		delete(rl.m, old.key)
		rl.size -= old.size
	}
}

// defaultRedlineCache is how many compared pairs are kept: the pages of one release need a
// few dozen.
const defaultRedlineCache = 256

func (s *Server) redline(from, to *corpus.Version) *redline.Redline {
	k := versionPair{from, to}
	rl := &s.rl
	rl.mu.Lock()
	if e, ok := rl.m[k]; ok {
		rl.order.MoveToFront(e.elem)
		rl.mu.Unlock()
		<-e.done
		if e.r != nil {
			return e.r
		}
		return redline.Compare(from.Tree(), to.Tree()) // the first comparer panicked
	}
	if rl.m == nil {
		rl.m = map[versionPair]*redlineEntry{}
	}
	e := &redlineEntry{key: k, done: make(chan struct{})}
	e.elem = rl.order.PushFront(e)
	rl.m[k] = e
	rl.evict()
	rl.mu.Unlock()
	defer func() {
		if e.r == nil { // Compare panicked: forget the pair rather than keep a hole
			rl.mu.Lock()
			if rl.m[k] == e {
				delete(rl.m, k)
				rl.order.Remove(e.elem)
			}
			rl.mu.Unlock()
		}
		close(e.done)
	}()
	start := time.Now()
	e.r = redline.Compare(from.Tree(), to.Tree())
	s.met.compared("versions", start)
	rl.mu.Lock()
	if rl.m[k] == e {
		e.size = redlineBytes(from, to)
		rl.size += e.size
		rl.evict()
	}
	rl.mu.Unlock()
	return e.r
}

// changedClauses maps the clauses of v that changed since the version before it to the
// anchor of their change in that redline.
func (s *Server) changedClauses(v *corpus.Version) map[string]string {
	prev := v.Previous()
	if prev == nil {
		return nil
	}
	out := map[string]string{}
	for _, b := range s.redline(prev, v).Changes() {
		if b.NewID != "" && b.Kind != redline.ChangeMovedAway && b.Kind != redline.ChangeDeleted {
			out[b.NewID] = fmt.Sprintf("rl-c%d", b.Change)
		}
	}
	return out
}

// comparePair reads ?from= and ?to= (version numbers) of a document the reader may see; to
// defaults to the version in force, from to the version before to.
func (s *Server) comparePair(c *gin.Context, d *corpus.Document, fromKey, toKey string) (*corpus.Version, *corpus.Version, error) {
	pick := func(key string) (*corpus.Version, error) {
		num := c.Query(key)
		if num == "" {
			return nil, nil
		}
		if !versionParamRE().MatchString(num) {
			return nil, badRequest{fmt.Sprintf("parameter %s: %q is not a version number such as 2.0", key, num)}
		}
		v := d.Version(num)
		if v == nil {
			return nil, notFoundErr{fmt.Sprintf("%s has no version %s", d.ID, num)}
		}
		return v, nil
	}
	to, err := pick(toKey)
	if err != nil {
		return nil, nil, err
	}
	from, err := pick(fromKey)
	if err != nil {
		return nil, nil, err
	}
	if to == nil {
		if to = d.At(s.today()); to == nil {
			to = d.Latest()
		}
	}
	if from == nil {
		if from = to.Previous(); from == nil {
			return nil, nil, badRequest{fmt.Sprintf("parameter %s: %s has no version before %s to compare with", fromKey, d.ID, to.Number)}
		}
	}
	return from, to, nil
}

type compareBody struct {
	Doc         *corpus.Document
	From, To    *corpus.Version
	HTML        template.HTML
	ChangesOnly bool
	Context     int
	Summary     redline.Summary
}

func (s *Server) comparePage(c *gin.Context) {
	d := s.docOr404(c)
	if d == nil {
		return
	}
	from, to, err := s.comparePair(c, d, "from", "to")
	if err != nil {
		s.failErr(c, err)
		return
	}
	b := compareBody{Doc: d, From: from, To: to, ChangesOnly: c.Query("view") == "changes", Context: 1}
	if v := c.Query("context"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &b.Context); err != nil || b.Context < 0 || b.Context > 50 {
			s.fail(c, http.StatusBadRequest, "parameter context: a number of clauses from 0 to 50")
			return
		}
	}
	r := s.redline(from, to)
	b.Summary = r.Summary
	var buf bytes.Buffer
	if err := redline.WriteHTML(&buf, r, redline.HTMLOptions{ChangesOnly: b.ChangesOnly, Context: b.Context}); err != nil {
		s.failErr(c, err)
		return
	}
	b.HTML = template.HTML(buf.String())
	s.page(c, http.StatusOK, "compare", pageData{Title: fmt.Sprintf("%s: %s → %s", docLabel(d), from.Number, to.Number), Body: b})
}

func docLabel(d *corpus.Document) string {
	if d.Reference != "" {
		return d.Reference
	}
	return d.Title
}

func redlineTitle(d *corpus.Document, from, to *corpus.Version) string {
	return fmt.Sprintf("%s, %s: version %s → %s", docLabel(d), d.Title, from.Number, to.Number)
}

// writeRedline answers with a redline in the format asked for.
func (s *Server) writeRedline(c *gin.Context, r *redline.Redline, format, title, filename string, date time.Time, author string, about []string) {
	if !redlineFormat(format) {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter format: %q is not one of json, html, docx", format))
		return
	}
	out, err := s.renderRedlineBy(r, format, title, author, about, date)
	if err != nil {
		s.failWork(c, fmt.Errorf("redline: %w", err))
		return
	}
	s.sendRedline(c, out, format, filename)
}

func redlineFormat(f string) bool {
	switch f {
	case "", "json", "html", "docx":
		return true
	}
	return false
}

// renderRedline writes r in format into a buffer capped at the output limit.
func (s *Server) renderRedline(r *redline.Redline, format, title string, date time.Time) ([]byte, error) {
	return s.renderRedlineBy(r, format, title, "codenav", nil, date)
}

// renderRedlineBy is renderRedline with the author of the Word file's tracked changes (the
// drafter, for a draft) and the lines that head each page of it (what it compares).
func (s *Server) renderRedlineBy(r *redline.Redline, format, title, author string, about []string, date time.Time) ([]byte, error) {
	if author == "" {
		author = "codenav"
	}
	buf := &cappedBuffer{max: s.limits.MaxOutputBytes}
	var err error
	switch format {
	case "", "json":
		err = redline.WriteJSON(buf, r)
	case "html":
		err = redline.WriteHTML(buf, r, redline.HTMLOptions{Standalone: true, Title: title})
	case "docx":
		err = redline.WriteDOCX(buf, r, redline.DOCXOptions{Author: author, Date: date, Title: title, About: about})
	default:
		err = badRequest{fmt.Sprintf("parameter format: %q is not one of json, html, docx", format)}
	}
	return buf.buf, err
}

// sendRedline answers with a redline rendered by renderRedline.
func (s *Server) sendRedline(c *gin.Context, out []byte, format, filename string) {
	switch format {
	case "", "json":
		c.Data(http.StatusOK, "application/json; charset=utf-8", out)
	case "html":
		// A standalone redline carries its own style sheet, for saving and printing.
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		c.Data(http.StatusOK, "text/html; charset=utf-8", out)
	case "docx":
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.docx"`, filename))
		c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", out)
	}
}

func dateOf(d corpus.Date) time.Time {
	t, _ := time.Parse("2006-01-02", string(d))
	return t
}

func (s *Server) apiCompare(c *gin.Context) {
	id := c.Query("doc")
	if id == "" {
		s.fail(c, http.StatusBadRequest, "parameter doc: missing (a document id)")
		return
	}
	d := s.view(c).Document(id)
	if d == nil {
		s.notFound(c, fmt.Sprintf("no document %q", id))
		return
	}
	from, to, err := s.comparePair(c, d, "from", "to")
	if err != nil {
		s.failErr(c, err)
		return
	}
	about, author := s.versionAbout(d, from, to, reader(c).User)
	s.writeRedline(c, s.redline(from, to), c.Query("format"), redlineTitle(d, from, to),
		fmt.Sprintf("%s-%s-to-%s-redline", d.ID, from.Number, to.Number), dateOf(to.Effective), author, about)
}

// versionAbout says what the Word redline of two versions compares (DOCXOptions.About): the
// document, both versions with their dates, the modifications the newer one made, and for
// whom and when the file was made. Its changes are by those modifications (by the release
// that made them when there are many): that is who made them.
func (s *Server) versionAbout(d *corpus.Document, from, to *corpus.Version, user string) (about []string, author string) {
	about = []string{
		fmt.Sprintf("%s: %s", docLabel(d), d.Title),
		fmt.Sprintf("Compares version %s (effective %s) with version %s (effective %s): accept every change for version %s, reject every change for version %s",
			from.Number, from.Effective, to.Number, to.Effective, to.Number, from.Number),
	}
	author = "codenav"
	if len(to.Modifications) > 0 {
		names := make([]string, 0, len(to.Modifications))
		for _, id := range to.Modifications {
			if m := s.modFor(id); m != nil && m.Title != "" {
				names = append(names, m.ID+" ("+m.Title+")")
			} else {
				names = append(names, id)
			}
		}
		line := fmt.Sprintf("Version %s made by modification %s", to.Number, strings.Join(names, ", "))
		if len(names) > 1 {
			line = fmt.Sprintf("Version %s made by modifications %s", to.Number, strings.Join(names, ", "))
		}
		author = strings.Join(to.Modifications, ", ")
		if len(to.Modifications) > 3 && to.Release != "" {
			author = "Release " + to.Release
		}
		if to.Release != "" {
			line += ", in release " + to.Release
		}
		about = append(about, line)
	} else if to.Release != "" {
		about = append(about, fmt.Sprintf("Version %s made in release %s", to.Number, to.Release))
		author = "Release " + to.Release
	}
	made := "Redline made by codenav, " + s.now().UTC().Format("2006-01-02 15:04 UTC")
	if user != "" {
		made = fmt.Sprintf("Redline made by codenav for %s, %s", user, s.now().UTC().Format("2006-01-02 15:04 UTC"))
	}
	return append(about, made), author
}

type redlineRequest struct {
	Old    *string `json:"old"`
	New    *string `json:"new"`
	Format string  `json:"format"`
	// Plain says the texts are plain text, not Markdown.
	Plain bool `json:"plain"`
	// Numbering is the numbering scheme both texts are read in: a built-in scheme's name,
	// "detect" (the scheme that finds the most clauses in the old text), or empty for the SEC's.
	Numbering string `json:"numbering"`
}

func (s *Server) apiRedline(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxRedlineBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || c.Request.ContentLength > maxRedlineBody {
		s.fail(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is over %d bytes (5 MiB)", maxRedlineBody))
		return
	}
	if err != nil {
		s.fail(c, http.StatusBadRequest, "cannot read the request body: "+err.Error())
		return
	}
	if !utf8.Valid(body) {
		// The JSON decoder would quietly turn bad bytes into U+FFFD: refuse them instead.
		s.fail(c, http.StatusBadRequest, "the request body is not valid UTF-8")
		return
	}
	var req redlineRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.fail(c, http.StatusBadRequest, "malformed JSON: "+err.Error()+` (expected {"old": "...", "new": "...", "format": "json|html|docx"})`)
		return
	}
	body = nil // the texts are in req now; let the body go
	if req.Old == nil || req.New == nil {
		s.fail(c, http.StatusBadRequest, `fields old and new are both required`)
		return
	}
	if !redlineFormat(req.Format) {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("field format: %q is not one of json, html, docx", req.Format))
		return
	}
	var scheme *legaltext.Scheme // nil: detect
	if req.Numbering != "detect" {
		sc, ok := legaltext.BuiltinScheme(req.Numbering)
		if !ok {
			s.fail(c, http.StatusBadRequest, fmt.Sprintf("field numbering: %q is not one of detect, %s", req.Numbering, strings.Join(legaltext.SchemeNames(), ", ")))
			return
		}
		scheme = sc
	}
	for _, f := range []struct{ name, text string }{{"old", *req.Old}, {"new", *req.New}} {
		if !utf8.ValidString(f.text) {
			s.fail(c, http.StatusBadRequest, fmt.Sprintf("field %s: the text is not valid UTF-8", f.name))
			return
		}
		if err := s.checkText(f.name, f.text); err != nil {
			s.failWork(c, err)
			return
		}
	}
	var out []byte
	err = s.work.do(c.Request.Context(), func(ctx context.Context) error {
		parse := func(s string) *legaltext.Doc {
			if req.Plain {
				return legaltext.ParseText([]byte(s))
			}
			_, b, _, _, _ := legaltext.FrontMatter([]byte(s))
			if scheme == nil { // "detect": the old text decides, the new is read the same way
				var d *legaltext.Doc
				// A comparison does not read the references: they are not looked for.
				scheme, d = legaltext.PickSchemeWith(b, legaltext.ParseOptions{NoRefs: true})
				return d
			}
			return legaltext.ParseSchemeWith(b, scheme, legaltext.ParseOptions{NoRefs: true})
		}
		start := time.Now()
		r, err := compareSteps(ctx, func() *legaltext.Doc { return parse(*req.Old) }, func() *legaltext.Doc { return parse(*req.New) })
		if err != nil {
			return err
		}
		s.met.compared("posted", start)
		out, err = s.renderRedline(r, req.Format, "Redline", s.now())
		return err
	})
	if err != nil {
		s.failWork(c, err)
		return
	}
	s.sendRedline(c, out, req.Format, "redline")
}

// compareSteps parses two texts and compares them, checking between steps that the request
// still wants the answer: a parse or a comparison is bounded by the input limits, and the
// steps after the budget is spent or the client has gone are not run.
func compareSteps(ctx context.Context, old, new func() *legaltext.Doc) (*redline.Redline, error) {
	a := old()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := new()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := redline.Compare(a, b)
	return r, ctx.Err()
}

type releaseRedline struct {
	From, To *corpus.Version
	HTML     template.HTML
}

// releaseRedlinePage is the printable redline of every document a release changed.
func (s *Server) releaseRedlinePage(c *gin.Context) {
	r := s.code.Release(c.Param("id"))
	if r == nil {
		s.notFound(c, fmt.Sprintf("no release %q", c.Param("id")))
		return
	}
	var out []releaseRedline
	for _, v := range s.view(c).ReleaseVersions(r.ID) {
		prev := v.Previous()
		if prev == nil {
			continue
		}
		var buf bytes.Buffer
		// Each document's change anchors are its own: rl-c1 of Section H is section-h-rl-c1.
		if err := redline.WriteHTML(&buf, s.redline(prev, v), redline.HTMLOptions{IDPrefix: v.Doc.ID + "-"}); err != nil {
			s.failErr(c, err)
			return
		}
		out = append(out, releaseRedline{From: prev, To: v, HTML: template.HTML(buf.String())})
	}
	s.page(c, http.StatusOK, "release-redline", pageData{Title: r.Name + ": redlines", Body: struct {
		R    *corpus.Release
		Docs []releaseRedline
	}{r, out}})
}

// releaseZip is a zip of the DOCX redlines of every document a release changed.
func (s *Server) releaseZip(c *gin.Context) {
	r := s.code.Release(c.Param("id"))
	if r == nil {
		s.notFound(c, fmt.Sprintf("no release %q", c.Param("id")))
		return
	}
	versions := s.view(c).ReleaseVersions(r.ID)
	// A Word redline of every document of a release is the most work one GET asks for: it
	// takes a slot of the expensive-work semaphore like a posted redline.
	var buf bytes.Buffer
	user := reader(c).User // read here: the job must not touch the request's context
	err := s.work.do(c.Request.Context(), func(ctx context.Context) error {
		z := zip.NewWriter(&buf)
		for _, v := range versions {
			prev := v.Previous()
			if prev == nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			name := fmt.Sprintf("%s-%s-to-%s-redline.docx", v.Doc.ID, prev.Number, v.Number)
			w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: dateOf(r.Date)})
			if err == nil {
				about, author := s.versionAbout(v.Doc, prev, v, user)
				err = redline.WriteDOCX(w, s.redline(prev, v), redline.DOCXOptions{Author: author,
					Date: dateOf(v.Effective), Title: redlineTitle(v.Doc, prev, v), About: about})
			}
			if err != nil {
				return fmt.Errorf("release zip: %w", err)
			}
		}
		return z.Close()
	})
	if err != nil {
		s.failWork(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-redlines.zip"`, r.ID))
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
}

func redlineCSS(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/css; charset=utf-8", []byte(redline.StyleSheet))
}

// whatChanged is the link beside a clause that changed in the version shown.
func whatChanged(base string, d *corpus.Document, v *corpus.Version, anchor string) string {
	prev := v.Previous()
	return fmt.Sprintf(`<p class="what-changed"><a href="%s/docs/%s/compare?from=%s&amp;to=%s#%s">What changed in version %s?</a></p>`+"\n",
		template.HTMLEscapeString(base), template.HTMLEscapeString(d.ID), template.HTMLEscapeString(prev.Number), template.HTMLEscapeString(v.Number),
		template.HTMLEscapeString(anchor), template.HTMLEscapeString(strings.TrimSpace(v.Number)))
}
