package redline

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words splits s into the same words, punctuation marks and whitespace runs as the redline's
// word diff, but keeps every whitespace run as written: the tokens join back to s exactly.
// The three-way merge (package legaltext/merge) needs that, because it writes Markdown, where
// a newline can start a list item and a blank line a new paragraph. Sharing the tokenizer keeps
// "a word" meaning the same thing in a redline and in a merge.
func Words(s string) []string {
	toks := tokenize(s)
	out := make([]string, 0, len(toks))
	i := 0
	for _, t := range toks {
		if t != " " {
			// Words and punctuation are slices of s: they advance by their own length. A
			// space token always stands for a whitespace run, whose length is found in s.
			out = append(out, s[i:i+len(t)])
			i += len(t)
			continue
		}
		j := i
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(r) {
				break
			}
			j += w
		}
		out = append(out, s[i:j])
		i = j
	}
	if i < len(s) {
		// Cannot happen while tokenize covers its input; keep the law "tokens join to s"
		// rather than lose text should it ever change.
		out = append(out, s[i:])
	}
	return out
}

// IsSpace reports whether a token of Words is a whitespace run.
func IsSpace(tok string) bool {
	return tok != "" && strings.TrimLeftFunc(tok, unicode.IsSpace) == ""
}
