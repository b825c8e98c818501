package index

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

const redDoc = "smki-key-ceremony-record"

// withoutRed copies the sample without its red document (and the one reference to it).
func withoutRed(t *testing.T) string {
	t.Helper()
	dir := copyCorpus(t)
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "documents", redDoc)))
	p := filepath.Join(dir, "documents", "appendix-l", "document.yaml")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	fixed := strings.NewReplacer(", "+redDoc, "", redDoc+", ", "").Replace(string(b))
	require.NotEqual(t, string(b), fixed)
	require.NoError(t, os.WriteFile(p, []byte(fixed), 0o644))
	return dir
}

func openCorpus(t *testing.T, dir string) (*corpus.Code, *Manager) {
	t.Helper()
	code, err := corpus.Load(dir)
	require.NoError(t, err)
	m, err := Open(context.Background(), t.TempDir(), code, quiet())
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	require.NoError(t, m.Wait(context.Background()))
	return code, m
}

func visibleTo(c *corpus.Code, r corpus.Reader) []string {
	var ids []string
	for _, d := range c.For(r).Documents() {
		ids = append(ids, d.ID)
	}
	return ids
}

// A reader who may not see a document gets, byte for byte, the answer they would get if the
// document did not exist: same hits, order, scores, totals and facets, for words, phrases,
// prefixes, wildcards, regexps and fuzzy terms. (Before, "party tamper" and "party
// zzqxnotaword" scored differently for an anonymous reader because "tamper" is a word of
// the red document only, and tampe* against tampx* spelled it out.)
func TestSearchLeaksNothing(t *testing.T) {
	withRed, mWith := openCorpus(t, copyCorpus(t))
	noRed, mWithout := openCorpus(t, withoutRed(t))
	require.NotNil(t, withRed.Document(redDoc))
	require.Nil(t, noRed.Document(redDoc))

	readers := map[string]corpus.Reader{
		"anonymous": {},
		"member":    {SignedIn: true, User: "someone", Party: "dcc"},
		"ssc":       {SignedIn: true, User: "someone", Party: "dcc", Groups: []string{"ssc"}},
	}
	queries := []Request{
		{Query: "party tamper"}, {Query: "party tampe*"}, {Query: "party tamp?r"}, {Query: "party tamper~1"},
		{Query: `"party shall"`}, {Query: "party zzqxnotaword"}, {Query: "tamper"}, {Query: "/tamp.r/"},
		{Query: "ceremony custodian"}, {Query: "key", Party: "dcc"}, {Query: "key*", AllVersions: true},
		{Query: "security", At: "2019-06-01"}, {Query: "+smki -ceremony", Category: "committee"},
		{Query: "certificate", Size: 50, Page: 2}, {Query: ""},
	}
	for name, r := range readers {
		visWith, visWithout := visibleTo(withRed, r), visibleTo(noRed, r)
		require.NotContains(t, visWith, redDoc)
		require.Equal(t, visWithout, visWith)
		for _, q := range queries {
			q.Today = today
			a, b := q, q
			a.Visible, b.Visible = visWith, visWithout
			ra, err := mWith.Search(context.Background(), a)
			require.NoError(t, err, "%s %q", name, q.Query)
			rb, err := mWithout.Search(context.Background(), b)
			require.NoError(t, err, "%s %q", name, q.Query)
			ja, _ := json.Marshal(ra)
			jb, _ := json.Marshal(rb)
			assert.JSONEq(t, string(jb), string(ja), "%s %q", name, q.Query)
		}
	}

	// Within one corpus, a hidden word scores as a word that does not exist.
	pub := visibleTo(withRed, corpus.Reader{})
	hidden := find(t, mWith, Request{Query: "party tamper", Visible: pub})
	none := find(t, mWith, Request{Query: "party zzqxnotaword", Visible: pub})
	require.NotEmpty(t, hidden.Hits)
	assert.Equal(t, none.Hits, hidden.Hits)
	assert.Equal(t, find(t, mWith, Request{Query: "party tampx*", Visible: pub}).Hits,
		find(t, mWith, Request{Query: "party tampe*", Visible: pub}).Hits)

	// The reader who may see it finds it.
	chair := visibleTo(withRed, corpus.Reader{SignedIn: true, User: "pma-chair"})
	assert.Greater(t, find(t, mWith, Request{Query: "tamper*", Visible: chair}).Total, 0)
}
