package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Signer signs and checks session cookies and CSRF tokens with one key. Sessions carry no
// server-side state, so any replica with the same key accepts them; what ends a session
// early is the user's sessions_after time in the users file (see Session.Revoked), which
// every replica reads.
type Signer struct {
	key  []byte
	ttl  time.Duration
	idle time.Duration
	now  func() time.Time
}

// Session is what a session cookie holds.
type Session struct {
	User string `json:"u"`
	// Issued is when the reader signed in (Unix nanoseconds): a session issued no later than
	// the user's sessions_after is revoked.
	Issued int64 `json:"i"`
	// Seen is when the cookie was last issued (Unix seconds): the session ends after Idle
	// without a request. The cookie is issued again as the reader reads (see Renew).
	Seen int64 `json:"s"`
	// Expires is the end of the session however active the reader is (Unix seconds).
	Expires int64 `json:"e"`
	// Nonce binds CSRF tokens to this session.
	Nonce string `json:"n"`
}

// Revoked reports whether the session began no later than after (the user's
// sessions_after; zero when there is none).
func (s Session) Revoked(after time.Time) bool {
	return !after.IsZero() && s.Issued <= after.UnixNano()
}

// NewSigner makes a signer; the key must have at least 32 bytes. A session ends ttl after
// sign-in, or idle after the last request (no idle timeout when idle is 0).
func NewSigner(key []byte, ttl, idle time.Duration, now func() time.Time) (*Signer, error) {
	if len(key) < 32 {
		return nil, errors.New("session key: at least 32 bytes")
	}
	if ttl <= 0 || idle < 0 {
		return nil, errors.New("session: the lifetime must be positive and the idle timeout not negative")
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: key, ttl: ttl, idle: idle, now: now}, nil
}

// LoadKey reads a signing key from a file (at least 32 bytes; surrounding space ignored).
func LoadKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	k := []byte(strings.TrimSpace(string(b)))
	if len(k) < 32 {
		return nil, fmt.Errorf("session key %s: at least 32 bytes", path)
	}
	return k, nil
}

// RandomKey makes a key for a single process (sessions end when it stops).
func RandomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

func randomToken() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Signer) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Issue makes the cookie value of a new session for user.
func (s *Signer) Issue(user string) (string, Session) {
	now := s.now()
	sess := Session{User: user, Issued: now.UnixNano(), Seen: now.Unix(), Expires: now.Add(s.ttl).Unix(), Nonce: randomToken()}
	return s.encode(sess), sess
}

func (s *Signer) encode(sess Session) string {
	payload, _ := json.Marshal(sess)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + s.mac("session", p)
}

// Errors of Verify.
var (
	ErrSessionInvalid = errors.New("session: bad signature or malformed")
	ErrSessionExpired = errors.New("session: expired")
	ErrSessionIdle    = errors.New("session: idle too long")
)

// Verify checks a session cookie value: signature, expiry and idle time.
func (s *Signer) Verify(value string) (Session, error) {
	p, sig, ok := strings.Cut(value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.mac("session", p))) {
		return Session{}, ErrSessionInvalid
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Session{}, ErrSessionInvalid
	}
	var sess Session
	if err := json.Unmarshal(payload, &sess); err != nil || sess.User == "" {
		return Session{}, ErrSessionInvalid
	}
	now := s.now()
	if now.Unix() >= sess.Expires {
		return Session{}, ErrSessionExpired
	}
	if s.idle > 0 && now.Sub(time.Unix(sess.Seen, 0)) >= s.idle {
		return Session{}, ErrSessionIdle
	}
	return sess, nil
}

// Renew returns the cookie value of sess seen now, and whether it is worth sending: the
// cookie is issued again at most once a minute (or a tenth of the idle timeout), so that a
// reader who keeps reading keeps the session and most answers set no cookie.
func (s *Signer) Renew(sess Session) (string, Session, bool) {
	if s.idle <= 0 {
		return "", sess, false
	}
	now := s.now()
	every := min(time.Minute, s.idle/10)
	if now.Sub(time.Unix(sess.Seen, 0)) < every {
		return "", sess, false
	}
	sess.Seen = now.Unix()
	return s.encode(sess), sess, true
}

// MaxAge is how long the browser should keep the cookie of sess: until it expires, or until
// it would be idle too long if that is sooner (the browser then forgets it by itself).
func (s *Signer) MaxAge(sess Session) time.Duration {
	left := time.Unix(sess.Expires, 0).Sub(s.now())
	if s.idle > 0 {
		left = min(left, s.idle)
	}
	return left
}

// TTL is how long a session lasts.
func (s *Signer) TTL() time.Duration { return s.ttl }

// Idle is how long a session lasts without a request (0: no limit).
func (s *Signer) Idle() time.Duration { return s.idle }

// NewBinding makes a random value to bind CSRF tokens to, for a reader without a session.
func NewBinding() string { return randomToken() }

// CSRFToken is the token a form must send back: bound to the session's nonce (or, before
// sign-in, to a random cookie), so that another site cannot forge it.
func (s *Signer) CSRFToken(binding string) string { return s.mac("csrf", binding) }

// CheckCSRF reports whether token belongs to binding.
func (s *Signer) CheckCSRF(binding, token string) bool {
	return binding != "" && token != "" && hmac.Equal([]byte(token), []byte(s.CSRFToken(binding)))
}
