package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

func dirsIn(t *testing.T, dir string) (gens, builds []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		switch {
		case !e.IsDir():
		case strings.HasPrefix(e.Name(), ".build-"):
			builds = append(builds, e.Name())
		default:
			gens = append(gens, e.Name())
		}
	}
	return gens, builds
}

// Close stops the build in progress and returns only once it has stopped: nothing is
// written into the data folder after it, and no build folder is left.
func TestCloseWaitsForBuild(t *testing.T) {
	code, err := corpus.Load("../corpus/sec")
	require.NoError(t, err)
	data := t.TempDir()
	var calls atomic.Int64
	started := make(chan struct{}, 1)
	opt := quiet()
	opt.Progress = func(done, total int) {
		calls.Add(1)
		select {
		case started <- struct{}{}:
		default:
		}
	}
	m, err := Open(context.Background(), data, code, opt)
	require.NoError(t, err)
	<-started
	require.NoError(t, m.Close())
	after := calls.Load()
	_, builds := dirsIn(t, filepath.Join(data, "index"))
	assert.Empty(t, builds, "the build folder is removed before Close returns")
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, after, calls.Load(), "the build goes on after Close")
	_, builds = dirsIn(t, filepath.Join(data, "index"))
	assert.Empty(t, builds)
	_, err = m.Search(context.Background(), Request{Query: "shall", Visible: public(code), Today: today})
	assert.ErrorIs(t, err, ErrNotReady)
}

// Two managers on one data folder (a SIGHUP reload: the old generation still answers while
// the new one builds) leave each other's folders alone: a live build folder survives the new
// manager's start, the old generation survives the new one's swap while the old manager
// uses it (and may still build views into it), and goes when the old manager closes.
func TestTwoManagersShareADataFolder(t *testing.T) {
	dir := copyCorpus(t)
	data := t.TempDir()
	idxDir := filepath.Join(data, "index")
	ctx := context.Background()
	code1, err := corpus.Load(dir)
	require.NoError(t, err)
	m1, err := Open(ctx, data, code1, quiet())
	require.NoError(t, err)
	defer m1.Close()
	require.NoError(t, m1.Wait(ctx))
	gen1 := m1.Name()

	// A build of another live manager (its lock held), and a dead one (nobody holds its lock).
	live := filepath.Join(idxDir, ".build-live")
	require.NoError(t, os.MkdirAll(live, 0o755))
	held, ok, err := lockFile(filepath.Join(live, "lock"), true, true)
	require.NoError(t, err)
	require.True(t, ok)
	defer held.Close()
	dead := filepath.Join(idxDir, ".build-dead")
	require.NoError(t, os.MkdirAll(dead, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dead, "lock"), nil, 0o644))

	p := filepath.Join(dir, "documents", "section-h", "3.0.md")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, append(b, []byte("\n**H14.99** Zebracrossing obligations apply.\n")...), 0o644))
	code2, err := corpus.Load(dir)
	require.NoError(t, err)
	m2, err := Open(ctx, data, code2, quiet())
	require.NoError(t, err)
	defer m2.Close()
	assert.DirExists(t, live, "a build in progress is not removed")
	assert.NoDirExists(t, dead, "a dead build is removed")
	require.NoError(t, m2.Wait(ctx))
	require.NotEqual(t, gen1, m2.Name())

	// The old manager still answers, and builds a new view into its generation.
	gens, _ := dirsIn(t, idxDir)
	assert.ElementsMatch(t, []string{gen1, m2.Name()}, gens)
	res, err := m1.Search(ctx, Request{Query: "ceremony", Visible: all(code1), Today: today, AllVersions: true})
	require.NoError(t, err)
	assert.Positive(t, res.Total)
	assert.DirExists(t, filepath.Join(idxDir, gen1, "views", viewKey(m1.visibleDocs(all(code1)))))

	require.NoError(t, m1.Close())
	gens, _ = dirsIn(t, idxDir)
	assert.Equal(t, []string{m2.Name()}, gens, "the old generation goes once no manager uses it")
	res, err = m2.Search(ctx, Request{Query: "zebracrossing", Visible: public(code2), Today: today})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Total)
}

// While the public view of a new corpus is built, the previous generation answers, but
// never with a document that is gone (item of issue 13: a removed document's title and
// snippet were still found) nor to a reader who could see a document there they may not
// see now.
const goneDoc = "guidance-user-entry"

// removeDoc deletes a document from a corpus copy, and the references to it.
func removeDoc(t *testing.T, dir, id string) {
	t.Helper()
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "documents", id)))
	strip := strings.NewReplacer(", "+id+"]", "]", id+", ", "", "["+id+"]", "[]")
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, []byte(strip.Replace(string(b))), 0o644)
	}))
}

func TestPreviousGenerationAnswersOnlyWhatIsThere(t *testing.T) {
	dir := copyCorpus(t)
	data := t.TempDir()
	ctx := context.Background()
	code1, err := corpus.Load(dir)
	require.NoError(t, err)
	m1, err := Open(ctx, data, code1, quiet())
	require.NoError(t, err)
	require.NoError(t, m1.Wait(ctx))
	before := find(t, m1, Request{Query: "user entry", Visible: public(code1)})
	require.NoError(t, m1.Close())
	docs := map[string]bool{}
	for _, h := range before.Hits {
		docs[h.Doc] = true
	}
	require.True(t, docs[goneDoc], "the sample finds %s for this query", goneDoc)
	removeDoc(t, dir, goneDoc)
	code2, err := corpus.Load(dir)
	require.NoError(t, err)
	opt := quiet()
	block := make(chan struct{})
	opt.Progress = func(int, int) { <-block } // hold the new build: the old generation answers
	m2, err := Open(ctx, data, code2, opt)
	require.NoError(t, err)
	defer m2.Close()
	defer close(block)
	require.True(t, m2.Ready())
	require.False(t, m2.Current())
	res, err := m2.Search(ctx, Request{Query: "user entry", Visible: public(code2), Today: today})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	for _, h := range res.Hits {
		assert.NotEqual(t, goneDoc, h.Doc)
	}
	for _, f := range res.Facets["doc"] {
		assert.NotEqual(t, goneDoc, f.Value)
	}
	assert.Less(t, res.Total, before.Total)
}
