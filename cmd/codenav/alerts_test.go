package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/alerts"
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
