// Package alerts keeps the alerts readers save (a search, or a party and document filter)
// and sends them e-mail digests of what changed.
//
// Each user's alerts are one JSON file in a folder shared by the replicas (by default beside
// the users file, which they already share): <dir>/<user>.json, changed under an exclusive
// lock (<user>.json.lock) and replaced atomically, so that two replicas never lose each
// other's change and a reader never sees half a file.
package alerts

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"codenav/filelock"
)

// Kinds of alert.
const (
	// KindSearch is a saved search: the digest lists the hits new since the last digest.
	KindSearch = "search"
	// KindChanges is a party and document filter: the digest lists the new versions in force
	// and the clauses added, changed or deleted for the party.
	KindChanges = "changes"
)

// Limits on what a reader may save.
const (
	MaxPerUser  = 50
	MaxQueryLen = 500
	// MaxSeen is how many hits of a saved search are remembered as already reported.
	MaxSeen = 1000
)

// Alert is one saved alert.
type Alert struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	Query   string    `json:"query,omitempty"`
	Party   string    `json:"party,omitempty"`
	Role    string    `json:"role,omitempty"`
	Doc     string    `json:"doc,omitempty"`
	Created time.Time `json:"created"`
	// Since is the date (YYYY-MM-DD) up to which changes have been reported: the next
	// digest reports what took effect after it. It starts at the day the alert was saved.
	Since string `json:"since"`
	// LastSent is when the last digest with this alert went out (zero: never).
	LastSent time.Time `json:"last_sent,omitzero"`
	// Seen are the hits of a saved search already reported (or there when it was saved),
	// as "doc#clause@version"; Primed is false until they have been recorded once.
	Seen   []string `json:"seen,omitempty"`
	Primed bool     `json:"primed,omitempty"`
}

// Validate checks an alert a reader asks to save.
func (a Alert) Validate() error {
	switch a.Kind {
	case KindSearch:
		if strings.TrimSpace(a.Query) == "" {
			return errors.New("a saved search needs words to search for")
		}
	case KindChanges:
	default:
		return fmt.Errorf("unknown kind of alert %q (search or changes)", a.Kind)
	}
	if len(a.Query) > MaxQueryLen {
		return fmt.Errorf("the search is over %d characters", MaxQueryLen)
	}
	for _, x := range []string{a.Party, a.Role, a.Doc} {
		if len(x) > 100 || strings.ContainsAny(x, "\r\n") {
			return errors.New("a party, role or document id is one short line")
		}
	}
	return nil
}

// Store is the folder of alert files.
type Store struct {
	dir string
}

// NewStore uses dir (created if missing) for the alert files.
func NewStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("alerts folder: %w", err)
	}
	return &Store{dir: dir}, nil
}

// Dir is the folder of the store.
func (s *Store) Dir() string { return s.dir }

// userRE matches the user names auth accepts: safe as file names.
var userRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`) })

func (s *Store) path(user string) (string, error) {
	if !userRE().MatchString(user) {
		return "", fmt.Errorf("alerts: %q is not a user name", user)
	}
	return filepath.Join(s.dir, user+".json"), nil
}

type file struct {
	Alerts []Alert `json:"alerts"`
}

func read(path string) ([]Alert, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("alerts %s: %w", path, err)
	}
	return f.Alerts, nil
}

// List returns user's alerts, oldest first.
func (s *Store) List(user string) ([]Alert, error) {
	p, err := s.path(user)
	if err != nil {
		return nil, err
	}
	return read(p)
}

// Users returns the users who have an alert file.
func (s *Store) Users() ([]string, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if u := strings.TrimSuffix(filepath.Base(n), ".json"); userRE().MatchString(u) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Update changes user's alerts under the lock: change gets the list and returns the new
// one, or an error to leave the file as it was. Whatever change does (sending a digest,
// say) happens while no other process can change or send the same alerts.
func (s *Store) Update(user string, change func([]Alert) ([]Alert, error)) error {
	p, err := s.path(user)
	if err != nil {
		return err
	}
	unlock, err := filelock.Lock(p + ".lock")
	if err != nil {
		return fmt.Errorf("alerts %s: lock: %w", p, err)
	}
	defer unlock()
	list, err := read(p)
	if err != nil {
		return err
	}
	list, err = change(list)
	if err != nil {
		return err
	}
	return write(p, list)
}

func write(path string, list []Alert) error {
	b, err := json.MarshalIndent(file{Alerts: list}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("alerts %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("alerts %s: %w", path, err)
	}
	return nil
}

// ErrTooMany is a save over MaxPerUser.
var ErrTooMany = fmt.Errorf("a reader may save at most %d alerts", MaxPerUser)

// Add saves a for user, with a new id, and returns it.
func (s *Store) Add(user string, a Alert) (Alert, error) {
	if err := a.Validate(); err != nil {
		return Alert{}, err
	}
	a.ID = newID()
	err := s.Update(user, func(list []Alert) ([]Alert, error) {
		if len(list) >= MaxPerUser {
			return nil, ErrTooMany
		}
		return append(list, a), nil
	})
	return a, err
}

// ErrNotFound is an alert that is not (or no longer) there.
var ErrNotFound = errors.New("no such alert")

// Delete removes user's alert id.
func (s *Store) Delete(user, id string) error {
	return s.Update(user, func(list []Alert) ([]Alert, error) {
		i := slices.IndexFunc(list, func(a Alert) bool { return a.ID == id })
		if i < 0 {
			return nil, ErrNotFound
		}
		return slices.Delete(list, i, i+1), nil
	})
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
