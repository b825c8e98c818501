package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	texttemplate "text/template"

	"codenav/alerts"
	"codenav/corpus"
)

// digestItem is one line of a digest: what, and where to read it (an absolute address).
type digestItem struct {
	Text, URL string
	// Redline is where the change is shown marked up, if anywhere.
	Redline string
}

// alertDigest is what is new for one alert between its Since and the digest's day.
type alertDigest struct {
	Label, URL  string
	From, To    corpus.Date
	Versions    []digestItem // new versions in force
	Changes     []digestItem // clauses added, changed or deleted
	Hits        []digestItem // search hits new since the last digest
	Unsubscribe string
	// More is how many items were left out of the lists above (see maxDigestItems).
	More int
	seen []string
}

// maxDigestItems bounds each list of a digest: an alert saved long ago, or a release that
// rewrote a document, would otherwise make an e-mail of thousands of lines. The rest is one
// click away (the alert's page).
const maxDigestItems = 100

func (d *alertDigest) cap() {
	for _, l := range []*[]digestItem{&d.Versions, &d.Changes, &d.Hits} {
		if len(*l) > maxDigestItems {
			d.More += len(*l) - maxDigestItems
			*l = (*l)[:maxDigestItems]
		}
	}
}

func (d alertDigest) empty() bool { return len(d.Versions)+len(d.Changes)+len(d.Hits) == 0 }

// digest computes what is new for alert a as the reader of v sees it today: everything is
// read through v, so that a document the reader may not (or may no longer) see is absent.
func (s *Server) digest(ctx context.Context, v *corpus.View, user string, a alerts.Alert, today corpus.Date) (alertDigest, error) {
	d := alertDigest{Label: s.alertLabel(a), URL: s.abs(alertURL(a)), From: corpus.Date(a.Since), To: today,
		Unsubscribe: s.abs(s.u("/alerts/unsubscribe?" + url.Values{"u": {user}, "a": {a.ID}, "t": {s.unsubscribeToken(user, a.ID)}}.Encode()))}
	switch a.Kind {
	case alerts.KindChanges:
		if a.Doc != "" && v.Document(a.Doc) == nil {
			return d, nil // the document is gone from the reader's view
		}
		changes := s.changesBetween(v, d.From, today, changeFilter{Party: a.Party, Role: a.Role, Doc: a.Doc})
		touched := map[string]bool{}
		for _, ch := range changes {
			touched[ch.Doc] = true
			u := ch.NewURL
			if ch.Kind == "deleted" {
				u = ch.OldURL
			}
			text := fmt.Sprintf("%s %s", ch.Kind, ch.ID)
			if ch.Heading != "" {
				text += " " + ch.Heading
			}
			text += fmt.Sprintf(" (%s %s → %s)", ch.DocTitle, ch.OldVersion, ch.NewVersion)
			d.Changes = append(d.Changes, digestItem{Text: text, URL: s.abs(u), Redline: s.abs(ch.Redline)})
		}
		for _, doc := range v.Documents() {
			if a.Doc != "" && doc.ID != a.Doc || a.Party != "" && !touched[doc.ID] {
				continue
			}
			for _, x := range doc.Versions {
				if x.Effective > d.From && x.Effective <= today {
					d.Versions = append(d.Versions, digestItem{Text: fmt.Sprintf("%s version %s, in force from %s", docTitle(doc), x.Number, x.Effective),
						URL: s.abs(s.u(versionURL(x, today)))})
				}
			}
		}
	case alerts.KindSearch:
		hits, err := s.alertHits(ctx, v, a, today)
		if err != nil {
			return d, err
		}
		pd := pageData{Code: s.code, Today: today}
		for _, h := range hits {
			k := hitKey(h)
			d.seen = append(d.seen, k)
			if !a.Primed || slices.Contains(a.Seen, k) {
				continue
			}
			text := h.Clause + " · " + h.Title
			if h.Heading != "" {
				text += " · " + h.Heading
			}
			d.Hits = append(d.Hits, digestItem{Text: text, URL: s.abs(pd.HitURL(h))})
		}
		// Hits reported before and still found stay seen even past the page of hits.
		for _, k := range a.Seen {
			if len(d.seen) >= alerts.MaxSeen {
				break
			}
			if !slices.Contains(d.seen, k) {
				d.seen = append(d.seen, k)
			}
		}
	}
	d.cap()
	return d, nil
}

// abs makes a site address absolute with the base URL.
func (s *Server) abs(path string) string {
	if path == "" || strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return s.baseURL + path
}

// DigestReport is what a round of digests did.
type DigestReport struct {
	Sent, Users, Skipped int
}

// ErrAlertsOff is a round of digests asked of a server without alerts or without a mailer:
// nothing is sent without configuration.
var ErrAlertsOff = errors.New("alerts: no alerts folder, sign-in, base URL or SMTP server configured")

// Sender delivers one message (alerts.Mailer in production).
type Sender interface {
	Send(ctx context.Context, m alerts.Message) error
}

// SendDigests sends each user with alerts due today one e-mail with what is new for them.
// An alert is due when its Since is before today: a round run twice in a day, or by two
// replicas at once, sends nothing the second time. Each user's alerts are held under their
// file's lock from computing to marking them sent; should sending fail, the marks are not
// moved and the next round tries again. A user who is no longer in the users file, or who
// has no e-mail address, gets nothing.
func (s *Server) SendDigests(ctx context.Context, m Sender) (DigestReport, error) {
	var rep DigestReport
	if m == nil || !s.alertsOn() || s.baseURL == "" {
		return rep, ErrAlertsOff
	}
	if s.index != nil {
		// Saved searches need the index: a round at start waits for it rather than failing
		// them. (Should the index fail, saved searches fail below; the other alerts go out.)
		if err := s.index.Wait(ctx); err != nil && ctx.Err() != nil {
			return rep, ctx.Err()
		}
	}
	users, err := s.alerts.Users()
	if err != nil {
		return rep, err
	}
	var errs []error
	for _, u := range users {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		id, ok := s.auth.Lookup(u)
		if !ok || id.Email == "" {
			rep.Skipped++
			continue
		}
		rep.Users++
		v := s.code.For(corpus.Reader{SignedIn: true, User: id.User, Party: id.Party, Groups: id.Groups, Roles: id.Roles})
		today := s.today()
		err := s.alerts.Update(u, func(list []alerts.Alert) ([]alerts.Alert, error) {
			var ds []alertDigest
			var due []int
			for i, a := range list {
				if a.Since >= string(today) {
					continue
				}
				d, err := s.digest(ctx, v, u, a, today)
				if err != nil {
					return nil, fmt.Errorf("alert %s: %w", a.ID, err)
				}
				due = append(due, i)
				ds = append(ds, d)
			}
			var news []alertDigest
			for _, d := range ds {
				if !d.empty() {
					news = append(news, d)
				}
			}
			now := s.now().UTC()
			if len(news) > 0 {
				msg, err := s.digestMessage(id.Email, news)
				if err != nil {
					return nil, err
				}
				if err := m.Send(ctx, msg); err != nil {
					return nil, err
				}
				rep.Sent++
			}
			for j, i := range due {
				list[i].Since = string(today)
				if list[i].Kind == alerts.KindSearch {
					list[i].Seen, list[i].Primed = ds[j].seen, true
				}
				if !ds[j].empty() {
					list[i].LastSent = now
				}
			}
			return list, nil
		})
		if err != nil {
			s.log.ErrorContext(ctx, "alerts: digest not sent", slog.String("user", u), slog.Any("error", err))
			errs = append(errs, fmt.Errorf("user %s: %w", u, err))
		}
	}
	return rep, errors.Join(errs...)
}

type digestData struct {
	Title, Manage string
	Alerts        []alertDigest
}

// The digest templates are parsed at first use: every command of the binary would otherwise
// pay for them at start.
var digestText = sync.OnceValue(func() *texttemplate.Template {
	return texttemplate.Must(texttemplate.New("text").Parse(`{{.Title}}: what is new for your alerts
{{range .Alerts}}
== {{.Label}} ({{.From}} to {{.To}})
{{if .Versions}}
New versions in force:
{{range .Versions}}- {{.Text}}
  {{.URL}}
{{end}}{{end}}{{if .Changes}}
Clauses added, changed or deleted:
{{range .Changes}}- {{.Text}}
  {{.URL}}{{if .Redline}}
  redline: {{.Redline}}{{end}}
{{end}}{{end}}{{if .Hits}}
New search results:
{{range .Hits}}- {{.Text}}
  {{.URL}}
{{end}}{{end}}{{if .More}}
... and {{.More}} more: see the page below.
{{end}}
Open: {{.URL}}
Unsubscribe from this alert: {{.Unsubscribe}}
{{end}}
Manage your alerts: {{.Manage}}
`))
})

var digestHTML = sync.OnceValue(func() *htmltemplate.Template {
	return htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}: what is new for your alerts</h1>
{{range .Alerts}}<section>
<h2><a href="{{.URL}}">{{.Label}}</a></h2>
<p>From {{.From}} to {{.To}}.</p>
{{if .Versions}}<h3>New versions in force</h3><ul>{{range .Versions}}<li><a href="{{.URL}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
{{if .Changes}}<h3>Clauses added, changed or deleted</h3><ul>{{range .Changes}}<li><a href="{{.URL}}">{{.Text}}</a>{{if .Redline}} (<a href="{{.Redline}}">redline</a>){{end}}</li>{{end}}</ul>{{end}}
{{if .Hits}}<h3>New search results</h3><ul>{{range .Hits}}<li><a href="{{.URL}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
{{if .More}}<p>… and {{.More}} more: <a href="{{.URL}}">see them all</a>.</p>{{end}}
<p><a href="{{.Unsubscribe}}">Unsubscribe from this alert</a></p>
</section>
{{end}}<p><a href="{{.Manage}}">Manage your alerts</a></p>
</body></html>
`))
})

// digestMessage is the e-mail of a user's digests: plain text and HTML, with the first
// alert's unsubscribe link in List-Unsubscribe (each alert's own link is in the body).
func (s *Server) digestMessage(to string, ds []alertDigest) (alerts.Message, error) {
	data := digestData{Title: s.code.Title, Manage: s.abs(s.u("/alerts")), Alerts: ds}
	var t, h bytes.Buffer
	if err := digestText().Execute(&t, data); err != nil {
		return alerts.Message{}, err
	}
	if err := digestHTML().Execute(&h, data); err != nil {
		return alerts.Message{}, err
	}
	subj := fmt.Sprintf("%s: %d alert", s.code.Title, len(ds))
	if len(ds) != 1 {
		subj += "s"
	}
	subj += " with news"
	return alerts.Message{To: to, Subject: subj, Text: t.String(), HTML: h.String(), Unsubscribe: ds[0].Unsubscribe}, nil
}
