package docimport

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineWidth is the width the sample corpus is written at.
const lineWidth = 100

// wrap breaks a line of Markdown into lines of about lineWidth characters, continuing with
// indent. It breaks only at a single space followed by a letter (a line that starts with a
// letter can start no block: no heading, list, quote, table or thematic break), never within
// the first keep bytes, and never after a backslash.
func wrap(s, indent string, keep int) string {
	if utf8.RuneCountInString(s) <= lineWidth {
		return s
	}
	var b strings.Builder
	lineStart, lastBreak, col := 0, -1, 0
	for i, r := range s {
		if r == ' ' && i >= keep && i > 0 && s[i-1] != '\\' && s[i-1] != ' ' {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(next) {
				if col >= lineWidth && lastBreak > lineStart {
					b.WriteString(s[lineStart:lastBreak])
					b.WriteString("\n" + indent)
					lineStart = lastBreak + 1
					col = len(indent) + utf8.RuneCountInString(s[lineStart:i])
				}
				lastBreak = i
			}
		}
		col++
	}
	if col > lineWidth && lastBreak > lineStart {
		b.WriteString(s[lineStart:lastBreak])
		b.WriteString("\n" + indent)
		lineStart = lastBreak + 1
	}
	b.WriteString(s[lineStart:])
	return b.String()
}
