package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
)

// token is one unit of the reader's query: a word, a "phrase", a /regexp/ or a field:value,
// with its sign (+ required, - excluded, none).
type token struct {
	text string // without the sign
	sign byte   // '+', '-' or 0
	or   bool   // the keyword OR
}

// tokenize splits a query on spaces, keeping "quoted phrases" and /regexps/ whole. It never
// fails: an unclosed quote runs to the end.
func tokenize(s string) []token {
	var out []token
	r := []rune(s)
	for i := 0; i < len(r); {
		if r[i] == ' ' || r[i] == '\t' || r[i] == '\n' || r[i] == '\r' {
			i++
			continue
		}
		start := i
		var sign byte
		if r[i] == '+' || r[i] == '-' {
			sign = byte(r[i])
			i++
		}
		body := i
		// A field name may come before a quote or a slash (heading:"user entry").
		for i < len(r) && r[i] != ' ' && r[i] != '"' && r[i] != '/' && r[i] != '\t' && r[i] != '\n' {
			i++
		}
		if i < len(r) && (r[i] == '"' || r[i] == '/') && (i == body || r[i-1] == ':') {
			close := r[i]
			i++
			for i < len(r) && r[i] != close {
				if r[i] == '\\' && i+1 < len(r) {
					i++
				}
				i++
			}
			if i < len(r) {
				i++
			}
		}
		// The rest of the token (a ~2 or ^3 after a phrase, or a quote inside a word).
		for i < len(r) && r[i] != ' ' && r[i] != '\t' && r[i] != '\n' && r[i] != '\r' {
			i++
		}
		t := token{text: string(r[body:i]), sign: sign}
		if sign == 0 && t.text == "OR" {
			t.or = true
		}
		if t.text == "" {
			t.text = string(r[start:i]) // a lone + or -: a word of its own, dropped by analysis
			t.sign = 0
		}
		out = append(out, t)
	}
	return out
}

// analyser reports how many terms the legal analyser makes of a text (0 for stop words).
type analyser func(text string) int

func newAnalyser() (analyser, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	return func(text string) int {
		ts, err := im.AnalyzeText(analyzerName, []byte(text))
		if err != nil {
			return 1 // searched as given; a real error shows in the search
		}
		return len(ts)
	}, nil
}

// userQuery is the reader's query with every word required: "within five working days"
// finds the clauses with all four words, not those with any one. Words joined by OR are
// alternatives ("meter OR metering"); -word excludes; "phrases", prefix*, /regexps/, fuzzy~
// and field:value keep their query-string meaning. A word the analyser drops (a stop word)
// is left out rather than required, since it would match nothing. It returns an error when
// a token is not valid query-string syntax (the caller then searches the words plainly).
//
// Among the clauses found the order is what it was when any word would do: a conjunction
// scores the sum of its words' scores, as a disjunction does when every word matches.
func userQuery(s string, analyse analyser) (query.Query, error) {
	var groups [][]token
	joinNext := false
	for _, t := range tokenize(s) {
		if t.or {
			joinNext = len(groups) > 0
			continue
		}
		if joinNext && t.sign == 0 && groups[len(groups)-1][0].sign == 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], t)
		} else {
			groups = append(groups, []token{t})
		}
		joinNext = false
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	musts := 0
	for _, g := range groups {
		var alts []query.Query
		for _, t := range g {
			q, err := query.NewQueryStringQuery(t.text).Parse()
			if err != nil {
				return nil, err
			}
			q = leaf(q)
			if m, ok := q.(*query.MatchQuery); ok {
				if analyse != nil && analyse(m.Match) == 0 {
					continue // a stop word
				}
				// A word the analyser splits ("non-binding", "H1.2") needs all its parts.
				m.SetOperator(query.MatchQueryOperatorAnd)
			}
			alts = append(alts, q)
		}
		switch {
		case len(alts) == 0:
		case g[0].sign == '-':
			b.AddMustNot(alts...)
		case len(alts) == 1:
			b.AddMust(alts[0])
			musts++
		default:
			b.AddMust(query.NewDisjunctionQuery(alts))
			musts++
		}
	}
	if musts == 0 {
		if b.MustNot == nil {
			// Nothing but stop words: nothing to find.
			return query.NewMatchNoneQuery(), nil
		}
		b.AddMust(query.NewMatchAllQuery()) // only exclusions: everything else
	}
	return b, nil
}

// leaf unwraps the boolean the query-string parser makes of a single term.
func leaf(q query.Query) query.Query {
	b, ok := q.(*query.BooleanQuery)
	if !ok {
		return q
	}
	for _, c := range []query.Query{b.Must, b.Should} {
		switch x := c.(type) {
		case *query.DisjunctionQuery:
			if len(x.Disjuncts) == 1 && b.MustNot == nil {
				return x.Disjuncts[0]
			}
		case *query.ConjunctionQuery:
			if len(x.Conjuncts) == 1 && b.MustNot == nil {
				return x.Conjuncts[0]
			}
		}
	}
	return q
}

// plainWords are the query's words that could be misspelt: no sign, field, pattern or
// phrase, letters only, at least four of them.
func plainWords(s string) []string {
	var out []string
	for _, t := range tokenize(s) {
		if t.or || t.sign != 0 || len(t.text) < 4 || strings.ContainsAny(t.text, `:"/*?~^\`) {
			continue
		}
		letters := true
		for _, r := range t.text {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				letters = false
				break
			}
		}
		if letters {
			out = append(out, t.text)
		}
	}
	return out
}

// onlyWords reports whether a query is two or more plain words: no sign, OR, phrase, field
// or pattern, which ask for something the any-word answer would not keep.
func onlyWords(s string) bool {
	toks := tokenize(s)
	if len(toks) < 2 {
		return false
	}
	for _, t := range toks {
		if t.or || t.sign != 0 || strings.ContainsAny(t.text, `:"/*?~^\`) {
			return false
		}
	}
	return true
}
