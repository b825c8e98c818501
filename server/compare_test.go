package server

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestComparePage(t *testing.T) {
	s := testServer(t)
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/docs/section-h/compare?from=1.0&to=2.0", 200, []string{"version 1.0 → 2.0", "<ins>", "renumbered", "Word with tracked changes"}},
		{"/docs/section-h/compare", 200, []string{"version 2.0 → 3.0"}},
		{"/docs/section-h/compare?from=1.0&to=3.0&view=changes&context=0", 200, []string{"rl-skip"}},
		{"/docs/section-h/compare?from=9.0", 404, []string{"no version 9.0"}},
		{"/docs/section-h/compare?from=..%2f", 400, []string{"parameter from"}},
		{"/docs/section-h/compare?context=999", 400, []string{"parameter context"}},
		{"/docs/appendix-d/compare", 400, []string{"no version before"}},
		{"/docs/panel-meeting-digest/compare", 404, nil},
		{"/docs/section-h/history", 200, []string{`action="/docs/section-h/compare"`, "what changed"}},
		{"/releases/2019-11", 200, []string{"/releases/2019-11/redline", "redlines.zip", `/docs/section-h/compare?from=2.0&amp;to=3.0`}},
		{"/releases/2019-11/redline", 200, []string{"Section H: DCC Services, version 2.0 → 3.0", "<del>"}},
		{"/assets/redline.css", 200, []string{".redline ins"}},
	}
	for _, tc := range cases {
		w := get(t, s, tc.path)
		assert.Equal(t, tc.status, w.Code, tc.path)
		for _, want := range tc.want {
			assert.Contains(t, w.Body.String(), want, tc.path)
		}
	}
	// A clause that changed in the version shown links to its change.
	page := get(t, s, "/docs/section-h").Body.String()
	assert.Contains(t, page, `/docs/section-h/compare?from=2.0&amp;to=3.0#rl-c`)
	assert.Contains(t, page, "What changed in version 3.0?")
	assert.NotContains(t, get(t, s, "/docs/section-h?version=1.0").Body.String(), "What changed", "the first version has nothing to compare")
}

func TestCompareAPI(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/api/v1/compare?doc=section-h&from=1.0&to=2.0")
	require.Equal(t, 200, w.Code)
	var js map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &js))
	assert.NotEmpty(t, js)

	w = get(t, s, "/api/v1/compare?doc=section-h&from=1.0&to=2.0&format=html")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "<!DOCTYPE html>")

	w = get(t, s, "/api/v1/compare?doc=section-h&from=1.0&to=2.0&format=docx")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Header().Get("Content-Disposition"), "section-h-1.0-to-2.0-redline.docx")
	// Its body opens with what it compares; its changes are by the modification that made them.
	body := assertDOCX(t, w.Body.Bytes())
	about := aboutLines(body)
	require.Len(t, about, 4, body[:min(len(body), 2000)])
	assert.Equal(t, "Section H: DCC Services", about[0])
	assert.Equal(t, "Compares version 1.0 (effective 2019-03-01) with version 2.0 (effective 2019-09-12): accept every change for version 2.0, reject every change for version 1.0", about[1])
	assert.Contains(t, about[2], "Version 2.0 made by modification MP082")
	assert.Contains(t, about[2], "in release 2019-09-adhoc")
	assert.Contains(t, about[3], "Redline made by codenav, ")
	assert.Contains(t, body, `w:author="MP082"`)
	assert.Less(t, strings.Index(body, "RedlineAbout"), strings.Index(body, "<w:ins "), "the statement comes before the text")

	// Each changed definition of Section A1.1 (a row of its table) is a change of its own.
	w = get(t, s, "/api/v1/compare?doc=section-a&from=2.0&to=3.0")
	require.Equal(t, 200, w.Code)
	var rl struct {
		Summary struct {
			Clauses, Changes map[string]int
		}
		Changes []struct{ Label, Term, Kind string }
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &rl))
	assert.Equal(t, 2, rl.Summary.Clauses["changed"], "clauses A1.1 and A2.5")
	assert.Equal(t, map[string]int{"added": 3, "deleted": 0, "changed": 2, "moved": 0, "renumbered": 0, "unchanged": rl.Summary.Clauses["unchanged"]}, rl.Summary.Changes)
	var terms []string
	for _, c := range rl.Changes {
		if c.Label == "A1.1" {
			terms = append(terms, c.Kind+" "+c.Term)
		}
	}
	assert.Equal(t, []string{"inserted Information Classification", "inserted Originator", "changed Panel Information Policy"}, terms)
	page := get(t, s, "/docs/section-a/compare?from=2.0&to=3.0").Body.String()
	assert.Contains(t, page, "5 changes: 3 added, 0 deleted, 2 changed")

	for _, q := range []string{"", "doc=section-h&format=pdf", "doc=section-h&to=x"} {
		assert.Equal(t, http.StatusBadRequest, get(t, s, "/api/v1/compare?"+q).Code, q)
	}
	assert.Equal(t, http.StatusNotFound, get(t, s, "/api/v1/compare?doc=smki-key-ceremony-record").Code)

	w = get(t, s, "/releases/2019-11/redlines.zip")
	require.Equal(t, 200, w.Code)
	z, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(z.File), 10, "one redline per document the release changed")
	for _, f := range z.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, _ := io.ReadAll(rc)
		rc.Close()
		assertDOCX(t, b)
	}
}

// assertDOCX checks that b is a Word file with tracked changes and returns its body
// (word/document.xml).
func assertDOCX(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			require.NoError(t, err)
			doc, _ := io.ReadAll(rc)
			rc.Close()
			assert.Contains(t, string(doc), "<w:ins ")
			return string(doc)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// aboutLines are the lines of the statement that opens a Word redline's body (the paragraphs
// in the style RedlineAbout), in order.
func aboutLines(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<w:p><w:pPr><w:pStyle w:val="RedlineAbout"/></w:pPr><w:r>(?:<w:rPr><w:b/></w:rPr>)?<w:t xml:space="preserve">([^<]*)</w:t>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func postJSON(t *testing.T, s *Server, path string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

func TestRedlineAPI(t *testing.T) {
	s := testServer(t)
	w := postJSON(t, s, "/api/v1/redline", strings.NewReader(`{"old": "**A1.1** The cat sat.", "new": "**A1.1** The cat sat down.", "format": "html"}`))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), "down")
	assert.Contains(t, w.Body.String(), "<ins>")
	w = postJSON(t, s, "/api/v1/redline", strings.NewReader(`{"old": "a b c", "new": "a c", "plain": true}`))
	require.Equal(t, 200, w.Code)
	w = postJSON(t, s, "/api/v1/redline", strings.NewReader(`{"old": "", "new": "", "format": "docx"}`))
	require.Equal(t, 200, w.Code, "empty documents are fine")

	bad := []struct {
		body   string
		status int
		want   string
	}{
		{`{"old": "x"}`, 400, "old and new"},
		{`{"old": "x", "new": "y", "colour": 1}`, 400, "malformed JSON"},
		{`not json`, 400, "malformed JSON"},
		{`{"old": "x", "new": "y", "format": "pdf"}`, 400, "field format"},
		{"{\"old\": \"\xff\", \"new\": \"y\"}", 400, "UTF-8"},
		{`{"old": "` + strings.Repeat("a", 5<<20+1000) + `", "new": ""}`, 413, "5 MiB"},
		{`{"old": "` + strings.Repeat("a", 7<<20) + `", "new": ""}`, 413, "6 MiB"},
	}
	for _, b := range bad {
		w := postJSON(t, s, "/api/v1/redline", strings.NewReader(b.body))
		assert.Equal(t, b.status, w.Code, b.body[:min(40, len(b.body))])
		assert.Contains(t, w.Body.String(), b.want)
	}
}

func TestModificationLegalText(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/modifications/MP107")
	require.Equal(t, 200, w.Code)
	body := w.Body.String()
	assert.Contains(t, body, "Proposed legal text: Section H")
	assert.Contains(t, body, "Drafted against version 3.0")
	assert.Contains(t, body, "Rebased onto version 4.0")
	assert.Contains(t, body, "conflict")
	assert.Contains(t, body, "Clause H13.1")
	w = get(t, s, "/modifications/MP111")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "Rebased onto version 4.0")
	assert.NotContains(t, w.Body.String(), `class="conflicts"`)
	w = get(t, s, "/modifications/DP110")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "<ins>")
	assert.NotContains(t, w.Body.String(), "Rebased onto", "its base is the latest version")
}

// On the changes page, a changed clause whose table rows changed (the definitions of A1.1)
// names each changed row, a change of its own.
func TestChangesPageNamesDefinitionRows(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/changes?from=2020-06-24&to=2020-06-25&doc=section-a")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "3 rows changed, each a change of its own: <strong>Information Classification</strong> (inserted); "+
		"<strong>Originator</strong> (inserted); <strong>Panel Information Policy</strong> (changed).")
}
