package auth

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

const pw = "a long passphrase"

func hashAt(t *testing.T, cost int) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	require.NoError(t, err)
	return string(h)
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
}

func TestLoadUsers(t *testing.T) {
	dir := t.TempDir()
	h := hashAt(t, bcrypt.MinCost)
	good := filepath.Join(dir, "users.yaml")
	writeFile(t, good, fmt.Sprintf("users:\n- user: alice\n  hash: %q\n  party: large-supplier\n  roles: [drafter]\n  sessions_after: 2026-12-01T10:00:00Z\n", h))
	u, err := LoadUsers(good)
	require.NoError(t, err)
	id, ok := u.Lookup("alice")
	require.True(t, ok)
	assert.Equal(t, Identity{User: "alice", Party: "large-supplier", Roles: []string{"drafter"},
		SessionsAfter: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}, id)
	got, err := u.Authenticate(context.Background(), "alice", pw)
	require.NoError(t, err)
	assert.Equal(t, id, got)
	_, err = u.Authenticate(context.Background(), "alice", "wrong")
	assert.ErrorIs(t, err, ErrBadCredentials)
	_, err = u.Authenticate(context.Background(), "bob", pw)
	assert.ErrorIs(t, err, ErrBadCredentials)
	_, err = u.Authenticate(context.Background(), "bob", "not a password")
	assert.ErrorIs(t, err, ErrBadCredentials, "the dummy hash's own password signs no one in")

	for name, tc := range map[string]struct{ text, msg string }{
		"unknown field": {fmt.Sprintf("users:\n- user: alice\n  hash: %q\n  role: [admin]\n", h), "field role not found"},
		"bad name":      {fmt.Sprintf("users:\n- user: Alice\n  hash: %q\n", h), "lower-case"},
		"twice":         {fmt.Sprintf("users:\n- user: a\n  hash: %q\n- user: a\n  hash: %q\n", h, h), "listed twice"},
		"not bcrypt":    {"users:\n- user: a\n  hash: plain\n", "not a bcrypt hash"},
		"not YAML":      {"users: [", "users file"},
	} {
		p := filepath.Join(dir, name+".yaml")
		writeFile(t, p, tc.text)
		_, err := LoadUsers(p)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.msg, name)
	}
	_, err = LoadUsers(filepath.Join(dir, "missing.yaml"))
	assert.Error(t, err)
}

// An unknown user's password is compared with a hash of the same cost as a known user's, so
// that both take the same time (no timed assert: the cost decides bcrypt's time).
func TestDummyHashCost(t *testing.T) {
	for _, costs := range [][]int{{5}, {5, 6}, {6, 5, 4}} {
		var list []User
		for i, c := range costs {
			list = append(list, User{User: fmt.Sprint("u", i), Hash: hashAt(t, c)})
		}
		u, err := NewUsers(list)
		require.NoError(t, err)
		_, unknown, ok := u.hashFor("nobody")
		require.False(t, ok)
		dc, err := bcrypt.Cost(unknown)
		require.NoError(t, err)
		_, known, ok := u.hashFor("u0")
		require.True(t, ok)
		kc, _ := bcrypt.Cost(known)
		if len(costs) == 1 {
			assert.Equal(t, kc, dc, "unknown and known users cost the same")
		}
		assert.Equal(t, slices.Max(costs), dc, "the highest cost of the file: %v", costs)
		assert.Equal(t, len(costs) > 1, len(u.Costs()) > 1, "mixed costs are reported (serve warns)")
	}
	if testing.Short() {
		t.Log("skipping the cost-12 dummy hash of an empty users file under -short (a quarter of a second)")
		return
	}
	u, err := NewUsers(nil)
	require.NoError(t, err)
	c, _ := bcrypt.Cost(u.dummy)
	assert.Equal(t, DefaultHashCost, c)
	h, err := Hash("a long passphrase")
	require.NoError(t, err)
	c, _ = bcrypt.Cost([]byte(h))
	assert.Equal(t, DefaultHashCost, c, "new passwords are hashed at the same cost")
}

// Setting a new password ends the sessions begun with the old one; adding the same hash
// again, or another user, does not.
func TestAddUserEndsSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	h1, h2 := hashAt(t, bcrypt.MinCost), hashAt(t, bcrypt.MinCost)
	require.NoError(t, AddUser(path, User{User: "alice", Hash: h1}, t0))
	require.NoError(t, AddUser(path, User{User: "bob", Hash: h1}, t0))
	u, err := LoadUsers(path)
	require.NoError(t, err)
	id, _ := u.Lookup("alice")
	assert.True(t, id.SessionsAfter.IsZero(), "a new user has no sessions to end")

	require.NoError(t, AddUser(path, User{User: "alice", Hash: h1, Party: "dcc"}, t0.Add(time.Hour)))
	u, _ = LoadUsers(path)
	id, _ = u.Lookup("alice")
	assert.True(t, id.SessionsAfter.IsZero(), "the same password: sessions go on")
	assert.Equal(t, "dcc", id.Party)

	require.NoError(t, AddUser(path, User{User: "alice", Hash: h2}, t0.Add(2*time.Hour)))
	u, _ = LoadUsers(path)
	id, _ = u.Lookup("alice")
	assert.True(t, id.SessionsAfter.Equal(t0.Add(2*time.Hour)), "a new password ends the sessions")
	id, _ = u.Lookup("bob")
	assert.True(t, id.SessionsAfter.IsZero())
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	// An older time never moves sessions_after back.
	require.NoError(t, EndSessions(path, "alice", t0))
	u, _ = LoadUsers(path)
	id, _ = u.Lookup("alice")
	assert.True(t, id.SessionsAfter.Equal(t0.Add(2*time.Hour)))
	assert.Error(t, EndSessions(path, "nobody", t0))
}

// Writers on several replicas (here goroutines) never lose each other's sign-out.
func TestEndSessionsConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	h := hashAt(t, bcrypt.MinCost)
	const n = 8
	for i := range n {
		require.NoError(t, AddUser(path, User{User: fmt.Sprint("u", i), Hash: h}, time.Time{}))
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, EndSessions(path, fmt.Sprint("u", i), at))
		}()
	}
	wg.Wait()
	u, err := LoadUsers(path)
	require.NoError(t, err)
	for i := range n {
		id, _ := u.Lookup(fmt.Sprint("u", i))
		assert.True(t, id.SessionsAfter.Equal(at), "u%d", i)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp"))
	assert.Empty(t, left, "no temporary files left behind")
}

// A UsersFile sees a change written by another process without a reload, and keeps the last
// good users when the file is broken.
func TestUsersFileReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	h := hashAt(t, bcrypt.MinCost)
	require.NoError(t, AddUser(path, User{User: "alice", Hash: h}, time.Time{}))
	f, err := OpenUsersFile(path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	_, ok := f.Lookup("bob")
	assert.False(t, ok)
	require.NoError(t, AddUser(path, User{User: "bob", Hash: h}, time.Time{}))
	f.checked.Store(0) // as if a second had passed
	_, ok = f.Lookup("bob")
	assert.True(t, ok, "a new user is seen without a reload")

	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, f.EndSessions(context.Background(), "alice", at))
	id, _ := f.Lookup("alice")
	assert.True(t, id.SessionsAfter.Equal(at), "this process sees its own sign-out at once")

	writeFile(t, path, "users: [")
	f.checked.Store(0)
	_, ok = f.Lookup("bob")
	assert.True(t, ok, "a broken file keeps the last good users")
	assert.Error(t, f.Reload())
}
