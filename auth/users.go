// Package auth signs readers in: a users file with password hashes, stateless signed session
// cookies (replicas share only the signing key), CSRF tokens and a limit on login attempts.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"
)

// User is one entry of the users file.
type User struct {
	User   string   `yaml:"user"`
	Name   string   `yaml:"name,omitempty"`
	Hash   string   `yaml:"hash"`
	Party  string   `yaml:"party,omitempty"` // the party category of the member's Party
	Groups []string `yaml:"groups,omitempty"`
	Roles  []string `yaml:"roles,omitempty"`
}

// Identity is who a signed-in reader is.
type Identity struct {
	User   string
	Name   string
	Party  string
	Groups []string
	Roles  []string
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

var userRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Users is a users file.
type Users struct {
	byName map[string]User
	// dummy is a hash checked when the user does not exist, so that a wrong name costs the
	// same time as a wrong password.
	dummy []byte
}

type usersFile struct {
	Users []User `yaml:"users"`
}

// LoadUsers reads a users file. A missing file is an error: signing in is configured by
// giving one.
func LoadUsers(path string) (*Users, error) {
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
	return NewUsers(f.Users)
}

// NewUsers checks and indexes a list of users.
func NewUsers(list []User) (*Users, error) {
	u := &Users{byName: map[string]User{}}
	for i, x := range list {
		if !userRE.MatchString(x.User) {
			return nil, fmt.Errorf("user %d: name %q must be lower-case letters, digits, dot, dash or underscore", i+1, x.User)
		}
		if _, dup := u.byName[x.User]; dup {
			return nil, fmt.Errorf("user %q is listed twice", x.User)
		}
		if _, err := bcrypt.Cost([]byte(x.Hash)); err != nil {
			return nil, fmt.Errorf("user %q: hash is not a bcrypt hash (make one with codenav user add)", x.User)
		}
		u.byName[x.User] = x
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	u.dummy = dummy
	return u, nil
}

// Authenticate implements Authenticator.
func (u *Users) Authenticate(_ context.Context, user, password string) (Identity, error) {
	x, ok := u.byName[user]
	if !ok {
		_ = bcrypt.CompareHashAndPassword(u.dummy, []byte(password))
		return Identity{}, ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(x.Hash), []byte(password)) != nil {
		return Identity{}, ErrBadCredentials
	}
	return identity(x), nil
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
	return Identity{User: x.User, Name: x.Name, Party: x.Party, Groups: x.Groups, Roles: x.Roles}
}

// Hash makes the bcrypt hash of a password.
func Hash(password string) (string, error) {
	if len(password) < 10 {
		return "", errors.New("a password has at least 10 characters")
	}
	if len(password) > 72 {
		return "", errors.New("a password has at most 72 bytes (bcrypt's limit)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	return string(h), err
}

// AddUser adds or replaces a user in the users file at path (created if missing).
func AddUser(path string, x User) error {
	if !userRE.MatchString(x.User) {
		return fmt.Errorf("name %q must be lower-case letters, digits, dot, dash or underscore", x.User)
	}
	var f usersFile
	if b, err := os.ReadFile(path); err == nil {
		if err := yaml.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("users file %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	kept := f.Users[:0]
	for _, u := range f.Users {
		if u.User != x.User {
			kept = append(kept, u)
		}
	}
	f.Users = append(kept, x)
	sort.Slice(f.Users, func(i, j int) bool { return f.Users[i].User < f.Users[j].User })
	b, err := yaml.Marshal(f)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
