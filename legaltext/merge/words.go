package merge

import (
	"slices"
	"strings"

	"codenav/legaltext/redline"
)

// tokens is one text split into the redline's words, each also numbered so that the diff
// compares integers.
type tokens struct {
	text []string
	ids  []int32
}

// interner numbers distinct tokens across the three versions of one clause.
type interner map[string]int32

func (in interner) split(s string) tokens {
	words := redline.Words(s)
	ids := make([]int32, len(words))
	for i, w := range words {
		id, ok := in[w]
		if !ok {
			id = int32(len(in))
			in[w] = id
		}
		ids[i] = id
	}
	return tokens{text: words, ids: ids}
}

// sideEdit is an edit of one side with the extent of base it claims: its own range widened
// over the whitespace on both sides, up to a blank line. Two edits conflict when their claims
// overlap or meet, that is when no unchanged word (or punctuation mark, or paragraph break)
// stands between them: two changes that touch the same words, or the two ends of one phrase,
// are not independent (the same words inserted by both sides one space apart would otherwise
// appear twice). Identical changes are the exception (see mergeWords).
type sideEdit struct {
	edit
	ours     bool
	from, to int // claimed base range
}

// mergeWords merges the changes base -> ours and base -> theirs of one clause, word by word.
// ok is false when a change of one side meets a change of the other and the two do not give
// the same words; merged is then empty.
func mergeWords(base, ours, theirs string) (merged string, ok bool) {
	in := interner{}
	b, o, t := in.split(base), in.split(ours), in.split(theirs)
	var all []sideEdit
	claim := func(es []edit, isOurs bool) {
		for _, e := range es {
			from, to := e.s, e.e
			for from > 0 && softSpace(b.text[from-1]) {
				from--
			}
			for to < len(b.text) && softSpace(b.text[to]) {
				to++
			}
			all = append(all, sideEdit{edit: e, ours: isOurs, from: from, to: to})
		}
	}
	claim(diff(b.ids, o.ids), true)
	claim(diff(b.ids, t.ids), false)
	// Ours first on equal claims: the order only decides which edit opens a cluster, never
	// what a cluster becomes, so the merge stays symmetric.
	slices.SortStableFunc(all, func(x, y sideEdit) int { return x.from - y.from })

	var out strings.Builder
	pos := 0 // base tokens before pos are written
	for i := 0; i < len(all); {
		// A cluster: edits whose claims overlap or meet, transitively.
		j, reach := i+1, all[i].to
		for j < len(all) && all[j].from <= reach {
			reach = max(reach, all[j].to)
			j++
		}
		cl := all[i:j]
		s, e := cl[0].s, cl[0].e
		var hasOurs, hasTheirs bool
		for _, x := range cl {
			s, e = min(s, x.s), max(e, x.e)
			hasOurs = hasOurs || x.ours
			hasTheirs = hasTheirs || !x.ours
		}
		var region string
		switch {
		case !hasTheirs:
			region = apply(b, o, cl, s, e)
		case !hasOurs:
			region = apply(b, t, cl, s, e)
		default:
			// Both sides changed these words: only the same new words on both sides merge.
			ro, rt := apply(b, o, onlySide(cl, true), s, e), apply(b, t, onlySide(cl, false), s, e)
			if ro != rt {
				return "", false
			}
			region = ro
		}
		out.WriteString(strings.Join(b.text[pos:s], ""))
		out.WriteString(region)
		pos = e
		i = j
	}
	out.WriteString(strings.Join(b.text[pos:], ""))
	return out.String(), true
}

func onlySide(cl []sideEdit, ours bool) []sideEdit {
	var out []sideEdit
	for _, x := range cl {
		if x.ours == ours {
			out = append(out, x)
		}
	}
	return out
}

// apply returns the base tokens [s, e) with the edits of one side applied (edits of that side
// only, in base order, all inside [s, e)).
func apply(b, side tokens, es []sideEdit, s, e int) string {
	var sb strings.Builder
	pos := s
	for _, x := range es {
		sb.WriteString(strings.Join(b.text[pos:x.s], ""))
		sb.WriteString(strings.Join(side.text[x.rs:x.re], ""))
		pos = x.e
	}
	sb.WriteString(strings.Join(b.text[pos:e], ""))
	return sb.String()
}

// softSpace reports whether tok is whitespace within a paragraph: any run without a blank line.
func softSpace(tok string) bool {
	return redline.IsSpace(tok) && strings.Count(tok, "\n") < 2
}
