package index

import (
	"html"
	"strings"
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
		for _, t := range ev.an.legal.Analyze([]byte(text)) {
			if ev.marks[string(t.Term)] || ev.exact[strings.ToLower(text[t.Start:t.End])] {
				marks = append(marks, [2]int{t.Start, t.End})
			}
		}
		if len(marks) == 0 {
			// A stop word or a pattern the stemmed words hide: the unstemmed words.
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
