package corpus

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNextVersion(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1.0", "2.0"},
		{"3.0", "4.0"},
		{"2.1", "3.0"},
		{"9.10.2", "10.0"},
		{"12", "13.0"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, NextVersion(c.in), c.in)
	}
}

func TestSetReleaseModifications(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"flow list", "name: R\nmodifications: [A, B]\nsummary: x\n", "name: R\nmodifications: [A, B, C]\nsummary: x\n"},
		{"block list", "name: R\nmodifications:\n  - A\n  - B\nsummary: x\n", "name: R\nmodifications: [A, B, C]\nsummary: x\n"},
		{"empty", "name: R\nmodifications: []\n", "name: R\nmodifications: [A, B, C]\n"},
		{"absent", "name: R\nsummary: x", "name: R\nsummary: x\nmodifications: [A, B, C]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SetReleaseModifications([]byte(c.in), []string{"A", "B", "C"})
			require.NoError(t, err)
			assert.Equal(t, c.want, string(got))
		})
	}
	_, err := SetReleaseModifications([]byte("- a list\n"), []string{"A"})
	assert.Error(t, err)
}

// tinyRelease adds to the tiny corpus a release on 2021-01-01 with two approved modifications
// that each have legal text for section-b, drafted against version 2.0.
func tinyRelease(t *testing.T, b13, b14 string) string {
	t.Helper()
	dir := writeTiny(t)
	writeFile(t, dir, "releases/2021-01.yaml", "name: January 2021 Release\ndate: 2021-01-01\nkind: scheduled\nmodifications: [MP003]\n")
	for _, m := range []struct{ id, text string }{{"MP003", b13}, {"MP004", b14}} {
		writeFile(t, dir, "modifications/"+m.id+"/modification.yaml", "id: "+m.id+"\ntitle: T\ntype: modification-proposal\nstage: decision\nstatus: approved\n"+
			"raised: 2020-07-01\nrelease: 2021-01\nparties: [supplier]\ndocuments: [section-b]\n")
		writeFile(t, dir, "modifications/"+m.id+"/legal-text/section-b.md", "---\nbase: \"2.0\"\n---\n"+m.text)
	}
	return dir
}

const tinyB20 = `
# Section B: Services

## B1 Services {#B1}

**B1.1** Each Party shall comply with Section A1.1.

**B1.2** {parties="dcc"} The DCC shall provide the services to each User under A1.2.
`

func TestBuildRelease(t *testing.T) {
	replace := func(pairs ...string) string {
		return strings.NewReplacer(pairs...).Replace(tinyB20)
	}
	t.Run("different words of one clause merge", func(t *testing.T) {
		dir := tinyRelease(t, replace("shall comply", "must comply"), replace("Section A1.1.", "Section A1.1 at all times."))
		c, err := Load(dir)
		probs := problemsOf(t, err)
		require.Len(t, probs, 1, "MP004 is not listed by the release yet")
		rel, mod, ok := probs[0].Unlisted()
		assert.True(t, ok)
		assert.Equal(t, [2]string{"2021-01", "MP004"}, [2]string{rel, mod})

		b, err := c.BuildRelease("2021-01")
		require.NoError(t, err)
		assert.Empty(t, b.Conflicts)
		assert.Equal(t, []string{"MP004"}, b.Unlisted)
		require.Len(t, b.Versions, 1)
		v := b.Versions[0]
		assert.Equal(t, "3.0", v.Number)
		assert.Equal(t, Date("2021-01-01"), v.Effective)
		assert.Equal(t, []string{"MP003", "MP004"}, v.Modifications)
		assert.Equal(t, "B1.1 Each Party must comply with Section A1.1 at all times.", v.Tree.Node("B1.1").Text)
		assert.Equal(t, 1, v.Clauses.Changed)
		assert.Equal(t, "---\nversion: \"3.0\"\neffective: 2021-01-01\nrelease: 2021-01\nmodifications: [MP003, MP004]\n---\n"+
			replace("shall comply with Section A1.1.", "must comply with Section A1.1 at all times."), string(v.File()))
	})
	t.Run("the same words conflict", func(t *testing.T) {
		dir := tinyRelease(t, replace("shall comply", "must comply"), replace("shall comply", "will comply"))
		c, _ := Load(dir)
		b, err := c.BuildRelease("2021-01")
		require.NoError(t, err)
		assert.Empty(t, b.Versions)
		require.Len(t, b.Conflicts, 1)
		cf := b.Conflicts[0]
		assert.Equal(t, "section-b", cf.Doc)
		assert.Equal(t, "B1.1", cf.Clause)
		assert.Equal(t, "MP004", cf.Modification)
		assert.Equal(t, "MP003", cf.Other)
		assert.Equal(t, "**B1.1** Each Party must comply with Section A1.1.", cf.Ours)
		assert.Equal(t, "**B1.1** Each Party will comply with Section A1.1.", cf.Theirs)
		assert.Equal(t, "**B1.1** Each Party shall comply with Section A1.1.", cf.Base)
	})
	t.Run("a conflict with a version made since the base", func(t *testing.T) {
		dir := tinyRelease(t, replace("shall comply", "must comply"), tinyB20)
		// MP003 was drafted against 1.0, whose B1.2 version 2.0 has changed since.
		edit(t, dir, "modifications/MP003/legal-text/section-b.md", `base: "2.0"`, `base: "1.0"`)
		edit(t, dir, "modifications/MP003/legal-text/section-b.md", "to each User under A1.2.", "promptly.")
		c, _ := Load(dir)
		b, err := c.BuildRelease("2021-01")
		require.NoError(t, err)
		require.Len(t, b.Conflicts, 1)
		assert.Equal(t, "B1.2", b.Conflicts[0].Clause)
		assert.Equal(t, "section-b 2.0 (MP001)", b.Conflicts[0].Other)
	})
	t.Run("no change", func(t *testing.T) {
		dir := tinyRelease(t, tinyB20, tinyB20)
		c, _ := Load(dir)
		b, err := c.BuildRelease("2021-01")
		require.NoError(t, err)
		assert.Empty(t, b.Versions)
		require.Len(t, b.Unchanged, 1)
		assert.Equal(t, "section-b", b.Unchanged[0].ID)
	})
	t.Run("already built, and built without a modification", func(t *testing.T) {
		dir := tinyRelease(t, replace("shall comply", "must comply"), tinyB20)
		writeFile(t, dir, "documents/section-b/3.0.md", "---\nversion: \"3.0\"\neffective: 2021-01-01\nrelease: 2021-01\nmodifications: [MP003, MP004]\n---\n"+tinyB20)
		c, _ := Load(dir)
		b, err := c.BuildRelease("2021-01")
		require.NoError(t, err)
		assert.Empty(t, b.Versions)
		require.Len(t, b.Built, 1)
		assert.Equal(t, "3.0", b.Built[0].Number)

		edit(t, dir, "documents/section-b/3.0.md", "[MP003, MP004]", "[MP003]")
		c, _ = Load(dir)
		_, err = c.BuildRelease("2021-01")
		var rerr *ReleaseError
		require.ErrorAs(t, err, &rerr)
		assert.Contains(t, rerr.Msg, "section-b version 3.0 was built for release 2021-01 without MP004")
	})
	t.Run("a later version exists", func(t *testing.T) {
		dir := tinyRelease(t, tinyB20, tinyB20)
		writeFile(t, dir, "documents/section-b/3.0.md", "---\nversion: \"3.0\"\neffective: 2022-01-01\n---\n"+tinyB20)
		c, _ := Load(dir)
		_, err := c.BuildRelease("2021-01")
		var rerr *ReleaseError
		require.ErrorAs(t, err, &rerr)
		assert.Contains(t, rerr.Msg, "section-b version 3.0 takes effect on 2022-01-01, not before release 2021-01")
	})
	t.Run("unknown release", func(t *testing.T) {
		c, err := Load(writeTiny(t))
		require.NoError(t, err)
		_, err = c.BuildRelease("2099-01")
		var rerr *ReleaseError
		require.ErrorAs(t, err, &rerr)
	})
	t.Run("no modification with legal text", func(t *testing.T) {
		c, err := Load(writeTiny(t))
		require.NoError(t, err)
		b, err := c.BuildRelease("2020-06")
		require.NoError(t, err)
		assert.Empty(t, b.Modifications)
		assert.Len(t, b.WithoutText, 1)
		assert.Empty(t, b.Versions)
	})
}
