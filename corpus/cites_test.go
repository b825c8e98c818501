package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func recCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "rec")
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "rec"))))
	return dir
}

func siteProblems(t *testing.T, err error) []string {
	t.Helper()
	var probs Problems
	require.ErrorAs(t, err, &probs)
	var out []string
	for _, p := range probs {
		out = append(out, p.String())
	}
	return out
}

func TestCheckSite(t *testing.T) {
	sec, err := Load("sec")
	require.NoError(t, err)
	rec, err := Load(filepath.Join("testdata", "rec"))
	require.NoError(t, err)
	require.Equal(t, []CitedCode{{Code: "sec", Names: []string{"Smart Energy Code", "SEC"}, Line: 15}}, rec.Cites)
	assert.NoError(t, CheckSite([]*Code{sec, rec}))

	// rec served without sec: its code.yaml names a code not served, at its line.
	probs := siteProblems(t, CheckSite([]*Code{rec}))
	assert.Equal(t, []string{filepath.Join("testdata", "rec", "code.yaml") + `:15: cites code "sec", which is not served with this one (served: rec)`}, probs)

	// A reference into sec that points nowhere there, at the line of its clause.
	dir := recCopy(t)
	edit(t, dir, "documents/main-body/1.0.md", "only as H1.1 of the Smart Energy Code", "only as H1.99 of the Smart Energy Code")
	broken, err := Load(dir)
	require.NoError(t, err, "rec alone does not check references into sec")
	probs = siteProblems(t, CheckSite([]*Code{sec, broken}))
	require.Len(t, probs, 1)
	assert.Equal(t, filepath.Join(dir, "documents", "main-body", "1.0.md")+`:28: cross-reference "H1.99 of the Smart Energy Code": sec has no "H1.99" in force on 2021-09-01`, probs[0])
}

func TestCitesFieldProblems(t *testing.T) {
	for _, tc := range []struct{ cites, want string }{
		{"cites: sec", `field "cites" must be a list of {code, names}`},
		{"cites:\n  - code: sec\n", `cites: code "sec" needs the phrases that name it`},
		{"cites:\n  - code: Sec!\n    names: [SEC]\n", `cites: code "Sec!" must be lower-case letters, digits and dashes`},
		{"cites:\n  - code: rec\n    names: [REC]\n", `cites: code "rec" is this code`},
		{"cites:\n  - code: sec\n    names: [SEC]\n  - code: bsc\n    names: [SEC]\n", `cites: "SEC" already names code "sec"`},
	} {
		dir := recCopy(t)
		edit(t, dir, "code.yaml", "cites:\n  - code: sec\n    names: [Smart Energy Code, SEC]\n", tc.cites+"\n")
		_, err := Load(dir)
		probs := siteProblems(t, err)
		assert.Contains(t, strings.Join(probs, "\n"), filepath.Join(dir, "code.yaml")+":", tc.cites)
		assert.Contains(t, strings.Join(probs, "\n"), tc.want, tc.cites)
	}
}

// A reference into a cited code is not validated as one of the citing code's own: rec has
// no Section H, and its "SEC Section H" is no problem of rec's.
func TestCodeRefsAreNotOwnReferences(t *testing.T) {
	dir := recCopy(t)
	edit(t, dir, "documents/main-body/1.0.md", "follow SEC Section H", "follow SEC Schedule 3")
	_, err := Load(dir)
	assert.NoError(t, err, "rec's own Schedule 3 is not what SEC Schedule 3 means")
	edit(t, dir, "code.yaml", "names: [Smart Energy Code, SEC]", "names: [Smart Energy Code]")
	_, err = Load(dir)
	assert.NoError(t, err, "without the name, Schedule 3 is rec's own, which exists")
}

func TestOwnRefs(t *testing.T) {
	rec, err := Load(filepath.Join("testdata", "rec"))
	require.NoError(t, err)
	n := rec.Document("main-body").Versions[0].Tree().Node("M3.1")
	require.NotNil(t, n)
	require.NotEmpty(t, n.Refs, "the parse sees H1.1 and Section H")
	assert.Empty(t, rec.OwnRefs(n), "both are the SEC's")
	m := rec.Document("main-body").Versions[0].Tree().Node("M1.1")
	assert.Equal(t, m.Refs, rec.OwnRefs(m))
}
