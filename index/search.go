package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"codenav/corpus"
)

// Limits on what a query may ask.
const (
	MaxQueryLen   = 1000
	MaxQueryTerms = 64
	MaxPageSize   = 100
	// Budget is the wall time a search may take by default (see Options.Budget): the
	// answer comes then, as ErrTooSlow, even if the search is still at work.
	Budget = 2 * time.Second
	// groupWindow is how many clause versions an every-version search groups into clauses.
	groupWindow = 2000
)

// ErrBadQuery is a query the reader must change (too long, too many terms, bad filter).
var ErrBadQuery = errors.New("bad query")

// ErrTooSlow is a search that ran out of its time budget.
var ErrTooSlow = errors.New("search took too long")

// ErrNotReady means no index is in place yet.
var ErrNotReady = errors.New("the search index is being built")

// Request is one search. Visible lists the documents the reader may see: nothing else is
// ever searched, counted, shown or used in scoring.
type Request struct {
	Query    string
	Party    string
	Category string
	Doc      string
	// At is the date searched ("" for today); AllVersions searches every version instead.
	At          corpus.Date
	AllVersions bool
	Today       corpus.Date
	Page, Size  int
	Visible     []string
	// OrElseAnyWord asks, when no clause has every word of a query of plain words, for the
	// clauses with any of them (Result.AnyWord says so). The search page and API ask for it;
	// a saved search does not.
	OrElseAnyWord bool
	// Code, in the index of several codes (OpenSite), is the code searched: Visible, Doc and
	// the hits' documents are then that code's ids, and the results those of the index of
	// that code alone. Empty, every code is searched: Visible and Doc are keys
	// ("<code>/<doc>"), hits name their code, and the facets count codes too.
	Code string
	// CodeFilter narrows a search of every code to one code; the code facet still counts
	// every code, so that each count is what its link gives.
	CodeFilter string

	plain   bool     // search the words only, without query syntax
	anyWord bool     // find clauses with any of the words (see Result.AnyWord)
	analyse analyser // tells stop words (which are not required) from words
	exclude []string // documents of the view that are no longer in the code

	info func(doc string) (category string, every []string) // a document's category and "all" parties, for the facets
	site bool                                               // a search of every code of a site
}

// Hit is one clause found.
type Hit struct {
	// Code is the hit's code in a search of every code of a site.
	Code        string      `json:"code,omitempty"`
	Doc         string      `json:"doc"`
	Title       string      `json:"title"`
	Clause      string      `json:"clause"`
	Heading     string      `json:"heading"`
	Snippet     string      `json:"snippet"`
	Version     string      `json:"version"`
	VersionFrom string      `json:"version_from"`
	From        corpus.Date `json:"from"`
	To          corpus.Date `json:"to,omitempty"`
	Parties     []string    `json:"parties"`
	Score       float64     `json:"score"`
	// Versions is how many distinct texts of the clause matched (every-version searches).
	Versions int `json:"versions"`
}

// FacetValue is one value of a facet and how many clauses have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is a page of hits with the facets of the whole result.
type Result struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
	Page   int                     `json:"page"`
	Size   int                     `json:"size"`
	// DidYouMean is the query with its misspelt words corrected from the words of the
	// documents searched, when that finds something.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// AnyWord is true when no clause has every word of the query and the hits are those
	// with any of them, best first.
	AnyWord bool `json:"any_word,omitempty"`
	// Goto is the page the whole query names (a modification's id), set by the server.
	Goto string        `json:"goto,omitempty"`
	Took time.Duration `json:"-"`
}

// Search runs r against the view of exactly the documents r.Visible lists (see Manager):
// hits, totals, facets and scores are those an index of those documents alone would give.
func (m *Manager) Search(ctx context.Context, r Request) (*Result, error) {
	if err := m.scope(&r); err != nil {
		return nil, err
	}
	scoped := r.Code
	r.info, r.analyse, r.site = m.docInfo(), m.analyse, m.site != nil && r.Code == ""
	// The query is checked (limits, pattern terms) before any index work.
	if _, _, err := buildQuery(r); err != nil {
		return nil, err
	}
	_ = normalise(&r)
	docs := m.visibleDocs(r.Visible)
	if len(docs) == 0 {
		// A reader who may see nothing finds nothing.
		return &Result{Hits: []Hit{}, Facets: emptyFacets(r.site), Page: r.Page, Size: r.Size}, nil
	}
	v, exclude, err := m.acquire(ctx, docs)
	if err != nil {
		return nil, err
	}
	// From here m.mu is held for reading until the search is done, so that the view is not
	// closed under it; the goroutine below lets it go.
	r.exclude = exclude
	q, patterns, err := buildQuery(r)
	if err != nil {
		m.mu.RUnlock()
		return nil, err
	}
	release := func() {}
	if patterns > 0 {
		// A pattern search waits a moment for a slot: each is short, so under load a slot
		// frees within milliseconds; past the wait the answer is busy.
		wait := time.NewTimer(m.opt.PatternWait)
		select {
		case m.patterns <- struct{}{}:
			release = func() { <-m.patterns }
			wait.Stop()
		case <-wait.C:
			m.mu.RUnlock()
			return nil, fmt.Errorf("%w: try again in a moment", ErrBusy)
		case <-ctx.Done():
			wait.Stop()
			m.mu.RUnlock()
			return nil, fmt.Errorf("search: %w", ctx.Err())
		}
	}
	ctx, cancel := context.WithTimeout(ctx, m.opt.Budget)
	defer cancel()
	type outcome struct {
		res *Result
		err error
	}
	out := make(chan outcome, 1)
	start := time.Now()
	go func() {
		defer m.mu.RUnlock()
		defer release()
		mem := m.scratch.Get().(*slabs)
		defer m.scratch.Put(mem)
		res, err := run(ctx, v, q, r, m.an, mem)
		if err != nil && ctx.Err() == nil && r.Query != "" && !tooManyTerms(err) {
			// Syntax that parses but cannot run (a malformed /regexp/) is searched as words.
			r.plain = true
			if q, _, err = buildQuery(r); err == nil {
				res, err = run(ctx, v, q, r, m.an, mem)
			}
		}
		if err == nil && res.Total == 0 && r.OrElseAnyWord && onlyWords(r.Query) {
			// No clause has every word: the clauses with any of them, said so.
			ra := r
			ra.anyWord = true
			if q, _, err := buildQuery(ra); err == nil {
				if any, err := run(ctx, v, q, ra, m.an, mem); err == nil && any.Total > 0 {
					res = any
					res.AnyWord = true
				}
			}
		}
		if err == nil && r.Page == 1 {
			res.DidYouMean = didYouMean(ctx, v, r, m.an, mem)
		}
		out <- outcome{res, err}
	}()
	// The answer comes at the budget even if the search is still at work (it checks the
	// context between steps); the slot is given back when it really stops.
	var o outcome
	select {
	case o = <-out:
	case <-ctx.Done():
		o.err = ctx.Err()
	}
	if o.err != nil {
		switch {
		case tooManyTerms(o.err):
			return nil, fmt.Errorf("%w: the query's wildcard, regexp or fuzzy terms match more than %d words; make them more specific", ErrBadQuery, MaxExpandedTerms)
		case errors.Is(o.err, context.DeadlineExceeded):
			return nil, fmt.Errorf("%w: the query expands to too many terms; make wildcards and fuzzy terms more specific", ErrTooSlow)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("search: %w", ctx.Err())
		}
		return nil, fmt.Errorf("search: %w", o.err)
	}
	res := o.res
	res.Hits = m.current(res.Hits, docs)
	unscope(res, scoped)
	res.Took = time.Since(start)
	return res, nil
}

func tooManyTerms(err error) bool { return errors.Is(err, errTooManyTerms) }

// visibleDocs is the sorted set of the code's documents among ids.
func (m *Manager) visibleDocs(ids []string) []string {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []string
	for _, c := range m.codes() {
		for _, d := range c.Documents {
			if k := m.key(c, d); want[k] {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// current drops hits that are not in the code as it is now: a document removed (or no
// longer visible) or a version gone since the index answering was built.
func (m *Manager) current(hits []Hit, docs []string) []Hit {
	out := hits[:0]
	for _, h := range hits {
		key := h.Doc
		if h.Code != "" {
			key = h.Code + "/" + h.Doc
		}
		_, d := m.lookup(key)
		if d == nil || !slices.Contains(docs, key) || d.Version(h.VersionFrom) == nil {
			continue
		}
		out = append(out, h)
	}
	return out
}

// acquire finds the view that answers a search of docs and returns with m.mu held for
// reading. The view of exactly docs is used when it is built; while it is being built, a
// view of the previous generation answers if it holds no document the reader may not see
// now (documents since removed are excluded from it); otherwise the search waits for the
// build, up to Options.ViewWait.
func (m *Manager) acquire(ctx context.Context, docs []string) (*view, []string, error) {
	key := viewKey(docs)
	wait := time.NewTimer(m.opt.ViewWait)
	defer wait.Stop()
	for attempt := 0; ; attempt++ {
		m.mu.RLock()
		if m.closed {
			m.mu.RUnlock()
			return nil, nil, ErrNotReady
		}
		if v := m.views[key]; v != nil {
			return v, nil, nil
		}
		if v, exclude := m.fallback(docs); v != nil {
			return v, exclude, nil
		}
		failed := m.failed[key]
		m.mu.RUnlock()
		if attempt > 0 {
			if failed != nil {
				return nil, nil, fmt.Errorf("%w: %v", ErrNotReady, failed)
			}
			return nil, nil, ErrNotReady
		}
		ch := m.startBuild(key, docs, nil, false)
		select {
		case <-ch:
		case <-wait.C:
			return nil, nil, ErrNotReady
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("search: %w", ctx.Err())
		}
	}
}

// fallback picks a view of the previous generation that may answer a reader of docs: every
// document it holds is one the reader sees or one no longer in the code (those are returned
// to be excluded). Call with m.mu held.
func (m *Manager) fallback(docs []string) (*view, []string) {
	var best *view
	var bestExclude []string
	for _, v := range m.old {
		var exclude []string
		ok := true
		for d := range v.docs {
			if slices.Contains(docs, d) {
				continue
			}
			if _, doc := m.lookup(d); doc != nil {
				ok = false
				break
			}
			exclude = append(exclude, d)
		}
		if ok && (best == nil || len(v.docs)-len(exclude) > len(best.docs)-len(bestExclude)) {
			best, bestExclude = v, exclude
		}
	}
	slices.Sort(bestExclude)
	return best, bestExclude
}

func normalise(r *Request) error {
	if !utf8.ValidString(r.Query) {
		return fmt.Errorf("%w: the query is not valid UTF-8", ErrBadQuery)
	}
	r.Query = strings.TrimSpace(r.Query)
	if n := utf8.RuneCountInString(r.Query); n > MaxQueryLen {
		return fmt.Errorf("%w: the query has %d characters; the limit is %d", ErrBadQuery, n, MaxQueryLen)
	}
	if n := len(strings.Fields(r.Query)); n > MaxQueryTerms {
		return fmt.Errorf("%w: the query has %d terms; the limit is %d", ErrBadQuery, n, MaxQueryTerms)
	}
	if r.Size <= 0 {
		r.Size = 20
	}
	if r.Size > MaxPageSize {
		return fmt.Errorf("%w: size %d is over the limit of %d", ErrBadQuery, r.Size, MaxPageSize)
	}
	if r.Page <= 0 {
		r.Page = 1
	}
	if r.Page > 10000 {
		return fmt.Errorf("%w: page %d is too far", ErrBadQuery, r.Page)
	}
	return nil
}

// buildQuery is the reader's query (the filters are applied by run). Query-string syntax
// (+required, -excluded, "phrases", prefix*) is tried first; input it cannot parse is
// searched as plain words, so a stray quote or colon never fails a search.
func buildQuery(r Request) (q query.Query, patterns int, err error) {
	if err := normalise(&r); err != nil {
		return nil, 0, err
	}
	if r.Query == "" {
		return query.NewMatchAllQuery(), 0, nil
	}
	if r.anyWord {
		mq := query.NewMatchQuery(r.Query)
		mq.SetField("_all")
		return byField(mq), 0, nil
	}
	if parsed, err := userQuery(r.Query, r.analyse); err == nil && !r.plain && allowedFields(parsed) {
		if patterns, err = checkPatterns(parsed); err != nil {
			return nil, 0, err
		}
		return byField(parsed), patterns, nil
	}
	// Every word is still required, in any of the fields.
	b := query.NewBooleanQuery(nil, nil, nil)
	for _, w := range strings.Fields(r.Query) {
		if r.analyse != nil && r.analyse(w) == 0 {
			continue
		}
		mq := query.NewMatchQuery(w)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		b.AddMust(byField(mq))
	}
	if b.Must == nil {
		return query.NewMatchNoneQuery(), 0, nil
	}
	return b, 0, nil
}

// allowedFields reports whether a parsed query only names fields a reader may search (the
// filters are ours to set), and points pattern terms at the unstemmed text.
func allowedFields(q query.Query) bool {
	ok := true
	var walk func(q query.Query)
	walk = func(q query.Query) {
		// Pattern terms are not analysed, so they cannot meet stemmed words: they search the
		// lower-cased, unstemmed copy of the text.
		switch p := q.(type) {
		case *query.WildcardQuery:
			p.Wildcard, p.FieldVal = strings.ToLower(p.Wildcard), exactField(p.FieldVal)
		case *query.PrefixQuery:
			p.Prefix, p.FieldVal = strings.ToLower(p.Prefix), exactField(p.FieldVal)
		case *query.RegexpQuery:
			p.Regexp, p.FieldVal = strings.ToLower(p.Regexp), exactField(p.FieldVal)
		case *query.FuzzyQuery:
			p.Term, p.FieldVal = strings.ToLower(p.Term), exactField(p.FieldVal)
		}
		if f, has := q.(query.FieldableQuery); has {
			switch f.Field() {
			case "", "_all", fText, fHeading, fClause, fExact:
			default:
				ok = false
			}
		}
		switch q := q.(type) {
		case *query.BooleanQuery:
			for _, c := range []query.Query{q.Must, q.Should, q.MustNot} {
				if c != nil {
					walk(c)
				}
			}
		case *query.ConjunctionQuery:
			for _, c := range q.Conjuncts {
				walk(c)
			}
		case *query.DisjunctionQuery:
			for _, c := range q.Disjuncts {
				walk(c)
			}
		}
	}
	walk(q)
	return ok
}

// headingBoost weighs a word found in a clause's heading against the same word found in
// its text. In the sample a heading averages under 4 indexed words and a clause's text about
// 35, so under the length norm (one over the square root of the length) a heading word alone
// would outweigh a text word about three times over, and every clause under a matching
// heading would outrank the clause that says the thing. A third of that weight, sqrt(4/35),
// brings the two back to about par: the heading ranks the part, the text the clauses in it.
const headingBoost = 0.3

// tableBoost weighs a word found in the rows of a clause's table. The rows are a field of
// their own so that a long table does not, through the length norm, bury the sentence that
// introduces it ("The Sub-Committee shall be composed of the following members:"); a word
// in the rows counts half as much as one in that sentence.
const tableBoost = 0.5

// byField searches the words and phrases that name no field in the clause text and in its
// heading, as two fields, instead of in _all. In _all a heading word is weighed against the
// length of heading and text together, so the same heading counted for less the longer the
// clause under it: a long clause (often the table a part is about) sank below every short
// clause under the same heading. The heading field weighs a heading word the same for every
// clause under it, and a word found in both fields scores above one found in either. What
// matches is unchanged: _all holds exactly the heading and the text.
func byField(q query.Query) query.Query {
	split := func(t, h, tb query.FieldableQuery, boost float64) query.Query {
		t.SetField(fText)
		h.SetField(fHeading)
		h.(query.BoostableQuery).SetBoost(boost * headingBoost)
		tb.SetField(fTable)
		tb.(query.BoostableQuery).SetBoost(boost * tableBoost)
		return query.NewDisjunctionQuery([]query.Query{t, h, tb})
	}
	switch q := q.(type) {
	case *query.MatchQuery:
		if q.FieldVal == "" || q.FieldVal == "_all" {
			t, h, tb := *q, *q, *q
			return split(&t, &h, &tb, q.Boost())
		}
	case *query.MatchPhraseQuery:
		if q.FieldVal == "" || q.FieldVal == "_all" {
			t, h, tb := *q, *q, *q
			return split(&t, &h, &tb, q.Boost())
		}
	case *query.BooleanQuery:
		for _, c := range []*query.Query{&q.Must, &q.Should, &q.MustNot} {
			if *c != nil {
				*c = byField(*c)
			}
		}
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			q.Conjuncts[i] = byField(c)
		}
	case *query.DisjunctionQuery:
		for i, c := range q.Disjuncts {
			q.Disjuncts[i] = byField(c)
		}
	}
	return q
}

func exactField(f string) string {
	if f == "" || f == "_all" || f == fText {
		return fExact
	}
	return f
}

// run answers r on the segment of view v: the user query q is matched, then the filters
// (date, party, category, document, code) and the facets are read from the entries'
// columns in one pass, and only the hits of the page are read in full.
func run(ctx context.Context, v *view, q query.Query, r Request, an analysers, mem *slabs) (*Result, error) {
	_ = normalise(&r)
	res := &Result{Page: r.Page, Size: r.Size, Hits: []Hit{}}
	s := v.seg
	if mem != nil {
		mem.reset() // nothing of an earlier run is in use: its results are copies
	}
	ev := newEvaluator(ctx, s, an, mem)
	ms, err := ev.eval(q)
	if err != nil {
		return nil, err
	}
	docOK := make([]bool, len(s.docs))
	codeOK := make([]bool, len(s.docs))
	for i, d := range s.docs {
		docOK[i] = (r.Category == "" || d.Category == r.Category) && (r.Doc == "" || d.Key == r.Doc) && !slices.Contains(r.exclude, d.Key)
		codeOK[i] = r.CodeFilter == "" || d.Code == r.CodeFilter
	}
	var mask uint64
	if i := slices.Index(s.parties, r.Party); i >= 0 {
		mask = 1 << i
	}
	day := 0
	if !r.AllVersions {
		at := r.At
		if at == "" {
			at = r.Today
		}
		day = DateNum(at)
	}
	counts := make([]int32, len(s.facets))
	var partyCounts, codeCounts []int32
	if r.Party != "" {
		partyCounts = make([]int32, len(s.facets))
	}
	if r.CodeFilter != "" {
		codeCounts = make([]int32, len(s.facets))
	}
	want := r.Page * r.Size
	if r.AllVersions {
		want = groupWindow
	}
	best := topK{k: want}
	for i, e := range ms.ids {
		if i&0x3fff == 0x3fff && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		d := s.col32(int(e), colDoc)
		if !docOK[d] {
			continue
		}
		if !r.AllVersions && (day < int(s.col32(int(e), colFrom)) || day > int(s.col32(int(e), colTo))) {
			continue
		}
		partyOK := r.Party == "" || s.applies(int(e))&mask != 0
		f := s.col32(int(e), colFacet)
		if partyOK && codeOK[d] {
			counts[f]++
			best.push(e, ms.sc[i])
		}
		if partyCounts != nil && codeOK[d] {
			partyCounts[f]++
		}
		if codeCounts != nil && partyOK {
			codeCounts[f]++
		}
	}
	res.Total = best.n
	fx := v.facetIndex(r.info, r.site)
	res.Facets = fx.count(counts, "party", "category", "doc", "code")
	if codeCounts != nil {
		// The code facet's links replace the code chosen: counted without it.
		res.Facets["code"] = fx.count(codeCounts, "code")["code"]
	}
	if partyCounts != nil {
		// The party facet's links replace the party chosen: counted without it.
		res.Facets["party"] = fx.count(partyCounts, "party")["party"]
	}
	ranked := best.sorted()
	if !r.AllVersions {
		start := min((r.Page-1)*r.Size, len(ranked))
		for _, h := range ranked[start:min(start+r.Size, len(ranked))] {
			res.Hits = append(res.Hits, v.hit(int(h.e), h.score, ev))
		}
		return res, nil
	}
	// Every version: the best texts grouped by clause, in the order of their best text.
	type group struct {
		best     scored
		versions int
	}
	var groups []group
	at := map[uint32]int{}
	for _, h := range ranked {
		g := s.col32(int(h.e), colGroup)
		if i, ok := at[g]; ok {
			groups[i].versions++
			continue
		}
		at[g] = len(groups)
		groups = append(groups, group{best: h, versions: 1})
	}
	res.Total = len(groups)
	start := min((r.Page-1)*r.Size, len(groups))
	for _, g := range groups[start:min(start+r.Size, len(groups))] {
		h := v.hit(int(g.best.e), g.best.score, ev)
		h.Versions = g.versions
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// count is how many entries the query q finds under r's filters (for did you mean).
func count(ctx context.Context, v *view, q query.Query, r Request, an analysers, mem *slabs) int {
	r.Page, r.Size = 1, 1
	res, err := run(ctx, v, q, r, an, mem)
	if err != nil {
		return 0
	}
	return res.Total
}

// hit is what a reader is shown of entry e.
func (v *view) hit(e int, score float64, ev *evaluator) Hit {
	s := v.seg
	clause, heading, text, vFrom, vTo, parties := s.record(e)
	d := s.docs[s.col32(e, colDoc)]
	if len(parties) == 0 {
		parties = nil
	}
	return Hit{Code: d.Code, Doc: strings.TrimPrefix(d.Key, d.Code+"/"), Title: d.Title, Clause: clause, Heading: heading,
		VersionFrom: vFrom, Version: vTo, From: NumDate(int(s.col32(e, colFrom))), To: NumDate(int(s.col32(e, colTo))),
		Parties: parties, Score: score, Versions: 1, Snippet: snippet(text, ev)}
}

// facetIndex reads, once per view, what each facet value of the segment (a document and
// its party categories) counts under in each facet, so that a search's facets are sums of
// small arrays. The matches are counted by party category, document category and document.
// A clause for all parties counts under "all" and under every party category, since the
// party filter finds it for each: a party's count is the total its link gives. In a search
// of every code of a site, documents are keys ("<code>/<doc>"), "all" stands for the party
// categories of the clause's own code, and a code facet counts each code.
type facetIndex struct {
	names map[string][]string // facet -> its values
	of    map[string][][]int  // facet -> for each facet value of the segment, the indexes of the values it counts under
}

func (v *view) facetIndex(info func(doc string) (string, []string), site bool) *facetIndex {
	v.fxOnce.Do(func() {
		fx := &facetIndex{names: map[string][]string{}, of: map[string][][]int{}}
		index := map[string]map[string]int{}
		add := func(facet string, f int, value string) {
			if index[facet] == nil {
				index[facet] = map[string]int{}
			}
			k, ok := index[facet][value]
			if !ok {
				k = len(fx.names[facet])
				index[facet][value] = k
				fx.names[facet] = append(fx.names[facet], value)
			}
			if !slices.Contains(fx.of[facet][f], k) {
				fx.of[facet][f] = append(fx.of[facet][f], k)
			}
		}
		names := []string{"party", "category", "doc"}
		if site {
			names = append(names, "code")
		}
		for _, n := range names {
			fx.of[n] = make([][]int, len(v.seg.facets))
			fx.names[n] = []string{}
		}
		for f, term := range v.seg.facets {
			doc, parties, _ := strings.Cut(term, " ")
			add("doc", f, doc)
			if site {
				code, _, _ := strings.Cut(doc, "/")
				add("code", f, code)
			}
			// A clause's category is its document's (unknown during a rebuild after the
			// document was removed).
			category, every := "", []string(nil)
			if info != nil {
				category, every = info(doc)
			}
			if category != "" {
				add("category", f, category)
			}
			ps := strings.Fields(parties)
			if slices.Contains(ps, "all") {
				ps = append(ps, every...)
			}
			for _, p := range ps {
				add("party", f, p)
			}
		}
		v.fx = fx
	})
	return v.fx
}

// count turns counts by facet value of the segment into the named facets.
func (fx *facetIndex) count(counts []int32, facets ...string) map[string][]FacetValue {
	out := map[string][]FacetValue{}
	for _, name := range facets {
		of, ok := fx.of[name]
		if !ok {
			continue
		}
		sums := make([]int, len(fx.names[name]))
		for f, n := range counts {
			for _, k := range of[f] {
				sums[k] += int(n)
			}
		}
		vals := []FacetValue{}
		for k, n := range sums {
			if n > 0 {
				vals = append(vals, FacetValue{Value: fx.names[name][k], Count: n})
			}
		}
		sortFacet(vals)
		out[name] = vals
	}
	return out
}

// scored is an entry and its score.
type scored struct {
	e     uint32
	score float64
}

// better orders hits: higher score first, ties in id order (the entry order), so that a
// reader's answer depends on nothing but the documents.
func better(a, b scored) bool {
	return a.score > b.score || a.score == b.score && a.e < b.e
}

// topK keeps the k best of what it is given (a heap with the worst kept on top) and counts
// everything.
type topK struct {
	k int
	n int
	h []scored
}

func (t *topK) push(e uint32, score float64) {
	t.n++
	x := scored{e, score}
	if len(t.h) < t.k {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !better(t.h[p], t.h[i]) {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	if len(t.h) == 0 || !better(x, t.h[0]) {
		return
	}
	t.h[0] = x
	for i := 0; ; {
		l, w := 2*i+1, i
		if l < len(t.h) && better(t.h[w], t.h[l]) {
			w = l
		}
		if l+1 < len(t.h) && better(t.h[w], t.h[l+1]) {
			w = l + 1
		}
		if w == i {
			break
		}
		t.h[w], t.h[i] = t.h[i], t.h[w]
		i = w
	}
}

// sorted returns the kept entries best first.
func (t *topK) sorted() []scored {
	out := slices.Clone(t.h)
	slices.SortFunc(out, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// emptyFacets are the facets of a search that finds nothing.
func emptyFacets(site bool) map[string][]FacetValue {
	out := map[string][]FacetValue{"party": {}, "category": {}, "doc": {}}
	if site {
		out["code"] = []FacetValue{}
	}
	return out
}

// sortFacet orders a facet's values: most counted first, then by name.
func sortFacet(vals []FacetValue) {
	sort.Slice(vals, func(i, j int) bool {
		if vals[i].Count != vals[j].Count {
			return vals[i].Count > vals[j].Count
		}
		return vals[i].Value < vals[j].Value
	})
}
