package merge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// realtextDir holds real legal text written elsewhere, in several versions (see its README).
// It lives outside the repository: the tests read it in place and skip when it is missing.
const realtextDir = "../../../shared/realtext"

func realVersions(t testing.TB, pattern string) []*legaltext.Doc {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(realtextDir, pattern))
	if len(files) == 0 {
		t.Skipf("no real texts at %s (see the README there)", filepath.Join(realtextDir, pattern))
	}
	var out []*legaltext.Doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if strings.HasSuffix(f, ".txt") {
			out = append(out, legaltext.ParseText(data))
			continue
		}
		_, body, _, _, _ := legaltext.FrontMatter(data)
		out = append(out, legaltext.Parse(body))
	}
	return out
}

// TestMergeRealTexts checks the laws that need no judgement on real documents that nobody on
// this project wrote: an unchanged side gives the other, the same change on both sides is
// that change.
func TestMergeRealTexts(t *testing.T) {
	for _, pattern := range []string{"site-policy/*.md", "cc-by/*.txt"} {
		docs := realVersions(t, pattern)
		for i := 0; i+1 < len(docs); i++ {
			base, x := docs[i], docs[i+1]
			r := Merge(base, base, x)
			require.Empty(t, r.Conflicts, pattern)
			assert.Equal(t, words(x.Source()), words(r.Text), pattern)
			r = Merge(base, x, base)
			require.Empty(t, r.Conflicts, pattern)
			assert.Equal(t, words(x.Source()), words(r.Text), pattern)
			r = Merge(base, x, x)
			require.Empty(t, r.Conflicts, pattern)
			assert.Equal(t, words(x.Source()), words(r.Text), pattern)
		}
	}
}

// TestMergeRealTextOneWord changes one word of a real text on one side and merges it with the
// next version on the other: the word lands when nothing else changed it.
func TestMergeRealTextOneWord(t *testing.T) {
	docs := realVersions(t, "cc-by/*.txt")
	base, next := docs[0], docs[1] // v2.0 -> v2.5, a small amendment
	const old, new = "Licensor offers to", "Licensor hereby offers to"
	require.Contains(t, base.Source(), old)
	theirs := legaltext.ParseText([]byte(strings.Replace(base.Source(), old, new, 1)))
	r := Merge(base, next, theirs)
	require.Empty(t, r.Conflicts)
	assert.Contains(t, r.Text, new)
	assert.Equal(t, strings.Count(next.Source(), "Licensor offers to")-1, strings.Count(r.Text, "Licensor offers to"))
}

func BenchmarkMergeRealText(b *testing.B) {
	docs := realVersions(b, "site-policy/*.md")
	for b.Loop() {
		Merge(docs[0], docs[1], docs[2])
	}
}
