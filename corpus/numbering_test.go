package corpus

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// A document declares its numbering; the code may give one for all its documents; a wrong
// declaration is reported at its line.
func TestNumbering(t *testing.T) {
	const statute = "---\nversion: \"1.0\"\neffective: 2020-01-01\n---\n\n# Gesetz\n\n## § 1 Zweck\n\n(1) Dieses Gesetz gilt.\n\n(2) Auch das.\n\n## § 2 Begriffe\n\nText.\n"
	t.Run("a statute among SEC documents", func(t *testing.T) {
		dir := writeTiny(t)
		writeFile(t, dir, "documents/gesetz/document.yaml", "title: Gesetz\ncategory: section\nclassification: white\nnumbering: german-statute\n")
		writeFile(t, dir, "documents/gesetz/1.0.md", statute)
		c, err := Load(dir)
		require.NoError(t, err)
		d := c.Document("gesetz")
		require.NotNil(t, d)
		assert.Equal(t, "german-statute", d.Numbering.Name)
		var ids []string
		for _, n := range d.Versions[0].Tree().Clauses() {
			ids = append(ids, n.ID)
			ids = append(ids, n.SubIDs...)
		}
		assert.Equal(t, []string{"§1", "§1(1)", "§1(2)", "§2"}, ids)
		assert.Nil(t, c.Document("section-b").Numbering, "the others keep the SEC's")
	})
	t.Run("the code's numbering is every document's", func(t *testing.T) {
		dir := writeTiny(t)
		edit(t, dir, "code.yaml", "title: ", "numbering: {base: german-statute, labels: [\"(1)\", \"1.\"]}\ntitle: ")
		writeFile(t, dir, "documents/gesetz/document.yaml", "title: Gesetz\ncategory: section\nclassification: white\n")
		writeFile(t, dir, "documents/gesetz/1.0.md", statute)
		// Read in the code's numbering, the SEC documents would have no clauses, and their
		// cross-references would point nowhere; they say which numbering is theirs.
		_, err := Load(dir)
		requireProblem(t, problemsOf(t, err), filepath.Join(dir, "documents", "section-b", "1.0.md"), 10, "clause A1.1 does not exist")
		edit(t, dir, "documents/section-a/document.yaml", "title: ", "numbering: sec\ntitle: ")
		edit(t, dir, "documents/section-b/document.yaml", "title: ", "numbering: sec\ntitle: ")
		c, err := Load(dir)
		require.NoError(t, err)
		assert.Equal(t, "custom", c.Document("gesetz").Numbering.Name)
		assert.Equal(t, []legaltext.LabelStyle{"(1)", "1."}, c.Document("gesetz").Numbering.Labels)
	})
	cases := []struct {
		name, numbering string
		line            int
		msg             string
	}{
		{"unknown name", "numbering: klingon", 4, `numbering "klingon" is not a built-in scheme`},
		{"unknown field", "numbering:\n  base: us-code\n  levels: [x]", 6, `numbering: unknown field "levels"`},
		{"bad label style", "numbering:\n  labels: [\"<1>\"]", 5, `numbering: unknown label style "<1>"`},
		{"a list", "numbering: [a, b]", 4, "numbering: want the name of a scheme"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTiny(t)
			writeFile(t, dir, "documents/gesetz/document.yaml", "title: Gesetz\ncategory: section\nclassification: white\n"+tc.numbering+"\n")
			writeFile(t, dir, "documents/gesetz/1.0.md", statute)
			_, err := Load(dir)
			requireProblem(t, problemsOf(t, err), filepath.Join(dir, "documents", "gesetz", "document.yaml"), tc.line, tc.msg)
		})
	}
}
