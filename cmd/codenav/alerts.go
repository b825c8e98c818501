package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"codenav/alerts"
	"codenav/server"
)

// alertsConfig checks the alert flags of codenav serve and returns the mailer of the digest
// sender, or nil when this replica sends none. Nothing is ever sent without --send-alerts,
// and --send-alerts needs every setting a digest needs.
func alertsConfig(users, baseURL string, every time.Duration, passwordFile string, cfg *alerts.SMTP) (*alerts.Mailer, error) {
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("--base-url %q: want the site's absolute address, such as https://code.example.org", baseURL)
		}
	}
	smtpSet := cfg.Addr != "" || cfg.From != "" || cfg.User != "" || passwordFile != ""
	switch {
	case every < 0:
		return nil, errors.New("--send-alerts must be 0 (off) or a positive interval")
	case every == 0 && smtpSet:
		return nil, errors.New("the --smtp-* flags are used only with --send-alerts (on one replica)")
	case every == 0:
		return nil, nil
	case every < time.Minute:
		return nil, errors.New("--send-alerts: check at most once a minute")
	case users == "":
		return nil, errors.New("--send-alerts needs --users (alerts belong to signed-in readers)")
	case baseURL == "":
		return nil, errors.New("--send-alerts needs --base-url (the links in the e-mails)")
	case cfg.Addr == "" || cfg.From == "":
		return nil, errors.New("--send-alerts needs --smtp-addr and --smtp-from")
	}
	if passwordFile != "" {
		pw, err := alerts.ReadPassword(passwordFile)
		if err != nil {
			return nil, err
		}
		cfg.Password = pw
	}
	return alerts.NewMailer(*cfg, nil)
}

// sendAlertsLoop sends the digests due, at start and then every interval, with the server
// generation serving at the time (a reload brings a new corpus and users).
func sendAlertsLoop(ctx context.Context, every time.Duration, m *alerts.Mailer, current func() *server.Server, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if srv := current(); srv != nil {
			rep, err := srv.SendDigests(ctx, m)
			log.Info("alert digests", "sent", rep.Sent, "users", rep.Users, "skipped", rep.Skipped, "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
