package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

func TestIssue8Pages(t *testing.T) {
	s := testServer(t)
	cases := []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/", 200, []string{`href="/frameworks"`, `href="/obligations"`, `href="/changes"`, `href="/terms"`}, nil},
		{"/frameworks", 200, []string{"Security Controls Framework", "Privacy Controls Framework", "Agreed Interpretations", `href="/frameworks/scf"`}, []string{"ssc-assessment-findings"}},
		{"/frameworks/scf", 200, []string{`id="SCF3.2"`, `href="/docs/section-g#G3.20"`, "User Roles: Import Supplier, Export Supplier, Gas Supplier", `aria-label="User Role"`}, nil},
		{"/frameworks/scf?party=dcc", 200, []string{`id="SCF2.6"`, "apply to <strong>DCC</strong>"}, []string{`id="SCF3.2"`}},
		{"/frameworks/scf?role=other-user", 200, []string{`id="SCF5.1"`, "concern the User Role <strong>Other User</strong>"}, []string{`id="SCF3.2"`, `id="SCF4.2"`}},
		{"/frameworks/scf?at=2019-10-01", 200, []string{"Version <strong>1.0</strong>", "Superseded.", `href="/docs/section-g?version=1.0#G3.20"`}, nil},
		{"/frameworks/agreed-interpretations?party=other&role=other-user", 200, []string{`id="AI5.3"`}, []string{`id="AI5.2"`, `id="AI4.1"`}},
		{"/frameworks/pcf?role=import-supplier", 200, []string{`id="PCF1.1"`}, []string{`id="PCF3.1"`}},
		{"/frameworks/section-h", 404, []string{"no control framework"}, nil},
		{"/frameworks/ssc-assessment-findings", 404, nil, []string{"CANARY"}},
		{"/frameworks/scf?role=wizard", 400, []string{"parameter role", "wizard"}, nil},
		{"/frameworks/scf?party=martians", 400, []string{"parameter party"}, nil},
		{"/docs/section-g", 200, []string{`<p class="cited-by">Cited by <a href="/docs/scf#SCF3.2"`, `href="/docs/agreed-interpretations#AI3.2"`}, []string{"ssc-assessment-findings"}},
		{"/docs/section-g?version=1.0", 200, []string{`href="/docs/scf?version=1.0#SCF3.2"`}, nil},
		{"/docs/scf", 200, []string{`Cited by <a href="/docs/agreed-interpretations#AI5.2"`}, []string{`Cited by <a href="/docs/scf#`}},
		{"/obligations", 200, []string{"Choose a party category"}, nil},
		{"/obligations?party=dcc", 200, []string{"of <strong>DCC</strong>", `href="#doc-section-h"`, `id="doc-section-h"`, "Download CSV", "format=csv"}, []string{"ssc-assessment-findings"}},
		{"/obligations?party=other&role=other-user&category=framework", 200, []string{"in the User Role <strong>Other User</strong>", "PCF3.1"}, []string{"SCF3.2", "/docs/section-h"}},
		{"/obligations?party=dcc&format=xml", 400, []string{"parameter format"}, nil},
		{"/obligations?format=csv&party=", 400, []string{"parameter party"}, nil},
		{"/obligations?party=dcc&at=2019-02-30", 400, []string{"parameter at"}, nil},
		{"/changes?party=large-supplier&from=2019-10-01&to=2020-03-01", 200, []string{"apply to <strong>Large Supplier Party</strong>", "<ins>", `class="change change-changed"`, "/feeds/changes.atom?party=large-supplier"}, nil},
		{"/changes?from=2019-09-adhoc&to=2019-11&doc=section-h", 200, []string{"version 2.0 → 3.0", `href="/releases/2019-11"`}, []string{`id="ch-section-g"`}},
		{"/changes?from=2020-01-01&to=2019-01-01", 400, []string{"parameters from and to"}, nil},
		{"/changes?from=someday", 400, []string{"parameter from"}, nil},
		{"/changes?doc=ssc-assessment-findings", 400, []string{"parameter doc"}, []string{"CANARY"}},
		{"/terms", 200, []string{`id="t-applicant"`, "Where it is used", `href="/docs/section-a#term-applicant"`}, []string{"ssc-assessment-findings"}},
		{"/terms?q=smets", 200, []string{"SMETS1"}, []string{`id="t-applicant"`}},
		{"/feeds/changes.atom?party=nobody", 400, []string{"parameter party"}, nil},
		{"/feeds/changes.atom?doc=panel-meeting-digest", 400, []string{"parameter doc"}, []string{"CANARY"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			w := get(t, s, tc.path)
			assert.Equal(t, tc.status, w.Code, w.Body.String())
			for _, want := range tc.want {
				assert.Contains(t, w.Body.String(), want)
			}
			for _, not := range tc.not {
				assert.NotContains(t, w.Body.String(), not)
			}
		})
	}
}

func getAPIJSON(t *testing.T, s *Server, path string, out any) {
	t.Helper()
	w := get(t, s, path)
	require.Equal(t, 200, w.Code, "%s: %s", path, w.Body.String())
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), out), path)
}

func TestAPIFrameworks(t *testing.T) {
	s := testServer(t)
	var list struct {
		Frameworks []struct{ ID, Category string }
	}
	getAPIJSON(t, s, "/api/v1/frameworks", &list)
	var ids []string
	for _, f := range list.Frameworks {
		ids = append(ids, f.ID)
		assert.Contains(t, []string{"framework", "interpretation"}, f.Category)
	}
	assert.ElementsMatch(t, []string{"scf", "pcf", "agreed-interpretations"}, ids)

	type ctl struct {
		ID, Title, Heading string
		Parties, Roles     []string
		Cites              []struct{ Ref, Doc, Version, Anchor, URL string }
	}
	var fw struct {
		Version  string
		Total    int
		Controls []ctl
	}
	// Every control returned applies to the party and the role asked for.
	cases := []struct{ party, role string }{{"", ""}, {"large-supplier", ""}, {"", "other-user"}, {"gas-network", "gas-transporter"}, {"dcc", "import-supplier"}}
	for _, tc := range cases {
		getAPIJSON(t, s, "/api/v1/frameworks/scf?party="+tc.party+"&role="+tc.role, &fw)
		assert.Equal(t, len(fw.Controls), fw.Total)
		assert.NotEmpty(t, fw.Controls, "%+v", tc)
		for _, c := range fw.Controls {
			if tc.party != "" {
				assert.True(t, contains(c.Parties, tc.party) || contains(c.Parties, "all"), "%s %+v", c.ID, tc)
			}
			if tc.role != "" {
				assert.True(t, contains(c.Roles, tc.role) || contains(c.Roles, "all"), "%s %+v", c.ID, tc)
			}
			assert.NotEmpty(t, c.Title, c.ID)
			assert.LessOrEqual(t, len(c.Title), controlTitleLen+len("…"), c.ID)
		}
	}
	getAPIJSON(t, s, "/api/v1/frameworks/scf?party=large-supplier&role=import-supplier", &fw)
	byID := map[string]ctl{}
	for _, c := range fw.Controls {
		byID[c.ID] = c
	}
	require.Contains(t, byID, "SCF3.2")
	c := byID["SCF3.2"]
	assert.Equal(t, "SCF3 Controls for Supplier Users", c.Heading)
	assert.Equal(t, []string{"import-supplier", "export-supplier", "gas-supplier"}, c.Roles)
	require.Len(t, c.Cites, 1)
	assert.Equal(t, "section-g", c.Cites[0].Doc)
	assert.Equal(t, "G3.20", c.Cites[0].Anchor)
	assert.Equal(t, "/docs/section-g#G3.20", c.Cites[0].URL)
	assert.Equal(t, []string{"import-supplier", "gas-supplier"}, byID["SCF3.6"].Roles, "the clause's roles win over the part's")
	assert.NotContains(t, byID, "SCF4.2", "a network control")

	// The controls of an earlier date link to the clauses of that date.
	getAPIJSON(t, s, "/api/v1/frameworks/scf?at=2019-10-01", &fw)
	assert.Equal(t, "1.0", fw.Version)
	for _, c := range fw.Controls {
		if c.ID == "SCF3.2" {
			assert.Equal(t, "/docs/section-g?version=1.0#G3.20", c.Cites[0].URL)
			assert.Equal(t, "1.0", c.Cites[0].Version)
		}
	}

	var cited struct {
		Doc, Version string
		Clauses      []struct {
			ID      string
			CitedBy []struct{ Doc, ID, URL string } `json:"cited_by"`
		}
	}
	getAPIJSON(t, s, "/api/v1/cited-by?doc=section-g", &cited)
	found := false
	for _, cl := range cited.Clauses {
		if cl.ID == "G3.20" {
			found = true
			var who []string
			for _, x := range cl.CitedBy {
				who = append(who, x.ID)
			}
			assert.Subset(t, who, []string{"SCF3.2", "SCF4.2", "SCF5.2", "AI3.1", "AI3.2"})
		}
	}
	assert.True(t, found, "G3.20 is cited")

	errs := []struct {
		path, want string
		status     int
	}{
		{"/api/v1/frameworks/section-g", "no control framework", 404},
		{"/api/v1/frameworks/scf?role=x", "parameter role", 400},
		{"/api/v1/frameworks/scf?at=2000-01-01", "not in force", 404},
		{"/api/v1/cited-by", "parameter doc", 400},
		{"/api/v1/cited-by?doc=ssc-assessment-findings", "parameter doc", 400},
	}
	for _, e := range errs {
		w := get(t, s, e.path)
		assert.Equal(t, e.status, w.Code, e.path)
		assert.Contains(t, w.Body.String(), e.want, e.path)
	}
}

type obligationJSON struct {
	Doc, ID, Clause, Version, Part, Category, Kind, Deadline, Action, URL, History string
	Bearers, Parties, Roles                                                        []string
	Mine                                                                           bool
}

type obligationsJSON struct {
	Party  string
	Others bool
	Total  int
	Counts []struct {
		Kind  string
		Count int
	}
	Duties []obligationJSON
}

func TestAPIObligations(t *testing.T) {
	s := testServer(t)
	for _, party := range s.code.PartyIDs() {
		var out obligationsJSON
		getAPIJSON(t, s, "/api/v1/obligations?party="+party, &out)
		require.NotZero(t, out.Total, party)
		assert.Len(t, out.Duties, out.Total)
		sum := 0
		for _, k := range out.Counts {
			sum += k.Count
		}
		assert.Equal(t, out.Total, sum, "counts by kind add up")
		for _, d := range out.Duties {
			assert.True(t, d.Mine, "%s %s", party, d.Clause)
			assert.NotEqual(t, "none", d.Kind)
			assert.NotEqual(t, "ssc-assessment-findings", d.Doc)
			assert.NotEqual(t, "guidance", d.Category, "guidance binds no one: %s", d.Clause)
			assert.True(t, strings.HasPrefix(d.URL, "/docs/"+d.Doc) && strings.HasSuffix(d.URL, "#"+d.Clause), d.URL)
			assert.Equal(t, "/docs/"+d.Doc+"/history", d.History)
			own := false
			for _, b := range d.Bearers {
				own = own || b == party || b == "party" || b == "user" || s.code.BearerKind(b) == "role"
			}
			assert.True(t, own, "%s bears %s %s (%v)", party, d.Clause, d.Kind, d.Bearers)
		}
	}
	var all, role struct{ Total int }
	getAPIJSON(t, s, "/api/v1/obligations?party=other", &all)
	getAPIJSON(t, s, "/api/v1/obligations?party=other&role=import-supplier", &role)
	assert.Less(t, role.Total, all.Total, "a role narrows the list")
	var out obligationsJSON
	getAPIJSON(t, s, "/api/v1/obligations?party=dcc&at=2019-03-01", &out)
	for _, c := range out.Duties {
		if c.Doc == "section-h" {
			assert.Equal(t, "1.0", c.Version)
		}
	}

	for path, want := range map[string]string{
		"/api/v1/obligations":                           "parameter party: required",
		"/api/v1/obligations?party=x":                   "parameter party",
		"/api/v1/obligations?party=dcc&role=x":          "parameter role",
		"/api/v1/obligations?party=dcc&category=x":      "parameter category",
		"/api/v1/obligations?party=dcc&at=tomorrow-ish": "parameter at",
		"/api/v1/obligations?party=dcc&others=yes":      "parameter others",
	} {
		w := get(t, s, path)
		assert.Equal(t, 400, w.Code, path)
		assert.Contains(t, w.Body.String(), want, path)
	}
}

// TestObligationsSmallSupplier is the issue's measure: a small supplier's duties leave out
// definitions, guidance and the duties of the Panel, the DCC and other bodies; the switch
// brings them back.
func TestObligationsSmallSupplier(t *testing.T) {
	s := testServer(t)
	var own, others obligationsJSON
	getAPIJSON(t, s, "/api/v1/obligations?party=small-supplier", &own)
	getAPIJSON(t, s, "/api/v1/obligations?party=small-supplier&others=1", &others)
	clauses := map[string]obligationJSON{}
	for _, d := range own.Duties {
		assert.NotEqual(t, "guidance-user-entry", d.Doc, "no guidance: %s", d.Clause)
		assert.NotEqual(t, "A1.1", d.Clause, "no definitions")
		own := false
		for _, b := range d.Bearers {
			own = own || b == "small-supplier" || b == "party" || b == "user" || s.code.BearerKind(b) == "role"
		}
		assert.True(t, own, "not a duty of bodies or of other categories only: %s %v", d.Clause, d.Bearers)
		clauses[d.Clause+" "+d.Kind] = d
	}
	assert.Contains(t, clauses, "H4.5 prohibition", "a Supplier Party shall not send ...")
	assert.Contains(t, clauses, "G3.1 obligation", "each User shall ...")
	assert.Contains(t, clauses, "B1.10 obligation", "each Applicant shall pay ...")
	assert.Equal(t, "within one hour", deadlineOf(own.Duties, "SRP2.2"), "deadlines are read")
	assert.Greater(t, others.Total, own.Total)
	assert.True(t, others.Others)
	var panel, definitions, guidance bool
	for _, d := range others.Duties {
		panel = panel || !d.Mine && contains(d.Bearers, "panel")
		definitions = definitions || d.Clause == "A1.1" && d.Kind == "none"
		guidance = guidance || d.Doc == "guidance-user-entry" && d.Kind == "none"
	}
	assert.True(t, panel, "a duty of the Panel that names Parties")
	assert.True(t, definitions, "the definitions")
	assert.True(t, guidance, "the guidance")

	w := get(t, s, "/obligations?party=small-supplier")
	require.Equal(t, 200, w.Code)
	body := w.Body.String()
	assert.Contains(t, body, "Duties of Small Supplier Party")
	assert.Contains(t, body, `class="kind kind-prohibition">Must not</span>`)
	assert.Contains(t, body, `href="/docs/section-h/history"`)
	assert.Contains(t, body, `others=1&amp;party=small-supplier"`)
	assert.NotContains(t, body, `href="/docs/section-a#A1.1"`)
	assert.NotContains(t, body, `id="doc-guidance-user-entry"`)
	assert.NotContains(t, body, `(Panel)`, "no duty of the Panel alone")
	w = get(t, s, "/obligations?party=small-supplier&others=1")
	assert.Contains(t, w.Body.String(), `href="/docs/section-a#A1.1"`)
	assert.Contains(t, w.Body.String(), `id="doc-guidance-user-entry"`)
	assert.Contains(t, w.Body.String(), "Show only its own duties")
}

func deadlineOf(ds []obligationJSON, clause string) string {
	for _, d := range ds {
		if d.Clause == clause {
			return d.Deadline
		}
	}
	return ""
}

func TestObligationsCSV(t *testing.T) {
	s := testServer(t)
	var out struct{ Total int }
	getAPIJSON(t, s, "/api/v1/obligations?party=small-supplier&role=gas-supplier", &out)
	w := get(t, s, "/obligations?party=small-supplier&role=gas-supplier&format=csv")
	require.Equal(t, 200, w.Code)
	assert.Equal(t, "text/csv; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, `attachment; filename="obligations-small-supplier-gas-supplier-2026-11-28.csv"`, w.Header().Get("Content-Disposition"))
	rows, err := csv.NewReader(bytes.NewReader(w.Body.Bytes())).ReadAll()
	require.NoError(t, err, "proper CSV")
	require.Len(t, rows, out.Total+1)
	assert.Equal(t, []string{"document", "document_title", "version", "effective", "part", "part_title", "clause", "heading",
		"kind", "bearers", "mine", "action", "deadline", "condition", "parties", "roles", "text", "url", "history"}, rows[0])
	for _, r := range rows[1:] {
		assert.True(t, strings.HasPrefix(r[17], "http://example.com/docs/"+r[0]), r[17])
		assert.Equal(t, "http://example.com/docs/"+r[0]+"/history", r[18])
		assert.NotContains(t, r[16], "**", "plain text")
		assert.Contains(t, []string{"obligation", "prohibition", "permission", "condition"}, r[8])
		assert.Equal(t, "true", r[10])
	}
	// Multi-line clause text survives the round trip.
	multi := false
	for _, r := range rows[1:] {
		multi = multi || strings.Contains(r[16], "\n")
	}
	assert.True(t, multi)
	assert.Equal(t, "'=1+1", csvSafe("=1+1"))
	assert.Equal(t, "A User", csvSafe("A User"))
	w = get(t, s, "/obligations?party=small-supplier&others=1&format=csv")
	assert.Contains(t, w.Header().Get("Content-Disposition"), "-with-others-")
}

func TestAPIChanges(t *testing.T) {
	s := testServer(t)
	type change struct {
		Doc, Kind, ID, Redline string
		OldVersion             string `json:"old_version"`
		NewVersion             string `json:"new_version"`
		OldText                string `json:"old_text"`
		NewText                string `json:"new_text"`
		Parties, Releases      []string
	}
	var out struct {
		From, To string
		Total    int
		Changes  []change
	}
	h := s.code.Document("section-h")
	redline := s.redlineURL(h, h.Version("2.0"), h.Version("3.0"), "2019-11-06", "2019-11-07")
	assert.Contains(t, []string{"/docs/section-h/compare?from=2.0&to=3.0", "/compare?doc=section-h&from=2.0&to=3.0",
		"/changes?doc=section-h&from=2019-11-06&to=2019-11-07"}, redline)
	getAPIJSON(t, s, "/api/v1/changes?from=2019-11-06&to=2019-11&doc=section-h", &out)
	assert.Equal(t, "2019-11-07", out.To, "a release id stands for its date")
	require.NotEmpty(t, out.Changes)
	for _, c := range out.Changes {
		assert.Equal(t, "section-h", c.Doc)
		assert.Equal(t, "2.0", c.OldVersion)
		assert.Equal(t, "3.0", c.NewVersion)
		assert.Equal(t, []string{"2019-11"}, c.Releases)
		assert.Equal(t, redline, c.Redline)
		switch c.Kind {
		case "changed":
			assert.NotEqual(t, strings.Join(strings.Fields(c.OldText), " "), strings.Join(strings.Fields(c.NewText), " "), c.ID)
		case "added":
			assert.Empty(t, c.OldText)
		case "deleted":
			assert.Empty(t, c.NewText)
		}
	}
	// Independently: the clause texts of the two versions differ exactly where a change is listed.
	d := s.code.Document("section-h")
	old, cur := d.Version("2.0"), d.Version("3.0")
	want := map[string]string{}
	for _, n := range cur.Tree().Clauses() {
		if o := old.Tree().Node(n.ID); o == nil {
			want[n.ID] = "added"
		} else if strings.Join(strings.Fields(clauseText(o)), " ") != strings.Join(strings.Fields(clauseText(n)), " ") ||
			strings.Join(old.Parties(o), " ") != strings.Join(cur.Parties(n), " ") {
			want[n.ID] = "changed"
		}
	}
	for _, o := range old.Tree().Clauses() {
		if cur.Tree().Node(o.ID) == nil {
			want[o.ID] = "deleted"
		}
	}
	got := map[string]string{}
	for _, c := range out.Changes {
		got[c.ID] = c.Kind
	}
	assert.Equal(t, want, got)

	// With a party: only clauses that apply to it.
	getAPIJSON(t, s, "/api/v1/changes?party=dcc&from=2019-01-01&to=2030-01-01", &out)
	require.NotEmpty(t, out.Changes)
	for _, c := range out.Changes {
		if c.Kind != "changed" {
			assert.True(t, contains(c.Parties, "dcc") || contains(c.Parties, "all"), "%s %s", c.Doc, c.ID)
		}
		assert.NotEqual(t, "ssc-assessment-findings", c.Doc)
	}
	// The default period is what the latest release changed.
	getAPIJSON(t, s, "/api/v1/changes", &out)
	assert.Equal(t, "2020-06-24", out.From)
	assert.Equal(t, "2026-11-28", out.To)

	for path, want := range map[string]string{
		"/api/v1/changes?from=2020-01-01&to=2019-01-01": "parameters from and to",
		"/api/v1/changes?to=no":                         "parameter to",
		"/api/v1/changes?party=x":                       "parameter party",
		"/api/v1/changes?role=x":                        "parameter role",
		"/api/v1/changes?doc=smki-key-ceremony-record":  "parameter doc",
	} {
		w := get(t, s, path)
		assert.Equal(t, 400, w.Code, path)
		assert.Contains(t, w.Body.String(), want, path)
	}
}

func TestWordDiff(t *testing.T) {
	s := testServer(t)
	d := s.code.Document("section-h")
	old, cur := d.Version("2.0"), d.Version("3.0")
	for _, n := range cur.Tree().Clauses() {
		o := old.Tree().Node(n.ID)
		if o == nil || clauseText(o) == clauseText(n) {
			continue
		}
		html := string(s.wordDiff(o, n, nil))
		assert.True(t, strings.Contains(html, "<ins>") || strings.Contains(html, "<del>"), n.ID)
		assert.Contains(t, html, `<span class="vh">[`, "changes are announced to screen readers")
	}
}

func parseFeed(t *testing.T, s *Server, path string) *gofeed.Feed {
	t.Helper()
	w := get(t, s, path)
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Equal(t, "application/atom+xml; charset=utf-8", w.Header().Get("Content-Type"))
	f, err := gofeed.NewParser().ParseString(w.Body.String())
	require.NoError(t, err, path)
	assert.Equal(t, "atom", f.FeedType, path)
	return f
}

func TestFeeds(t *testing.T) {
	s := testServer(t)
	rel := parseFeed(t, s, "/feeds/releases.atom")
	assert.Equal(t, "Smart Energy Code: releases", rel.Title)
	require.Len(t, rel.Items, len(s.code.Releases))
	assert.Equal(t, "February 2027 SEC Release: Section G, Section H, Appendix AD, Security Controls Framework", rel.Items[0].Title, "newest first")
	ids := map[string]bool{}
	for _, it := range rel.Items {
		assert.False(t, ids[it.GUID], "unique ids")
		ids[it.GUID] = true
		assert.True(t, strings.HasPrefix(it.GUID, "urn:uuid:"), it.GUID)
		require.NotNil(t, it.UpdatedParsed)
		assert.True(t, strings.HasPrefix(it.Link, "http://example.com/releases/"), it.Link)
		for _, l := range it.Links {
			assert.True(t, strings.HasPrefix(l, "http://example.com/"), l)
		}
		for _, canary := range []string{"CANARY", "ssc-assessment-findings", "panel-meeting-digest", "smki-key-ceremony-record"} {
			assert.NotContains(t, it.Content+it.Description+it.Title, canary)
		}
	}
	nov := rel.Items[len(rel.Items)-3]
	assert.True(t, strings.HasPrefix(nov.Title, "November 2019 SEC Release: Section A, "), nov.Title)
	assert.Contains(t, nov.Content, "Section H: DCC Services</a> (version 2.0 → 3.0)")
	assert.Contains(t, nov.Content, "changed H1.")
	h := s.code.Document("section-h")
	assert.Contains(t, nov.Content, template.HTMLEscapeString(s.redlineURL(h, h.Version("2.0"), h.Version("3.0"), "2019-11-06", "2019-11-07")))
	assert.Contains(t, nov.Description, "Modifications: SECMP0049")
	assert.Equal(t, 2019, nov.UpdatedParsed.Year())

	all := parseFeed(t, s, "/feeds/changes.atom")
	assert.NotEmpty(t, all.Items)
	assert.Contains(t, feedTitles(all), "Changes effective 2019-12-12: Agreed Interpretations", "versions without a release are changes too")

	dcc := parseFeed(t, s, "/feeds/changes.atom?party=dcc")
	assert.Equal(t, "Smart Energy Code: changes for DCC", dcc.Title)
	assert.NotEmpty(t, dcc.Items)
	assert.LessOrEqual(t, len(dcc.Items), len(all.Items))
	// Each entry lists exactly the clauses the changes API lists for DCC on that date.
	for _, it := range dcc.Items {
		day := it.UpdatedParsed.Format("2006-01-02")
		var api struct {
			Changes []struct{ Doc, ID, Kind string }
		}
		getAPIJSON(t, s, "/api/v1/changes?party=dcc&from="+string(previousDay(corpus.Date(day)))+"&to="+day, &api)
		require.NotEmpty(t, api.Changes, day)
		for _, c := range api.Changes {
			assert.Contains(t, it.Description, c.ID, "%s %s", day, c.ID)
		}
	}

	doc := parseFeed(t, s, "/feeds/changes.atom?doc=section-h")
	assert.Equal(t, "Smart Energy Code: changes to Section H: DCC Services", doc.Title)
	require.NotEmpty(t, doc.Items)
	for _, it := range doc.Items {
		for _, c := range it.Categories {
			if strings.HasPrefix(c, "document:") {
				assert.Equal(t, "document:section-h", c)
			}
		}
		assert.Contains(t, it.Title, "Section H")
		assert.NotContains(t, it.Title, "Section G")
	}
}

func feedTitles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestAPITerms(t *testing.T) {
	s := testServer(t)
	type term struct {
		Term, Definition string
		DefinedIn        struct{ Doc, Version, Anchor, URL string } `json:"defined_in"`
		Uses             int
		UsedIn           []struct {
			Doc     string
			Clauses []string
		} `json:"used_in"`
	}
	var out struct {
		At    string
		Total int
		Terms []term
	}
	getAPIJSON(t, s, "/api/v1/terms", &out)
	assert.Equal(t, "2026-11-28", out.At)
	assert.Len(t, out.Terms, out.Total)
	assert.Greater(t, out.Total, 50)
	byTerm := map[string]term{}
	for _, x := range out.Terms {
		byTerm[x.Term] = x
		n := 0
		for _, u := range x.UsedIn {
			n += len(u.Clauses)
			assert.NotContains(t, []string{"ssc-assessment-findings", "panel-meeting-digest", "smki-key-ceremony-record"}, u.Doc)
		}
		assert.Equal(t, n, x.Uses, x.Term)
	}
	app, ok := byTerm["Applicant"]
	require.True(t, ok)
	assert.Equal(t, "section-a", app.DefinedIn.Doc)
	assert.Equal(t, "term-applicant", app.DefinedIn.Anchor)
	assert.Equal(t, "/docs/section-a#term-applicant", app.DefinedIn.URL)
	assert.NotEmpty(t, app.Definition)
	var docs []string
	for _, u := range app.UsedIn {
		docs = append(docs, u.Doc)
	}
	assert.Contains(t, docs, "section-h")
	for _, u := range app.UsedIn {
		if u.Doc == "section-a" {
			assert.NotContains(t, u.Clauses, "A1.1", "the definition is not a use")
		}
	}
	getAPIJSON(t, s, "/api/v1/terms?q=APPLIC", &out)
	for _, x := range out.Terms {
		assert.Contains(t, strings.ToLower(x.Term), "applic")
	}
	assert.NotEmpty(t, out.Terms)
}

// A framework document that the reader may not see is absent from every new page, feed and
// API, and from the "Cited by" lines of the clauses it cites.
func TestRestrictedFrameworkNeverShows(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../corpus/sec")))
	yml := filepath.Join(dir, "documents", "agreed-interpretations", "document.yaml")
	data, err := os.ReadFile(yml)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(yml, bytes.Replace(data, []byte("classification: white"), []byte("classification: amber\ngroups: [ssc]"), 1), 0o644))
	code, err := corpus.Load(dir)
	require.NoError(t, err)
	s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow }})
	require.NoError(t, err)
	for _, path := range []string{"/frameworks", "/api/v1/frameworks", "/docs/section-g", "/api/v1/cited-by?doc=section-g",
		"/obligations?party=other", "/api/v1/obligations?party=other", "/obligations?party=other&format=csv",
		"/changes?from=2019-01-01", "/api/v1/changes?from=2019-01-01", "/feeds/releases.atom", "/feeds/changes.atom",
		"/feeds/changes.atom?party=large-supplier", "/terms", "/api/v1/terms"} {
		w := get(t, s, path)
		assert.Equal(t, 200, w.Code, path)
		assert.NotContains(t, w.Body.String(), "agreed-interpretations", path)
		assert.NotContains(t, w.Body.String(), "AI3.2", path)
	}
	for _, path := range []string{"/frameworks/agreed-interpretations", "/api/v1/frameworks/agreed-interpretations"} {
		assert.Equal(t, 404, get(t, s, path).Code, path)
	}
	assert.Equal(t, 400, get(t, s, "/feeds/changes.atom?doc=agreed-interpretations").Code)
}

func TestFirstSentence(t *testing.T) {
	cases := []struct {
		in    string
		limit int
		want  string
	}{
		{"The User shall comply. Then more.", 50, "The User shall comply"},
		{"The User shall:\n- (a) do this", 50, "The User shall"},
		{"Section G3.20 applies; and more", 50, "Section G3.20 applies"},
		{"one two three four five six", 14, "one two three…"},
		{"abcdefghijklmnop", 5, "abcde…"},
		{"émigré émigré", 2, "é…"},
		{"ééé", 3, "é…"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, firstSentence(tc.in, tc.limit), tc.in)
	}
}

func TestNameUUID(t *testing.T) {
	// RFC 9562 gives this example of a version 5 UUID in the DNS namespace; ours uses the URL
	// namespace, so check the form and stability instead.
	a, b := nameUUID("sec/feeds/releases"), nameUUID("sec/feeds/releases")
	assert.Equal(t, a, b)
	assert.Regexp(t, `^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a)
	assert.NotEqual(t, a, nameUUID("sec/feeds/changes"))
}
