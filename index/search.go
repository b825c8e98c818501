package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"codenav/corpus"
)

// Limits on what a query may ask.
const (
	MaxQueryLen   = 1000
	MaxQueryTerms = 64
	MaxPageSize   = 100
	// Budget is the wall time a search may take; wildcard, regexp and fuzzy terms that
	// expand too far are cut off by it.
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
// ever searched, counted or shown.
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

	plain   bool               // search the words only, without query syntax
	catalog []*corpus.Document // every document of the code, for the visibility filter
	periods []int              // the Periods of the index searched
}

// Hit is one clause found.
type Hit struct {
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
	Took   time.Duration           `json:"-"`
}

// Search runs r against the index in use.
func (m *Manager) Search(ctx context.Context, r Request) (*Result, error) {
	r.catalog = m.code.Documents
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.cur != nil {
		r.periods = m.cur.meta.Periods
	}
	q, err := buildQuery(r)
	if err != nil {
		return nil, err
	}
	if m.cur == nil {
		return nil, ErrNotReady
	}
	ctx, cancel := context.WithTimeout(ctx, Budget)
	defer cancel()
	start := time.Now()
	res, err := run(ctx, m.cur.idx, q, r)
	if err != nil && ctx.Err() == nil && r.Query != "" {
		// Syntax that parses but cannot run (a malformed /regexp/) is searched as words.
		r.plain = true
		if q, err = buildQuery(r); err == nil {
			res, err = run(ctx, m.cur.idx, q, r)
		}
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, fmt.Errorf("%w: the query expands to too many terms; make wildcards and fuzzy terms more specific", ErrTooSlow)
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	res.Took = time.Since(start)
	return res, nil
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

// buildQuery is the reader's query within the filters. Query-string syntax (+required,
// -excluded, "phrases", prefix*) is tried first; input it cannot parse is searched as plain
// words, so a stray quote or colon never fails a search.
func buildQuery(r Request) (query.Query, error) {
	if err := normalise(&r); err != nil {
		return nil, err
	}
	var user query.Query
	if r.Query == "" {
		user = bleve.NewMatchAllQuery()
	} else {
		qs := bleve.NewQueryStringQuery(r.Query)
		if parsed, err := qs.Parse(); err == nil && !r.plain && allowedFields(parsed) {
			user = byField(parsed)
		} else {
			mq := bleve.NewMatchQuery(r.Query)
			mq.SetField("_all")
			user = byField(mq)
		}
	}
	var filters []query.Query
	if len(r.Visible) == 0 {
		// A reader who may see nothing finds nothing.
		return bleve.NewMatchNoneQuery(), nil
	}
	visibility, hidden := visibilityFilter(r)
	filters = append(filters, visibility)
	if r.Party != "" {
		filters = append(filters, term(fApplies, r.Party))
	}
	if r.Category != "" {
		filters = append(filters, term(fCategory, r.Category))
	}
	if r.Doc != "" {
		filters = append(filters, term(fDoc, r.Doc))
	}
	if !r.AllVersions {
		at := r.At
		if at == "" {
			at = r.Today
		}
		k := periodOf(r.periods, DateNum(at))
		if k == 0 {
			return bleve.NewMatchNoneQuery(), nil // before anything was in force
		}
		filters = append(filters, term(fInForce, periodTerm(k)))
	}
	// The filters decide what is found, never how it ranks: they run unscored.
	b := bleve.NewBooleanQuery()
	b.AddMust(user)
	b.AddFilter(bleve.NewConjunctionQuery(filters...))
	if len(hidden) > 0 {
		b.AddMustNot(hidden...)
	}
	return b, nil
}

// visibilityFilter limits a search to the documents the reader may see. A disjunction of
// one term per visible document is exact but slow with hundreds of documents; when the
// hidden documents are fewer, the filter is "a classification the reader sees some document
// of, and none of the hidden documents" instead, which selects the same documents.
func visibilityFilter(r Request) (query.Query, []query.Query) {
	visible := map[string]bool{}
	for _, id := range r.Visible {
		visible[id] = true
	}
	classes := map[string]bool{}
	var hidden []query.Query
	known := 0
	for _, d := range r.catalog {
		if visible[d.ID] {
			classes[d.Classification] = true
			known++
		} else {
			hidden = append(hidden, term(fDoc, d.ID))
		}
	}
	if known < len(r.Visible) || len(hidden) >= len(r.Visible) {
		docs := make([]query.Query, 0, len(r.Visible))
		for _, id := range r.Visible {
			docs = append(docs, term(fDoc, id))
		}
		return bleve.NewDisjunctionQuery(docs...), nil
	}
	cls := make([]query.Query, 0, len(classes))
	for c := range classes {
		cls = append(cls, term(fClassification, c))
	}
	return bleve.NewDisjunctionQuery(cls...), hidden
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
		return bleve.NewDisjunctionQuery(t, h, tb)
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

func term(field, v string) query.Query {
	t := bleve.NewTermQuery(v)
	t.SetField(field)
	return t
}

func run(ctx context.Context, idx bleve.Index, q query.Query, r Request) (*Result, error) {
	_ = normalise(&r)
	res := &Result{Page: r.Page, Size: r.Size, Hits: []Hit{}}
	req := bleve.NewSearchRequestOptions(q, r.Size, (r.Page-1)*r.Size, false)
	var groups []idGroup
	if r.AllVersions {
		// First pass: ids only (no stored fields, no highlighting) of the best matches, to
		// group the versions of each clause and count the groups.
		req = bleve.NewSearchRequestOptions(q, groupWindow, 0, false)
	} else {
		withDetails(req)
	}
	// Ties in score keep the index's own order, which is fixed for an index (it is opened
	// read-only), so pages are stable without reading every hit's id to sort on it.
	req.SortBy([]string{"-_score"})
	// One facet of (document, party categories) pairs gives the three facets (see facets):
	// reading one field of every match instead of three is a third of the work.
	req.AddFacet(fFacet, bleve.NewFacetRequest(fFacet, 1<<30))
	sr, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	res.Total = int(sr.Total)
	res.Facets = facets(sr, r.catalog)
	if !r.AllVersions {
		for _, h := range sr.Hits {
			res.Hits = append(res.Hits, toHit(h))
		}
		return res, nil
	}
	groups = groupIDs(sr.Hits)
	res.Total = len(groups)
	start := min((r.Page-1)*r.Size, len(groups))
	page := groups[start:min(start+r.Size, len(groups))]
	if len(page) == 0 {
		return res, nil
	}
	// Second pass: the details and highlights of the page's hits only.
	ids := make([]string, len(page))
	for i, g := range page {
		ids[i] = g.id
	}
	req2 := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(q, bleve.NewDocIDQuery(ids)), len(ids), 0, false)
	withDetails(req2)
	sr2, err := idx.SearchInContext(ctx, req2)
	if err != nil {
		return nil, err
	}
	byID := map[string]Hit{}
	for _, h := range sr2.Hits {
		byID[h.ID] = toHit(h)
	}
	for _, g := range page {
		if h, ok := byID[g.id]; ok {
			h.Versions = g.versions
			res.Hits = append(res.Hits, h)
		}
	}
	return res, nil
}

// withDetails asks for what a hit shows: stored fields and a highlighted snippet.
func withDetails(req *bleve.SearchRequest) {
	req.Fields = []string{fDoc, fTitle, fClause, fHeading, fVersionFrom, fVersionTo, fFrom, fTo, fParties, fCategory, fText}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.Fields = []string{fText}
}

func facets(sr *bleve.SearchResult, catalog []*corpus.Document) map[string][]FacetValue {
	category := map[string]string{}
	for _, d := range catalog {
		category[d.ID] = d.Category
	}
	counts := map[string]map[string]int{"party": {}, "category": {}, "doc": {}}
	if f := sr.Facets[fFacet]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			doc, parties, _ := strings.Cut(t.Term, " ")
			counts["doc"][doc] += t.Count
			// A clause's category is its document's (unknown during a rebuild after the
			// document was removed).
			if c := category[doc]; c != "" {
				counts["category"][c] += t.Count
			}
			for _, p := range strings.Fields(parties) {
				counts["party"][p] += t.Count
			}
		}
	}
	out := map[string][]FacetValue{}
	for name, c := range counts {
		vals := make([]FacetValue, 0, len(c))
		for v, n := range c {
			vals = append(vals, FacetValue{Value: v, Count: n})
		}
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		out[name] = vals
	}
	return out
}

// idGroup is one clause in an every-version search: its best-scoring text and how many of
// its texts matched.
type idGroup struct {
	id       string
	versions int
}

// groupIDs folds the versions of a clause (ids "doc/clause@from") into one group, in the
// order of their best hit, so that pages are stable.
func groupIDs(hits search.DocumentMatchCollection) []idGroup {
	var out []idGroup
	at := map[string]int{}
	for _, h := range hits {
		k := h.ID
		if i := strings.LastIndexByte(k, '@'); i >= 0 {
			k = k[:i]
		}
		if i, ok := at[k]; ok {
			out[i].versions++
			continue
		}
		at[k] = len(out)
		out = append(out, idGroup{id: h.ID, versions: 1})
	}
	return out
}

func toHit(h *search.DocumentMatch) Hit {
	str := func(f string) string {
		if v, ok := h.Fields[f].(string); ok {
			return v
		}
		return ""
	}
	num := func(f string) int {
		if v, ok := h.Fields[f].(float64); ok {
			return int(v)
		}
		return 0
	}
	out := Hit{Doc: str(fDoc), Title: str(fTitle), Clause: str(fClause), Heading: str(fHeading),
		VersionFrom: str(fVersionFrom), Version: str(fVersionTo), From: NumDate(num(fFrom)), To: NumDate(num(fTo)),
		Score: h.Score, Versions: 1}
	switch p := h.Fields[fParties].(type) {
	case string:
		out.Parties = []string{p}
	case []any:
		for _, x := range p {
			if s, ok := x.(string); ok {
				out.Parties = append(out.Parties, s)
			}
		}
	}
	if frags := h.Fragments[fText]; len(frags) > 0 {
		out.Snippet = strings.Join(frags, " … ")
	} else {
		t := []rune(str(fText))
		if len(t) > 240 {
			t = append(t[:240], '…')
		}
		out.Snippet = html.EscapeString(string(t))
	}
	return out
}
