package legaltext

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// The specifications of isClauseNum and subParagraphLabel.
var (
	clauseNumRE = regexp.MustCompile(`^[A-Z]{0,5}\d+(?:\.\d+)*[A-Z]?$`)
	subLabelRE  = regexp.MustCompile(`^\(([a-z]{1,4})\)\s`)
)

// scanInputs are the given strings and every string of up to n characters over alphabet.
func scanInputs(given []string, alphabet []string, n int) []string {
	out := append([]string{}, given...)
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		out = append(out, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("", n)
	return out
}

func TestIsClauseNumAgreesWithRegex(t *testing.T) {
	given := []string{"H1.1", "H1.10", "G3.20", "SCF3.4", "SCF3.4A", "ABCDE1", "ABCDEF1", "12", "1.2.3", "H1.2.3B", "H1.", "H1.x",
		"H1.2AB", "h1.1", "H1.1\n", "H 1.1", "A1.2A3", "H14.5", "AB12.3.45Z"}
	for _, s := range scanInputs(given, []string{"A", "Z", "0", "9", ".", "a", " ", "\n"}, 5) {
		require.Equal(t, clauseNumRE.MatchString(s), isClauseNum(s), "isClauseNum(%q)", s)
	}
}

func TestSubParagraphLabelAgreesWithRegex(t *testing.T) {
	given := []string{"(a) text", "(d)", "(iv)\tx", "(abcd) x", "(abcde) x", "(A) x", "(1) x", "(a)x", "(a)\vx", "(a)\fx", "((a) x", "", "("}
	for _, s := range scanInputs(given, []string{"(", ")", "a", "z", "A", "1", " ", "\t", "\v", "x"}, 6) {
		m := subLabelRE.FindStringSubmatch(s + " ")
		label, ok := subParagraphLabel([]byte(s))
		require.Equal(t, m != nil, ok, "subParagraphLabel(%q)", s)
		if ok {
			require.Equal(t, "("+m[1]+")", label, "subParagraphLabel(%q)", s)
		}
	}
}

func TestClauseAttrAgreesWithRegex(t *testing.T) {
	given := []string{"{parties=dcc} text", " {parties=\"a b\"}\ttext", "\n{x}", "{", "}", " x {parties=dcc}", "\v{parties=dcc}", "\f{a}"}
	for _, s := range scanInputs(given, []string{"{", "}", " ", "\t", "\v", "\n", "a", "="}, 5) {
		require.Equal(t, clauseAttrRE().FindSubmatchIndex([]byte(s)), clauseAttr([]byte(s)), "clauseAttr(%q)", s)
	}
}
