package legaltext

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseScheme parses any input in every built-in scheme: it never panics, the nodes
// partition the input, every anchor is used once (or a problem says so), every unit's id is
// its citation without spaces, the paragraphs of a clause locate into its units in order,
// and the rendered HTML is produced.
func FuzzParseScheme(f *testing.F) {
	for _, s := range []string{
		"## § 14a T\n\n(1) A:\n\n1. x\n2. y\n\n4c. z\n\na) q\n\n(2) B.\n",
		"# § 50-1. T\n\n(a) A.\n\n(2)(A) B.\n\n(B) C.\n\n(i) D.\n\n(I) E.\n\n(j)(1A) F.\n",
		"1.—(1) A.\n\n(2) B—\n\n(a) c;\n\n**2.** D.\n",
		"## A. X\n\n1. a\n\n### 1. Y\n\n## Teil 1 - Z\n\n### Abschnitt 2 - W\n\n## Präambel\n",
		"(1)(1)(1)(1) x\n\n((a)) (a)(b (c)x\n\n## §\n\n## § 1a-\n\n## Art. 3. T\n",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(2))
		f.Add([]byte(s), uint8(3))
		f.Add([]byte(s), uint8(4))
	}
	names := SchemeNames()
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		s, _ := BuiltinScheme(names[int(which)%len(names)])
		want := src
		if !utf8.Valid(want) {
			want = bytes.ToValidUTF8(want, []byte("\uFFFD"))
		}
		d := ParseScheme(src, s)
		if got := concatSources(d); got != string(want) {
			t.Fatalf("%s: sources do not concatenate to the input:\n got %q\nwant %q", s, got, want)
		}
		seen := map[string]bool{}
		for _, n := range d.Nodes {
			for _, id := range append([]string{n.ID}, n.SubIDs...) {
				if seen[id] && len(d.Problems) == 0 {
					t.Fatalf("%s: anchor %q used twice and no problem reported", s, id)
				}
				seen[id] = true
			}
			for _, u := range n.Units {
				if !strings.HasPrefix(u.ID, idOf(u.Label)) || u.Lead == "" || u.Level < 1 {
					t.Fatalf("%s: unit %+v", s, u)
				}
			}
			at := n.LocateUnits(strings.Split(n.Text, "\n"))
			for k := 1; k < len(at); k++ {
				if at[k] < at[k-1] || at[k] >= len(n.Units) {
					t.Fatalf("%s: units located out of order: %v", s, at)
				}
			}
		}
		if _, err := Render(d, nil); err != nil {
			t.Fatalf("%s: render: %v", s, err)
		}
	})
}

// FuzzCheckText never panics, and accepts any text that has a word and no markup or
// control characters.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"# Law\n\nWords.\n", "<?xml?><a/>", "", "PK\x03\x04", "<p>x</p>", "\x00", "---"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := CheckText(b)
		plain := utf8.Valid(b) && !bytes.ContainsAny(b, "<\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f") &&
			bytes.ContainsAny(b, "abcdefghijklmnopqrstuvwxyz") && !bytes.HasPrefix(b, []byte("PK")) && !bytes.HasPrefix(b, []byte("%PDF-")) &&
			!bytes.HasPrefix(b, []byte("{\\rtf")) && !bytes.HasPrefix(b, []byte("\ufeff"))
		if plain && err != nil {
			t.Fatalf("%q refused: %v", b, err)
		}
	})
}

// FuzzSchemeSpec: any spec is either refused with a reason or yields a scheme that parses.
func FuzzSchemeSpec(f *testing.F) {
	f.Add("german-statute", "§,Art", "(1),1.,a)", true, " ")
	f.Add("", "", "(a),(1)", false, "")
	f.Add("sec", "x", "<1>", true, "-")
	f.Fuzz(func(t *testing.T, base, headings, labels string, hc bool, sep string) {
		sp := SchemeSpec{Base: base, HeadingClauses: &hc, Separator: &sep}
		if headings != "" {
			sp.Headings = strings.Split(headings, ",")
		}
		if labels != "" {
			sp.Labels = strings.Split(labels, ",")
		}
		s, err := sp.Scheme()
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a reason")
			}
			return
		}
		ParseScheme([]byte("## § 1 T\n\n(1) a\n\n1. b\n\n(a) c\n"), s)
	})
}
