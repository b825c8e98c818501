package writer

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rel = "modifications/MP1/legal-text/section-h.md"

// gitRepo makes a temporary git work tree, or skips when git is missing.
func gitRepo(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the git history of the corpus writer is not tested")
	}
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"-c", "user.name=setup", "-c", "user.email=setup@x", "commit", "-q", "--allow-empty", "-m", "start"}} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	return dir
}

func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

// writers returns a writer of each kind: git history, and the drafts store.
func writers(t testing.TB) map[string]*Writer {
	ctx := context.Background()
	out := map[string]*Writer{}
	store, err := New(ctx, t.TempDir(), Options{Store: t.TempDir()})
	require.NoError(t, err)
	require.False(t, store.Git())
	out["store"] = store
	if _, err := exec.LookPath("git"); err == nil {
		g, err := New(ctx, gitRepo(t), Options{})
		require.NoError(t, err)
		require.True(t, g.Git())
		out["git"] = g
	}
	return out
}

func TestSaveHistoryConflict(t *testing.T) {
	ctx := context.Background()
	for name, w := range writers(t) {
		t.Run(name, func(t *testing.T) {
			alice := Author{Name: "alice", Email: "alice@example.org"}
			bob := Author{Name: "bob"}
			r1, err := w.Save(ctx, Save{Path: rel, Content: []byte("one\n"), Expect: "", Author: alice, Message: "first draft"})
			require.NoError(t, err)
			assert.Equal(t, "alice", r1.Author)
			data, rev, err := w.Current(rel)
			require.NoError(t, err)
			assert.Equal(t, "one\n", string(data))
			assert.Equal(t, RevisionOf([]byte("one\n"), true), rev)

			// Bob started from the same (empty) state: his save is a conflict naming alice.
			_, err = w.Save(ctx, Save{Path: rel, Content: []byte("bob's\n"), Expect: "", Author: bob})
			var conflict *ErrConflict
			require.ErrorAs(t, err, &conflict)
			assert.Equal(t, "alice", conflict.Last.Author)
			assert.Contains(t, err.Error(), "first draft")
			data, _, _ = w.Current(rel)
			assert.Equal(t, "one\n", string(data), "a conflicting save changes nothing")

			_, err = w.Save(ctx, Save{Path: rel, Content: []byte("one\n"), Expect: rev, Author: bob})
			assert.ErrorIs(t, err, ErrUnchanged)

			r2, err := w.Save(ctx, Save{Path: rel, Content: []byte("two\n"), Expect: rev, Author: bob, Message: "second"})
			require.NoError(t, err)
			hist, err := w.History(ctx, rel)
			require.NoError(t, err)
			require.Len(t, hist, 2)
			assert.Equal(t, []string{"second", "first draft"}, []string{hist[0].Message, hist[1].Message})
			assert.Equal(t, []string{"bob", "alice"}, []string{hist[0].Author, hist[1].Author})
			assert.Equal(t, r2.ID, hist[0].ID)
			assert.Equal(t, "bob@users.codenav.invalid", hist[0].Email)
			for id, want := range map[string]string{r1.ID: "one\n", r2.ID: "two\n"} {
				got, err := w.At(ctx, rel, id)
				require.NoError(t, err)
				assert.Equal(t, want, string(got))
			}
			_, err = w.At(ctx, rel, "--help")
			assert.Error(t, err)
		})
	}
}

func TestSaveCheckFailsPutsBack(t *testing.T) {
	ctx := context.Background()
	for name, w := range writers(t) {
		t.Run(name, func(t *testing.T) {
			a := Author{Name: "alice"}
			_, err := w.Save(ctx, Save{Path: rel, Content: []byte("good\n"), Author: a})
			require.NoError(t, err)
			_, rev, _ := w.Current(rel)
			broken := errors.New("the corpus does not load")
			var seen string
			_, err = w.Save(ctx, Save{Path: rel, Content: []byte("bad\n"), Expect: rev, Author: a, Check: func(context.Context) error {
				data, _, _ := w.Current(rel)
				seen = string(data)
				return broken
			}})
			assert.ErrorIs(t, err, broken)
			assert.Equal(t, "bad\n", seen, "the check sees the new file in place")
			data, _, _ := w.Current(rel)
			assert.Equal(t, "good\n", string(data), "put back")
			hist, _ := w.History(ctx, rel)
			assert.Len(t, hist, 1, "nothing recorded")

			// A new file whose check fails is removed again.
			other := "modifications/MP1/legal-text/section-a.md"
			_, err = w.Save(ctx, Save{Path: other, Content: []byte("x"), Author: a, Check: func(context.Context) error { return broken }})
			assert.ErrorIs(t, err, broken)
			_, rev, _ = w.Current(other)
			assert.Equal(t, "", rev)
		})
	}
}

func TestSaveRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	w, err := New(ctx, t.TempDir(), Options{Store: t.TempDir()})
	require.NoError(t, err)
	for _, p := range []string{"", "../outside.md", "/etc/passwd", "..", "."} {
		_, err := w.Save(ctx, Save{Path: p, Content: []byte("x"), Author: Author{Name: "a"}})
		assert.Error(t, err, p)
	}
	_, err = w.Save(ctx, Save{Path: rel, Content: []byte("x")})
	assert.ErrorContains(t, err, "author")
}

// Ten drafters save from the same revision at once: exactly one wins, the others conflict.
func TestConcurrentSavesOneWins(t *testing.T) {
	ctx := context.Background()
	for name, w := range writers(t) {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make([]error, 10)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = w.Save(ctx, Save{Path: rel, Content: []byte{byte('a' + i), '\n'}, Author: Author{Name: "d"}})
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				var c *ErrConflict
				if err == nil {
					ok++
				} else {
					assert.ErrorAs(t, err, &c)
				}
			}
			assert.Equal(t, 1, ok)
			hist, _ := w.History(ctx, rel)
			assert.Len(t, hist, 1)
		})
	}
}

// A commit holds the saved file only, by the drafter, whatever else is staged.
func TestGitCommitOnlyTheFile(t *testing.T) {
	ctx := context.Background()
	dir := gitRepo(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.txt"), []byte("x"), 0o644))
	git(t, dir, "add", "other.txt")
	w, err := New(ctx, dir, Options{})
	require.NoError(t, err)
	_, err = w.Save(ctx, Save{Path: rel, Content: []byte("t\n"), Author: Author{Name: "Alice Drafter", Email: "alice@example.org"}, Message: "MP1: first"})
	require.NoError(t, err)
	assert.Equal(t, rel+"\n", git(t, dir, "show", "--format=", "--name-only", "HEAD"))
	assert.Equal(t, "Alice Drafter <alice@example.org>|Alice Drafter <alice@example.org>\n",
		git(t, dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>"))
	assert.Equal(t, "A  other.txt\n", git(t, dir, "status", "--porcelain"), "the other staged file is left staged")
}

// The drafts store keeps the file as it was found before the first save.
func TestStoreKeepsTheOriginal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte("original\n"), 0o644))
	w, err := New(ctx, dir, Options{Store: t.TempDir(), NoGit: true})
	require.NoError(t, err)
	_, rev, _ := w.Current(rel)
	_, err = w.Save(ctx, Save{Path: rel, Content: []byte("edited\n"), Expect: rev, Author: Author{Name: "a"}})
	require.NoError(t, err)
	hist, err := w.History(ctx, rel)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, "corpus", hist[1].Author)
	got, err := w.At(ctx, rel, hist[1].ID)
	require.NoError(t, err)
	assert.Equal(t, "original\n", string(got))
}

func TestNewNeedsAHistory(t *testing.T) {
	_, err := New(context.Background(), t.TempDir(), Options{NoGit: true})
	assert.ErrorContains(t, err, "drafts store")
}
