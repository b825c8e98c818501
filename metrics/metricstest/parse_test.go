package metricstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	ok := "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n"
	hist := "# HELP h H.\n# TYPE h histogram\n"
	tests := []struct {
		name, text string
		wantErr    string
	}{
		{"valid", ok, ""},
		{"valid histogram", hist + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n", ""},
		{"no final newline", ok[:len(ok)-1], "newline"},
		{"sample without TYPE", "# HELP a A.\na 1\n", "before its family's TYPE"},
		{"sample of another family", ok + "b_total 1\n", "in family"},
		{"series twice", ok + "a_total{x=\"1\"} 3\n", "twice"},
		{"bad escape", "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"\\t\"} 2\n", "unknown escape"},
		{"unterminated value", "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1} 2\n", "unterminated"},
		{"negative counter", "# HELP a_total A.\n# TYPE a_total counter\na_total -1\n", "below zero"},
		{"timestamp", "# HELP a_total A.\n# TYPE a_total counter\na_total 1 123\n", "timestamps"},
		{"unknown type", "# HELP a A.\n# TYPE a summary\n", "unknown type"},
		{"empty line", ok + "\n", "empty line"},
		{"buckets not cumulative", hist + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 3\nh_count 1\n", "not increasing"},
		{"count differs from +Inf", hist + "h_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 3\n", "incomplete"},
		{"no +Inf", hist + "h_bucket{le=\"1\"} 2\nh_sum 3\nh_count 2\n", "incomplete"},
		{"le on a counter", "# HELP a_total A.\n# TYPE a_total counter\na_total{le=\"1\"} 2\n", "le only on buckets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.text)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestValue(t *testing.T) {
	t.Parallel()
	fams, err := Parse("# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\",y=\"q\\\"\"} 2\na_total{x=\"2\"} 5\n")
	require.NoError(t, err)
	v, ok := Value(fams, "a_total", "a_total", map[string]string{"x": "2"})
	assert.True(t, ok)
	assert.InDelta(t, 5, v, 0)
	v, ok = Value(fams, "a_total", "a_total", map[string]string{"y": `q"`})
	assert.True(t, ok)
	assert.InDelta(t, 2, v, 0)
	_, ok = Value(fams, "a_total", "a_total", map[string]string{"x": "3"})
	assert.False(t, ok)
}

// FuzzParse: the reader never panics, and whatever it accepts has every family typed.
func FuzzParse(f *testing.F) {
	f.Add("# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n")
	f.Add("# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n")
	f.Add("# HELP a A.\\n\n# TYPE a gauge\na{b=\"\\\\\\n\\\"\"} NaN\n")
	f.Fuzz(func(t *testing.T, text string) {
		fams, err := Parse(text)
		if err != nil {
			return
		}
		for name, fam := range fams {
			assert.Equal(t, name, fam.Name)
			assert.NotEmpty(t, fam.Type)
		}
	})
}
