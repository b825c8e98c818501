package index

import (
	"context"
	"strings"
	"unicode/utf8"
)

// didYouMean proposes the query with its misspelt words corrected: a plain word that is in
// no clause of the view searched is replaced by the nearest word that is (fewest edits, then
// the most clauses), and the corrected query is proposed only when it finds something. The
// words come from the view's own dictionary, so a reader is never shown a word of a document
// they may not see.
func didYouMean(ctx context.Context, v *view, r Request, an analysers, mem *slabs) string {
	words := plainWords(r.Query)
	if len(words) == 0 {
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
		if best := nearest(v.seg, lw); best != "" {
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
	if err != nil || count(ctx, v, q, r, an, mem) == 0 {
		return ""
	}
	return r.Query
}

// nearest returns the word of the dictionary closest to w, or "" when w is in it or nothing
// is near: one edit for words of four or five letters, two for longer ones, the first
// letter kept.
func nearest(s *segment, w string) string {
	if s.lookup(segExact, w) >= 0 {
		return ""
	}
	fuzziness := 1
	if len([]rune(w)) >= 6 {
		fuzziness = 2
	}
	// Misspellings seldom change the first letter: keeping it walks a small part of the
	// dictionary instead of all of it.
	first := string([]rune(w)[:1])
	n := utf8.RuneCountInString(w)
	lo, hi := s.termRange(segExact, first)
	best, bestDist, bestCount := "", fuzziness+1, uint32(0)
	for i := lo; i < hi; i++ {
		t, _, _, df := s.termAt(segExact, i)
		if d := utf8.RuneCount(t) - n; d > fuzziness || -d > fuzziness {
			continue
		}
		d := editDistance(w, string(t))
		if d < bestDist || d == bestDist && df > bestCount {
			best, bestDist, bestCount = string(t), d, df
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
