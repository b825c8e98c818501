package merge

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// sortedConflicts orders conflicts by clause and kind, for comparisons that do not depend on
// which side leads.
func sortedConflicts(cs []Conflict) []Conflict {
	out := append([]Conflict{}, cs...)
	slices.SortStableFunc(out, func(a, b Conflict) int {
		return strings.Compare(a.Clause+"\x00"+string(a.Kind), b.Clause+"\x00"+string(b.Kind))
	})
	return out
}

// swapped is cs with ours and theirs exchanged, sorted.
func swapped(cs []Conflict) []Conflict {
	out := make([]Conflict, len(cs))
	for i, c := range cs {
		c.Ours, c.Theirs = c.Theirs, c.Ours
		out[i] = c
	}
	return sortedConflicts(out)
}

// words is a text's words with whitespace collapsed: what "the same words" compares.
func words(s string) string {
	return redline.Normalize(strings.ReplaceAll(s, "\r\n", "\n"))
}

var vocabulary = strings.Fields(`the DCC shall a Party may within days of Panel notify User
Service Request and or not less than Code Administrator each any Working Days publish guide
Section Schedule in accordance with 30 45 10 Smart Metering System Device`)

// randomDoc writes a document of parts and clauses (some with sub-paragraphs) from rng.
func randomDoc(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("# Section R: Random\n\n")
	if rng.IntN(2) == 0 {
		b.WriteString(sentence(rng) + "\n\n")
	}
	for p := 1; p <= 1+rng.IntN(3); p++ {
		fmt.Fprintf(&b, "## R%d Part %d {#R%d}\n\n", p, p, p)
		for c := 1; c <= 1+rng.IntN(5); c++ {
			fmt.Fprintf(&b, "**R%d.%d** %s\n", p, c, sentence(rng))
			if rng.IntN(4) == 0 {
				b.WriteString("\n- (a) " + sentence(rng) + "\n- (b) " + sentence(rng) + "\n")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func sentence(rng *rand.Rand) string {
	n := 3 + rng.IntN(12)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = vocabulary[rng.IntN(len(vocabulary))]
	}
	return strings.Join(ws, " ") + "."
}

// mutate makes a few random changes to a document: words replaced, inserted or deleted in
// a clause, a clause deleted, added or moved.
func mutate(rng *rand.Rand, src string) string {
	d := legaltext.Parse([]byte(src))
	s := cut(d)
	units := slices.Clone(s.units)
	for range 1 + rng.IntN(3) {
		if len(units) == 0 {
			break
		}
		i := rng.IntN(len(units))
		switch rng.IntN(6) {
		case 0, 1, 2: // words
			ws := redline.Words(units[i].body)
			j := rng.IntN(len(ws))
			if redline.IsSpace(ws[j]) || strings.HasPrefix(units[i].body, "#") && j < 3 {
				continue
			}
			switch rng.IntN(3) {
			case 0:
				ws[j] = vocabulary[rng.IntN(len(vocabulary))]
			case 1:
				ws[j] = ws[j] + " " + vocabulary[rng.IntN(len(vocabulary))]
			default:
				if j > 6 {
					ws[j] = ""
				}
			}
			units[i].body = strings.Join(ws, "")
		case 3: // delete a clause
			if units[i].id != "" && strings.HasPrefix(units[i].body, "**") {
				units = slices.Delete(units, i, i+1)
			}
		case 4: // add a clause
			id := fmt.Sprintf("R9.%d", rng.IntN(1000))
			if _, taken := s.at[id]; !taken {
				units = slices.Insert(units, i+1, unit{key: id, id: id, body: "**" + id + "** " + sentence(rng), tail: "\n\n"})
				s.at[id] = -1
			}
		default: // move a clause
			j := rng.IntN(len(units))
			if i > 0 && j > 0 && strings.HasPrefix(units[i].body, "**") {
				u := units[i]
				units = slices.Delete(units, i, i+1)
				units = slices.Insert(units, min(j, len(units)), u)
			}
		}
	}
	var b strings.Builder
	for i, u := range units {
		if i == 0 {
			b.WriteString(u.head)
		}
		b.WriteString(u.body)
		b.WriteString("\n\n")
	}
	return b.String()
}

// TestMergeLaws checks the merge's laws on random documents and random changes.
func TestMergeLaws(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		base := randomDoc(rng)
		x, y := mutate(rng, base), mutate(rng, base)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			// An unchanged side gives the other side, word for word.
			r := merge3(base, base, x)
			require.Empty(t, r.Conflicts)
			assert.Equal(t, words(x), words(r.Text))
			r = merge3(base, x, base)
			require.Empty(t, r.Conflicts)
			assert.Equal(t, words(x), words(r.Text))
			// The same change on both sides is that change.
			r = merge3(base, x, x)
			require.Empty(t, r.Conflicts)
			assert.Equal(t, x, r.Text)
			// Conflicts are symmetric; with none, the merge is symmetric in its words.
			r, sw := merge3(base, x, y), merge3(base, y, x)
			assert.Equal(t, swapped(r.Conflicts), sortedConflicts(sw.Conflicts))
			checkLaw(t, base, x, y, r)
			checkLaw(t, base, y, x, sw)
		})
	}
}

// checkLaw checks a merge without conflicts: it parses into the units decided, and every
// change of each side relative to base is in it.
func checkLaw(t *testing.T, base, ours, theirs string, r *Result) {
	t.Helper()
	if !r.Clean() {
		return
	}
	b := cut(legaltext.Parse([]byte(base)))
	o := cut(legaltext.Parse([]byte(ours)))
	th := cut(legaltext.Parse([]byte(theirs)))
	got := cut(r.Doc)
	for _, pair := range [][2]*side{{o, th}, {th, o}} {
		x, other := pair[0], pair[1]
		for _, u := range x.units {
			bu, inB := b.get(u.key)
			gu, inGot := got.get(u.key)
			ou, inOther := other.get(u.key)
			switch {
			case !inB && strings.TrimSpace(u.body) == "":
				// Only whitespace added (to an empty document): no words, nothing to carry.
			case !inB: // added by x
				require.True(t, inGot, "%s added by one side is in the merge", u.key)
				assert.Equal(t, u.body, gu.body, "%s added by one side", u.key)
			case bu.body == u.body: // x left it alone: the other side decides
				if !inOther {
					assert.False(t, inGot, "%s deleted by the other side", u.key)
				} else {
					assert.Equal(t, ou.body, gu.body, "%s changed by the other side only", u.key)
				}
			default: // x changed it: each of its edits is in the merge
				require.True(t, inGot, "%s changed by one side is in the merge", u.key)
				in := interner{}
				tb, tx := in.split(bu.body), in.split(u.body)
				for _, e := range diff(tb.ids, tx.ids) {
					ins := strings.Join(tx.text[e.rs:e.re], "")
					assert.Contains(t, gu.body, ins, "%s: words inserted by one side are in the merge", u.key)
				}
				if !inOther || ou.body == bu.body {
					assert.Equal(t, u.body, gu.body, "%s changed by one side only", u.key)
				}
			}
		}
		for _, u := range b.units {
			if _, inX := x.get(u.key); inX {
				continue
			}
			// x deleted it; with no conflict, the other side did not change it.
			_, inGot := got.get(u.key)
			assert.False(t, inGot, "%s deleted by one side is not in the merge", u.key)
		}
	}
}
