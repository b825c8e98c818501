package redline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"codenav/legaltext"
)

func TestMatchSequence(t *testing.T) {
	simOf := func(a, b []string) func(i, j int) float64 {
		dict := map[string]uint32{}
		return func(i, j int) float64 { return jaccard(lineWords(a[i], dict), lineWords(b[j], dict)) }
	}
	cases := []struct {
		name       string
		a, b       []string
		threshold  float64
		pairSingle bool
		want       [][2]int
	}{
		{"empty", nil, []string{"x"}, 0.5, false, nil},
		{"identical", []string{"a", "b"}, []string{"a", "b"}, 0.5, false, [][2]int{{0, 0}, {1, 1}}},
		{"insert between", []string{"alpha one", "gamma three"}, []string{"alpha one", "beta two", "gamma three"}, 0.5, false, [][2]int{{0, 0}, {1, 2}}},
		{"similar pairs", []string{"the quick brown fox jumps", "unrelated words here"}, []string{"the quick brown fox leaps", "completely different text"}, 0.5, false, [][2]int{{0, 0}}},
		{"single pair forced", []string{"one thing"}, []string{"another matter"}, 0.5, true, [][2]int{{0, 0}}},
		{"single pair not forced", []string{"one thing"}, []string{"another matter"}, 0.5, false, nil},
		{"order kept", []string{"red apple pie", "green pear tart"}, []string{"green pear tart", "red apple pie"}, 0.5, false, [][2]int{{1, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := matchSequence(c.a, c.b, simOf(c.a, c.b), c.threshold, c.pairSingle)
			if len(c.want) == 0 {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, c.want, got)
		})
	}
}

// TestMatchSequenceLongRunIsBounded: a run of thousands of unmatched paragraphs is cut into
// chunks, so the similarity work grows linearly, and pairs are still found along it.
func TestMatchSequenceLongRunIsBounded(t *testing.T) {
	n := 3000
	a, b := make([]string, n), make([]string, n)
	for i := range n {
		a[i] = fmt.Sprintf("paragraph w%d about x%d and y%d", i, i*7, i*13)
		b[i] = fmt.Sprintf("paragraph w%d about x%d and z%d", i, i*7, i*13)
	}
	calls := 0
	dict := map[string]uint32{}
	sa, sb := make([][]uint32, n), make([][]uint32, n)
	for i := range n {
		sa[i], sb[i] = lineWords(a[i], dict), lineWords(b[i], dict)
	}
	sim := func(i, j int) float64 {
		calls++
		return jaccard(sa[i], sb[j])
	}
	start := time.Now()
	got := matchSequence(a, b, sim, 0.3, false)
	assert.Len(t, got, n, "every paragraph pairs with its edited twin")
	assert.LessOrEqual(t, calls, n*dpChunk, "similarity computations are bounded by n × chunk")
	t.Logf("%d × %d unmatched paragraphs: %d similarity computations, %v", n, n, calls, time.Since(start))
}

func TestBestPairs(t *testing.T) {
	sim := func(i, j int) float64 {
		m := map[[2]int]float64{{0, 0}: 0.6, {0, 1}: 0.9, {1, 1}: 0.7, {1, 0}: 0.2}
		return m[[2]int{i, j}]
	}
	// Pairing 0-1 alone scores 0.9; 0-0 and 1-1 together score 1.3 and keep the order.
	assert.Equal(t, [][2]int{{0, 0}, {1, 1}}, bestPairs([]int{0, 1}, []int{0, 1}, sim, 0.5))
}

func TestHeaviestChain(t *testing.T) {
	ps := [][2]int{{0, 0}, {3, 1}, {1, 2}, {2, 3}, {4, 4}}
	one := []int64{1, 1, 1, 1, 1}
	assert.Equal(t, []bool{true, false, true, true, true}, heaviestChain(ps, one, 5), "the longest chain")
	// Two chains of two: the heavier is kept.
	ps = [][2]int{{0, 0}, {2, 1}, {1, 2}}
	assert.Equal(t, []bool{true, true, false}, heaviestChain(ps, []int64{10, 5, 1}, 3))
	assert.Equal(t, []bool{true, false, true}, heaviestChain(ps, []int64{10, 1, 5}, 3))
	assert.Empty(t, heaviestChain(nil, nil, 0))
}

func TestJaccard(t *testing.T) {
	assert.Equal(t, 1.0, jaccard(nil, nil))
	assert.Equal(t, 0.0, jaccard([]uint32{1}, nil))
	assert.InDelta(t, 0.5, jaccard([]uint32{1, 2, 3}, []uint32{2, 3, 4}), 1e-9)
}

func TestSplitLines(t *testing.T) {
	d := legaltext.Parse([]byte("**H1.4** The Applicant shall give:\n\n- (a) its name;\n- (b) its address.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n1. first\n2. second\n\n<!-- a comment -->\n"))
	ls := splitLines(d.Nodes[0], d.Nodes[0].Text)
	var got []string
	for _, l := range ls {
		got = append(got, fmt.Sprintf("%s|%s|%v", l.style, l.marker, l.hidden))
	}
	assert.Equal(t, []string{"paragraph||false", "item||false", "item||false", "row||false", "row||false", "item|1.|false", "item|2.|false", "paragraph||true"}, got)
	assert.Equal(t, "second", ls[6].rest())
	assert.Equal(t, "H1.4 The Applicant shall give: (a) its name; (b) its address. A | B 1 | 2 first second", wordingKey(ls))

	plain := legaltext.ParseText([]byte("4. Restrictions. The licence\nis limited:\n a. You may not\n    sublicense;\n b. You must keep notices.\n"))
	ls = splitLines(plain.Nodes[0], plain.Nodes[0].Text)
	got = got[:0]
	for _, l := range ls {
		got = append(got, l.text)
	}
	assert.Equal(t, []string{"4. Restrictions. The licence is limited:", "a. You may not sublicense;", "b. You must keep notices."}, got,
		"plain text is split at its lettered items")
	assert.Equal(t, Normalize(plain.Nodes[0].Text), strings.Join(got, " "))
}
