package legaltext

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// r is a Ref without its offsets and line, for comparisons.
type r struct {
	Kind                   RefKind
	ID, Sub, Prefix, Label string
	Text                   string
}

func strip(refs []Ref) []r {
	var out []r
	for _, x := range refs {
		out = append(out, r{x.Kind, x.ID, x.Sub, x.Prefix, x.Label, x.Text})
	}
	return out
}

func TestFindRefs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []r
	}{
		{"section clause", "comply with Section G3.20 (Management)", []r{{RefClause, "G3.20", "", "G", "", "Section G3.20"}}},
		{"bare clause", "under G3.20.", []r{{RefClause, "G3.20", "", "G", "", "G3.20"}}},
		{"clause keyword", "see Clause H1.2(d).", []r{{RefClause, "H1.2", "(d)", "H", "", "Clause H1.2(d)"}}},
		{"paragraph keyword", "Paragraphs X5.1", []r{{RefClause, "X5.1", "", "X", "", "Paragraphs X5.1"}}},
		{"sub-paragraph and bracketed heading", "Section H1.10(d) (User Entry Process Requirements)",
			[]r{{RefClause, "H1.10", "(d)", "H", "", "Section H1.10(d)"}}},
		{"nested sub-paragraph", "Section H1.10(d)(i)", []r{{RefClause, "H1.10", "(d)(i)", "H", "", "Section H1.10(d)(i)"}}},
		{"part", "this Section H1, and", []r{{RefPart, "H1", "", "H", "", "Section H1"}}},
		{"part with a long prefix", "Section SMKI12", []r{{RefPart, "SMKI12", "", "SMKI", "", "Section SMKI12"}}},
		{"bare part is not a reference", "H1 and G3", nil},
		{"clause keyword on a part number is not a reference", "Clause H1", nil},
		{"document section", "under Section H.", []r{{RefDocument, "", "", "", "Section H", "Section H"}}},
		{"document appendix", "in Appendix AD;", []r{{RefDocument, "", "", "", "Appendix AD", "Appendix AD"}}},
		{"document schedule", "Schedule 1 applies", []r{{RefDocument, "", "", "", "Schedule 1", "Schedule 1"}}},
		{"two clauses", "Sections G3.26 to G3.28", []r{
			{RefClause, "G3.26", "", "G", "", "Sections G3.26"},
			{RefClause, "G3.28", "", "G", "", "G3.28"}}},
		{"mixed, in order", "Appendix AD and Section H1.4 and H3 and Section H", []r{
			{RefDocument, "", "", "", "Appendix AD", "Appendix AD"},
			{RefClause, "H1.4", "", "H", "", "Section H1.4"},
			{RefDocument, "", "", "", "Section H", "Section H"}}},
		{"keyword across a line break", "Section\nH1.4(b)", []r{{RefClause, "H1.4", "(b)", "H", "", "Section\nH1.4(b)"}}},
		{"clause with a letter", "Section H1.2A", []r{{RefClause, "H1.2A", "", "H", "", "Section H1.2A"}}},
		{"clause with levels", "see H1.2.3(a)", []r{{RefClause, "H1.2.3", "(a)", "H", "", "H1.2.3(a)"}}},
		{"TLS is clause-shaped", "TLS1.2 or later", []r{{RefClause, "TLS1.2", "", "TLS", "", "TLS1.2"}}},
		{"SMETS1", "SMETS1 meters", nil},
		{"SMETS2+", "SMETS2+", nil},
		{"ISO 27001", "ISO 27001 certified", nil},
		{"version", "v5.10 and V2", nil},
		{"lower case", "section h1.2 and h1.2", nil},
		{"inside a word", "xH1.2 and H1.2x and _H1.2 and 9H1.2", nil},
		{"five letters", "ABCDE1.2", nil},
		{"percent and numbers", "99.5% of 20 Working Days", nil},
		{"upper-case sub label is not a sub", "H1.2(A)", []r{{RefClause, "H1.2", "", "H", "", "H1.2"}}},
		{"document section number", "Section 12 and Schedule 100", []r{{RefDocument, "", "", "", "Section 12", "Section 12"}}},
		{"empty", "", nil},
		{"no digits or keywords", "The DCC shall publish a guide.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindRefs(tt.in)
			assert.Equal(t, tt.want, strip(got))
			for _, x := range got {
				assert.Equal(t, x.Text, tt.in[x.Start:x.End], "Text is the matched span")
			}
		})
	}
}

func TestRefAnchor(t *testing.T) {
	assert.Equal(t, "H1.10(d)(i)", Ref{Kind: RefClause, ID: "H1.10", Sub: "(d)(i)"}.Anchor())
	assert.Equal(t, "H1", Ref{Kind: RefPart, ID: "H1"}.Anchor())
	assert.Equal(t, "", Ref{Kind: RefDocument, Label: "Section H"}.Anchor())
}

func TestTermMatcher(t *testing.T) {
	terms := []string{"Party", "Party Category", "User", "Process", "User Entry Process", "Working Day",
		"DCC", "Box", "Switch", "Key", "Third-Party Supplier", "Code Administrator"}
	m := NewTermMatcher(terms)
	require.NotNil(t, m)
	type use struct{ Term, Text string }
	tests := []struct {
		name string
		in   string
		want []use
	}{
		{"single", "A Party shall", []use{{"Party", "Party"}}},
		{"longest wins", "each Party Category", []use{{"Party Category", "Party Category"}}},
		{"longest plural", "all Party Categories", []use{{"Party Category", "Party Categories"}}},
		{"y plural", "the Parties", []use{{"Party", "Parties"}}},
		{"s plural", "all Users", []use{{"User", "Users"}}},
		{"es plural", "the Processes", []use{{"Process", "Processes"}}},
		{"x plural", "two Boxes", []use{{"Box", "Boxes"}}},
		{"ch plural", "the Switches", []use{{"Switch", "Switches"}}},
		{"vowel y plural", "the Keys", []use{{"Key", "Keys"}}},
		{"plural of the last word", "20 Working Days", []use{{"Working Day", "Working Days"}}},
		{"case-sensitive", "a party and a PARTY", nil},
		{"word boundary after", "Userspace and Users", []use{{"User", "Users"}}},
		{"word boundary before", "SuperUser", nil},
		{"inside a longer word", "Partying DCCX xDCC", nil},
		{"possessive", "the User's systems", []use{{"User", "User"}}},
		{"newline between words", "the User\nEntry   Process", []use{{"User Entry Process", "User\nEntry   Process"}}},
		{"tab between words", "Code\tAdministrator", []use{{"Code Administrator", "Code\tAdministrator"}}},
		{"punctuation between words is not a space", "User, Entry Process", []use{{"User", "User"}, {"Process", "Process"}}},
		{"shorter when the longer does not follow", "the User Entry", []use{{"User", "User"}}},
		{"hyphenated term", "a Third-Party Supplier", []use{{"Third-Party Supplier", "Third-Party Supplier"}}},
		{"hyphen required", "a Third Party Supplier", []use{{"Party", "Party"}}},
		{"several", "The DCC and each Party", []use{{"DCC", "DCC"}, {"Party", "Party"}}},
		{"adjacent", "DCC Party", []use{{"DCC", "DCC"}, {"Party", "Party"}}},
		{"non-ASCII around", "«Party» éUser", []use{{"Party", "Party"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []use
			for _, u := range m.Find(tt.in) {
				got = append(got, use{u.Term, tt.in[u.Start:u.End]})
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTermMatcherTerms(t *testing.T) {
	m := NewTermMatcher([]string{"Party", "User", "DCC", " Panel ", ""})
	assert.Equal(t, []string{"User", "Party", "DCC"}, m.Terms("Users and Parties and a Party and the DCC and a User"))
	assert.Equal(t, []string{"Panel"}, m.Terms("the Panel"), "terms are trimmed")
	assert.Empty(t, m.Terms("nothing here"))

	assert.Nil(t, NewTermMatcher(nil))
	assert.Nil(t, NewTermMatcher([]string{"", "  ", "--"}), "no term has a word")
	var none *TermMatcher
	assert.Nil(t, none.Find("Party"))
	assert.Empty(t, none.Terms("Party"))
}

// forms returns the spellings a matcher accepts for term (the term and its plural).
func forms(term string) []string {
	switch {
	case strings.HasSuffix(term, "y") && len(term) > 1 && !strings.ContainsAny(term[len(term)-2:len(term)-1], "aeiou"):
		return []string{term, term[:len(term)-1] + "ies"}
	case strings.HasSuffix(term, "s") || strings.HasSuffix(term, "x") || strings.HasSuffix(term, "ch"):
		return []string{term, term + "es"}
	default:
		return []string{term, term + "s"}
	}
}

// Property: for random terms and texts built from their words, Find returns increasing,
// non-overlapping spans on word boundaries, whose text (whitespace folded) is a form of the
// term reported, and no span could have been extended to a longer term at the same start.
func TestTermMatcherProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(20191107))
	vocab := []string{"Party", "User", "Entry", "Process", "Category", "Day", "Key", "Box", "Data", "DCC", "Role", "party", "Us"}
	seps := []string{" ", "  ", "\n", ", ", "-", "'s ", ". ", "\t"}
	for iter := 0; iter < 2000; iter++ {
		var terms []string
		for i := 0; i < 1+rng.Intn(6); i++ {
			n := 1 + rng.Intn(3)
			w := make([]string, n)
			for j := range w {
				w[j] = vocab[rng.Intn(len(vocab))]
			}
			terms = append(terms, strings.Join(w, " "))
		}
		m := NewTermMatcher(terms)
		var b strings.Builder
		for i := 0; i < rng.Intn(30); i++ {
			w := vocab[rng.Intn(len(vocab))]
			switch rng.Intn(4) {
			case 0:
				w = forms(w)[1]
			case 1:
				w += "x" // a longer word that contains a term
			}
			b.WriteString(w)
			b.WriteString(seps[rng.Intn(len(seps))])
		}
		s := b.String()
		uses := m.Find(s)
		known := map[string]bool{}
		for _, term := range terms {
			known[term] = true
		}
		prev := 0
		for _, u := range uses {
			require.True(t, known[u.Term], "unknown term %q", u.Term)
			require.True(t, 0 <= u.Start && u.Start < u.End && u.End <= len(s), "span %d-%d of %q", u.Start, u.End, s)
			require.GreaterOrEqual(t, u.Start, prev, "spans increase and do not overlap in %q", s)
			prev = u.End
			require.False(t, u.Start > 0 && isAlnumByte(s[u.Start-1]), "span starts inside a word in %q", s)
			require.False(t, u.End < len(s) && isAlnumByte(s[u.End]), "span ends inside a word in %q", s)
			text := strings.Join(strings.Fields(s[u.Start:u.End]), " ")
			require.Contains(t, formsOfTerm(u.Term), text, "text %q of term %q in %q", s[u.Start:u.End], u.Term, s)
		}
	}
}

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// formsOfTerm is forms with whitespace folded to single spaces.
func formsOfTerm(term string) []string {
	out := forms(term)
	for i := range out {
		out[i] = strings.Join(strings.Fields(out[i]), " ")
	}
	return out
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Applicant":                "applicant",
		"User Entry Process Tests": "user-entry-process-tests",
		"  Lead  Analyst ":         "lead-analyst",
		"DCC's Systems":            "dcc-s-systems",
		"A. Definitions":           "a-definitions",
		"H1.10(d)":                 "h1-10-d",
		"—Intro—":                  "intro",
		"Définition":               "définition",
		"Präambel §":               "präambel",
		"":                         "",
		"!!!":                      "",
		"2020":                     "2020",
	}
	for in, want := range tests {
		assert.Equal(t, want, Slug(in), "Slug(%q)", in)
	}
}
