package index

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Limits on pattern terms (wildcard, regexp and fuzzy). Each is matched against the words of
// the dictionary that start with its literal prefix; bleve, which ran them before, built an
// automaton for each first, and a pattern like a*a*a*… (500 times) or /.*a.{100}/ cost seconds
// of CPU and hundreds of MB there, past any deadline. The limits stay (what a query may ask
// does not depend on the engine): patterns are checked as parsed, before any index work, and
// the ones that could grow are refused with a message that says why.
const (
	// MaxPatternTerms is how many wildcard, regexp and fuzzy terms one query may hold.
	MaxPatternTerms = 4
	// MaxPatternLen is the longest pattern, in characters.
	MaxPatternLen = 40
	// MaxWildcards is how many * and ? one wildcard term may hold.
	MaxWildcards = 4
	// MinPatternPrefix is how many literal characters a wildcard or regexp must start
	// with: a leading wildcard walks the whole dictionary.
	MinPatternPrefix = 1
	// MaxRepeat is the largest count in a regexp's counted repetition (x{n,m}); each
	// counted step is a copy of the repeated part in the automaton.
	MaxRepeat = 8
	// MaxRegexpInsts bounds the size of a regexp's compiled program.
	MaxRegexpInsts = 200
	// MaxRegexpClasses is how many positions of a regexp may match more than one letter
	// (., [a-z], a counted repetition counting as many): /a.*a.{30}/ ("the 31st letter
	// from the end is an a") needs an automaton state per combination of those positions.
	MaxRegexpClasses = 8
	// MaxFuzziness is the largest edit distance of a fuzzy term (term~N).
	MaxFuzziness = 2
	// A fuzzy term at N edits needs at least 2N+1 letters: a two-letter word at distance 2
	// matches nearly every short word of the dictionary.
	// MaxExpandedTerms caps the dictionary terms one search may expand its patterns to
	// (the search fails beyond it, with a message that says so).
	MaxExpandedTerms = 10000
)

// checkPatterns refuses a parsed query whose pattern terms could grow large or expand to
// too much: it is called before any index work. It returns how many
// pattern terms the query holds.
func checkPatterns(q query.Query) (int, error) {
	n := 0
	var err error
	count := func() {
		n++
		if n > MaxPatternTerms && err == nil {
			err = fmt.Errorf("%w: the query has more than %d wildcard, regexp or fuzzy terms", ErrBadQuery, MaxPatternTerms)
		}
	}
	var walk func(q query.Query)
	walk = func(q query.Query) {
		if err != nil {
			return
		}
		switch p := q.(type) {
		case *query.WildcardQuery:
			count()
			if err == nil {
				err = checkWildcard(p.Wildcard)
			}
		case *query.PrefixQuery:
			count()
			if err == nil {
				err = checkPrefix(p.Prefix)
			}
		case *query.RegexpQuery:
			count()
			if err == nil {
				err = checkRegexp(p.Regexp)
			}
		case *query.FuzzyQuery:
			count()
			if err == nil {
				err = checkFuzzy(p.Term, p.Fuzziness)
			}
		case *query.MatchQuery:
			if p.Fuzziness != 0 {
				count()
				if err == nil {
					err = checkFuzzy(p.Match, p.Fuzziness)
				}
			}
		case *query.MatchPhraseQuery:
			if p.Fuzziness != 0 {
				count()
				if err == nil {
					err = checkFuzzy(p.MatchPhrase, p.Fuzziness)
				}
			}
		case *query.BooleanQuery:
			for _, c := range []query.Query{p.Must, p.Should, p.MustNot, p.Filter} {
				if c != nil {
					walk(c)
				}
			}
		case *query.ConjunctionQuery:
			for _, c := range p.Conjuncts {
				walk(c)
			}
		case *query.DisjunctionQuery:
			for _, c := range p.Disjuncts {
				walk(c)
			}
		}
	}
	walk(q)
	return n, err
}

func checkLen(kind, p string) error {
	if n := utf8.RuneCountInString(p); n > MaxPatternLen {
		return fmt.Errorf("%w: the %s %q has %d characters; the limit is %d", ErrBadQuery, kind, short(p), n, MaxPatternLen)
	}
	return nil
}

func checkWildcard(w string) error {
	if err := checkLen("wildcard term", w); err != nil {
		return err
	}
	if n := strings.Count(w, "*") + strings.Count(w, "?"); n > MaxWildcards {
		return fmt.Errorf("%w: the wildcard term %q has %d wildcards; the limit is %d", ErrBadQuery, short(w), n, MaxWildcards)
	}
	if i := strings.IndexAny(w, "*?"); i >= 0 && utf8.RuneCountInString(w[:i]) < MinPatternPrefix {
		return fmt.Errorf("%w: the wildcard term %q starts with a wildcard; start it with at least %d letter(s)", ErrBadQuery, short(w), MinPatternPrefix)
	}
	return nil
}

func checkPrefix(p string) error {
	if err := checkLen("prefix", p); err != nil {
		return err
	}
	if utf8.RuneCountInString(p) < MinPatternPrefix {
		return fmt.Errorf("%w: a prefix term needs at least %d letter(s)", ErrBadQuery, MinPatternPrefix)
	}
	return nil
}

// checkRegexp parses the pattern as vellum does (Perl syntax) and refuses the features whose
// automaton grows fast: a large counted repetition, a repetition inside a repetition, many
// unbounded repetitions, no literal start.
func checkRegexp(p string) error {
	if err := checkLen("regexp", p); err != nil {
		return err
	}
	re, perr := syntax.Parse(p, syntax.Perl)
	if perr != nil {
		return nil // not a regexp at all: searched as words (see Search)
	}
	unbounded, classes := 0, 0
	var bad error
	var walk func(r *syntax.Regexp, depth, times int)
	walk = func(r *syntax.Regexp, depth, times int) {
		if bad != nil {
			return
		}
		switch r.Op {
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpCharClass:
			classes += times
		case syntax.OpLiteral:
			if r.Flags&syntax.FoldCase != 0 {
				classes += times * len(r.Rune)
			}
		}
		switch r.Op {
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
			if depth > 0 {
				bad = fmt.Errorf("%w: the regexp /%s/ repeats a repetition; nested repetition is not allowed", ErrBadQuery, short(p))
				return
			}
			if r.Op == syntax.OpRepeat && (r.Max > MaxRepeat || r.Min > MaxRepeat) {
				bad = fmt.Errorf("%w: the regexp /%s/ has a counted repetition over %d", ErrBadQuery, short(p), MaxRepeat)
				return
			}
			if r.Op == syntax.OpStar || r.Op == syntax.OpPlus || (r.Op == syntax.OpRepeat && r.Max < 0) {
				unbounded++
			}
			if r.Op == syntax.OpRepeat {
				times *= max(r.Min, r.Max, 1)
			}
			depth++
		}
		for _, s := range r.Sub {
			walk(s, depth, times)
		}
	}
	walk(re, 0, 1)
	if bad != nil {
		return bad
	}
	if classes > MaxRegexpClasses {
		return fmt.Errorf("%w: the regexp /%s/ has %d positions that match more than one letter; the limit is %d", ErrBadQuery, short(p), classes, MaxRegexpClasses)
	}
	if unbounded > MaxWildcards {
		return fmt.Errorf("%w: the regexp /%s/ has %d unbounded repetitions; the limit is %d", ErrBadQuery, short(p), unbounded, MaxWildcards)
	}
	prog, cerr := syntax.Compile(re.Simplify())
	if cerr == nil && len(prog.Inst) > MaxRegexpInsts {
		return fmt.Errorf("%w: the regexp /%s/ is too complex", ErrBadQuery, short(p))
	}
	if rx, err := regexp.Compile(p); err == nil {
		if prefix, _ := rx.LiteralPrefix(); utf8.RuneCountInString(prefix) < MinPatternPrefix {
			return fmt.Errorf("%w: the regexp /%s/ does not start with a letter; start it with at least %d literal letter(s)", ErrBadQuery, short(p), MinPatternPrefix)
		}
	}
	return nil
}

func checkFuzzy(term string, fuzziness int) error {
	if err := checkLen("fuzzy term", term); err != nil {
		return err
	}
	if fuzziness < 0 || fuzziness > MaxFuzziness {
		return fmt.Errorf("%w: the fuzzy term %q asks for %d edits; the limit is %d", ErrBadQuery, short(term), fuzziness, MaxFuzziness)
	}
	// The analyser may split the term into words; each is searched fuzzily.
	for _, w := range strings.FieldsFunc(term, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) < 2*fuzziness+1 {
			return fmt.Errorf("%w: the fuzzy term %q is too short for %d edit(s); use at least %d letters", ErrBadQuery, short(term), fuzziness, 2*fuzziness+1)
		}
	}
	return nil
}

// short cuts a pattern quoted back in an error message.
func short(s string) string {
	if r := []rune(s); len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return s
}
