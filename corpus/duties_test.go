package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext/duty"
)

func TestDutiesOfSample(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	h := c.Document("section-h").Version("3.0")
	pairs := map[string][]string{}
	for _, d := range c.Duties(h) {
		pairs[d.Clause] = append(pairs[d.Clause], duty.Pairs([]duty.Duty{d})...)
	}
	assert.Contains(t, pairs["H1.5"], "dcc:obligation")
	assert.Contains(t, pairs["H4.5"], "small-supplier:prohibition")
	assert.Contains(t, pairs["H4.5"], "large-supplier:prohibition")
	// Computed once: the same slice on the second call.
	assert.Equal(t, &c.Duties(h)[0], &c.Duties(h)[0])
	// Definitions and guidance state no duties.
	a := c.Document("section-a").Latest()
	assert.Empty(t, c.ClauseDuties(a, "A1.1"))
	g := c.Document("guidance-user-entry").Latest()
	assert.Empty(t, c.Duties(g))
	// Names for people and kinds of bearer.
	assert.Equal(t, "Code Administrator", c.BearerName("code-administrator"))
	assert.Equal(t, "Small Supplier Party", c.BearerName("small-supplier"))
	assert.Equal(t, "body", c.BearerKind("panel"))
	assert.Equal(t, "party", c.BearerKind(duty.AnyParty))
	assert.Equal(t, "role", c.BearerKind("other-user"))
}

func TestDutiesOverride(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("sec")))
	p := filepath.Join(dir, "documents", "section-h", "3.0.md")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	s := strings.Replace(string(b), "**H1.3** A Party may", `**H1.3** {duties="user:permission"} A Party may`, 1)
	require.NotEqual(t, string(b), s)
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	c, err := Load(dir)
	require.NoError(t, err)
	ds := c.ClauseDuties(c.Document("section-h").Version("3.0"), "H1.3")
	require.Len(t, ds, 1)
	assert.Equal(t, []string{"user:permission"}, duty.Pairs(ds))
	assert.True(t, ds[0].Override)
}

// BenchmarkReadDuties reads the duties of every clause of every version of the sample: what
// the first obligations requests cost before the results are kept with each version.
func BenchmarkReadDuties(b *testing.B) {
	c, err := Load("sec")
	require.NoError(b, err)
	r := c.DutyReader()
	clauses, bytes := 0, 0
	for _, d := range c.Documents {
		for _, v := range d.Versions {
			for _, n := range v.Tree().Clauses() {
				clauses++
				bytes += len(n.Text)
			}
		}
	}
	b.SetBytes(int64(bytes))
	b.ReportMetric(float64(clauses), "clauses")
	b.ResetTimer()
	for range b.N {
		for _, d := range c.Documents {
			for _, v := range d.Versions {
				for _, n := range v.Tree().Clauses() {
					r.Read(n.ID, n.Text, n.SubIDs)
				}
			}
		}
	}
}

// TestSampleOverrides: the sample corrects the reader where a duty has no modal verb.
func TestSampleOverrides(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	for _, tc := range []struct{ doc, version, clause, want string }{
		{"section-m", "3.0", "M5.2", "party:permission"},
		{"schedule-1", "2.0", "FA2.1", "party:obligation"},
	} {
		ds := c.ClauseDuties(c.Document(tc.doc).Version(tc.version), tc.clause)
		assert.Equal(t, []string{tc.want}, duty.Pairs(ds), tc.clause)
		require.NotEmpty(t, ds)
		assert.True(t, ds[0].Override)
	}
}
