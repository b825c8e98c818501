package server

import (
	"archive/zip"
	"bytes"
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

// redlines caches the comparison of two versions: versions never change while the process
// runs, and the same pairs (each version against the one before) are asked for again and again.
type redlines struct {
	mu sync.Mutex
	m  map[versionPair]*redline.Redline
}

func (s *Server) redline(from, to *corpus.Version) *redline.Redline {
	s.rl.mu.Lock()
	defer s.rl.mu.Unlock()
	k := versionPair{from, to}
	if r, ok := s.rl.m[k]; ok {
		return r
	}
	r := redline.Compare(from.Tree, to.Tree)
	if s.rl.m == nil {
		s.rl.m = map[versionPair]*redline.Redline{}
	}
	s.rl.m[k] = r
	return r
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
		if !versionParamRE.MatchString(num) {
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
func (s *Server) writeRedline(c *gin.Context, r *redline.Redline, format, title, filename string, date time.Time) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "", "json":
		err = redline.WriteJSON(&buf, r)
		if err == nil {
			c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
		}
	case "html":
		err = redline.WriteHTML(&buf, r, redline.HTMLOptions{Standalone: true, Title: title})
		if err == nil {
			// A standalone redline carries its own style sheet, for saving and printing.
			c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
			c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
		}
	case "docx":
		err = redline.WriteDOCX(&buf, r, redline.DOCXOptions{Author: "codenav", Date: date, Title: title})
		if err == nil {
			c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.docx"`, filename))
			c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buf.Bytes())
		}
	default:
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter format: %q is not one of json, html, docx", format))
		return
	}
	if err != nil {
		s.failErr(c, fmt.Errorf("redline: %w", err))
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
	s.writeRedline(c, s.redline(from, to), c.Query("format"), redlineTitle(d, from, to),
		fmt.Sprintf("%s-%s-to-%s-redline", d.ID, from.Number, to.Number), dateOf(to.Effective))
}

type redlineRequest struct {
	Old    *string `json:"old"`
	New    *string `json:"new"`
	Format string  `json:"format"`
	// Plain says the texts are plain text, not Markdown.
	Plain bool `json:"plain"`
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
	if req.Old == nil || req.New == nil {
		s.fail(c, http.StatusBadRequest, `fields old and new are both required`)
		return
	}
	for name, v := range map[string]string{"old": *req.Old, "new": *req.New} {
		if !utf8.ValidString(v) {
			s.fail(c, http.StatusBadRequest, fmt.Sprintf("field %s: the text is not valid UTF-8", name))
			return
		}
	}
	parse := func(s string) *legaltext.Doc {
		if req.Plain {
			return legaltext.ParseText([]byte(s))
		}
		_, b, _, _, _ := legaltext.FrontMatter([]byte(s))
		return legaltext.Parse(b)
	}
	r := redline.Compare(parse(*req.Old), parse(*req.New))
	s.writeRedline(c, r, req.Format, "Redline", "redline", s.now())
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
		if err := redline.WriteHTML(&buf, s.redline(prev, v), redline.HTMLOptions{}); err != nil {
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
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, v := range s.view(c).ReleaseVersions(r.ID) {
		prev := v.Previous()
		if prev == nil {
			continue
		}
		name := fmt.Sprintf("%s-%s-to-%s-redline.docx", v.Doc.ID, prev.Number, v.Number)
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: dateOf(r.Date)})
		if err == nil {
			err = redline.WriteDOCX(w, s.redline(prev, v), redline.DOCXOptions{Author: "codenav",
				Date: dateOf(v.Effective), Title: redlineTitle(v.Doc, prev, v)})
		}
		if err != nil {
			s.failErr(c, fmt.Errorf("release zip: %w", err))
			return
		}
	}
	if err := z.Close(); err != nil {
		s.failErr(c, err)
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
func whatChanged(d *corpus.Document, v *corpus.Version, anchor string) string {
	prev := v.Previous()
	return fmt.Sprintf(`<p class="what-changed"><a href="/docs/%s/compare?from=%s&amp;to=%s#%s">What changed in version %s?</a></p>`+"\n",
		template.HTMLEscapeString(d.ID), template.HTMLEscapeString(prev.Number), template.HTMLEscapeString(v.Number),
		template.HTMLEscapeString(anchor), template.HTMLEscapeString(strings.TrimSpace(v.Number)))
}
