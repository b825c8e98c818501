package docimport

import (
	"strings"
	"unicode"
)

// Words returns the words of s: its runs of letters and digits, in order. Two texts with
// the same words have lost nothing to an import, whatever became of their punctuation,
// markup and whitespace.
func Words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// firstDifference returns the index of the first word where a and b differ, or -1.
func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// around returns the words of ws around index i, for a message.
func around(ws []string, i int) string {
	lo, hi := max(i-5, 0), min(i+6, len(ws))
	if lo >= hi {
		return "(end)"
	}
	return strings.Join(ws[lo:hi], " ")
}
