package duty_test

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/legaltext/duty"
)

// label is one hand-labelled clause of testdata/labels.tsv.
type label struct {
	doc, version, clause string
	pairs                []string // bearer:kind
	line                 int
}

func readLabels(t *testing.T) []label {
	t.Helper()
	f, err := os.Open("testdata/labels.tsv")
	require.NoError(t, err)
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if strings.HasPrefix(s, "#") || strings.TrimSpace(s) == "" {
			continue
		}
		f := strings.Split(s, "\t")
		require.Len(t, f, 4, "labels.tsv:%d: want document, version, clause, duties", line)
		l := label{doc: f[0], version: f[1], clause: f[2], line: line}
		if f[3] != "none" {
			l.pairs = strings.Fields(f[3])
		}
		for _, p := range l.pairs {
			_, k, ok := strings.Cut(p, ":")
			_, kok := duty.ParseKind(k)
			require.True(t, ok && kok, "labels.tsv:%d: %q is not bearer:kind", line, p)
		}
		out = append(out, l)
	}
	require.NoError(t, sc.Err())
	return out
}

// score counts agreement between the found and the labelled sets of one clause.
type score struct{ tp, fp, fn int }

func (s *score) add(found, want []string) {
	w := map[string]bool{}
	for _, x := range want {
		w[x] = true
	}
	f := map[string]bool{}
	for _, x := range found {
		if f[x] {
			continue
		}
		f[x] = true
		if w[x] {
			s.tp++
		} else {
			s.fp++
		}
	}
	for x := range w {
		if !f[x] {
			s.fn++
		}
	}
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func split(pairs []string) (bearers, kinds []string) {
	for _, p := range pairs {
		b, k, _ := strings.Cut(p, ":")
		bearers = append(bearers, b)
		kinds = append(kinds, k)
	}
	return
}

// TestMeasure compares what the reader finds with the hand labels: precision and recall of
// the bearers of each clause, of the kinds of duty each clause states, and of the
// (bearer, kind) pairs. Overrides in the corpus are not used: this measures the reader.
func TestMeasure(t *testing.T) {
	labels := readLabels(t)
	require.GreaterOrEqual(t, len(labels), 150, "at least 150 labelled clauses")
	c, err := corpus.Load("../../corpus/sec")
	require.NoError(t, err)
	r := c.DutyReader()
	var bs, ks, ps score
	docs := map[string]bool{}
	for _, l := range labels {
		d := c.Document(l.doc)
		require.NotNil(t, d, "labels.tsv:%d: no document %s", l.line, l.doc)
		v := d.Version(l.version)
		require.NotNil(t, v, "labels.tsv:%d: no version %s of %s", l.line, l.version, l.doc)
		n := v.Tree.Node(l.clause)
		require.NotNil(t, n, "labels.tsv:%d: no clause %s in %s %s", l.line, l.clause, l.doc, l.version)
		docs[l.doc] = true
		var found []duty.Duty
		if d.Binding() {
			found = r.Read(n.ID, n.Text, n.SubIDs)
		}
		got := duty.Pairs(found)
		gb, gk := split(got)
		wb, wk := split(l.pairs)
		bs.add(gb, wb)
		ks.add(gk, wk)
		ps.add(got, l.pairs)
		if testing.Verbose() && strings.Join(got, " ") != strings.Join(sorted(l.pairs), " ") {
			t.Logf("%s %s %s: found %v, labelled %v", l.doc, l.version, l.clause, got, l.pairs)
		}
	}
	t.Logf("%d labelled clauses from %d documents", len(labels), len(docs))
	t.Logf("bearer: precision %.3f recall %.3f (tp %d fp %d fn %d)", bs.precision(), bs.recall(), bs.tp, bs.fp, bs.fn)
	t.Logf("kind:   precision %.3f recall %.3f (tp %d fp %d fn %d)", ks.precision(), ks.recall(), ks.tp, ks.fp, ks.fn)
	t.Logf("pair:   precision %.3f recall %.3f (tp %d fp %d fn %d)", ps.precision(), ps.recall(), ps.tp, ps.fp, ps.fn)
	require.GreaterOrEqual(t, bs.precision(), 0.9, "bearer precision")
	require.GreaterOrEqual(t, bs.recall(), 0.9, "bearer recall")
	require.GreaterOrEqual(t, ks.precision(), 0.9, "kind precision")
	require.GreaterOrEqual(t, ks.recall(), 0.9, "kind recall")
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
