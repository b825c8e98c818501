package corpus

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// The sample corpus is read once for all the tests of this file; they only read it.
var (
	sampleOnce sync.Once
	sampleCode *Code
	sampleErr  error
)

func loadSample(t *testing.T) *Code {
	t.Helper()
	sampleOnce.Do(func() { sampleCode, sampleErr = Load("sec") })
	require.NoError(t, sampleErr, "the sample corpus must load without problems")
	return sampleCode
}

func sampleDoc(t *testing.T, c *Code, id string) *Document {
	t.Helper()
	d := c.Document(id)
	require.NotNil(t, d, "document %s", id)
	return d
}

func TestSampleLoads(t *testing.T) {
	c := loadSample(t)
	assert.Equal(t, "sec", c.ID)
	assert.Equal(t, "Smart Energy Code", c.Title)
	assert.NotEmpty(t, c.Notice)
	require.Len(t, c.Documents, 22)
	// The register of releases and modifications may grow; these are the ones the texts name.
	assert.GreaterOrEqual(t, len(c.Releases), 6)
	assert.GreaterOrEqual(t, len(c.Modifications), 15)
	assert.Equal(t, []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other", "dcc"}, c.PartyIDs())

	for _, d := range c.Documents {
		require.NotEmpty(t, d.Versions, d.ID)
		assert.Same(t, d, c.Document(d.ID))
		assert.NotEmpty(t, d.Title, d.ID)
		_, ok := c.Category(d.Category)
		assert.True(t, ok, "%s: category %s", d.ID, d.Category)
		_, ok = c.Classification(d.Classification)
		assert.True(t, ok, "%s: classification %s", d.ID, d.Classification)
		for i, v := range d.Versions {
			assert.Same(t, d, v.Doc)
			assert.Equal(t, filepath.Join("sec", "documents", d.ID, v.Number+".md"), v.Path)
			assert.Greater(t, v.BodyLine, 3, "%s %s", d.ID, v.Number)
			assert.NotNil(t, v.Tree())
			assert.NotEmpty(t, v.Tree().Clauses(), "%s %s", d.ID, v.Number)
			_, err := ParseDate(string(v.Effective))
			assert.NoError(t, err)
			if i > 0 {
				prev := d.Versions[i-1]
				assert.True(t, versionLess(prev.Number, v.Number), "%s: %s before %s", d.ID, prev.Number, v.Number)
				assert.Less(t, string(prev.Effective), string(v.Effective), "%s: effective dates increase", d.ID)
			}
			if v.Release != "" {
				r := c.Release(v.Release)
				require.NotNil(t, r, "%s %s: release %s", d.ID, v.Number, v.Release)
				assert.Equal(t, r.Date, v.Effective)
			}
			for _, m := range v.Modifications {
				assert.NotNil(t, c.Modification(m), "%s %s: modification %s", d.ID, v.Number, m)
			}
			for _, cl := range v.Tree().Clauses() {
				assert.True(t, strings.HasPrefix(cl.ID, d.Prefix), "%s %s: clause %s", d.ID, v.Number, cl.ID)
			}
		}
	}
}

func TestSampleSectionsHaveSeveralVersions(t *testing.T) {
	c := loadSample(t)
	var sections []string
	for _, d := range c.Documents {
		if d.Category != "section" {
			continue
		}
		sections = append(sections, d.ID)
		assert.True(t, strings.HasPrefix(d.ID, "section-"), d.ID)
		assert.GreaterOrEqual(t, len(d.Versions), 3, d.ID)
		assert.LessOrEqual(t, len(d.Versions), 6, d.ID)
	}
	assert.Equal(t, []string{"section-a", "section-b", "section-c", "section-d", "section-g", "section-h",
		"section-i", "section-l", "section-m", "section-x"}, sections)
}

func TestSampleOrder(t *testing.T) {
	c := loadSample(t)
	// Releases by date.
	assert.True(t, sort.SliceIsSorted(c.Releases, func(i, j int) bool { return c.Releases[i].Date < c.Releases[j].Date }))
	for _, id := range []string{"2019-06", "2019-09-adhoc", "2019-11", "2020-02", "2020-06", "2027-02"} {
		assert.NotNil(t, c.Release(id), id)
	}
	// Documents by category in code.yaml order, then by reference as people count.
	rank := map[string]int{}
	for i, cat := range c.Categories {
		rank[cat.ID] = i
	}
	for i := 1; i < len(c.Documents); i++ {
		a, b := c.Documents[i-1], c.Documents[i]
		require.LessOrEqual(t, rank[a.Category], rank[b.Category], "%s before %s", a.ID, b.ID)
		if a.Category == b.Category {
			assert.False(t, naturalLess(b.Reference+" "+b.ID, a.Reference+" "+a.ID), "%s before %s", a.ID, b.ID)
		}
	}
	assert.Equal(t, "section-a", c.Documents[0].ID)
}

func TestLatestRelease(t *testing.T) {
	c := loadSample(t)
	tests := []struct {
		day  Date
		want string
	}{
		{"2019-01-01", ""},
		{"2019-06-26", ""},
		{"2019-06-27", "2019-06"},
		{"2019-11-06", "2019-09-adhoc"},
		{"2020-06-25", "2020-06"},
		{"2027-02-25", "2027-02"},
	}
	for _, tc := range tests {
		t.Run(string(tc.day), func(t *testing.T) {
			r := c.LatestRelease(tc.day)
			if tc.want == "" {
				assert.Nil(t, r)
				return
			}
			require.NotNil(t, r)
			assert.Equal(t, tc.want, r.ID)
		})
	}
}

func TestReleaseAndModificationVersions(t *testing.T) {
	c := loadSample(t)
	for _, r := range c.Releases {
		for _, v := range c.ReleaseVersions(r.ID) {
			assert.Equal(t, r.ID, v.Release)
			assert.Equal(t, r.Date, v.Effective)
		}
	}
	vs := c.ReleaseVersions("2019-09-adhoc")
	var got []string
	for _, v := range vs {
		got = append(got, v.Doc.ID+"@"+v.Number)
	}
	assert.Equal(t, []string{"section-h@2.0", "section-l@2.0"}, got)
	assert.Empty(t, c.ReleaseVersions("no-such-release"))
	for _, m := range c.Modifications {
		for _, v := range c.ModificationVersions(m.ID) {
			assert.Contains(t, v.Modifications, m.ID)
		}
	}
}

func TestAt(t *testing.T) {
	h := sampleDoc(t, loadSample(t), "section-h")
	tests := []struct {
		day  Date
		want string // "" for no version
	}{
		{"2019-02-28", ""},
		{"2019-03-01", "1.0"},
		{"2019-09-11", "1.0"},
		{"2019-09-12", "2.0"},
		{"2019-11-06", "2.0"},
		{"2019-11-07", "3.0"},
		{"2027-02-24", "3.0"},
		{"2027-02-25", "4.0"},
		{"2099-12-31", "4.0"},
	}
	for _, tc := range tests {
		t.Run(string(tc.day), func(t *testing.T) {
			v := h.At(tc.day)
			if tc.want == "" {
				assert.Nil(t, v)
				return
			}
			require.NotNil(t, v)
			assert.Equal(t, tc.want, v.Number)
		})
	}
}

func TestStatus(t *testing.T) {
	h := sampleDoc(t, loadSample(t), "section-h")
	tests := []struct {
		version string
		day     Date
		want    string
	}{
		{"1.0", "2019-03-01", "in force"},
		{"1.0", "2019-09-12", "superseded"},
		{"2.0", "2019-03-01", "prospective"},
		{"2.0", "2019-10-01", "in force"},
		{"3.0", "2026-01-01", "in force"},
		{"2.0", "2026-01-01", "superseded"},
		{"4.0", "2026-01-01", "prospective"},
		{"4.0", "2027-02-25", "in force"},
		{"3.0", "2027-02-25", "superseded"},
	}
	for _, tc := range tests {
		t.Run(tc.version+"@"+string(tc.day), func(t *testing.T) {
			v := h.Version(tc.version)
			require.NotNil(t, v)
			assert.Equal(t, tc.want, v.Status(tc.day))
		})
	}
}

func TestUntilNextPrevious(t *testing.T) {
	c := loadSample(t)
	tests := []struct {
		doc, version   string
		until          Date
		previous, next string
	}{
		{"section-h", "1.0", "2019-09-11", "", "2.0"},
		{"section-h", "2.0", "2019-11-06", "1.0", "3.0"},
		{"section-h", "3.0", "2027-02-24", "2.0", "4.0"},
		{"section-h", "4.0", "", "3.0", ""},
		{"section-a", "2.0", "2020-06-24", "1.0", "3.0"},
		{"schedule-2", "1.0", "", "", ""},
		// The day before 1 March in a leap year.
		{"section-g", "1.0", "2020-02-26", "", "2.0"},
	}
	for _, tc := range tests {
		t.Run(tc.doc+"@"+tc.version, func(t *testing.T) {
			d := sampleDoc(t, c, tc.doc)
			v := d.Version(tc.version)
			require.NotNil(t, v)
			assert.Equal(t, tc.until, v.Until())
			if tc.next == "" {
				assert.Nil(t, v.Next())
				assert.Same(t, v, d.Latest())
			} else {
				require.NotNil(t, v.Next())
				assert.Equal(t, tc.next, v.Next().Number)
			}
			if tc.previous == "" {
				assert.Nil(t, v.Previous())
			} else {
				require.NotNil(t, v.Previous())
				assert.Equal(t, tc.previous, v.Previous().Number)
			}
		})
	}
	assert.Nil(t, sampleDoc(t, c, "section-h").Version("9.9"))
}

func TestUntilAcrossMonthAndYear(t *testing.T) {
	d := &Document{}
	for _, e := range []Date{"2020-01-01", "2020-03-01", "2021-01-01"} {
		d.Versions = append(d.Versions, &Version{Doc: d, Effective: e})
	}
	assert.Equal(t, Date("2020-02-29"), d.Versions[0].Until())
	assert.Equal(t, Date("2020-12-31"), d.Versions[1].Until())
	assert.Equal(t, Date(""), d.Versions[2].Until())
}

func TestVersionLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"2.9", "2.10", true},
		{"2.10", "2.9", false},
		{"1.0", "2.0", true},
		{"2.0", "1.0", false},
		{"1.0", "1.0", false},
		{"1", "1.0", true},
		{"1.0", "1", false},
		{"1.0", "1.0.1", true},
		{"1.9.9", "1.10", true},
		{"10.0", "9.0", false},
		{"0.1", "0.01", false},
	}
	for _, tc := range tests {
		t.Run(tc.a+"<"+tc.b, func(t *testing.T) {
			assert.Equal(t, tc.want, versionLess(tc.a, tc.b))
		})
	}
	vs := []string{"2.10", "1.0", "2.9", "10.0", "2.0", "2.1"}
	sort.Slice(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
	assert.Equal(t, []string{"1.0", "2.0", "2.1", "2.9", "2.10", "10.0"}, vs)
}

func TestNaturalLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Schedule 2", "Schedule 10", true},
		{"Schedule 10", "Schedule 2", false},
		{"Schedule 2", "Schedule 2", false},
		{"Section A", "Section B", true},
		{"Section B", "Section A", false},
		{"Appendix A", "Appendix AD", true},
		{"Appendix AD", "Appendix A", false},
		{"Section H9", "Section H10", true},
		{"H1.2", "H1.10", true},
		{"H1.10", "H1.2", false},
		{"", "a", true},
		{"a", "", false},
		{"x2y", "x2z", true},
		{"x02", "x2", false},
		{"x2", "x02", false},
	}
	for _, tc := range tests {
		t.Run(tc.a+"<"+tc.b, func(t *testing.T) {
			assert.Equal(t, tc.want, naturalLess(tc.a, tc.b))
		})
	}
	refs := []string{"Schedule 10", "Schedule 2", "Schedule 1", "Schedule 11"}
	sort.Slice(refs, func(i, j int) bool { return naturalLess(refs[i], refs[j]) })
	assert.Equal(t, []string{"Schedule 1", "Schedule 2", "Schedule 10", "Schedule 11"}, refs)
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2019-11-07", true},
		{"2020-02-29", true},
		{"2019-02-29", false},
		{"2019-13-01", false},
		{"2019-1-7", false},
		{"07/11/2019", false},
		{"", false},
		{"2019-11-07T00:00:00Z", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, Date(tc.in), d)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is not a date in the form YYYY-MM-DD")
			assert.Equal(t, Date(""), d)
		})
	}
	assert.Equal(t, Date("2019-11-07"), DateOf(time.Date(2019, 11, 7, 23, 59, 0, 0, time.UTC)))
}

func TestLookups(t *testing.T) {
	c := loadSample(t)
	p, ok := c.Party("dcc")
	assert.True(t, ok)
	assert.Equal(t, "DCC", p.Name)
	_, ok = c.Party("all")
	assert.False(t, ok, "all is not a party category of its own")
	cat, ok := c.Category("schedule")
	assert.True(t, ok)
	assert.Equal(t, "Schedules", cat.Name)
	_, ok = c.Category("nope")
	assert.False(t, ok)
	cl, ok := c.Classification("amber")
	assert.True(t, ok)
	assert.Equal(t, "Amber", cl.Name)
	assert.Nil(t, c.Document("section-z"))
	assert.Nil(t, c.Release("1999-01"))
	assert.Nil(t, c.Modification("MP000"))
	require.NotNil(t, c.Modification("SECMP0049"))
	assert.Equal(t, "2019-11", c.Modification("SECMP0049").Release)
}

func TestApplicability(t *testing.T) {
	h := sampleDoc(t, loadSample(t), "section-h")
	v := h.Version("1.0")
	tests := []struct {
		node string
		want []string
	}{
		// H1 sets its parties on the part heading; H1.1 inherits them.
		{"H1", []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other"}},
		{"H1.1", []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other"}},
		// H1.2 sets its own.
		{"H1.2", []string{"all"}},
	}
	for _, tc := range tests {
		t.Run(tc.node, func(t *testing.T) {
			n := v.Tree().Node(tc.node)
			require.NotNil(t, n)
			assert.Equal(t, tc.want, v.Parties(n))
		})
	}
	n := v.Tree().Node("H1.1")
	assert.False(t, n.AppliesTo("dcc", v.Parties(n)))
	assert.True(t, n.AppliesTo("other", v.Parties(n)))
	assert.True(t, v.Tree().Node("H1.2").AppliesTo("dcc", nil))
}

func ref(t *testing.T, text string) legaltext.Ref {
	t.Helper()
	refs := legaltext.FindRefs(text)
	require.Len(t, refs, 1, "references in %q", text)
	return refs[0]
}

func TestResolve(t *testing.T) {
	c := loadSample(t)
	tests := []struct {
		name      string
		ref       legaltext.Ref
		day       Date
		ok, found bool
		doc       string // the target document, "" when no version is in force
		version   string
		anchor    string
	}{
		{"clause", ref(t, "Section G3.20"), "2020-01-01", true, true, "section-g", "1.0", "G3.20"},
		{"bare clause", ref(t, "G3.20"), "2020-02-27", true, true, "section-g", "2.0", "G3.20"},
		{"clause in a prospective version", ref(t, "G3.20"), "2027-03-01", true, true, "section-g", "3.0", "G3.20"},
		{"clause that does not exist", ref(t, "Section G3.999"), "2020-01-01", true, false, "section-g", "1.0", "G3.999"},
		{"clause before it was added", ref(t, "Section B1.12"), "2019-06-01", true, false, "section-b", "1.0", "B1.12"},
		{"clause once added", ref(t, "Section B1.12"), "2019-11-07", true, true, "section-b", "2.0", "B1.12"},
		{"before the document came into force", ref(t, "Section G3.20"), "2019-01-01", true, false, "", "", ""},
		{"sub-paragraph", ref(t, "Section H1.4(b)"), "2020-01-01", true, true, "section-h", "3.0", "H1.4(b)"},
		{"unlabelled sub-paragraph goes to its clause", ref(t, "Section H1.4(z)"), "2020-01-01", true, true, "section-h", "3.0", "H1.4"},
		{"part", ref(t, "Section H1"), "2020-01-01", true, true, "section-h", "3.0", "H1"},
		{"part that does not exist", ref(t, "Section H99"), "2020-01-01", true, false, "section-h", "3.0", "H99"},
		{"document", ref(t, "Appendix AD"), "2020-01-01", true, true, "appendix-ad", "2.0", ""},
		{"document by section letter", ref(t, "Section H"), "2019-03-01", true, true, "section-h", "1.0", ""},
		{"unknown prefix", legaltext.Ref{Kind: legaltext.RefClause, Text: "SMETS1.2", Prefix: "SMETS", ID: "SMETS1.2"}, "2020-01-01", false, false, "", "", ""},
		{"unknown prefix found in text", ref(t, "ZQ1.2"), "2020-01-01", false, false, "", "", ""},
		{"unknown document", ref(t, "Schedule 99"), "2020-01-01", false, false, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target, ok, found := c.Resolve(tc.ref, tc.day)
			assert.Equal(t, tc.ok, ok, "ok")
			assert.Equal(t, tc.found, found, "found")
			if tc.doc == "" {
				assert.Nil(t, target.Version)
				return
			}
			require.NotNil(t, target.Version)
			assert.Equal(t, tc.doc, target.Version.Doc.ID)
			assert.Equal(t, tc.version, target.Version.Number)
			assert.Equal(t, tc.anchor, target.Anchor)
		})
	}
	assert.Empty(t, legaltext.FindRefs("SMETS1.2"), "SMETS1.2 is plain text, not a reference")
}

func TestTermsAt(t *testing.T) {
	c := loadSample(t)
	tests := []struct {
		day     Date
		term    string
		defined bool
		doc     string
		version string
	}{
		{"2019-06-01", "Applicant", true, "section-a", "1.0"},
		{"2020-01-01", "Applicant", true, "section-a", "2.0"},
		{"2026-01-01", "Applicant", true, "section-a", "3.0"},
		// Defined inline in Section H until the November 2019 release moved it to Section A.
		{"2019-06-01", "User Entry Process Requirements", true, "section-h", "1.0"},
		{"2019-11-06", "User Entry Process Requirements", true, "section-h", "2.0"},
		{"2019-11-07", "User Entry Process Requirements", true, "section-a", "2.0"},
		{"2020-06-24", "Originator", false, "", ""},
		{"2020-06-25", "Originator", true, "section-a", "3.0"},
		{"2020-01-01", "Appropriate Standard", true, "section-g", "1.0"},
		{"2020-01-01", "Transition Objective", true, "section-x", "2.0"},
		{"2019-01-01", "Applicant", false, "", ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.day)+" "+tc.term, func(t *testing.T) {
			terms := c.TermsAt(tc.day)
			require.NotNil(t, terms)
			def, ok := terms.Defs[tc.term]
			require.Equal(t, tc.defined, ok)
			if !ok {
				return
			}
			assert.Equal(t, tc.term, def.Term)
			assert.Equal(t, tc.doc, def.Version.Doc.ID)
			assert.Equal(t, tc.version, def.Version.Number)
			assert.True(t, strings.HasPrefix(def.Anchor, "term-") || def.Version.Tree().HasAnchor(def.Anchor), def.Anchor)
		})
	}

	terms := c.TermsAt("2020-01-01")
	assert.Greater(t, len(terms.Defs), 80)
	for term, def := range terms.Defs {
		assert.True(t, c.Public(def.Version.Doc), "%s is defined in %s, which is not public", term, def.Version.Doc.ID)
		assert.Equal(t, "white", def.Version.Doc.Classification)
		assert.Same(t, def.Version, def.Version.Doc.At("2020-01-01"), "%s: the definition in force", term)
	}
	assert.Equal(t, []string{"Applicant", "User Entry Process"}, terms.Matcher.Terms("Applicants finish the User Entry Process."))
	assert.Same(t, terms, c.TermsAt("2020-01-01"))
	assert.Same(t, terms, c.TermsAt("2020-01-02"), "same versions in force, same terms")
}

func TestCanSee(t *testing.T) {
	c := loadSample(t)
	docs := []string{"section-a", "panel-meeting-digest", "ssc-assessment-findings", "smki-key-ceremony-record"}
	tests := []struct {
		name   string
		reader Reader
		want   []bool // in the order of docs: white, green, amber, red
	}{
		{"anonymous", Reader{}, []bool{true, false, false, false}},
		{"anonymous with a group and name", Reader{User: "pma-chair", Groups: []string{"ssc"}}, []bool{true, false, false, false}},
		{"signed in", Reader{SignedIn: true, User: "someone", Party: "dcc"}, []bool{true, true, false, false}},
		{"signed in, other group", Reader{SignedIn: true, User: "someone", Groups: []string{"panel"}}, []bool{true, true, false, false}},
		{"signed in, amber group", Reader{SignedIn: true, User: "someone", Groups: []string{"panel", "ssc"}}, []bool{true, true, true, false}},
		{"signed in, named person", Reader{SignedIn: true, User: "pma-chair"}, []bool{true, true, false, true}},
		{"signed in, no user name", Reader{SignedIn: true}, []bool{true, true, false, false}},
		{"group named like a person", Reader{SignedIn: true, Groups: []string{"pma-chair"}}, []bool{true, true, false, false}},
		{"admin", Reader{SignedIn: true, User: "root", Roles: []string{"admin"}}, []bool{true, true, true, true}},
		{"other role", Reader{SignedIn: true, User: "root", Roles: []string{"editor"}}, []bool{true, true, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := c.For(tc.reader)
			for i, id := range docs {
				d := sampleDoc(t, c, id)
				assert.Equal(t, tc.want[i], v.CanSee(d), "%s (%s)", id, d.Classification)
				if tc.want[i] {
					assert.Same(t, d, v.Document(id))
				} else {
					assert.Nil(t, v.Document(id), "a hidden document reads as absent")
				}
			}
			assert.False(t, v.CanSee(nil))
		})
	}
}

func TestViewLists(t *testing.T) {
	c := loadSample(t)
	anon := c.For(Reader{})
	admin := c.For(Reader{Roles: []string{"admin"}})
	assert.Len(t, admin.Documents(), 22)
	assert.Len(t, anon.Documents(), 19)
	for _, d := range anon.Documents() {
		assert.True(t, c.Public(d), d.ID)
	}
	assert.Equal(t, []string{"section-a", "scf"},
		anon.VisibleDocIDs([]string{"section-a", "panel-meeting-digest", "scf", "no-such-document"}))
	assert.Equal(t, []string{}, anon.VisibleDocIDs(nil))
	for _, r := range c.Releases {
		assert.Len(t, admin.ReleaseVersions(r.ID), len(c.ReleaseVersions(r.ID)))
	}
	for _, m := range c.Modifications {
		assert.Len(t, admin.ModificationVersions(m.ID), len(c.ModificationVersions(m.ID)))
	}
}

// A restricted version in a release or modification is hidden from who may not see it.
func TestViewHidesRestrictedVersions(t *testing.T) {
	dir := writeTiny(t)
	edit(t, dir, "documents/section-b/document.yaml", "classification: white", "classification: red")
	c, err := Load(dir)
	require.NoError(t, err)
	anon, admin := c.For(Reader{}), c.For(Reader{Roles: []string{"admin"}})
	assert.Len(t, c.ReleaseVersions("2020-06"), 2)
	assert.Len(t, admin.ReleaseVersions("2020-06"), 2)
	require.Len(t, anon.ReleaseVersions("2020-06"), 1)
	assert.Equal(t, "section-a", anon.ReleaseVersions("2020-06")[0].Doc.ID)
	require.Len(t, anon.ModificationVersions("MP001"), 1)
	assert.Equal(t, "section-a", anon.ModificationVersions("MP001")[0].Doc.ID)
	assert.Equal(t, []string{"section-a"}, anon.VisibleDocIDs(c.Modification("MP001").Documents))
}

// A classification code.yaml does not list is treated as the most restricted.
func TestUnknownClassificationIsRestricted(t *testing.T) {
	c := &Code{Classifications: []Named{{ID: "white"}, {ID: "green"}}}
	d := &Document{Classification: "purple", People: []string{"x"}}
	assert.False(t, c.Public(d))
	assert.False(t, c.For(Reader{SignedIn: true, User: "y"}).CanSee(d))
	assert.True(t, c.For(Reader{SignedIn: true, User: "x"}).CanSee(d))
	assert.False(t, c.Public(nil))
}
