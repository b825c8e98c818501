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
// server-side state, so any replica with the same key accepts them.
type Signer struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// Session is what a session cookie holds.
type Session struct {
	User    string `json:"u"`
	Expires int64  `json:"e"`
	// Nonce binds CSRF tokens to this session.
	Nonce string `json:"n"`
}

// NewSigner makes a signer; the key must have at least 32 bytes.
func NewSigner(key []byte, ttl time.Duration, now func() time.Time) (*Signer, error) {
	if len(key) < 32 {
		return nil, errors.New("session key: at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: key, ttl: ttl, now: now}, nil
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
	sess := Session{User: user, Expires: s.now().Add(s.ttl).Unix(), Nonce: randomToken()}
	payload, _ := json.Marshal(sess)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + s.mac("session", p), sess
}

// Verify checks a session cookie value: signature and expiry.
func (s *Signer) Verify(value string) (Session, error) {
	p, sig, ok := strings.Cut(value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.mac("session", p))) {
		return Session{}, errors.New("session: bad signature")
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Session{}, errors.New("session: malformed")
	}
	var sess Session
	if err := json.Unmarshal(payload, &sess); err != nil {
		return Session{}, errors.New("session: malformed")
	}
	if s.now().Unix() >= sess.Expires {
		return Session{}, errors.New("session: expired")
	}
	return sess, nil
}

// TTL is how long a session lasts.
func (s *Signer) TTL() time.Duration { return s.ttl }

// NewBinding makes a random value to bind CSRF tokens to, for a reader without a session.
func NewBinding() string { return randomToken() }

// CSRFToken is the token a form must send back: bound to the session's nonce (or, before
// sign-in, to a random cookie), so that another site cannot forge it.
func (s *Signer) CSRFToken(binding string) string { return s.mac("csrf", binding) }

// CheckCSRF reports whether token belongs to binding.
func (s *Signer) CheckCSRF(binding, token string) bool {
	return binding != "" && token != "" && hmac.Equal([]byte(token), []byte(s.CSRFToken(binding)))
}
