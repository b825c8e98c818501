package redline

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// alignLines compares the paragraphs of two versions of one block: identical paragraphs are
// matched, similar ones diffed word by word, the rest inserted or deleted. Working paragraph
// by paragraph keeps a change inside one sub-paragraph or table row from smearing into its
// neighbours.
func alignLines(a, b []srcLine) []Line {
	// Paragraphs are matched on their words: a list item renumbered is the same item.
	at := make([]string, len(a))
	for k, l := range a {
		at[k] = l.rest()
	}
	bt := make([]string, len(b))
	for k, l := range b {
		bt[k] = l.rest()
	}
	var sets [2][][]uint32
	dict := map[string]uint32{}
	setOf := func(side int, texts []string, k int) []uint32 {
		if sets[side] == nil {
			sets[side] = make([][]uint32, len(texts))
		}
		if sets[side][k] == nil {
			sets[side][k] = lineWords(texts[k], dict)
		}
		return sets[side][k]
	}
	sim := func(x, y int) float64 {
		if at[x] == bt[y] {
			return 1
		}
		return jaccard(setOf(0, at, x), setOf(1, bt, y))
	}
	pairs := matchSequence(at, bt, sim, lineSim, true)
	out := make([]Line, 0, max(len(a), len(b)))
	x, y := 0, 0
	emit := func(toX, toY int) {
		// Deleted paragraphs before inserted ones, the order in which a reader expects them.
		for ; x < toX; x++ {
			out = append(out, deletedLine(a[x]))
		}
		for ; y < toY; y++ {
			out = append(out, insertedLine(b[y]))
		}
	}
	for _, p := range pairs {
		emit(p[0], p[1])
		out = append(out, diffLine(a[x], b[y]))
		x, y = x+1, y+1
	}
	emit(len(a), len(b))
	return out
}

// lineWords is the sorted set of the words of s (case folded, common words left out), as
// ids in dict: what similarity compares.
func lineWords(s string, dict map[string]uint32) []uint32 {
	var set []uint32
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !wordRune(r) {
			i += w
			continue
		}
		j := i + w
		upper := r >= utf8.RuneSelf || r >= 'A' && r <= 'Z'
		for j < len(s) {
			r2, w2 := utf8.DecodeRuneInString(s[j:])
			if !wordRune(r2) {
				break
			}
			upper = upper || r2 >= utf8.RuneSelf || r2 >= 'A' && r2 <= 'Z'
			j += w2
		}
		word := s[i:j]
		i = j
		if upper {
			word = strings.ToLower(word) // only a word with capitals, or beyond ASCII, needs folding
		}
		if stopWord(word) {
			continue
		}
		id, ok := dict[word]
		if !ok {
			id = uint32(len(dict))
			dict[word] = id
		}
		set = append(set, id)
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// diffLine is the word diff of two paired paragraphs. Two table rows with as many cells are
// diffed cell by cell, so that a change in one cell stays in that cell.
func diffLine(a, b srcLine) Line {
	l := Line{Kind: ChangeEqual, Style: b.style, Level: b.level}
	if a.text == b.text {
		l.Ops = opsOf(OpEqual, b.text)
		return l
	}
	l.Kind = ChangeChanged
	if a.marker != "" || b.marker != "" {
		// The list number apart from the words, so that a renumbered item shows as such and
		// its first word is not mistaken for part of the number.
		pa, pb := prefix(a.marker), prefix(b.marker)
		if pa == pb {
			l.Ops = opsOf(OpEqual, pa)
		} else {
			l.Ops = append(opsOf(OpDelete, pa), opsOf(OpInsert, pb)...)
		}
		for _, op := range diffWords(a.rest(), b.rest()) {
			l.Ops = appendOp(l.Ops, op.Kind, op.Text)
		}
		return l
	}
	const sep = " | "
	if a.style == StyleRow && b.style == StyleRow && strings.Count(a.text, sep) == strings.Count(b.text, sep) {
		ca, cb := strings.Split(a.text, sep), strings.Split(b.text, sep)
		for k := range ca {
			if k > 0 {
				l.Ops = appendOp(l.Ops, OpEqual, sep)
			}
			for _, op := range diffWords(ca[k], cb[k]) {
				l.Ops = appendOp(l.Ops, op.Kind, op.Text)
			}
		}
		return l
	}
	l.Ops = diffWords(a.text, b.text)
	return l
}

func prefix(marker string) string {
	if marker == "" {
		return ""
	}
	return marker + " "
}

func deletedLine(l srcLine) Line {
	return Line{Kind: ChangeDeleted, Style: l.style, Level: l.level, Ops: opsOf(OpDelete, l.text)}
}

func insertedLine(l srcLine) Line {
	return Line{Kind: ChangeInserted, Style: l.style, Level: l.level, Ops: opsOf(OpInsert, l.text)}
}
