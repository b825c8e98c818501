package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDraft(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/draft?doc=section-h&base=2.0")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "**H1.1**", "the base text fills the editor")
	assert.Contains(t, w.Body.String(), `name="base" value="2.0"`)
	assert.Equal(t, 200, get(t, s, "/draft").Code)
	assert.Equal(t, 200, get(t, s, "/draft?doc=section-h").Code, "the base defaults to the version in force")
	for path, status := range map[string]int{"/draft?doc=nope": 404, "/draft?doc=section-h&base=9.9": 404,
		"/draft?doc=section-h&base=x": 400, "/draft?doc=smki-key-ceremony-record": 404} {
		assert.Equal(t, status, get(t, s, path).Code, path)
	}

	base := s.code.Document("section-h").Version("2.0").Tree().Source()
	edited := strings.Replace(base, "shall not send any Service Request", "shall not send a single Service Request", 1)
	require.NotEqual(t, base, edited)
	form := func(action, text string) url.Values {
		return url.Values{"doc": {"section-h"}, "base": {"2.0"}, "text": {text}, "action": {action}, "mod": {"MP200"}}
	}
	w = post(t, s, "/draft", form("preview", edited))
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "<ins>")
	assert.Contains(t, w.Body.String(), "single")

	w = post(t, s, "/draft", form("fragment", edited))
	require.Equal(t, 200, w.Code)
	assert.NotContains(t, w.Body.String(), "<html", "a fragment for the live preview")
	assert.Contains(t, w.Body.String(), "single")

	w = post(t, s, "/draft", form("markdown", edited))
	require.Equal(t, 200, w.Code)
	assert.True(t, strings.HasPrefix(w.Body.String(), "---\nbase: \"2.0\"\n"), w.Body.String()[:40])
	assert.Contains(t, w.Header().Get("Content-Disposition"), "section-h.md")

	w = post(t, s, "/draft", form("docx", edited))
	require.Equal(t, 200, w.Code)
	// The Word file opens with what it compares: the document, the base and its date, the
	// draft's date, the modification, and who drafted it (nobody signed in here).
	body := assertDOCX(t, w.Body.Bytes())
	when := s.now().UTC().Format("2006-01-02 15:04 UTC")
	assert.Equal(t, []string{"Section H: DCC Services",
		"Compares version 2.0 (effective 2019-09-12) with the draft as of " + when + " (accept all changes: the draft; reject all: version 2.0)",
		"Modification MP200", "Drafted without signing in; redline made " + when}, aboutLines(body))
	assert.Contains(t, body, `w:author="codenav"`)
	assert.Contains(t, w.Header().Get("Content-Disposition"), "MP200-section-h-draft-against-2.0.docx")

	w = post(t, s, "/draft", form("html", edited))
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "<!DOCTYPE html>")

	// A malformed draft is 400 naming the problem.
	dup := edited + "\n**H1.1** A second clause with the same number.\n"
	w = post(t, s, "/draft", form("preview", dup))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), `duplicate id &#34;H1.1&#34;`)
	w = post(t, s, "/draft", form("docx", dup))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	w = post(t, s, "/draft", form("preview", "bad \xff"))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "UTF-8")
	w = post(t, s, "/draft", form("print", edited))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	w = post(t, s, "/draft", form("preview", strings.Repeat("x", 5<<20+10)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
}
