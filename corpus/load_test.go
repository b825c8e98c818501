package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyCorpus is the smallest valid corpus that uses every kind of file: two documents with
// two versions each, one release and one modification. Keys are paths relative to the
// corpus folder. The line numbers the tests expect are those of these texts, so change
// them with care.
var tinyCorpus = map[string]string{
	"code.yaml": `id: tiny
title: Tiny Code
parties:
  - id: supplier
    name: Supplier
  - id: dcc
    name: DCC
categories:
  - id: section
    name: Sections
classifications:
  - id: white
    name: White
  - id: green
    name: Green
  - id: amber
    name: Amber
  - id: red
    name: Red
`,
	"documents/section-a/document.yaml": `title: Definitions
reference: Section A
prefix: A
category: section
classification: white
parties: [all]
related: [section-b]
`,
	"documents/section-a/1.0.md": `---
version: "1.0"
effective: 2020-01-01
---

# Section A: Definitions

## A1 Definitions {#A1}

**A1.1** In this Code:

| Expression | Meaning |
| --- | --- |
| **Party** | means a person bound by this Code. |
`,
	"documents/section-a/2.0.md": `---
version: "2.0"
effective: 2020-06-01
release: 2020-06
modifications: [MP001]
---

# Section A: Definitions

## A1 Definitions {#A1}

**A1.1** In this Code:

| Expression | Meaning |
| --- | --- |
| **Party** | means a person bound by this Code. |
| **User** | means a Party that uses the services. |

**A1.2** A User shall comply with Section B1.
`,
	"documents/section-b/document.yaml": `title: Services
reference: Section B
prefix: B
category: section
classification: white
parties: [supplier, dcc]
`,
	"documents/section-b/1.0.md": `---
version: "1.0"
effective: 2020-01-01
---

# Section B: Services

## B1 Services {#B1}

**B1.1** Each Party shall comply with Section A1.1.

**B1.2** {parties="dcc"} The DCC shall provide the services.
`,
	"documents/section-b/2.0.md": `---
version: "2.0"
effective: 2020-06-01
release: 2020-06
modifications: [MP001]
---

# Section B: Services

## B1 Services {#B1}

**B1.1** Each Party shall comply with Section A1.1.

**B1.2** {parties="dcc"} The DCC shall provide the services to each User under A1.2.
`,
	"releases/2020-06.yaml": `name: June 2020 Release
date: 2020-06-01
kind: scheduled
modifications: [MP001]
`,
	"modifications/MP001/modification.yaml": `id: MP001
title: Add Users
type: modification-proposal
stage: implemented
status: approved
raised: 2020-01-15
implemented: 2020-06-01
release: 2020-06
parties: [supplier]
documents: [section-a, section-b]
`,
}

// writeTiny writes tinyCorpus into a new temporary folder and returns it.
func writeTiny(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for rel, text := range tinyCorpus {
		writeFile(t, dir, rel, text)
	}
	return dir
}

func writeFile(t testing.TB, dir, rel, text string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

// edit replaces the one occurrence of old in a file of the corpus.
func edit(t testing.TB, dir, rel, old, new string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), old), "%s must hold %q exactly once", rel, old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
}

func problemsOf(t testing.TB, err error) Problems {
	t.Helper()
	require.Error(t, err)
	var probs Problems
	require.True(t, errors.As(err, &probs), "Load must return Problems, got %T: %v", err, err)
	require.NotEmpty(t, probs)
	return probs
}

// requireProblem asserts that probs has a problem at path and line whose message contains msg.
func requireProblem(t testing.TB, probs Problems, path string, line int, msg string) {
	t.Helper()
	for _, p := range probs {
		if p.Path == path && p.Line == line && strings.Contains(p.Msg, msg) {
			return
		}
	}
	require.Failf(t, "problem not reported", "want %s:%d: …%s…\ngot:\n%v", path, line, msg, probs)
}

func TestTinyCorpusLoads(t *testing.T) {
	dir := writeTiny(t)
	c, err := Load(dir)
	require.NoError(t, err)
	require.Len(t, c.Documents, 2)
	assert.Equal(t, "tiny", c.ID)
	a, b := c.Document("section-a"), c.Document("section-b")
	require.NotNil(t, a)
	require.NotNil(t, b)
	assert.Len(t, a.Versions, 2)
	assert.Len(t, b.Versions, 2)
	assert.Equal(t, filepath.Join(dir, "documents", "section-a", "2.0.md"), a.Latest().Path)
	assert.Equal(t, 7, a.Latest().BodyLine)
	assert.Equal(t, []string{"supplier", "dcc"}, b.Parties)
	assert.Equal(t, []string{"all"}, a.Parties)
	assert.Equal(t, []string{"dcc"}, b.Versions[0].Parties(b.Versions[0].Tree().Node("B1.2")))
	assert.Equal(t, []string{"supplier", "dcc"}, b.Versions[0].Parties(b.Versions[0].Tree().Node("B1.1")))
	require.Len(t, c.Releases, 1)
	assert.Equal(t, Date("2020-06-01"), c.Release("2020-06").Date)
	assert.Len(t, c.ReleaseVersions("2020-06"), 2)
	assert.Len(t, c.ModificationVersions("MP001"), 2)
	require.NotNil(t, c.Modification("MP001"))
	assert.Equal(t, []string{"section-a", "section-b"}, c.Modification("MP001").Documents)
}

// brokenCase is a mutation of the tiny corpus and the problem it must produce.
type brokenCase struct {
	name   string
	mutate func(t *testing.T, dir string)
	path   string // relative to the corpus folder, slash-separated
	line   int
	msg    string
}

// brokenCases returns the cases, and the names of those whose problem must be the only one
// reported: no follow-on problems in the files that refer to the broken one.
func brokenCases() ([]brokenCase, map[string]bool) {
	const (
		docA   = "documents/section-a/document.yaml"
		docB   = "documents/section-b/document.yaml"
		a10    = "documents/section-a/1.0.md"
		a20    = "documents/section-a/2.0.md"
		b10    = "documents/section-b/1.0.md"
		b20    = "documents/section-b/2.0.md"
		rel    = "releases/2020-06.yaml"
		mod    = "modifications/MP001/modification.yaml"
		code   = "code.yaml"
		b10fmt = "---\nversion: \"1.0\"\neffective: 2020-01-01\n---\n\n# Section B: Services\n\n## B1 Services {#B1}\n\n"
	)
	write := func(rel, text string) func(*testing.T, string) {
		return func(t *testing.T, dir string) { writeFile(t, dir, rel, text) }
	}
	replace := func(rel, old, new string) func(*testing.T, string) {
		return func(t *testing.T, dir string) { edit(t, dir, rel, old, new) }
	}
	only := map[string]bool{}
	alone := func(c brokenCase) brokenCase { only[c.name] = true; return c }
	return []brokenCase{
		// document.yaml
		alone(brokenCase{"document.yaml syntax error", write(docB, "title: Services\nreference: Section B\nprefix: [B\ncategory: section\n"),
			docB, 3, "malformed YAML: did not find expected ',' or ']'"}),
		{"document.yaml bad indentation", write(docB, "title: Services\n  reference: Section B\nprefix: B\n"),
			docB, 2, "malformed YAML"},
		alone(brokenCase{"document.yaml unknown field", replace(docB, "prefix: B\n", "prefix: B\ntitel: Services\n"),
			docB, 4, `unknown field "titel" (expected one of: title, reference, prefix`}),
		{"document.yaml missing title", replace(docB, "title: Services\n", ""),
			docB, 1, `missing field "title"`},
		{"document.yaml empty title", replace(docB, "title: Services\n", "title:\n"),
			docB, 1, `field "title" is empty`},
		{"document.yaml missing category", replace(docB, "category: section\n", ""),
			docB, 1, `missing field "category"`},
		{"document.yaml title is a list", replace(docB, "title: Services\n", "title: [Services]\n"),
			docB, 1, `field "title" must be a single value, found a list`},
		{"document.yaml parties not a list", replace(docB, "parties: [supplier, dcc]\n", "parties: dcc\n"),
			docB, 6, `field "parties" must be a list`},
		{"document.yaml is a list", write(docB, "- title: Services\n"),
			docB, 1, "expected a mapping of fields, found a list"},
		{"document.yaml empty", write(docB, ""),
			docB, 1, "empty YAML"},
		{"document.yaml missing", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, docB)))
		}, docB, 0, "cannot read"},
		{"unknown party in document.yaml", replace(docB, "parties: [supplier, dcc]\n", "parties:\n  - supplier\n  - nobody\n"),
			docB, 8, `unknown party category "nobody" (code.yaml lists: supplier, dcc, and all)`},
		{"unknown document category", replace(docB, "category: section\n", "category: chapter\n"),
			docB, 4, `unknown document category "chapter" (code.yaml lists: section)`},
		alone(brokenCase{"unknown classification", replace(docB, "classification: white\n", "classification: purple\n"),
			docB, 5, `unknown classification "purple" (code.yaml lists: white, green, amber, red)`}),
		{"related document does not exist", replace(docA, "related: [section-b]\n", "related:\n  - section-b\n  - section-z\n"),
			docA, 9, `unknown document "section-z"`},
		{"duplicate prefix", replace(docB, "prefix: B\n", "prefix: A\n"),
			docB, 3, `prefix "A" is already the prefix of section-a`},
		{"bad prefix", replace(docB, "prefix: B\n", "prefix: b1\n"),
			docB, 3, `prefix "b1" must be 1 to 4 capital letters`},
		{"duplicate reference", replace(docB, "reference: Section B\n", "reference: Section A\n"),
			docB, 2, `reference "Section A" is already the reference of section-a`},
		{"document with no versions", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, b10)))
			require.NoError(t, os.Remove(filepath.Join(dir, b20)))
		}, "documents/section-b", 0, "document section-b has no version files"},
		{"unexpected file in a document folder", write("documents/section-b/notes.txt", "notes\n"),
			"documents/section-b/notes.txt", 0, "unexpected file"},

		// Front matter
		alone(brokenCase{"front matter missing", write(b10, "# Section B: Services\n\n**B1.1** Text.\n"),
			b10, 1, "missing front matter"}),
		{"front matter not closed", write(b10, "---\nversion: \"1.0\"\neffective: 2020-01-01\n\n# Section B\n"),
			b10, 1, "front matter is not closed"},
		{"front matter syntax error", write(b10, "---\nversion: \"1.0\"\neffective: [2020-01-01\n---\n\n**B1.1** Text.\n"),
			b10, 3, "malformed YAML: did not find expected ',' or ']'"},
		{"front matter bad indentation", write(b10, "---\nversion: \"1.0\"\n  effective: 2020-01-01\n---\n\n**B1.1** Text.\n"),
			b10, 3, "malformed YAML: did not find expected key"},
		{"front matter empty", write(b10, "---\n---\n\n**B1.1** Text.\n"),
			b10, 2, "empty YAML"},
		{"front matter unknown field", replace(b10, "effective: 2020-01-01\n", "effective: 2020-01-01\nstatus: draft\n"),
			b10, 4, `unknown field "status" (expected one of: version, effective, release, modifications)`},
		{"front matter missing effective", replace(b10, "effective: 2020-01-01\n", ""),
			b10, 2, `missing field "effective"`},
		{"front matter empty effective", replace(b10, "effective: 2020-01-01\n", "effective:\n"),
			b10, 3, `field "effective" is empty`},
		{"front matter bad date", replace(b10, "effective: 2020-01-01\n", "effective: 2020-02-30\n"),
			b10, 3, `field "effective": "2020-02-30" is not a date in the form YYYY-MM-DD`},
		alone(brokenCase{"version differs from file name", replace(b20, `version: "2.0"`, `version: "2.1"`),
			b20, 2, `version "2.1" differs from the file name "2.0.md"`}),
		{"version file with a bad name", write("documents/section-b/draft.md", "---\nversion: draft\neffective: 2020-09-01\n---\n"),
			"documents/section-b/draft.md", 0, `version file name "draft.md" must be a version number such as 2.0.md`},
		{"empty version file", write("documents/section-b/3.0.md", ""),
			"documents/section-b/3.0.md", 1, "missing front matter"},

		// Body
		{"unknown party in a part heading", replace(b10, "## B1 Services {#B1}", `## B1 Services {#B1 parties="nobody"}`),
			b10, 8, `unknown party category "nobody"`},
		{"empty parties in a part heading", replace(b10, "## B1 Services {#B1}", `## B1 Services {#B1 parties=""}`),
			b10, 8, `B1: empty parties attribute`},
		{"unknown party in a clause attribute", replace(b10, `{parties="dcc"}`, `{parties="nobody"}`),
			b10, 12, `unknown party category "nobody"`},
		{"malformed clause attribute", replace(b10, `{parties="dcc"}`, `{parties=}`),
			b10, 12, `clause B1.2: malformed attributes {parties=}`},
		{"unknown clause attribute", replace(b10, `{parties="dcc"}`, `{party="dcc"}`),
			b10, 12, `clause B1.2: unknown attribute "party" (only parties, roles and duties are allowed)`},
		{"unknown bearer in a duties override", replace(b10, `{parties="dcc"}`, `{parties="dcc" duties="martians:obligation"}`),
			b10, 12, `clause B1.2: duty "martians:obligation": unknown bearer "martians"`},
		{"unknown kind in a duties override", replace(b10, `{parties="dcc"}`, `{duties="dcc:must"}`),
			b10, 12, `clause B1.2: duty "dcc:must": unknown kind "must"`},
		{"malformed duties override", replace(b10, `{parties="dcc"}`, `{duties="dcc"}`),
			b10, 12, `clause B1.2: duty "dcc": write bearer:kind`},
		alone(brokenCase{"duplicate clause id", replace(b10, "**B1.2**", "**B1.1**"),
			b10, 12, `duplicate id "B1.1" (first used on line 10)`}),
		{"duplicate clause id after longer front matter", replace(b20, "**B1.2**", "**B1.1**"),
			b20, 14, `duplicate id "B1.1" (first used on line 12)`},
		{"clause id without the document prefix", replace(b10, "**B1.2**", "**C1.2**"),
			b10, 12, "clause C1.2 does not start with the document's prefix B"},
		{"term defined twice in one version", replace(a10, "| **Party** | means a person bound by this Code. |\n",
			"| **Party** | means a person bound by this Code. |\n| **Party** | means something else. |\n"),
			a10, 15, `term "Party" is defined twice (first on line 14)`},
		{"term defined in two documents in force together", write(b10, b10fmt+
			"**B1.1** A person may be appointed (the \"**Party**\").\n"),
			b10, 10, `term "Party" is defined twice: also in section-a version 1.0`},
		alone(brokenCase{"cross-reference to a clause of a later version", replace(b10, "Section A1.1.", "Section A1.2."),
			b10, 10, `cross-reference "Section A1.2": clause A1.2 does not exist in section-a version 1.0 (in force on 2020-01-01)`}),
		alone(brokenCase{"same bad cross-reference twice on a line", replace(b10, "Section A1.1.", "Section A1.9, as Section A1.9 says."),
			b10, 10, `cross-reference "Section A1.9": clause A1.9 does not exist in section-a version 1.0`}),
		{"cross-reference to a missing part", replace(b10, "Section A1.1.", "Section A9."),
			b10, 10, `cross-reference "Section A9": part A9 does not exist in section-a version 1.0`},
		{"cross-reference on a later line of a clause", replace(b20, "to each User under A1.2.", "to each User\nunder A1.7."),
			b20, 15, `cross-reference "A1.7": clause A1.7 does not exist in section-a version 2.0`},
		{"cross-reference before the target is in force", func(t *testing.T, dir string) {
			edit(t, dir, a10, "effective: 2020-01-01", "effective: 2020-02-01")
		}, b10, 10, `cross-reference "Section A1.1": section-a has no version in force on 2020-01-01 (its first version takes effect on 2020-02-01)`},

		// Versions, releases and modifications
		{"effective dates out of order", replace(b20, "effective: 2020-06-01", "effective: 2019-12-31"),
			b20, 3, "version 2.0 is effective 2019-12-31, not after version 1.0 (effective 2020-01-01)"},
		{"release that does not exist", replace(b20, "release: 2020-06", "release: 2020-07"),
			b20, 4, `unknown release "2020-07" (no file releases/2020-07.yaml)`},
		{"release date differs from effective date", func(t *testing.T, dir string) {
			edit(t, dir, b20, "effective: 2020-06-01", "effective: 2020-06-02")
		}, b20, 4, "release 2020-06 is dated 2020-06-01 but this version is effective 2020-06-02"},
		{"modification that does not exist", replace(b20, "modifications: [MP001]", "modifications: [MP001, MP999]"),
			b20, 5, `unknown modification "MP999" (no folder modifications/MP999)`},
		{"release lists a modification of another release", func(t *testing.T, dir string) {
			writeFile(t, dir, "releases/2020-09.yaml", "name: September 2020 Release\ndate: 2020-09-01\nkind: ad-hoc\nmodifications:\n  - MP001\n")
		}, "releases/2020-09.yaml", 5, `modification MP001 names release "2020-06", not this release "2020-09"`},
		{"release lists a modification that names no release", func(t *testing.T, dir string) {
			writeFile(t, dir, "modifications/MP002/modification.yaml",
				"title: Later\ntype: draft-proposal\nstage: development\nstatus: open\nraised: 2020-02-01\n")
			edit(t, dir, rel, "modifications: [MP001]", "modifications: [MP001, MP002]")
		}, rel, 4, "modification MP002 names no release: add release: 2020-06 to modifications/MP002/modification.yaml"},
		{"modification names a release that does not list it", replace(rel, "modifications: [MP001]", "modifications: []"),
			mod, 8, "release 2020-06 does not list this modification MP001"},
		{"modification names an unknown release", replace(mod, "release: 2020-06", "release: 2020-07"),
			mod, 8, `unknown release "2020-07"`},
		{"modification names an unknown document", replace(mod, "documents: [section-a, section-b]", "documents: [section-a, section-q]"),
			mod, 10, `unknown document "section-q"`},
		{"modification names an unknown party", replace(mod, "parties: [supplier]", "parties: [supplier, shipper]"),
			mod, 9, `unknown party category "shipper"`},
		{"implemented modification without release", replace(mod, "release: 2020-06\n", ""),
			mod, 4, "modification MP001 is implemented but names no release"},
		{"modification id differs from folder", replace(mod, "id: MP001", "id: MP01"),
			mod, 1, `id "MP01" differs from the folder name "MP001"`},
		{"modification with a bad stage", replace(mod, "stage: implemented", "stage: done"),
			mod, 4, `stage "done" is not one of: development, refinement`},
		{"release with a bad kind", replace(rel, "kind: scheduled", "kind: weekly"),
			rel, 3, `kind "weekly" must be scheduled or ad-hoc`},
		{"release with a bad date", replace(rel, "date: 2020-06-01", "date: June 2020"),
			rel, 2, `field "date": "June 2020" is not a date`},
		alone(brokenCase{"release syntax error", write(rel, "name: June\ndate: 2020-06-01\nmodifications: [MP001\n"),
			rel, 3, "malformed YAML: did not find expected ',' or ']'"}),
		alone(brokenCase{"empty release file", write(rel, ""),
			rel, 1, "empty YAML"}),

		// code.yaml
		alone(brokenCase{"modification.yaml syntax error", write(mod, "id: MP001\ntitle: Add Users\n\ttype: modification-proposal\n"),
			mod, 3, "malformed YAML: found a tab character"}),
		alone(brokenCase{"the only version of a document unreadable", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, b20)))
			writeFile(t, dir, b10, "# Section B\n")
		}, b10, 1, "missing front matter"}),
		alone(brokenCase{"invalid UTF-8 in front matter", replace(b20, "release: 2020-06", "release: 2020-\xff06"),
			b20, 4, "the text is not valid UTF-8 (save the file as UTF-8)"}),
		alone(brokenCase{"control character in document.yaml", replace(docB, "title: Services", "title: Ser\x07vices"),
			docB, 1, "control character U+0007 is not allowed in YAML"}),
		alone(brokenCase{"unknown YAML anchor", replace(docB, "category: section", "category: *section"),
			docB, 4, "unknown anchor 'section' referenced"}),
		alone(brokenCase{"field twice in front matter", replace(b20, "release: 2020-06\n", "release: 2020-06\nrelease: 2020-06\n"),
			b20, 5, `field "release" appears twice`}),
		{"code.yaml missing", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, code)))
		}, code, 0, "cannot read the code's description"},
		{"code.yaml reserved party id", replace(code, "  - id: dcc\n", "  - id: all\n"),
			code, 6, `party category id "all" is reserved`},
		{"code.yaml duplicate classification", replace(code, "  - id: red\n", "  - id: amber\n"),
			code, 18, `classifications: id "amber" is listed twice`},
		{"code.yaml missing categories", replace(code, "categories:\n  - id: section\n    name: Sections\n", ""),
			code, 1, `missing field "categories"`},
	}, only
}

func TestBrokenCorpora(t *testing.T) {
	cases, only := brokenCases()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTiny(t)
			tc.mutate(t, dir)
			_, err := Load(dir)
			probs := problemsOf(t, err)
			requireProblem(t, probs, filepath.Join(dir, filepath.FromSlash(tc.path)), tc.line, tc.msg)
			if only[tc.name] {
				assert.Len(t, probs, 1, "follow-on problems:\n%v", probs)
			}
			for _, p := range probs {
				assert.GreaterOrEqual(t, p.Line, 0, "%v", p)
				assert.True(t, strings.HasPrefix(p.Path, dir), "%v", p)
			}
		})
	}
}

func TestMissingCorpusFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nowhere")
	c, err := Load(dir)
	assert.Nil(t, c)
	probs := problemsOf(t, err)
	require.Len(t, probs, 1)
	assert.Equal(t, dir, probs[0].Path)
	assert.Equal(t, 0, probs[0].Line)
	assert.Contains(t, probs[0].Msg, "not a corpus folder")
	assert.Equal(t, dir+": not a corpus folder (it should hold code.yaml, documents/, releases/, modifications/)", err.Error())

	file := filepath.Join(t.TempDir(), "code.yaml")
	require.NoError(t, os.WriteFile(file, []byte("id: x\n"), 0o644))
	_, err = Load(file)
	requireProblem(t, problemsOf(t, err), file, 0, "not a corpus folder")
}

func TestMissingDocumentsFolder(t *testing.T) {
	dir := writeTiny(t)
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "documents")))
	_, err := Load(dir)
	requireProblem(t, problemsOf(t, err), filepath.Join(dir, "documents"), 0, "cannot read the documents folder")
}

// Problems come sorted by file and line, and print as path:line: message.
func TestProblemsSortedAndPrinted(t *testing.T) {
	dir := writeTiny(t)
	edit(t, dir, "documents/section-b/1.0.md", "**B1.2**", "**C1.2**")
	edit(t, dir, "documents/section-b/1.0.md", "Section A1.1.", "Section A1.9.")
	edit(t, dir, "documents/section-a/document.yaml", "category: section", "category: chapter")
	_, err := Load(dir)
	probs := problemsOf(t, err)
	require.Len(t, probs, 3, "%v", probs)
	for i := 1; i < len(probs); i++ {
		a, b := probs[i-1], probs[i]
		assert.True(t, a.Path < b.Path || a.Path == b.Path && a.Line <= b.Line, "%v before %v", a, b)
	}
	b10 := filepath.Join(dir, "documents", "section-b", "1.0.md")
	assert.Equal(t, b10+":12: clause C1.2 does not start with the document's prefix B", probs[2].String())
	assert.Equal(t, Problem{Path: "x", Msg: "m"}.String(), "x: m")
	assert.Equal(t, strings.Join([]string{probs[0].String(), probs[1].String(), probs[2].String()}, "\n"), err.Error())
}

// Invalid UTF-8 in a version body is replaced, not fatal.
func TestInvalidUTF8Body(t *testing.T) {
	dir := writeTiny(t)
	edit(t, dir, "documents/section-b/1.0.md", "The DCC shall", "The DCC \xff\xfe shall")
	c, err := Load(dir)
	require.NoError(t, err)
	n := c.Document("section-b").Version("1.0").Tree().Node("B1.2")
	require.NotNil(t, n)
	assert.Contains(t, n.Text, "\uFFFD")
}

// Windows line endings and a byte order mark, as some editors save files, load the same.
func TestCRLFAndByteOrderMark(t *testing.T) {
	dir := writeTiny(t)
	for _, rel := range []string{"documents/section-b/1.0.md", "documents/section-b/document.yaml"} {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		data = []byte("\ufeff" + strings.ReplaceAll(string(data), "\n", "\r\n"))
		require.NoError(t, os.WriteFile(path, data, 0o644))
	}
	c, err := Load(dir)
	require.NoError(t, err)
	v := c.Document("section-b").Version("1.0")
	assert.Equal(t, Date("2020-01-01"), v.Effective)
	assert.Equal(t, 5, v.BodyLine)
	assert.NotNil(t, v.Tree().Node("B1.2"))

	// Line numbers stay those of the file.
	edit(t, dir, "documents/section-b/1.0.md", "**B1.2**", "**C1.2**")
	_, err = Load(dir)
	requireProblem(t, problemsOf(t, err), filepath.Join(dir, "documents", "section-b", "1.0.md"), 12, "clause C1.2 does not start")
}

// Versions are ordered by number, not by file name: 2.10 comes after 2.9.
func TestVersionsOrderedByNumber(t *testing.T) {
	dir := writeTiny(t)
	for _, v := range []struct{ num, date string }{{"2.9", "2020-07-01"}, {"2.10", "2020-08-01"}} {
		writeFile(t, dir, "documents/section-b/"+v.num+".md",
			"---\nversion: \""+v.num+"\"\neffective: "+v.date+"\n---\n\n## B1 Services {#B1}\n\n**B1.1** Text.\n")
	}
	c, err := Load(dir)
	require.NoError(t, err)
	var nums []string
	for _, v := range c.Document("section-b").Versions {
		nums = append(nums, v.Number)
	}
	assert.Equal(t, []string{"1.0", "2.0", "2.9", "2.10"}, nums)
}

// A term defined only by a restricted document is not offered to public text.
func TestTermsAtSkipsRestrictedDocuments(t *testing.T) {
	dir := writeTiny(t)
	edit(t, dir, "documents/section-b/document.yaml", "classification: white", "classification: green")
	edit(t, dir, "documents/section-b/1.0.md", "The DCC shall provide the services.",
		"The DCC shall appoint a person (the \"**Service Manager**\").")
	c, err := Load(dir)
	require.NoError(t, err)
	b := c.Document("section-b")
	require.Len(t, b.Versions[0].Tree().Definitions, 1)
	terms := c.TermsAt("2020-03-01")
	assert.NotContains(t, terms.Defs, "Service Manager")
	require.Contains(t, terms.Defs, "Party")
	assert.Equal(t, "section-a", terms.Defs["Party"].Version.Doc.ID)
	assert.Same(t, terms, c.TermsAt("2020-03-01"), "terms are cached by the versions in force")
	assert.Contains(t, c.TermsAt("2020-06-01").Defs, "User")
	assert.NotContains(t, terms.Defs, "User")
	assert.Empty(t, c.TermsAt("2019-12-31").Defs)
}

func FuzzLoadVersion(f *testing.F) {
	for _, s := range []string{
		tinyCorpus["documents/section-b/1.0.md"],
		tinyCorpus["documents/section-a/2.0.md"],
		"",
		"---\n",
		"---\n---\n",
		"---\r\nversion: \"3.0\"\r\neffective: 2021-01-01\r\n---\r\n**B1.1** Text.\r\n",
		"---\nversion: [\n---\n",
		"---\nversion: \"3.0\"\neffective: 2021-01-01\nrelease: 2020-06\nmodifications: [MP001, X]\n---\n## B1 {#B1 parties=\"nobody\"}\n**B1.1** {parties=} See Section A1.2(a) and Section Z9.\n| Expression | Meaning |\n| --- | --- |\n| **X** | y |\n| **X** | z |\n",
		"---\nversion: &a \"3.0\"\neffective: *a\n---\n- (a) **B1.1** \xff\n",
		"---\n- a\n---\n# Title {#B1}\n**B1** x\n",
	} {
		f.Add([]byte(s))
	}
	// One corpus for every input: each input replaces the same version file.
	dir := writeTiny(f)
	path := filepath.Join(dir, "documents", "section-b", "3.0.md")
	f.Fuzz(func(t *testing.T, data []byte) {
		require.NoError(t, os.WriteFile(path, data, 0o644))
		lines := strings.Count(string(data), "\n") + 1
		_, err := Load(dir)
		if err == nil {
			return
		}
		var probs Problems
		require.True(t, errors.As(err, &probs), "Load must return Problems, got %T: %v", err, err)
		for _, p := range probs {
			rel, rerr := filepath.Rel(dir, p.Path)
			require.NoError(t, rerr)
			require.False(t, rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)), "problem outside the corpus: %v", p)
			require.GreaterOrEqual(t, p.Line, 0, "%v", p)
			require.NotEmpty(t, p.Msg, "%v", p)
			if p.Path == path {
				require.LessOrEqual(t, p.Line, lines, "%v", p)
			}
		}
	})
}
