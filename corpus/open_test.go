package corpus

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// copySample copies the sample corpus into a temporary folder, with its files dated well in
// the past (a file modified within racyWindow is never trusted to the fingerprint cache).
func copySample(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "sec")
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir("sec", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("sec", p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			return err
		}
		return os.Chtimes(to, old, old)
	})
	require.NoError(t, err)
	return dst
}

// anchorsOf lists every anchor of a parsed text.
func anchorsOf(t *legaltext.Doc) []string {
	var out []string
	for _, n := range t.Nodes {
		if n.ID != "" {
			out = append(out, n.ID)
		}
		out = append(out, n.SubIDs...)
	}
	return out
}

// Reading every version through a small cache keeps the cache within its budget, and a
// version read again from its file is the text that was loaded.
func TestTreeCacheIsBounded(t *testing.T) {
	full, err := Load("sec")
	require.NoError(t, err)
	const budget = 200 << 10
	small, err := Open("sec", Options{TreeCacheBytes: budget})
	require.NoError(t, err)
	for round := 0; round < 2; round++ {
		for i, d := range small.Documents {
			for j, v := range d.Versions {
				got := v.Tree()
				want := full.Documents[i].Versions[j].Tree()
				require.Equal(t, want.Source(), got.Source(), "%s %s", d.ID, v.Number)
				require.Equal(t, anchorsOf(want), anchorsOf(got), "%s %s", d.ID, v.Number)
				st := small.TreeCacheStats()
				require.LessOrEqual(t, st.Bytes, int64(budget), "after %s %s", d.ID, v.Number)
			}
		}
	}
	st := small.TreeCacheStats()
	assert.Greater(t, st.Misses, int64(0), "versions were read again from their files")
	assert.Greater(t, st.Entries, 0)
}

// Many readers of the same version at once parse its file once.
func TestTreeLoadedOnce(t *testing.T) {
	c, err := Open("sec", Options{TreeCacheBytes: 1})
	require.NoError(t, err)
	v := c.Document("section-h").Latest()
	done := make(chan *legaltext.Doc)
	for range 8 {
		go func() { done <- v.Tree() }()
	}
	for range 8 {
		got := <-done
		assert.NotEmpty(t, got.Nodes)
	}
}

// The facts kept of each version answer as its text does.
func TestFactsAnswerAsTheText(t *testing.T) {
	c, err := Load("sec")
	require.NoError(t, err)
	for _, d := range c.Documents {
		var all []string
		for _, v := range d.Versions {
			all = append(all, anchorsOf(v.Tree())...)
		}
		all = append(all, "H99.99", "nothing", "")
		for _, v := range d.Versions {
			tree := v.Tree()
			for _, id := range all {
				require.Equal(t, tree.HasAnchor(id), v.HasAnchor(id), "%s %s %q", d.ID, v.Number, id)
			}
			assert.Equal(t, len(tree.Definitions), len(v.Definitions()), "%s %s", d.ID, v.Number)
			for i, def := range v.Definitions() {
				assert.Equal(t, tree.Definitions[i], def)
			}
		}
	}
}

// A start on files seen before reads the snapshot, parses no text, and knows what a full
// load knows; a change to the files is noticed, and problems are reported as ever.
func TestOpenFromSnapshot(t *testing.T) {
	dir := copySample(t)
	cache := t.TempDir()

	first, err := Open(dir, Options{CacheDir: cache})
	require.NoError(t, err)
	assert.False(t, first.FromSnapshot(), "nothing cached yet: a full load")
	require.NotEmpty(t, first.Fingerprint())
	snaps, _ := filepath.Glob(filepath.Join(cache, "snapshot-*.gob"))
	require.Len(t, snaps, 1, "a snapshot is written after a load without problems")

	second, err := Open(dir, Options{CacheDir: cache})
	require.NoError(t, err)
	assert.True(t, second.FromSnapshot())
	assert.Equal(t, first.Fingerprint(), second.Fingerprint())
	assert.Zero(t, second.TreeCacheStats().Entries, "no text was parsed")

	// The same answers: versions, anchors, definitions, references, terms.
	day := Date("2020-07-01")
	for i, d := range first.Documents {
		d2 := second.Documents[i]
		require.Equal(t, d.ID, d2.ID)
		require.Equal(t, len(d.Versions), len(d2.Versions))
		for j, v := range d.Versions {
			v2 := d2.Versions[j]
			assert.Equal(t, v.Number, v2.Number)
			assert.Equal(t, v.Effective, v2.Effective)
			assert.Equal(t, v.BodyLine, v2.BodyLine)
			assert.Equal(t, v.Modifications, v2.Modifications)
			for _, id := range anchorsOf(v.Tree()) {
				assert.True(t, v2.HasAnchor(id), "%s %s %s", d.ID, v.Number, id)
			}
			assert.Equal(t, v.Definitions(), v2.Definitions())
			for _, n := range v.Tree().Nodes {
				for _, r := range n.Refs {
					t1, ok1, f1 := first.Resolve(r, day)
					t2, ok2, f2 := second.Resolve(r, day)
					assert.Equal(t, []bool{ok1, f1}, []bool{ok2, f2}, r.Text)
					assert.Equal(t, t1.Anchor, t2.Anchor)
				}
			}
		}
	}
	assert.Equal(t, len(first.TermsAt(day).Defs), len(second.TermsAt(day).Defs))
	h := second.Document("section-h").Latest()
	assert.Equal(t, first.Document("section-h").Latest().Tree().Source(), h.Tree().Source(), "text read from the file on use")

	// A changed file: a full load again, and a new snapshot in place of the old one.
	p := h.Path
	data, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(data), "shall", "must", 1)), 0o644))
	third, err := Open(dir, Options{CacheDir: cache})
	require.NoError(t, err)
	assert.False(t, third.FromSnapshot(), "the files changed")
	assert.NotEqual(t, first.Fingerprint(), third.Fingerprint())

	// A broken file is reported at its line, snapshot or not.
	broken := strings.Replace(string(data), "H1.1", "H1.1", 1) + "\n1.1 A paragraph with a reference to Section H99.4.\n"
	require.NoError(t, os.WriteFile(p, []byte(broken), 0o644))
	_, err = Open(dir, Options{CacheDir: cache})
	var probs Problems
	require.ErrorAs(t, err, &probs)
	assert.Contains(t, probs.Error(), filepath.Base(p)+":")
}

// A damaged snapshot or file-hash cache is not trusted.
func TestDamagedCache(t *testing.T) {
	dir := copySample(t)
	cache := t.TempDir()
	_, err := Open(dir, Options{CacheDir: cache})
	require.NoError(t, err)
	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	for _, e := range entries {
		require.NoError(t, os.WriteFile(filepath.Join(cache, e.Name()), []byte("not a gob"), 0o644))
	}
	c, err := Open(dir, Options{CacheDir: cache})
	require.NoError(t, err)
	assert.False(t, c.FromSnapshot())
	again, err := Open(dir, Options{CacheDir: cache})
	require.NoError(t, err)
	assert.True(t, again.FromSnapshot(), "rewritten")
}

// The fingerprint cache is only a speed-up: a file changed in place, even to the same size,
// changes the fingerprint.
func TestFingerprintCache(t *testing.T) {
	dir := copySample(t)
	cachePath := filepath.Join(t.TempDir(), "files.gob")
	a, err := Fingerprint(dir, cachePath)
	require.NoError(t, err)
	b, err := Fingerprint(dir, "")
	require.NoError(t, err)
	assert.Equal(t, a, b, "with and without the cache")
	again, err := Fingerprint(dir, cachePath)
	require.NoError(t, err)
	assert.Equal(t, a, again)

	p := filepath.Join(dir, "code.yaml")
	data, err := os.ReadFile(p)
	require.NoError(t, err)
	same := []byte(strings.Replace(string(data), "a", "b", 1))
	require.Len(t, same, len(data))
	require.NoError(t, os.WriteFile(p, same, 0o644))
	changed, err := Fingerprint(dir, cachePath)
	require.NoError(t, err)
	assert.NotEqual(t, a, changed, "same size, new time: read again")
	// Changed again within the same second, same size: a recent file is never cached.
	require.NoError(t, os.WriteFile(p, data, 0o644))
	back, err := Fingerprint(dir, cachePath)
	require.NoError(t, err)
	assert.Equal(t, a, back)
}
