// Package auth signs readers in: a users file with password hashes, stateless signed session
// cookies (replicas share only the signing key), CSRF tokens and a limit on login attempts.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"

	"codenav/filelock"
)

// User is one entry of the users file.
type User struct {
	User   string   `yaml:"user"`
	Name   string   `yaml:"name,omitempty"`
	Hash   string   `yaml:"hash"`
	Party  string   `yaml:"party,omitempty"` // the party category of the member's Party
	Groups []string `yaml:"groups,omitempty"`
	Roles  []string `yaml:"roles,omitempty"`
	// Email is where alert digests go (none without it).
	Email string `yaml:"email,omitempty"`
	// SessionsAfter ends every session that began at or before it: set when the user signs
	// out (on any replica), when the password changes, and by codenav user logout.
	SessionsAfter time.Time `yaml:"sessions_after,omitempty"`
}

// Identity is who a signed-in reader is.
type Identity struct {
	User   string
	Name   string
	Party  string
	Groups []string
	Roles  []string
	Email  string
	// SessionsAfter is the user's sessions_after (zero if none).
	SessionsAfter time.Time
}

// Authenticator checks a user name and password. The users file is one; an external identity
// provider (OIDC) would be another, behind the same interface.
type Authenticator interface {
	Authenticate(ctx context.Context, user, password string) (Identity, error)
	// Lookup returns the identity of a user already signed in, so that a change to the users
	// file (a removed user, a new group) takes effect at the next request.
	Lookup(user string) (Identity, bool)
}

// ErrBadCredentials is a wrong user name or password (which of the two is not said).
var ErrBadCredentials = errors.New("wrong user name or password")

var userRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`) })

// Users is a users file.
type Users struct {
	byName map[string]User
	// dummy is a hash checked when the user does not exist, so that a wrong name costs the
	// same time as a wrong password: its cost is the highest cost of the users' hashes.
	dummy []byte
}

// DefaultHashCost is the bcrypt cost of new password hashes, and of the dummy hash of an
// empty users file.
const DefaultHashCost = 12

type usersFile struct {
	Users []User `yaml:"users"`
}

// LoadUsers reads a users file. A missing file is an error: signing in is configured by
// giving one.
func LoadUsers(path string) (*Users, error) {
	list, err := readUsersFile(path)
	if err != nil {
		return nil, err
	}
	u, err := NewUsers(list)
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	return u, nil
}

// readUsersFile reads the list of users of a users file; a field it does not know is an
// error (a misspelt "roles" must not silently give a user no role).
func readUsersFile(path string) ([]User, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	var f usersFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	return f.Users, nil
}

// NewUsers checks and indexes a list of users.
func NewUsers(list []User) (*Users, error) { return newUsers(list, nil) }

// newUsers is NewUsers, reusing old's dummy hash when its cost is still right (making one
// at cost 12 takes a quarter of a second).
func newUsers(list []User, old *Users) (*Users, error) {
	u := &Users{byName: map[string]User{}}
	cost := 0
	for i, x := range list {
		if !userRE().MatchString(x.User) {
			return nil, fmt.Errorf("user %d: name %q must be lower-case letters, digits, dot, dash or underscore", i+1, x.User)
		}
		if _, dup := u.byName[x.User]; dup {
			return nil, fmt.Errorf("user %q is listed twice", x.User)
		}
		c, err := bcrypt.Cost([]byte(x.Hash))
		if err != nil {
			return nil, fmt.Errorf("user %q: hash is not a bcrypt hash (make one with codenav user add)", x.User)
		}
		cost = max(cost, c)
		u.byName[x.User] = x
	}
	if cost == 0 {
		cost = DefaultHashCost
	}
	if old != nil {
		if c, err := bcrypt.Cost(old.dummy); err == nil && c == cost {
			u.dummy = old.dummy
			return u, nil
		}
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("not a password"), cost)
	if err != nil {
		return nil, err
	}
	u.dummy = dummy
	return u, nil
}

// hashFor is the hash a password for user is compared with: the user's own, or for an
// unknown user the dummy hash of the same cost.
func (u *Users) hashFor(user string) (User, []byte, bool) {
	x, ok := u.byName[user]
	if !ok {
		return User{}, u.dummy, false
	}
	return x, []byte(x.Hash), true
}

// Authenticate implements Authenticator.
func (u *Users) Authenticate(_ context.Context, user, password string) (Identity, error) {
	x, hash, ok := u.hashFor(user)
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !ok {
		return Identity{}, ErrBadCredentials
	}
	return identity(x), nil
}

// Costs are the bcrypt costs of the users' hashes: more than one means that some users
// sign in faster than others, which tells who they are by timing (codenav serve warns).
func (u *Users) Costs() []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range u.byName {
		if c, err := bcrypt.Cost([]byte(x.Hash)); err == nil && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Ints(out)
	return out
}

// Lookup implements Authenticator.
func (u *Users) Lookup(user string) (Identity, bool) {
	x, ok := u.byName[user]
	if !ok {
		return Identity{}, false
	}
	return identity(x), true
}

func identity(x User) Identity {
	return Identity{User: x.User, Name: x.Name, Party: x.Party, Groups: x.Groups, Roles: x.Roles, Email: x.Email, SessionsAfter: x.SessionsAfter}
}

// Hash makes the bcrypt hash of a password.
func Hash(password string) (string, error) {
	if len(password) < 10 {
		return "", errors.New("a password has at least 10 characters")
	}
	if len(password) > 72 {
		return "", errors.New("a password has at most 72 bytes (bcrypt's limit)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), DefaultHashCost)
	return string(h), err
}

// AddUser adds or replaces a user in the users file at path (created if missing). Replacing
// a user's password ends the sessions begun with the old one.
func AddUser(path string, x User, now time.Time) error {
	if !userRE().MatchString(x.User) {
		return fmt.Errorf("name %q must be lower-case letters, digits, dot, dash or underscore", x.User)
	}
	return updateUsersFile(path, func(f *usersFile) error {
		kept := f.Users[:0]
		for _, u := range f.Users {
			if u.User != x.User {
				kept = append(kept, u)
				continue
			}
			x.SessionsAfter = u.SessionsAfter
			if u.Hash != x.Hash {
				x.SessionsAfter = now
			}
		}
		f.Users = append(kept, x)
		sort.Slice(f.Users, func(i, j int) bool { return f.Users[i].User < f.Users[j].User })
		return nil
	})
}

// EndSessions ends every session of user begun at or before at, by writing its
// sessions_after into the users file at path.
func EndSessions(path, user string, at time.Time) error {
	return updateUsersFile(path, func(f *usersFile) error {
		for i := range f.Users {
			if f.Users[i].User == user {
				if at.After(f.Users[i].SessionsAfter) {
					f.Users[i].SessionsAfter = at.UTC()
				}
				return nil
			}
		}
		return fmt.Errorf("no user %q in %s", user, path)
	})
}

// updateUsersFile changes the users file at path under an exclusive lock (codenav user and
// every replica's sign-out write it) and replaces it atomically, so that a reader never sees
// half a file and two writers never lose each other's change.
func updateUsersFile(path string, change func(*usersFile) error) error {
	unlock, err := filelock.Lock(path + ".lock")
	if err != nil {
		return fmt.Errorf("users file %s: lock: %w", path, err)
	}
	defer unlock()
	var f usersFile
	if b, err := os.ReadFile(path); err == nil {
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true) // a field this version does not know would be lost on writing
		if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("users file %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("users file: %w", err)
	}
	if err := change(&f); err != nil {
		return err
	}
	b, err := yaml.Marshal(f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("users file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(b)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("users file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("users file %s: %w", path, err)
	}
	return nil
}

// ValidName reports whether name could be a user name (lower-case letters, digits, dot,
// dash, underscore; at most 64).
func ValidName(name string) bool { return userRE().MatchString(name) }
