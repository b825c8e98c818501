package auth

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testSigner(t *testing.T, c *clock) *Signer {
	t.Helper()
	s, err := NewSigner([]byte(strings.Repeat("k", 32)), 12*time.Hour, 30*time.Minute, c.now)
	require.NoError(t, err)
	return s
}

func TestSignerVerify(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	s := testSigner(t, c)
	v, sess := s.Issue("alice")
	got, err := s.Verify(v)
	require.NoError(t, err)
	assert.Equal(t, sess, got)
	assert.Equal(t, "alice", got.User)
	assert.NotEmpty(t, got.Nonce)
	assert.Equal(t, 30*time.Minute, s.MaxAge(got), "the browser forgets the cookie when it would be idle too long")
	c.add(11*time.Hour + 50*time.Minute)
	assert.Equal(t, 10*time.Minute, s.MaxAge(got), "or when it expires, if sooner")
	c.add(-11*time.Hour - 50*time.Minute)

	other, err := NewSigner([]byte(strings.Repeat("j", 32)), 12*time.Hour, 30*time.Minute, c.now)
	require.NoError(t, err)
	p, sig, _ := strings.Cut(v, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(p)
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"alice"`, `"admin"`, 1)))
	for name, bad := range map[string]string{
		"empty": "", "no dot": p, "other key": func() string { v, _ := other.Issue("alice"); return v }(),
		"payload changed": forged + "." + sig, "signature changed": p + "." + strings.ToUpper(sig[:1]) + sig[1:] + "x",
		"not base64": "!!!." + sig, "appended": v + "x",
	} {
		_, err := s.Verify(bad)
		assert.ErrorIs(t, err, ErrSessionInvalid, name)
	}
	_, err = NewSigner([]byte("short"), time.Hour, 0, nil)
	assert.Error(t, err)
}

// A session ends 30 minutes after the last request, or 12 hours after signing in, whichever
// comes first; Renew slides the idle timeout.
func TestSignerIdleAndExpiry(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	s := testSigner(t, c)
	v, sess := s.Issue("alice")
	c.add(30 * time.Second)
	_, _, again := s.Renew(sess)
	assert.False(t, again, "not issued again within a minute")
	c.add(29*time.Minute + 29*time.Second)
	_, err := s.Verify(v)
	require.NoError(t, err, "29 min 59 s idle")
	c.add(time.Second)
	_, err = s.Verify(v)
	assert.ErrorIs(t, err, ErrSessionIdle)

	// A reader who keeps reading keeps the session, up to the absolute lifetime.
	c.t = time.Unix(1e9, 0)
	v, sess = s.Issue("alice")
	for range 12 * 3 {
		c.add(20 * time.Minute)
		got, err := s.Verify(v)
		if err != nil {
			assert.ErrorIs(t, err, ErrSessionExpired)
			assert.Equal(t, time.Unix(1e9, 0).Add(12*time.Hour), c.now(), "ends at 12 h exactly")
			return
		}
		var again bool
		v, got, again = s.Renew(got)
		require.True(t, again)
		assert.Equal(t, sess.Issued, got.Issued, "renewing keeps the sign-in time")
		assert.Equal(t, sess.Nonce, got.Nonce, "and the CSRF binding")
		assert.Equal(t, sess.Expires, got.Expires, "and the absolute expiry")
	}
	t.Fatal("the session never expired")
}

// A session begun at or before the user's sessions_after is revoked; one begun after is not.
func TestSessionRevoked(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 5)}
	s := testSigner(t, c)
	_, before := s.Issue("alice")
	assert.False(t, before.Revoked(time.Time{}), "no sessions_after")
	logout := c.now()
	assert.True(t, before.Revoked(logout), "begun at the same instant")
	c.add(time.Nanosecond)
	_, after := s.Issue("alice")
	assert.True(t, before.Revoked(logout))
	assert.False(t, after.Revoked(logout), "signed in again after signing out")
	assert.True(t, after.Revoked(c.now()))
}

func TestCSRF(t *testing.T) {
	s := testSigner(t, &clock{t: time.Unix(1e9, 0)})
	tok := s.CSRFToken("binding-1")
	assert.True(t, s.CheckCSRF("binding-1", tok))
	assert.False(t, s.CheckCSRF("binding-2", tok))
	assert.False(t, s.CheckCSRF("", s.CSRFToken("")))
	assert.False(t, s.CheckCSRF("binding-1", ""))
}
