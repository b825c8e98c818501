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

func readLabels(t *testing.T, path string) []label {
	t.Helper()
	f, err := os.Open(path)
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
		require.Len(t, f, 4, "%s:%d: want document, version, clause, duties", path, line)
		l := label{doc: f[0], version: f[1], clause: f[2], line: line}
		if f[3] != "none" {
			l.pairs = strings.Fields(f[3])
		}
		for _, p := range l.pairs {
			_, k, ok := strings.Cut(p, ":")
			_, kok := duty.ParseKind(k)
			require.True(t, ok && kok, "%s:%d: %q is not bearer:kind", path, line, p)
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

// scores are the three measures over a set of labels.
type scores struct{ bearer, kind, pair score }

func (sc *scores) log(t *testing.T, name string, n int) {
	t.Logf("%s: %d clauses", name, n)
	t.Logf("  bearer: precision %.3f recall %.3f (tp %d fp %d fn %d)", sc.bearer.precision(), sc.bearer.recall(), sc.bearer.tp, sc.bearer.fp, sc.bearer.fn)
	t.Logf("  kind:   precision %.3f recall %.3f (tp %d fp %d fn %d)", sc.kind.precision(), sc.kind.recall(), sc.kind.tp, sc.kind.fp, sc.kind.fn)
	t.Logf("  pair:   precision %.3f recall %.3f (tp %d fp %d fn %d)", sc.pair.precision(), sc.pair.recall(), sc.pair.tp, sc.pair.fp, sc.pair.fn)
}

// TestMeasure compares what the reader finds with the hand labels: precision and recall of
// the bearers of each clause, of the kinds of duty each clause states, and of the
// (bearer, kind) pairs. Overrides in the corpus are not used: this measures the reader.
// labels.tsv was labelled while the reader was being written (the reader's mistakes on it
// were looked at); heldout.tsv was labelled afterwards and not used to change the reader.
// The threshold applies to all of them together.
func TestMeasure(t *testing.T) {
	c, err := corpus.Load("../../corpus/sec")
	require.NoError(t, err)
	r := c.DutyReader()
	var all scores
	total := 0
	docs := map[string]bool{}
	for _, path := range []string{"testdata/labels.tsv", "testdata/heldout.tsv"} {
		labels := readLabels(t, path)
		var sc scores
		for _, l := range labels {
			d := c.Document(l.doc)
			require.NotNil(t, d, "%s:%d: no document %s", path, l.line, l.doc)
			v := d.Version(l.version)
			require.NotNil(t, v, "%s:%d: no version %s of %s", path, l.line, l.version, l.doc)
			n := v.Tree().Node(l.clause)
			require.NotNil(t, n, "%s:%d: no clause %s in %s %s", path, l.line, l.clause, l.doc, l.version)
			docs[l.doc] = true
			var found []duty.Duty
			if d.Binding() {
				found = r.Read(n.ID, n.Text, n.SubIDs)
			}
			got := duty.Pairs(found)
			gb, gk := split(got)
			wb, wk := split(l.pairs)
			for _, x := range []*scores{&sc, &all} {
				x.bearer.add(gb, wb)
				x.kind.add(gk, wk)
				x.pair.add(got, l.pairs)
			}
			if testing.Verbose() && strings.Join(got, " ") != strings.Join(sorted(l.pairs), " ") {
				t.Logf("%s %s %s: found %v, labelled %v", l.doc, l.version, l.clause, got, l.pairs)
			}
		}
		sc.log(t, path, len(labels))
		total += len(labels)
	}
	all.log(t, "all", total)
	t.Logf("%d documents", len(docs))
	require.GreaterOrEqual(t, total, 150, "at least 150 labelled clauses")
	require.GreaterOrEqual(t, all.bearer.precision(), 0.9, "bearer precision")
	require.GreaterOrEqual(t, all.bearer.recall(), 0.9, "bearer recall")
	require.GreaterOrEqual(t, all.kind.precision(), 0.9, "kind precision")
	require.GreaterOrEqual(t, all.kind.recall(), 0.9, "kind recall")
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
