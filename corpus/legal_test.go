package corpus

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext/merge"
)

// mp002 is an open modification of the tiny corpus with legal text for section-b, drafted
// against version 1.0 (version 2.0 has been made since).
const (
	mp002Path = "modifications/MP002/modification.yaml"
	mp002     = `id: MP002
title: Notice of changes to the services
type: modification-proposal
stage: refinement
status: open
raised: 2020-07-01
parties: [supplier]
documents: [section-b]
`
	legalPath = "modifications/MP002/legal-text/section-b.md"
	legalText = `---
base: "1.0"
title: Draft for the Working Group
---

# Section B: Services

## B1 Services {#B1}

**B1.1** Each Party shall comply with Section A1.1 and with this Section B.

**B1.2** {parties="dcc"} The DCC shall provide the services.

**B1.3** {parties="dcc"} The DCC shall give one month's notice of any change to the services.
`
)

func writeTinyWithLegalText(t *testing.T) string {
	t.Helper()
	dir := writeTiny(t)
	writeFile(t, dir, mp002Path, mp002)
	writeFile(t, dir, legalPath, legalText)
	return dir
}

func TestLegalTextLoads(t *testing.T) {
	dir := writeTinyWithLegalText(t)
	c, err := Load(dir)
	require.NoError(t, err)
	m := c.Modification("MP002")
	require.Len(t, m.LegalText, 1)
	lt := m.LegalText[0]
	assert.Same(t, lt, m.LegalTextFor("section-b"))
	assert.Nil(t, m.LegalTextFor("section-a"))
	assert.Same(t, m, lt.Mod)
	assert.Same(t, c.Document("section-b"), lt.Doc)
	assert.Same(t, c.Document("section-b").Version("1.0"), lt.Base)
	assert.Equal(t, "Draft for the Working Group", lt.Title)
	assert.Equal(t, filepath.Join(dir, filepath.FromSlash(legalPath)), lt.Path)
	assert.Equal(t, 5, lt.BodyLine)
	require.NotNil(t, lt.Tree.Node("B1.3"))
	assert.Equal(t, 14, lt.Tree.Node("B1.3").Line+lt.BodyLine-1, "the clause's line in the file")
	assert.Empty(t, c.Modification("MP001").LegalText)

	// A reader who may not see the document does not see its legal text either.
	assert.Len(t, c.For(Reader{}).LegalTexts(m), 1)
	c.Document("section-b").Classification = "red"
	assert.Empty(t, c.For(Reader{SignedIn: true, User: "u"}).LegalTexts(m))
	assert.Len(t, c.For(Reader{Roles: []string{"admin"}}).LegalTexts(m), 1)
}

func TestLegalTextProblems(t *testing.T) {
	cases := []struct {
		name   string
		path   string // the legal text written, relative to the corpus
		text   string
		line   int
		msg    string
		mutate func(t *testing.T, dir string)
	}{
		{name: "unknown document", path: "modifications/MP002/legal-text/section-z.md", text: legalText,
			line: 1, msg: `legal text for unknown document "section-z"`},
		{name: "base version that does not exist", text: strings.Replace(legalText, `base: "1.0"`, `base: "3.0"`, 1),
			line: 2, msg: `base version "3.0" of section-b does not exist (its versions are 1.0, 2.0)`},
		{name: "base that is not a version", text: strings.Replace(legalText, `base: "1.0"`, `base: latest`, 1),
			line: 2, msg: `base "latest" must be a version number`},
		{name: "missing base", text: strings.Replace(legalText, "base: \"1.0\"\n", "", 1),
			line: 2, msg: `missing field "base"`},
		{name: "unknown field", text: strings.Replace(legalText, "title:", "titel:", 1),
			line: 3, msg: `unknown field "titel" (expected one of: base, title)`},
		{name: "malformed YAML", text: strings.Replace(legalText, `base: "1.0"`, `base: [1.0`, 1),
			line: 3, msg: "malformed YAML"},
		{name: "no front matter", text: legalText[strings.Index(legalText, "# Section B"):],
			line: 1, msg: "missing front matter"},
		{name: "front matter not closed", text: "---\nbase: \"1.0\"\n# Section B\n",
			line: 1, msg: "front matter is not closed"},
		{name: "document not listed by the modification", path: "modifications/MP002/legal-text/section-a.md",
			text: "---\nbase: \"1.0\"\n---\n\n# Section A: Definitions\n", line: 1,
			msg: "legal text for section-a, which modification MP002 does not list in its documents"},
		{name: "duplicate clause id at its line", text: legalText + "\n**B1.3** Again.\n",
			line: 16, msg: `duplicate id "B1.3" (first used on line 14)`},
		{name: "unknown party category", text: strings.Replace(legalText, `**B1.3** {parties="dcc"}`, `**B1.3** {parties="dcc nobody"}`, 1),
			line: 14, msg: `unknown party category "nobody"`},
		{name: "clause outside the document's prefix", text: legalText + "\n**A9.1** Misplaced.\n",
			line: 16, msg: "clause A9.1 does not start with the document's prefix B"},
		{name: "unexpected file", path: "modifications/MP002/legal-text/notes.txt", text: "notes",
			line: 0, msg: "unexpected file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTiny(t)
			writeFile(t, dir, mp002Path, mp002)
			path := tc.path
			if path == "" {
				path = legalPath
			}
			writeFile(t, dir, path, tc.text)
			_, err := Load(dir)
			probs := problemsOf(t, err)
			requireProblem(t, probs, filepath.Join(dir, filepath.FromSlash(path)), tc.line, tc.msg)
			assert.Len(t, probs, 1, "follow-on problems:\n%v", probs)
		})
	}
}

func TestLegalTextOfUnreadableModificationIsSkipped(t *testing.T) {
	dir := writeTinyWithLegalText(t)
	writeFile(t, dir, mp002Path, "id: [MP002\n")
	_, err := Load(dir)
	probs := problemsOf(t, err)
	require.Len(t, probs, 1, "%v", probs)
	assert.Contains(t, probs[0].Msg, "malformed YAML")
}

func TestRebase(t *testing.T) {
	// Version 2.0 of section-b changed B1.2; the legal text, drafted against 1.0, changed
	// B1.1 and added B1.3.
	cases := []struct {
		name      string
		legal     string
		want      []string // clause texts of the rebased text
		conflicts []merge.Conflict
	}{
		{
			name:  "changes elsewhere",
			legal: legalText,
			want: []string{
				"B1.1 Each Party shall comply with Section A1.1 and with this Section B.",
				"B1.2 The DCC shall provide the services to each User under A1.2.",
				"B1.3 The DCC shall give one month's notice of any change to the services.",
			},
			conflicts: []merge.Conflict{},
		},
		{
			name:  "the same words changed",
			legal: strings.Replace(legalText, "shall provide the services.", "shall provide the services on request.", 1),
			want: []string{
				"B1.1 Each Party shall comply with Section A1.1 and with this Section B.",
				"B1.2 The DCC shall provide the services to each User under A1.2.",
				"B1.3 The DCC shall give one month's notice of any change to the services.",
			},
			conflicts: []merge.Conflict{{Doc: "section-b", Clause: "B1.2", Kind: merge.KindWords,
				Base:   `**B1.2** {parties="dcc"} The DCC shall provide the services.`,
				Ours:   `**B1.2** {parties="dcc"} The DCC shall provide the services to each User under A1.2.`,
				Theirs: `**B1.2** {parties="dcc"} The DCC shall provide the services on request.`}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTinyWithLegalText(t)
			writeFile(t, dir, legalPath, tc.legal)
			c, err := Load(dir)
			require.NoError(t, err)
			lt := c.Modification("MP002").LegalTextFor("section-b")
			r := lt.Rebase(lt.Doc.Latest())
			assert.Equal(t, tc.conflicts, r.Conflicts)
			var got []string
			for _, n := range r.Doc.Clauses() {
				got = append(got, n.Text)
			}
			assert.Equal(t, tc.want, got)

			// Against its own base, the legal text is itself.
			same := lt.Rebase(lt.Base)
			assert.Same(t, lt.Tree, same.Doc)
			assert.Empty(t, same.Conflicts)
		})
	}
}

func TestSampleLegalTexts(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	n := 0
	for _, m := range c.Modifications {
		for _, lt := range m.LegalText {
			n++
			assert.Contains(t, m.Documents, lt.Doc.ID)
			assert.NotContains(t, []string{"rejected", "withdrawn"}, m.Status, "%s", m.ID)
			r := lt.Rebase(lt.Doc.Latest())
			if m.ID == "MP107" {
				// Drafted against Section H 3.0; MP140 has since added its own measure 6.
				require.Len(t, r.Conflicts, 1)
				assert.Equal(t, "H13.1", r.Conflicts[0].Clause)
				continue
			}
			assert.Empty(t, r.Conflicts, "%s %s", m.ID, lt.Doc.ID)
		}
	}
	assert.GreaterOrEqual(t, n, 5)
	// The approved modifications of the February 2027 release have the legal text that
	// became their versions.
	for _, id := range []string{"MP140", "MP143"} {
		for _, lt := range c.Modification(id).LegalText {
			built := c.ModificationVersions(id)
			var v *Version
			for _, b := range built {
				if b.Doc == lt.Doc {
					v = b
				}
			}
			require.NotNil(t, v, "%s %s", id, lt.Doc.ID)
			assert.Equal(t, v.Tree().Source(), lt.Tree.Source(), "%s %s", id, lt.Doc.ID)
			assert.Same(t, v.Previous(), lt.Base)
		}
	}
}

func TestPendingModificationsAndChanges(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	h := c.Document("section-h")
	var ids []string
	for _, m := range c.PendingModifications(h, "2026-11-28") {
		ids = append(ids, m.ID)
		assert.Contains(t, m.Documents, "section-h")
		assert.True(t, m.Status == "open" || m.Status == "approved", m.ID)
	}
	assert.Contains(t, ids, "MP107")
	assert.Contains(t, ids, "MP140", "approved, not yet implemented")
	assert.NotContains(t, ids, "MP071", "implemented")
	for m, want := range map[*Modification]bool{
		{Status: "open"}:                        true,
		{Status: "approved", Stage: "decision"}: true,
		{Status: "approved", Stage: "implemented", Implemented: "2019-11-07"}: false,
		{Status: "approved", Implemented: "2027-02-25"}:                       true,
		{Status: "rejected"}:  false,
		{Status: "withdrawn"}: false,
	} {
		assert.Equal(t, want, m.Pending("2026-11-28"), "%+v", m)
	}
	changed, added := c.Modification("MP111").LegalTextFor("section-h").Changes()
	assert.Equal(t, []string{"H8.6"}, changed)
	assert.Equal(t, []string{"H8.7", "H8.8"}, added)
}
