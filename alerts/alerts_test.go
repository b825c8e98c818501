package alerts

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/alerts/smtptest"
)

func TestStore(t *testing.T) {
	s, err := NewStore(t.TempDir())
	require.NoError(t, err)
	a, err := s.Add("ann", Alert{Kind: KindSearch, Query: "consent"})
	require.NoError(t, err)
	b, err := s.Add("ann", Alert{Kind: KindChanges, Party: "small-supplier"})
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, b.ID)
	list, err := s.List("ann")
	require.NoError(t, err)
	assert.Equal(t, []Alert{a, b}, list)
	none, err := s.List("bob")
	require.NoError(t, err)
	assert.Empty(t, none)
	users, err := s.Users()
	require.NoError(t, err)
	assert.Equal(t, []string{"ann"}, users)

	assert.ErrorIs(t, s.Delete("bob", a.ID), ErrNotFound, "bob has no such alert")
	require.NoError(t, s.Delete("ann", a.ID))
	assert.ErrorIs(t, s.Delete("ann", a.ID), ErrNotFound)
	list, _ = s.List("ann")
	assert.Equal(t, []Alert{b}, list)

	// A name that is not a user name never becomes a path.
	for _, bad := range []string{"../x", "a/b", "", "Ann", strings.Repeat("a", 65)} {
		_, err := s.Add(bad, Alert{Kind: KindChanges})
		assert.Error(t, err, bad)
	}
	// No temporary files are left behind.
	names, _ := filepath.Glob(filepath.Join(s.Dir(), ".*tmp"))
	assert.Empty(t, names)
}

func TestStoreLimit(t *testing.T) {
	s, err := NewStore(t.TempDir())
	require.NoError(t, err)
	for range MaxPerUser {
		_, err := s.Add("ann", Alert{Kind: KindChanges})
		require.NoError(t, err)
	}
	_, err = s.Add("ann", Alert{Kind: KindChanges})
	assert.ErrorIs(t, err, ErrTooMany)
}

// Concurrent saves by two processes (here goroutines, each taking the file lock) lose none.
func TestStoreConcurrent(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := NewStore(dir)
			assert.NoError(t, err)
			_, err = s.Add("ann", Alert{Kind: KindChanges})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	s, _ := NewStore(dir)
	list, err := s.List("ann")
	require.NoError(t, err)
	assert.Len(t, list, 20)
}

func TestStoreBrokenFile(t *testing.T) {
	s, err := NewStore(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(s.Dir(), "ann.json"), []byte("{not json"), 0o600))
	_, err = s.List("ann")
	assert.ErrorContains(t, err, "ann.json")
	_, err = s.Add("ann", Alert{Kind: KindChanges})
	assert.Error(t, err, "a broken file is not overwritten")
	b, _ := os.ReadFile(filepath.Join(s.Dir(), "ann.json"))
	assert.Equal(t, "{not json", string(b))
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		a    Alert
		want string
	}{
		{Alert{Kind: KindSearch, Query: "consent"}, ""},
		{Alert{Kind: KindChanges}, ""},
		{Alert{Kind: KindSearch}, "needs words"},
		{Alert{Kind: "x"}, "unknown kind"},
		{Alert{Kind: KindChanges, Party: "a\nb"}, "one short line"},
		{Alert{Kind: KindSearch, Query: strings.Repeat("q", MaxQueryLen+1)}, "over"},
	} {
		err := tc.a.Validate()
		if tc.want == "" {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, tc.want)
		}
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a client config that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

var testMsg = Message{To: "ann@example.org", Subject: "Digest – news", Text: "plain text", HTML: "<p>html</p>",
	Unsubscribe: "https://x.org/alerts/unsubscribe?a=1"}

func TestMailerSTARTTLS(t *testing.T) {
	srvTLS, cliTLS := selfSigned(t)
	srv, err := smtptest.Start(srvTLS)
	require.NoError(t, err)
	defer srv.Close()

	// STARTTLS is used when offered, and the credentials go over it.
	m, err := NewMailer(SMTP{Addr: srv.Addr(), From: "alerts@example.org", User: "me", Password: "pw", TLS: cliTLS}, nil)
	require.NoError(t, err)
	require.NoError(t, m.Send(context.Background(), testMsg))
	mails := srv.Mails()
	require.Len(t, mails, 1)
	assert.True(t, mails[0].TLS)
	assert.Equal(t, "me", mails[0].Auth)
	assert.Equal(t, []string{"ann@example.org"}, mails[0].To)
	assert.Contains(t, mails[0].Data, "Subject: =?utf-8?q?Digest_=E2=80=93_news?=")

	// A certificate the client does not trust stops the delivery: no fall-back to plain text.
	m, err = NewMailer(SMTP{Addr: srv.Addr(), From: "alerts@example.org"}, nil)
	require.NoError(t, err)
	assert.ErrorContains(t, m.Send(context.Background(), testMsg), "STARTTLS")
	assert.Len(t, srv.Mails(), 1)
}

func TestMailerPlain(t *testing.T) {
	srv, err := smtptest.Start(nil)
	require.NoError(t, err)
	defer srv.Close()
	m, err := NewMailer(SMTP{Addr: srv.Addr(), From: "alerts@example.org", RequireTLS: true}, nil)
	require.NoError(t, err)
	assert.ErrorContains(t, m.Send(context.Background(), testMsg), "does not offer STARTTLS")
	assert.Empty(t, srv.Mails())

	m, err = NewMailer(SMTP{Addr: srv.Addr(), From: "alerts@example.org"}, nil)
	require.NoError(t, err)
	require.NoError(t, m.Send(context.Background(), testMsg))
	require.Len(t, srv.Mails(), 1)
	assert.False(t, srv.Mails()[0].TLS)

	// A header value with a line break is refused, not sent.
	bad := testMsg
	bad.To = "ann@example.org\r\nBcc: eve@example.org"
	assert.Error(t, m.Send(context.Background(), bad))
	assert.Len(t, srv.Mails(), 1)
}
