package index

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bindex "github.com/blevesearch/bleve_index_api"
)

// didYouMean proposes the query with its misspelt words corrected: a plain word that is in
// no clause of the view searched is replaced by the nearest word that is (fewest edits, then
// the most clauses), and the corrected query is proposed only when it finds something. The
// words come from the view's own dictionary, so a reader is never shown a word of a document
// they may not see.
func didYouMean(ctx context.Context, idx bleve.Index, r Request) string {
	words := plainWords(r.Query)
	if len(words) == 0 {
		return ""
	}
	adv, err := idx.Advanced()
	if err != nil {
		return ""
	}
	reader, err := adv.Reader()
	if err != nil {
		return ""
	}
	defer reader.Close()
	fz, ok := reader.(bindex.IndexReaderFuzzy)
	if !ok {
		return ""
	}
	fixed := map[string]string{}
	for _, w := range words {
		if ctx.Err() != nil {
			return ""
		}
		lw := strings.ToLower(w)
		if _, done := fixed[lw]; done {
			continue
		}
		if best := nearest(fz, lw); best != "" {
			fixed[lw] = best
		}
	}
	if len(fixed) == 0 {
		return ""
	}
	fields := strings.Fields(r.Query)
	for i, f := range fields {
		if x, ok := fixed[strings.ToLower(f)]; ok {
			fields[i] = x
		}
	}
	r.Query = strings.Join(fields, " ")
	q, _, err := buildQuery(r)
	if err != nil {
		return ""
	}
	sr, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil || sr.Total == 0 {
		return ""
	}
	return r.Query
}

// nearest returns the word of the dictionary closest to w, or "" when w is in it or nothing
// is near: one edit for words of four or five letters, two for longer ones, the first
// letter kept.
func nearest(fz bindex.IndexReaderFuzzy, w string) string {
	fuzziness := 1
	if len([]rune(w)) >= 6 {
		fuzziness = 2
	}
	// Misspellings seldom change the first letter: keeping it walks a small part of the
	// dictionary instead of all of it.
	first := string([]rune(w)[:1])
	dict, err := fz.FieldDictFuzzy(fExact, w, fuzziness, first)
	if err != nil {
		return ""
	}
	defer dict.Close()
	best, bestDist, bestCount := "", fuzziness+1, uint64(0)
	for e, err := dict.Next(); e != nil && err == nil; e, err = dict.Next() {
		if e.Term == w {
			return ""
		}
		d := editDistance(w, e.Term)
		if d < bestDist || d == bestDist && e.Count > bestCount {
			best, bestDist, bestCount = e.Term, d, e.Count
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
