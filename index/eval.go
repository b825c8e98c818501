package index

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// errTooManyTerms is a query whose pattern terms expand to more than MaxExpandedTerms words.
var errTooManyTerms = errors.New("the query's patterns match too many words")

// mset is a set of matching entries in entry order, with their scores.
type mset struct {
	ids []uint32
	sc  []float64
}

func (m *mset) add(id uint32, s float64) {
	m.ids = append(m.ids, id)
	m.sc = append(m.sc, s)
}

// slab hands out slices carved from a few large chunks, kept from one search to the next
// (see Manager.slabs): a search decodes postings into tens of thousands of entries, and
// fresh slices for each of them were most of its time (zeroing them, and the collector).
type slab[T any] struct {
	chunks [][]T
	i, off int
}

// take returns an empty slice with room for n.
func (s *slab[T]) take(n int) []T {
	for s.i < len(s.chunks) {
		c := s.chunks[s.i]
		if len(c)-s.off >= n {
			out := c[s.off : s.off : s.off+n]
			s.off += n
			return out
		}
		s.i++
		s.off = 0
	}
	c := make([]T, max(n, 1<<14))
	s.chunks = append(s.chunks, c)
	s.i, s.off = len(s.chunks)-1, n
	return c[:0:n]
}

// reset makes every chunk free again (what was taken must no longer be used).
func (s *slab[T]) reset() { s.i, s.off = 0, 0 }

// slabs are the scratch memory of one search.
type slabs struct {
	ids slab[uint32]
	sc  slab[float64]
}

func (sl *slabs) reset() {
	sl.ids.reset()
	sl.sc.reset()
}

// evaluator runs a parsed query against one segment. Scores follow the classic tf-idf
// model bleve used before (term: sqrt(tf) x 1/sqrt(field length) x idf² x boost; a
// conjunction sums its parts; a disjunction sums the parts that match and weighs the sum by
// the share of its parts that matched), so that rankings tuned on it (the heading and table
// boosts) keep their meaning.
type evaluator struct {
	ctx   context.Context
	seg   *segment
	an    analysers
	mem   *slabs
	steps int
	terms int // pattern expansions so far
	// marks are the stemmed terms of the text field the query searched, and exact the
	// unstemmed words its patterns matched: the snippet marks them.
	marks map[string]bool
	exact map[string]bool
	// seen and starts serve quickMarks: the words already analysed, and how the terms start.
	seen, starts map[string]bool
}

// newEvaluator makes an evaluator using mem for its scratch memory (nil: its own).
func newEvaluator(ctx context.Context, seg *segment, an analysers, mem *slabs) *evaluator {
	if mem == nil {
		mem = &slabs{}
	}
	return &evaluator{ctx: ctx, seg: seg, an: an, mem: mem, marks: map[string]bool{}, exact: map[string]bool{}}
}

// mset returns an empty set with room for n entries.
func (ev *evaluator) mset(n int) mset {
	return mset{ids: ev.mem.ids.take(n), sc: ev.mem.sc.take(n)}
}

// tick checks the context now and then in long loops.
func (ev *evaluator) tick() error {
	ev.steps++
	if ev.steps&0x3fff == 0 {
		return ev.ctx.Err()
	}
	return nil
}

func fieldOf(f string) string {
	if f == "" || f == "_all" {
		return fText
	}
	return f
}

func boostOf(q query.Query) float64 {
	if b, ok := q.(query.BoostableQuery); ok {
		return b.Boost()
	}
	return 1
}

func (ev *evaluator) eval(q query.Query) (mset, error) {
	if err := ev.ctx.Err(); err != nil {
		return mset{}, err
	}
	switch q := q.(type) {
	case *query.BooleanQuery:
		return ev.boolean(q)
	case *query.ConjunctionQuery:
		return ev.all(q.Conjuncts)
	case *query.DisjunctionQuery:
		return ev.any(q.Disjuncts, int(q.Min))
	case *query.MatchAllQuery:
		out := ev.mset(ev.seg.n)
		b := boostOf(q)
		for i := range ev.seg.n {
			out.add(uint32(i), b)
		}
		return out, nil
	case *query.MatchNoneQuery:
		return mset{}, nil
	case *query.TermQuery:
		return ev.term(fieldOf(q.FieldVal), q.Term, q.Boost())
	case *query.MatchQuery:
		return ev.match(q)
	case *query.MatchPhraseQuery:
		return ev.phrase(q)
	case *query.PrefixQuery:
		p := q.Prefix
		return ev.pattern(fieldOf(q.FieldVal), p, func(t string) bool { return strings.HasPrefix(t, p) }, q.Boost())
	case *query.WildcardQuery:
		re, err := regexp.Compile(wildcardRegexp(q.Wildcard))
		if err != nil {
			return mset{}, nil
		}
		return ev.pattern(fieldOf(q.FieldVal), literalPrefix(re), re.MatchString, q.Boost())
	case *query.RegexpQuery:
		re, err := regexp.Compile(`^(?:` + q.Regexp + `)$`)
		if err != nil {
			return mset{}, err
		}
		return ev.pattern(fieldOf(q.FieldVal), literalPrefix(re), re.MatchString, q.Boost())
	case *query.FuzzyQuery:
		return ev.fuzzy(fieldOf(q.FieldVal), q.Term, q.Fuzziness, q.Prefix, q.Boost())
	}
	// Other query-string forms (numeric and date ranges) name no field a reader may search.
	return mset{}, nil
}

func literalPrefix(re *regexp.Regexp) string {
	p, _ := re.LiteralPrefix()
	return strings.TrimPrefix(p, "^")
}

// wildcardRegexp turns a wildcard term (* any letters, ? one) into an anchored regexp.
func wildcardRegexp(w string) string {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range w {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return b.String()
}

func (ev *evaluator) boolean(q *query.BooleanQuery) (mset, error) {
	var out mset
	var err error
	switch {
	case q.Must != nil:
		if out, err = ev.eval(q.Must); err != nil {
			return mset{}, err
		}
		if q.Should != nil {
			should, err := ev.eval(q.Should)
			if err != nil {
				return mset{}, err
			}
			min := 0
			if d, ok := q.Should.(*query.DisjunctionQuery); ok {
				min = int(d.Min)
			}
			if min > 0 {
				out = ev.intersect(out, should)
			} else {
				out = ev.addScores(out, should)
			}
		}
	case q.Should != nil:
		if out, err = ev.eval(q.Should); err != nil {
			return mset{}, err
		}
	default:
		return mset{}, nil
	}
	if q.MustNot != nil {
		not, err := ev.eval(q.MustNot)
		if err != nil {
			return mset{}, err
		}
		out = ev.subtract(out, not)
	}
	if q.Filter != nil {
		f, err := ev.eval(q.Filter)
		if err != nil {
			return mset{}, err
		}
		out = ev.keep(out, f)
	}
	return out, nil
}

// all is a conjunction: the entries every part matches, scored by the sum of the parts.
func (ev *evaluator) all(qs []query.Query) (mset, error) {
	if len(qs) == 0 {
		return mset{}, nil
	}
	var out mset
	for i, c := range qs {
		m, err := ev.eval(c)
		if err != nil {
			return mset{}, err
		}
		if i == 0 {
			out = m
		} else {
			out = ev.intersect(out, m)
		}
		if len(out.ids) == 0 {
			return mset{}, nil
		}
	}
	return out, nil
}

// any is a disjunction of at least min parts (one when min is 0).
func (ev *evaluator) any(qs []query.Query, min int) (mset, error) {
	parts := make([]mset, 0, len(qs))
	for _, c := range qs {
		m, err := ev.eval(c)
		if err != nil {
			return mset{}, err
		}
		parts = append(parts, m)
	}
	return ev.union(parts, len(qs), max(min, 1)), nil
}

// analyserOf is the analyser of a field ("" for the keyword field of clause ids).
func (ev *evaluator) analyse(field, text string) []string {
	switch field {
	case fClause:
		return []string{text}
	case fExact:
		return terms(ev.an.exact, text)
	}
	return terms(ev.an.legal, text)
}

func terms(a analysis.Analyzer, text string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func (ev *evaluator) match(q *query.MatchQuery) (mset, error) {
	field := fieldOf(q.FieldVal)
	words := ev.analyse(field, q.Match)
	if len(words) == 0 {
		return mset{}, nil
	}
	parts := make([]mset, 0, len(words))
	for _, w := range words {
		var m mset
		var err error
		if q.Fuzziness != 0 {
			m, err = ev.fuzzy(field, w, q.Fuzziness, q.Prefix, q.Boost())
		} else {
			m, err = ev.term(field, w, q.Boost())
		}
		if err != nil {
			return mset{}, err
		}
		parts = append(parts, m)
	}
	if q.Operator == query.MatchQueryOperatorAnd {
		out := parts[0]
		for _, p := range parts[1:] {
			out = ev.intersect(out, p)
		}
		return out, nil
	}
	return ev.union(parts, len(parts), 1), nil
}

// term is the entries whose field holds the term, scored.
func (ev *evaluator) term(field, term string, boost float64) (mset, error) {
	if field == fClause {
		return ev.clauses(func(c string) bool { return c == term }, boost)
	}
	f := segField(field)
	if f < 0 {
		return mset{}, nil
	}
	i := ev.seg.lookup(f, term)
	if i < 0 {
		return mset{}, nil
	}
	if f == segText {
		ev.marks[term] = true
	}
	return ev.postings(f, i, boost, nil)
}

// idf is bleve's classic inverse document frequency.
func idf(n, df int) float64 { return 1 + math.Log(float64(n)/float64(df+1)) }

// postings decodes the i-th term of field f into scored matches; tfs, when not nil,
// receives each match's frequency.
func (ev *evaluator) postings(f, i int, boost float64, tfs *[]uint32) (mset, error) {
	s := ev.seg
	_, po, _, df := s.termAt(f, i)
	if int(po) > len(s.post[f]) || int(df) > s.n {
		return mset{}, errDamaged
	}
	b := s.post[f][po:]
	w := idf(s.n, int(df))
	w = w * w * boost
	out := ev.mset(int(df))
	if tfs != nil {
		*tfs = ev.mem.ids.take(int(df))
	}
	entry := uint64(0)
	for k := 0; k < int(df); k++ {
		if err := ev.tick(); err != nil {
			return mset{}, err
		}
		d, n1 := binary.Uvarint(b)
		if n1 <= 0 {
			return mset{}, errDamaged
		}
		tf, n2 := binary.Uvarint(b[n1:])
		if n2 <= 0 {
			return mset{}, errDamaged
		}
		b = b[n1+n2:]
		if k == 0 {
			entry = d
		} else {
			entry += d
		}
		if entry >= uint64(s.n) {
			return mset{}, errDamaged
		}
		l := s.fieldLen(int(entry), f)
		norm := float64(float32(1 / math.Sqrt(float64(max(l, 1)))))
		out.add(uint32(entry), math.Sqrt(float64(tf))*norm*w)
		if tfs != nil {
			*tfs = append(*tfs, uint32(tf))
		}
	}
	return out, nil
}

// positions reads the positions of the i-th term of field f in the postings listed in want
// (ascending indexes among the term's postings; tfs are their frequencies): pos holds them
// one posting after the other, at[k] where want[k]'s start.
func (ev *evaluator) positions(f, i int, tfs []uint32, want []uint32) (pos, at []uint32, err error) {
	s := ev.seg
	_, _, pp, _ := s.termAt(f, i)
	if int(pp) > len(s.pos[f]) {
		return nil, nil, errDamaged
	}
	b := s.pos[f][pp:]
	at = ev.mem.ids.take(len(want) + 1)
	total := 0
	for _, k := range want {
		total += int(tfs[k])
	}
	pos = ev.mem.ids.take(total)
	next := 0
	for k := 0; k < len(tfs) && next < len(want); k++ {
		if err := ev.tick(); err != nil {
			return nil, nil, err
		}
		if uint32(k) != want[next] {
			// Skip the posting's positions: as many varints as its frequency.
			for j := uint32(0); j < tfs[k]; j++ {
				n := 0
				for n < len(b) && b[n]&0x80 != 0 {
					n++
				}
				if n >= len(b) {
					return nil, nil, errDamaged
				}
				b = b[n+1:]
			}
			continue
		}
		at = append(at, uint32(len(pos)))
		p := uint64(0)
		for j := uint32(0); j < tfs[k]; j++ {
			x, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, nil, errDamaged
			}
			b = b[n:]
			p += x
			pos = append(pos, uint32(p))
		}
		next++
	}
	if next < len(want) {
		return nil, nil, errDamaged
	}
	return pos, append(at, uint32(len(pos))), nil
}

// clauses matches clause ids (a keyword field: the id as written) by reading the records.
func (ev *evaluator) clauses(ok func(string) bool, boost float64) (mset, error) {
	s := ev.seg
	var hit []uint32
	for e := 0; e < s.n; e++ {
		if err := ev.tick(); err != nil {
			return mset{}, err
		}
		if c, _, _, _, _, _ := s.record(e); ok(c) {
			hit = append(hit, uint32(e))
		}
	}
	w := idf(s.n, len(hit))
	out := mset{}
	for _, e := range hit {
		out.add(e, w*w*boost)
	}
	return out, nil
}

// pattern is a disjunction of the field's terms that ok accepts (starting with prefix).
func (ev *evaluator) pattern(field, prefix string, ok func(string) bool, boost float64) (mset, error) {
	if field == fClause {
		return ev.clauses(ok, boost)
	}
	f := segField(field)
	if f < 0 {
		return mset{}, nil
	}
	lo, hi := ev.seg.termRange(f, prefix)
	var parts []mset
	for i := lo; i < hi; i++ {
		if err := ev.tick(); err != nil {
			return mset{}, err
		}
		t, _, _, _ := ev.seg.termAt(f, i)
		if !ok(string(t)) {
			continue
		}
		if err := ev.expanded(f, string(t)); err != nil {
			return mset{}, err
		}
		m, err := ev.postings(f, i, boost, nil)
		if err != nil {
			return mset{}, err
		}
		parts = append(parts, m)
	}
	return ev.union(parts, len(parts), 1), nil
}

// expanded counts one more term a pattern stands for.
func (ev *evaluator) expanded(f int, t string) error {
	ev.terms++
	if ev.terms > MaxExpandedTerms {
		return errTooManyTerms
	}
	switch f {
	case segText:
		ev.marks[t] = true
	case segExact:
		ev.exact[t] = true
	}
	return nil
}

// fuzzy is a disjunction of the field's terms within the given edits of term (sharing its
// first prefix characters).
func (ev *evaluator) fuzzy(field, term string, fuzziness, prefix int, boost float64) (mset, error) {
	if fuzziness == 0 {
		return ev.term(field, term, boost)
	}
	p := ""
	if prefix > 0 {
		r := []rune(term)
		p = string(r[:min(prefix, len(r))])
	}
	n := utf8.RuneCountInString(term)
	return ev.pattern(field, p, func(t string) bool {
		if d := utf8.RuneCountInString(t) - n; d > fuzziness || -d > fuzziness {
			return false
		}
		return editDistance(term, t) <= fuzziness
	}, boost)
}

// phrase is the entries holding the phrase's words at their places in it.
func (ev *evaluator) phrase(q *query.MatchPhraseQuery) (mset, error) {
	field := fieldOf(q.FieldVal)
	if q.Fuzziness != 0 || field == fClause {
		m := query.NewMatchQuery(q.MatchPhrase)
		m.SetField(q.FieldVal)
		m.SetFuzziness(q.Fuzziness)
		m.SetBoost(q.Boost())
		m.SetOperator(query.MatchQueryOperatorAnd)
		return ev.match(m)
	}
	a := ev.an.legal
	if field == fExact {
		a = ev.an.exact
	}
	toks := a.Analyze([]byte(q.MatchPhrase))
	if len(toks) == 0 {
		return mset{}, nil
	}
	f := segField(field)
	if f < 0 {
		return mset{}, nil
	}
	if f == segExact {
		// The unstemmed copy keeps no positions: its phrases are the conjunction, checked
		// against the entries' texts below.
		return ev.exactPhrase(q.MatchPhrase, toks, q.Boost())
	}
	type part struct {
		term    int
		m       mset
		tfs     []uint32
		off     uint32
		want    []uint32 // indexes of the candidates among the part's postings
		pos, at []uint32
	}
	parts := make([]part, 0, len(toks))
	first := uint32(toks[0].Position)
	for _, t := range toks {
		i := ev.seg.lookup(f, string(t.Term))
		if i < 0 {
			return mset{}, nil
		}
		if f == segText {
			ev.marks[string(t.Term)] = true
		}
		p := part{term: i, off: uint32(t.Position) - first}
		var err error
		if p.m, err = ev.postings(f, i, q.Boost(), &p.tfs); err != nil {
			return mset{}, err
		}
		parts = append(parts, p)
	}
	// The entries holding every word, first without their positions.
	cands := ev.mset(len(parts[0].m.ids))
	for k := range parts {
		parts[k].want = ev.mem.ids.take(len(parts[0].m.ids))
	}
	at := make([]int, len(parts))
	for k, e := range parts[0].m.ids {
		sum := parts[0].m.sc[k]
		found := true
		for j := 1; j < len(parts) && found; j++ {
			ids := parts[j].m.ids
			for at[j] < len(ids) && ids[at[j]] < e {
				at[j]++
			}
			found = at[j] < len(ids) && ids[at[j]] == e
			if found {
				sum += parts[j].m.sc[at[j]]
			}
		}
		if !found {
			continue
		}
		cands.add(e, sum)
		parts[0].want = append(parts[0].want, uint32(k))
		for j := 1; j < len(parts); j++ {
			parts[j].want = append(parts[j].want, uint32(at[j]))
		}
	}
	for k := range parts {
		var err error
		if parts[k].pos, parts[k].at, err = ev.positions(f, parts[k].term, parts[k].tfs, parts[k].want); err != nil {
			return mset{}, err
		}
	}
	out := ev.mset(len(cands.ids))
	for c, e := range cands.ids {
		ok := false
		for _, p0 := range parts[0].pos[parts[0].at[c]:parts[0].at[c+1]] {
			ok = true
			for j := 1; j < len(parts) && ok; j++ {
				ok = containsPos(parts[j].pos[parts[j].at[c]:parts[j].at[c+1]], p0+parts[j].off)
			}
			if ok {
				break
			}
		}
		if ok {
			out.add(e, cands.sc[c])
		}
	}
	return out, nil
}

func containsPos(ps []uint32, p uint32) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
		if x > p {
			return false
		}
	}
	return false
}

// exactPhrase checks a phrase on the unstemmed copy by reading the candidates' texts.
func (ev *evaluator) exactPhrase(phrase string, toks analysis.TokenStream, boost float64) (mset, error) {
	parts := make([]mset, 0, len(toks))
	for _, t := range toks {
		m, err := ev.term(fExact, string(t.Term), boost)
		if err != nil {
			return mset{}, err
		}
		parts = append(parts, m)
	}
	cand := parts[0]
	for _, p := range parts[1:] {
		cand = ev.intersect(cand, p)
	}
	want := strings.Join(terms(ev.an.exact, phrase), " ")
	out := mset{}
	for k, e := range cand.ids {
		if err := ev.tick(); err != nil {
			return mset{}, err
		}
		_, _, text, _, _, _ := ev.seg.record(int(e))
		if strings.Contains(" "+strings.Join(terms(ev.an.exact, text), " ")+" ", " "+want+" ") {
			out.add(e, cand.sc[k])
		}
	}
	return out, nil
}

// intersect keeps the entries in both, with the sum of their scores.
func (ev *evaluator) intersect(a, b mset) mset {
	out := ev.mset(min(len(a.ids), len(b.ids)))
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			out.add(a.ids[i], a.sc[i]+b.sc[j])
			i++
			j++
		}
	}
	return out
}

// addScores adds to a's scores those of the same entries in b (an optional part).
func (ev *evaluator) addScores(a, b mset) mset {
	j := 0
	for i, e := range a.ids {
		for j < len(b.ids) && b.ids[j] < e {
			j++
		}
		if j < len(b.ids) && b.ids[j] == e {
			a.sc[i] += b.sc[j]
		}
	}
	return a
}

// subtract drops from a the entries of b.
func (ev *evaluator) subtract(a, b mset) mset { return ev.filter(a, b, false) }

// keep keeps the entries of a that are in b, with a's scores.
func (ev *evaluator) keep(a, b mset) mset { return ev.filter(a, b, true) }

// filter keeps the entries of a that are in b (in) or not in b (!in), with a's scores.
func (ev *evaluator) filter(a, b mset, in bool) mset {
	out := ev.mset(len(a.ids))
	j := 0
	for i, e := range a.ids {
		for j < len(b.ids) && b.ids[j] < e {
			j++
		}
		if (j < len(b.ids) && b.ids[j] == e) == in {
			out.add(e, a.sc[i])
		}
	}
	return out
}

// union merges the parts of a disjunction of total parts: an entry matched by at least min
// of them scores the sum of their scores times the share of the parts it matched.
func (ev *evaluator) union(parts []mset, total, min int) mset {
	switch {
	case len(parts) == 0 || total == 0:
		return mset{}
	case len(parts) == 1 && total == 1:
		return parts[0]
	}
	if len(parts) > 8 {
		return ev.unionDense(parts, total, min)
	}
	at := make([]int, len(parts))
	size := 0
	for _, p := range parts {
		size += len(p.ids)
	}
	out := ev.mset(size)
	for {
		next, have := uint32(math.MaxUint32), false
		for k, p := range parts {
			if at[k] < len(p.ids) && (!have || p.ids[at[k]] < next) {
				next, have = p.ids[at[k]], true
			}
		}
		if !have {
			return out
		}
		sum, n := 0.0, 0
		for k, p := range parts {
			if at[k] < len(p.ids) && p.ids[at[k]] == next {
				sum += p.sc[at[k]]
				n++
				at[k]++
			}
		}
		if n >= min {
			out.add(next, sum*float64(n)/float64(total))
		}
	}
}

// unionDense is union for many parts (a pattern's words): sums in a table by entry.
func (ev *evaluator) unionDense(parts []mset, total, min int) mset {
	n := 0
	for _, p := range parts {
		if k := len(p.ids); k > 0 {
			n = max(n, int(p.ids[k-1])+1)
		}
	}
	sum := make([]float64, n)
	count := make([]int32, n)
	for _, p := range parts {
		for k, e := range p.ids {
			sum[e] += p.sc[k]
			count[e]++
		}
	}
	out := mset{}
	for e := range n {
		if c := int(count[e]); c > 0 && c >= min {
			out.add(uint32(e), sum[e]*float64(c)/float64(total))
		}
	}
	return out
}
