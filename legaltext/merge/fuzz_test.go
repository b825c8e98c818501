package merge

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzMerge merges arbitrary texts. The merge must not panic, must return text that parses
// into the ids it decided, must report the same conflicts whichever side is ours, and, when
// it reports none, must carry every change of each side (see checkLaw).
func FuzzMerge(f *testing.F) {
	f.Add(baseDoc, baseDoc, baseDoc)
	f.Add(baseDoc, "# Section Z: Test\n\n**Z1.1** ours\n", "**Z1.1** theirs\n\n**Z1.1** again\n")
	f.Add("**A1.1** foo bold **b12** bar.\n", "**A1.1** foo\n\n**b12** bar.\n", "**A1.1** foo bold **B12** bar.\n")
	f.Add("**A1** x\n\n```\n", "**A1** y\n\n**A2** z\n", "```\n**A1** x\n")
	f.Add("a\r\nb", "a\r\nc", "\xff\xfe")
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 11))
		base := randomDoc(rng)
		f.Add(base, mutate(rng, base), mutate(rng, base))
	}
	f.Fuzz(func(t *testing.T, base, ours, theirs string) {
		r := merge3(base, ours, theirs)
		require.NotNil(t, r.Doc)
		sw := merge3(base, theirs, ours)
		if !hasStructure(r) && !hasStructure(sw) {
			// A structure conflict depends on the merged text, which keeps ours.
			assert.Equal(t, swapped(r.Conflicts), sortedConflicts(sw.Conflicts), "conflicts are symmetric")
		}
		if r.Clean() {
			assert.Equal(t, r.Text, string([]byte(r.Doc.Source())), "Doc is the text parsed")
		}
		checkLaw(t, base, ours, theirs, r)
		checkLaw(t, base, theirs, ours, sw)
	})
}

func hasStructure(r *Result) bool {
	for _, c := range r.Conflicts {
		if c.Kind == KindStructure {
			return true
		}
	}
	return false
}
