package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type regResult struct {
	Total         int
	Modifications []struct {
		ID, Stage, Status, Raised, Release string
		Parties, Documents                 []string
	}
}

func TestRegisterAPI(t *testing.T) {
	s := testServer(t)
	var all regResult
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/modifications").Body.Bytes(), &all))
	require.Greater(t, all.Total, 50)
	for i := 1; i < len(all.Modifications); i++ {
		assert.GreaterOrEqual(t, all.Modifications[i-1].Raised, all.Modifications[i].Raised, "newest first by default")
	}
	filters := []struct {
		q     string
		check func(id, stage, status, release string, parties, docs []string) bool
	}{
		{"status=rejected", func(_, _, st, _ string, _, _ []string) bool { return st == "rejected" }},
		{"stage=implemented", func(_, sg, _, _ string, _, _ []string) bool { return sg == "implemented" }},
		{"release=2019-11", func(_, _, _, r string, _, _ []string) bool { return r == "2019-11" }},
		{"party=dcc", func(_, _, _, _ string, p, _ []string) bool { return contains(p, "dcc") }},
		{"doc=section-d", func(_, _, _, _ string, _, d []string) bool { return contains(d, "section-d") }},
		{"q=secmp", func(id, _, _, _ string, _, _ []string) bool { return strings.HasPrefix(id, "SECMP") }},
		{"type=draft-proposal", func(id, _, _, _ string, _, _ []string) bool { return strings.HasPrefix(id, "DP") }},
	}
	for _, f := range filters {
		var r regResult
		w := get(t, s, "/api/v1/modifications?"+f.q)
		require.Equal(t, 200, w.Code, f.q)
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &r))
		require.NotEmpty(t, r.Modifications, f.q)
		assert.Less(t, r.Total, all.Total, f.q)
		for _, m := range r.Modifications {
			assert.True(t, f.check(m.ID, m.Stage, m.Status, m.Release, m.Parties, m.Documents), "%s: %s", f.q, m.ID)
		}
	}
	var rel regResult
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/modifications?release=2019-11").Body.Bytes(), &rel))
	assert.Equal(t, 10, rel.Total, "the November 2019 release implemented 10 modifications")

	for _, key := range []string{"id", "title", "stage", "status", "raised", "decided", "implemented", "release"} {
		for _, dir := range []string{"", "-"} {
			w := get(t, s, "/api/v1/modifications?sort="+dir+key)
			assert.Equal(t, 200, w.Code, key)
		}
	}
	var byID regResult
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/modifications?sort=id").Body.Bytes(), &byID))
	for i := 1; i < len(byID.Modifications); i++ {
		assert.Less(t, byID.Modifications[i-1].ID, byID.Modifications[i].ID)
	}
	for _, q := range []string{"status=maybe", "stage=x", "sort=colour", "party=x", "doc=nope", "release=1999-01", "doc=smki-key-ceremony-record"} {
		w := get(t, s, "/api/v1/modifications?"+q)
		assert.Equal(t, http.StatusBadRequest, w.Code, q)
		assert.Contains(t, w.Body.String(), "parameter "+strings.Split(q, "=")[0], q)
	}
}

func TestRegisterStats(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/api/v1/modifications/stats?from=2019-04-01&to=2020-03-31")
	require.Equal(t, 200, w.Code)
	var st map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &st))
	for k, v := range map[string]float64{"open_at_start": 23, "raised": 52, "concluded": 21, "approved": 17, "rejected": 1, "withdrawn": 3, "open_at_end": 54} {
		assert.Equal(t, v, st[k], k)
	}
	assert.Len(t, st["by_month"], 12)

	// The default period is the regulatory year of today (2026-04-01 to 2027-03-31).
	w = get(t, s, "/api/v1/modifications/stats")
	assert.Contains(t, w.Body.String(), `"from":"2026-04-01","to":"2027-03-31"`)

	w = get(t, s, "/api/v1/modifications/stats?from=2019-04-01&to=2020-03-31&format=csv")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Header().Get("Content-Disposition"), "attachment")
	_, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
	require.Error(t, err, "two tables of different widths")
	r := csv.NewReader(strings.NewReader(w.Body.String()))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"2019-04-01", "2020-03-31", "23", "52", "21", "17", "1", "3", "54"}, rows[1])

	for _, q := range []string{"from=2019-04-01", "from=2020-01-01&to=2019-01-01", "from=x&to=y", "format=xml", "from=1000-01-01&to=3000-01-01"} {
		assert.Equal(t, http.StatusBadRequest, get(t, s, "/api/v1/modifications/stats?"+q).Code, q)
	}
}

func TestRegisterPage(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/modifications?from=2019-04-01&to=2020-03-31")
	require.Equal(t, 200, w.Code)
	body := w.Body.String()
	for _, want := range []string{"<svg", `role="img"`, "<title id=\"chart-title\">", "Open at the start</dt><dd>23", "Raised</dt><dd>52",
		"approved 17, rejected 1, withdrawn 3", "Open at the end</dt><dd>54", "Download as CSV", `<small class="sample">sample</small>`,
		`href="/modifications?from=2019-04-01&amp;sort=id&amp;to=2020-03-31"`} {
		assert.Contains(t, body, want)
	}
	assert.Equal(t, 12, strings.Count(body, "<rect x=")-1, "one bar a month (and the legend)")
	assert.Equal(t, http.StatusBadRequest, get(t, s, "/modifications?status=maybe").Code)
}
