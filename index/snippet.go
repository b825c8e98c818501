package index

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetSize is about how many bytes of a clause's text a hit shows around what it matched.
const snippetSize = 220

// snippet cuts the part of a clause's text that holds most of the words the query found,
// with those words marked (and the rest escaped); a text in which none of them is found (a
// match in the heading or the table rows) shows its start.
func snippet(text string, ev *evaluator) string {
	var marks [][2]int
	if len(ev.marks) > 0 || len(ev.exact) > 0 {
		marks = ev.quickMarks(text)
	}
	if len(marks) == 0 && ev.oddMarks() {
		for _, t := range ev.an.legal.Analyze([]byte(text)) {
			if ev.marks[string(t.Term)] || ev.exact[strings.ToLower(text[t.Start:t.End])] {
				marks = append(marks, [2]int{t.Start, t.End})
			}
		}
		if len(marks) == 0 {
			// A pattern the stemmed words hide: the unstemmed words.
			for _, t := range ev.an.exact.Analyze([]byte(text)) {
				if ev.exact[string(t.Term)] {
					marks = append(marks, [2]int{t.Start, t.End})
				}
			}
		}
	}
	if len(marks) == 0 {
		r := []rune(text)
		if len(r) > 240 {
			return html.EscapeString(string(r[:240])) + "…"
		}
		return html.EscapeString(text)
	}
	// The window that holds the most marks, starting at one of them.
	bestAt, bestN := 0, 0
	for i := range marks {
		n := 0
		for j := i; j < len(marks) && marks[j][1]-marks[i][0] <= snippetSize; j++ {
			n++
		}
		if n > bestN {
			bestAt, bestN = i, n
		}
	}
	start := marks[bestAt][0]
	// Some words before the first mark, cut at a space.
	if start > 0 {
		from := max(0, start-40)
		if k := strings.IndexByte(text[from:start], ' '); k >= 0 && from > 0 {
			from += k + 1
		}
		for from > 0 && !utf8.RuneStart(text[from]) {
			from++
		}
		start = from
	}
	end := min(len(text), start+snippetSize)
	if last := marks[bestAt+bestN-1][1]; end < last {
		end = last
	}
	if end < len(text) {
		if k := strings.LastIndexByte(text[start:end], ' '); k > 0 && start+k >= marks[bestAt+bestN-1][1] {
			end = start + k
		}
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, m := range marks[bestAt : bestAt+bestN] {
		if m[0] < at || m[1] > end {
			continue
		}
		b.WriteString(html.EscapeString(text[at:m[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m[0]:m[1]]))
		b.WriteString("</mark>")
		at = m[1]
	}
	b.WriteString(html.EscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// quickMarks finds the words of text to mark without analysing all of it: a word is
// analysed alone only when it starts like one of the terms sought (a stem starts like the
// words it stands for, give or take its last letters), and each distinct word once per
// search. Words the tokenizer would join differently (H1.2, e-mail) may be missed: then
// the caller analyses the whole text.
func (ev *evaluator) quickMarks(text string) [][2]int {
	if ev.seen == nil {
		ev.seen = map[string]bool{}
		ev.starts = map[string]bool{}
		for t := range ev.marks {
			ev.starts[wordStart(t)] = true
		}
		for t := range ev.exact {
			ev.starts[wordStart(t)] = true
		}
	}
	var out [][2]int
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if r == '\'' || r == '’' {
				// An apostrophe between letters is in the word, as the tokenizer has it
				// (party's).
				if next, _ := utf8.DecodeRuneInString(text[j+n:]); j+n < len(text) && unicode.IsLetter(next) {
					j += n
					continue
				}
			}
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += n
		}
		word := text[i:j]
		if ev.starts[wordStart(strings.ToLower(word))] {
			lw := strings.ToLower(word)
			hit, ok := ev.seen[lw]
			if !ok {
				hit = ev.exact[lw]
				for _, t := range ev.an.legal.Analyze([]byte(word)) {
					hit = hit || ev.marks[string(t.Term)]
				}
				ev.seen[lw] = hit
			}
			if hit {
				out = append(out, [2]int{i, j})
			}
		}
		i = j
	}
	return out
}

// wordStart is the first three letters of a word (all of a shorter one).
func wordStart(w string) string {
	n := 0
	for i := range w {
		if n == 3 {
			return w[:i]
		}
		n++
	}
	return w
}

// oddMarks reports whether a term sought holds something other than letters and digits
// (1,000, h1.2): the tokenizer keeps such a word whole where quickMarks splits it, so only
// then can quickMarks miss what analysing the whole text finds.
func (ev *evaluator) oddMarks() bool {
	odd := func(t string) bool {
		for _, r := range t {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' {
				return true
			}
		}
		return false
	}
	for t := range ev.marks {
		if odd(t) {
			return true
		}
	}
	for t := range ev.exact {
		if odd(t) {
			return true
		}
	}
	return false
}
