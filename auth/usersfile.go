package auth

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// UsersFile is the users file as it is now: it is read again when it changes (looked at no
// more than once per second), so that a sign-out, a new password or a removed user written
// by any replica or by codenav user takes effect on every replica within a second, without
// a reload. A file that fails to load is logged and the last good one kept.
type UsersFile struct {
	path string
	log  *slog.Logger

	cur atomic.Pointer[Users]

	mu      sync.Mutex // serialises looking at the file
	info    os.FileInfo
	checked atomic.Int64 // Unix nanoseconds of the last look
}

// checkEvery is how often the file is looked at (a stat).
const checkEvery = time.Second

// OpenUsersFile loads the users file at path.
func OpenUsersFile(path string, log *slog.Logger) (*UsersFile, error) {
	if log == nil {
		log = slog.Default()
	}
	f := &UsersFile{path: path, log: log}
	if err := f.Reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// Path is the file's path.
func (f *UsersFile) Path() string { return f.path }

// Reload reads the file now.
func (f *UsersFile) Reload() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reload()
}

// reload reads the file; f.mu is held.
func (f *UsersFile) reload() error {
	info, err := os.Stat(f.path)
	if err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	list, err := readUsersFile(f.path)
	if err != nil {
		return err
	}
	u, err := newUsers(list, f.cur.Load())
	if err != nil {
		return fmt.Errorf("users file %s: %w", f.path, err)
	}
	f.cur.Store(u)
	f.info = info
	f.checked.Store(time.Now().UnixNano())
	return nil
}

// Users returns the users as the file holds them now.
func (f *UsersFile) Users() *Users {
	if time.Now().UnixNano()-f.checked.Load() >= int64(checkEvery) && f.mu.TryLock() {
		// One request looks; the others go on with what is loaded.
		f.checked.Store(time.Now().UnixNano())
		if info, err := os.Stat(f.path); err == nil && changed(f.info, info) {
			if err := f.reload(); err != nil {
				f.log.Error("users file changed but does not load: keeping the previous one", "error", err)
				f.info = info // not again until it changes again
			} else {
				f.log.Info("users file reloaded", "path", f.path)
			}
		}
		f.mu.Unlock()
	}
	return f.cur.Load()
}

func changed(a, b os.FileInfo) bool {
	return a == nil || !os.SameFile(a, b) || !a.ModTime().Equal(b.ModTime()) || a.Size() != b.Size()
}

// Authenticate implements Authenticator.
func (f *UsersFile) Authenticate(ctx context.Context, user, password string) (Identity, error) {
	return f.Users().Authenticate(ctx, user, password)
}

// Lookup implements Authenticator.
func (f *UsersFile) Lookup(user string) (Identity, bool) { return f.Users().Lookup(user) }

// EndSessions implements SessionEnder: it writes user's sessions_after into the file and
// reads it again, so that this process sees the change at once and others within a second.
func (f *UsersFile) EndSessions(_ context.Context, user string, at time.Time) error {
	if err := EndSessions(f.path, user, at); err != nil {
		return err
	}
	return f.Reload()
}

// SessionEnder is an Authenticator that can end a user's sessions (sign-out).
type SessionEnder interface {
	EndSessions(ctx context.Context, user string, at time.Time) error
}
