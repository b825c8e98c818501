package server

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

// TestComingChanges: the text in force says what is coming: the next version and the open
// modifications, with links to their redlines, and marks each clause a modification's legal
// text would change.
func TestComingChanges(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/docs/section-h")
	require.Equal(t, 200, w.Code)
	body := w.Body.String()
	i := strings.Index(body, `<section class="coming"`)
	require.GreaterOrEqual(t, i, 0, "a box of coming changes")
	box := body[i : i+strings.Index(body[i:], "</section>")]
	assert.Contains(t, box, `<a href="/docs/section-h?version=4.0"><strong>4.0</strong></a> takes effect on <strong>2027-02-25</strong>`)
	assert.Contains(t, box, `href="/docs/section-h/compare?from=3.0&amp;to=4.0"`)
	assert.Contains(t, box, `<a href="/modifications/MP107">MP107</a>`)
	assert.Contains(t, box, `href="/modifications/MP107#legal-section-h"`)
	assert.Contains(t, box, `changes <a href="#H13.1">H13.1</a>, <a href="#H13.2">H13.2</a>`)
	assert.Contains(t, box, "in version 4.0 from 2027-02-25", "MP140 is approved and carried by 4.0")
	assert.Contains(t, box, "without legal text yet")
	assert.NotContains(t, box, `/modifications/MP071"`, "implemented: not coming")
	// The clause is marked where it stands.
	h132 := body[strings.Index(body, `id="H13.2"`):]
	h132 = h132[:strings.Index(h132, "</div>")]
	assert.Contains(t, h132, `<p class="proposed-change"><a href="/modifications/MP107">MP107</a> proposes to change this clause.</p>`)
	h11 := body[strings.Index(body, `id="H1.1"`):]
	h11 = h11[:strings.Index(h11, "</div>")]
	assert.NotContains(t, h11, "proposed-change")
	// The anchor on the modification page exists.
	assert.Contains(t, get(t, s, "/modifications/MP107").Body.String(), `id="legal-section-h"`)

	// An older version is compared with the coming one from itself.
	old := get(t, s, "/docs/section-h?version=2.0").Body.String()
	assert.Contains(t, old, `href="/docs/section-h/compare?from=2.0&amp;to=4.0"`)
	// The coming version itself has no later version, but still has open modifications.
	next := get(t, s, "/docs/section-h?version=4.0").Body.String()
	assert.NotContains(t, next, "compare?from=4.0")
	assert.Contains(t, next, `<a href="/modifications/MP107">MP107</a>`)
}

// TestComingChangesVisibility: a document a reader may not see shows no box (it is not
// found), and legal text is listed only on the pages of documents the reader may see.
func TestComingChangesVisibility(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../corpus/sec")))
	yml := filepath.Join(dir, "documents", "section-h", "document.yaml")
	data, err := os.ReadFile(yml)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(yml, bytes.Replace(data, []byte("classification: white"), []byte("classification: amber\ngroups: [ssc]"), 1), 0o644))
	code, err := corpus.Load(dir)
	require.NoError(t, err)
	s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow }})
	require.NoError(t, err)
	assert.Equal(t, 404, get(t, s, "/docs/section-h").Code)
	// MP140 also changes Appendix AD, which stays public: its box lists MP140 without the
	// restricted Section H.
	ad := get(t, s, "/docs/appendix-ad").Body.String()
	assert.Contains(t, ad, `<a href="/modifications/MP140">MP140</a>`)
	assert.Contains(t, ad, `href="/modifications/MP140#legal-appendix-ad"`)
	assert.NotContains(t, ad, "legal-section-h")
}

func TestAPIDocumentComingAndDuties(t *testing.T) {
	s := testServer(t)
	var out struct {
		Clauses []struct {
			ID     string
			Duties []struct {
				Clause, Kind string
				Bearers      []string
			}
			ProposedBy []string `json:"proposed_by"`
		}
		Coming struct {
			Versions      []struct{ Version, Effective, Compare string }
			Modifications []struct {
				ID, Redline, InVersion string
				Changes                []string
			}
		}
	}
	getAPIJSON(t, s, "/api/v1/documents/section-h", &out)
	require.Len(t, out.Coming.Versions, 1)
	assert.Equal(t, "4.0", out.Coming.Versions[0].Version)
	assert.Equal(t, "2027-02-25", out.Coming.Versions[0].Effective)
	assert.Equal(t, "/docs/section-h/compare?from=3.0&to=4.0", out.Coming.Versions[0].Compare)
	mods := map[string][]string{}
	for _, m := range out.Coming.Modifications {
		mods[m.ID] = m.Changes
	}
	assert.Equal(t, []string{"H13.1", "H13.2"}, mods["MP107"])
	for _, c := range out.Clauses {
		switch c.ID {
		case "H13.2":
			assert.Equal(t, []string{"MP107"}, c.ProposedBy)
		case "H4.5":
			require.NotEmpty(t, c.Duties)
			assert.Equal(t, "prohibition", c.Duties[0].Kind)
			assert.Equal(t, []string{"large-supplier", "small-supplier"}, c.Duties[0].Bearers)
		}
	}
}
