package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/alerts"
	"codenav/alerts/smtptest"
	"codenav/auth"
)

func TestAlertsConfig(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "smtp-password")
	require.NoError(t, os.WriteFile(pw, []byte("s3cret\n"), 0o600))
	empty := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	ok := alerts.SMTP{Addr: "smtp.example.org:587", From: "alerts@example.org"}
	for _, tc := range []struct {
		name     string
		users    string
		base     string
		every    time.Duration
		pwFile   string
		cfg      alerts.SMTP
		want     string // error text; "" for none
		sends    bool
		password string
	}{
		{name: "nothing configured", want: ""},
		{name: "smtp without --send-alerts", cfg: ok, want: "only with --send-alerts"},
		{name: "no users", every: time.Hour, base: "https://x.org", cfg: ok, want: "needs --users"},
		{name: "no base url", users: "u.yaml", every: time.Hour, cfg: ok, want: "needs --base-url"},
		{name: "bad base url", users: "u.yaml", every: time.Hour, base: "code.example.org", cfg: ok, want: "--base-url"},
		{name: "no smtp", users: "u.yaml", every: time.Hour, base: "https://x.org", want: "needs --smtp-addr"},
		{name: "too often", users: "u.yaml", every: time.Second, base: "https://x.org", cfg: ok, want: "once a minute"},
		{name: "negative", every: -time.Hour, want: "positive"},
		{name: "addr without port", users: "u.yaml", every: time.Hour, base: "https://x.org",
			cfg: alerts.SMTP{Addr: "smtp.example.org", From: "a@example.org"}, want: "host:port"},
		{name: "bad from", users: "u.yaml", every: time.Hour, base: "https://x.org",
			cfg: alerts.SMTP{Addr: "smtp.example.org:25", From: "Alerts <a@example.org>\r\nBcc: x@y"}, want: "--smtp-from"},
		{name: "user without password", users: "u.yaml", every: time.Hour, base: "https://x.org",
			cfg: alerts.SMTP{Addr: "h:25", From: "a@example.org", User: "me"}, want: "needs --smtp-password-file"},
		{name: "empty password file", users: "u.yaml", every: time.Hour, base: "https://x.org", pwFile: empty,
			cfg: alerts.SMTP{Addr: "h:25", From: "a@example.org", User: "me"}, want: "first line is empty"},
		{name: "missing password file", users: "u.yaml", every: time.Hour, base: "https://x.org", pwFile: pw + ".missing",
			cfg: alerts.SMTP{Addr: "h:25", From: "a@example.org", User: "me"}, want: "--smtp-password-file"},
		{name: "complete", users: "u.yaml", every: time.Hour, base: "https://x.org", cfg: ok, sends: true},
		{name: "complete with credentials", users: "u.yaml", every: time.Hour, base: "https://x.org", pwFile: pw,
			cfg: alerts.SMTP{Addr: "h:587", From: "a@example.org", User: "me"}, sends: true, password: "s3cret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			m, err := alertsConfig(tc.users, tc.base, tc.every, tc.pwFile, &cfg)
			if tc.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.want)
				assert.Nil(t, m)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.sends, m != nil)
			assert.Equal(t, tc.password, cfg.Password)
		})
	}
}

// codenav serve --send-alerts e-mails the digests due at start, through the SMTP server given.
func TestServeSendsAlerts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server and builds an index; runs without -short")
	}
	dir := t.TempDir()
	users := filepath.Join(dir, "users.yaml")
	h, err := auth.Hash("correct horse battery")
	require.NoError(t, err)
	require.NoError(t, auth.AddUser(users, auth.User{User: "ann", Hash: h, Party: "small-supplier", Email: "ann@example.org"}, time.Time{}))
	store, err := alerts.NewStore(filepath.Join(dir, "alerts")) // the default: beside the users file
	require.NoError(t, err)
	_, err = store.Add("ann", alerts.Alert{Kind: alerts.KindChanges, Party: "small-supplier", Since: "2019-01-01"})
	require.NoError(t, err)
	key := filepath.Join(dir, "session.key")
	require.NoError(t, os.WriteFile(key, []byte(strings.Repeat("k", 40)), 0o600))
	smtp, err := smtptest.Start(nil)
	require.NoError(t, err)
	defer smtp.Close()

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--corpus", sampleCorpus, "--addr", "127.0.0.1:0", "--data", t.TempDir(),
			"--users", users, "--session-key", key, "--base-url", "https://code.example.org", "--send-alerts", "1h",
			"--smtp-addr", smtp.Addr(), "--smtp-from", "alerts@example.org"}, &out, &errOut)
	}()
	require.Eventually(t, func() bool { return len(smtp.Mails()) > 0 }, 60*time.Second, 50*time.Millisecond, "the first round runs at start")
	cancel()
	<-done // serve returns once the round running at shutdown has finished
	mails := smtp.Mails()
	require.Len(t, mails, 1, errOut.String())
	assert.Equal(t, []string{"ann@example.org"}, mails[0].To)
	assert.Contains(t, mails[0].Data, "https://code.example.org/")
	list, err := store.List("ann")
	require.NoError(t, err)
	assert.False(t, list[0].LastSent.IsZero(), "the alert is marked sent")
	assert.Contains(t, errOut.String(), `"msg":"alert digests","sent":1`)
}
