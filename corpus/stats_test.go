package corpus

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sample register reproduces the figures of the annual report for 2019/20.
func TestModificationStatsAnnualReport(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	st := c.ModificationStats("2019-04-01", "2020-03-31")
	assert.Equal(t, 23, st.OpenAtStart)
	assert.Equal(t, 52, st.Raised)
	assert.Equal(t, 21, st.Concluded)
	assert.Equal(t, 17, st.Approved)
	assert.Equal(t, 1, st.Rejected)
	assert.Equal(t, 3, st.Withdrawn)
	assert.Equal(t, 54, st.OpenAtEnd)
	require.Len(t, st.ByMonth, 12)
	assert.Equal(t, "2019-04", st.ByMonth[0].Month)
	assert.Equal(t, 52, st.ByMonth[11].Cumulative)
	sum := 0
	for _, m := range st.ByMonth {
		sum += m.Raised
	}
	assert.Equal(t, st.Raised, sum)

	// The year's releases: June 2019 (1), November 2019 (10), February 2020 (3), 4 in ad-hoc releases.
	count := map[string]int{}
	for _, r := range c.Releases {
		if r.Date >= "2019-04-01" && r.Date <= "2020-03-31" {
			if r.Kind == "ad-hoc" {
				count["ad-hoc"] += len(r.Modifications)
			} else {
				count[r.ID] = len(r.Modifications)
			}
		}
	}
	assert.Equal(t, map[string]int{"2019-06": 1, "2019-11": 10, "2020-02": 3, "ad-hoc": 4}, count)
}

func TestModificationStatsLaws(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	for _, p := range [][2]Date{{"2018-04-01", "2019-03-31"}, {"2019-04-01", "2020-03-31"}, {"2020-04-01", "2021-03-31"}, {"2019-06-15", "2019-06-15"}} {
		st := c.ModificationStats(p[0], p[1])
		// What was open, plus what came in, less what concluded, is what is open at the end.
		assert.Equal(t, st.OpenAtStart+st.Raised-st.Concluded, st.OpenAtEnd, p)
		assert.Equal(t, st.Concluded, st.Approved+st.Rejected+st.Withdrawn, p)
	}
}

func TestRegulatoryYear(t *testing.T) {
	cases := []struct{ day, from, to Date }{
		{"2019-04-01", "2019-04-01", "2020-03-31"},
		{"2020-03-31", "2019-04-01", "2020-03-31"},
		{"2026-11-28", "2026-04-01", "2027-03-31"},
		{"2027-01-05", "2026-04-01", "2027-03-31"},
	}
	for _, tc := range cases {
		f, to := RegulatoryYear(tc.day)
		assert.Equal(t, tc.from, f, tc.day)
		assert.Equal(t, tc.to, to, tc.day)
	}
}
