package legaltext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testCodeNames = []CodeName{{Code: "rec", Phrase: "Retail Energy Code"}, {Code: "rec", Phrase: "REC"},
	{Code: "sec", Phrase: "Smart Energy Code"}, {Code: "sec", Phrase: "SEC"}}

func TestFindCodeRefs(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // code, the text spanned, the reference's own text
	}{
		{"as set out in Schedule 3 of the Retail Energy Code.", []string{"rec", "Schedule 3 of the Retail Energy Code", "Schedule 3"}},
		{"see REC Schedule 3 and Section H", []string{"rec", "REC Schedule 3", "Schedule 3"}},
		{"under S1.3 of Retail Energy Code", []string{"rec", "S1.3 of Retail Energy Code", "S1.3"}},
		{"Section H1.10(d) of the Smart Energy Code applies", []string{"sec", "Section H1.10(d) of the Smart Energy Code", "Section H1.10(d)"}},
		{"the Smart Energy Code Section H and REC M2.1", []string{"sec", "Smart Energy Code Section H", "Section H", "rec", "REC M2.1", "M2.1"}},
		// Not another code's: no phrase, an unknown code, a phrase inside a word.
		{"Section H of this Code", nil},
		{"Section H of the Balancing and Settlement Code", nil},
		{"PRECS1.3 and XREC M2.1", nil},
		{"Schedule 3 of the Retail Energy Codex", nil},
		{"the Retail Energy Code", nil},
		// One phrase between two references belongs to the first.
		{"S1.1 of the REC M2.1", []string{"rec", "S1.1 of the REC", "S1.1"}},
	} {
		var got []string
		for _, r := range FindCodeRefs(tc.text, testCodeNames) {
			got = append(got, r.Code, tc.text[r.Start:r.End], tc.text[r.Ref.Start:r.Ref.End])
		}
		assert.Equal(t, tc.want, got, tc.text)
	}
	assert.Nil(t, FindCodeRefs("Schedule 3 of the Retail Energy Code", nil))
}

type codeLinker struct{ *fakeLinker }

func (codeLinker) CodeNames() []CodeName { return testCodeNames }
func (codeLinker) CodeRefHref(r CodeRef) (string, bool) {
	if r.Code != "rec" {
		return "", false // a code not served: plain text
	}
	return "/rec/x#" + r.Ref.Anchor(), true
}

// A reference into another code links there, never to the citing code's own document of
// the same name; one into a code not served is plain text.
func TestRenderCodeRefs(t *testing.T) {
	d := Parse([]byte("# Doc\n\n## H1 Part {#H1}\n\n**H1.1** See S1.3 of the Retail Energy Code, Section H of the Smart Energy Code and H1.1.\n"))
	l := newFakeLinker(nil, "H", "S")
	l.docs["Section H"] = true
	nodes, err := Render(d, codeLinker{l})
	require.NoError(t, err)
	var html strings.Builder
	for _, n := range nodes {
		html.WriteString(string(n))
	}
	out := html.String()
	assert.Contains(t, out, `<a class="xref xcode" href="/rec/x#S1.3">S1.3 of the Retail Energy Code</a>`)
	assert.Contains(t, out, "Section H of the Smart Energy Code and")
	assert.NotContains(t, out, `>Section H<`, "another code's Section H is not this code's")
}

// FindCodeRefs never panics, returns spans in order that hold their reference and lie in
// the text.
func FuzzFindCodeRefs(f *testing.F) {
	for _, s := range []string{"Schedule 3 of the Retail Energy Code", "REC S1.3", "SEC Section H1.1(a) of the REC", "of the", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end := 0
		for _, r := range FindCodeRefs(s, testCodeNames) {
			if r.Start < end || r.End > len(s) || r.Start > r.Ref.Start || r.Ref.End > r.End {
				t.Fatalf("%q: bad span %+v", s, r)
			}
			end = r.End
		}
	})
}
