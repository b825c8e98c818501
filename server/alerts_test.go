package server

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/alerts"
	"codenav/alerts/smtptest"
	"codenav/auth"
	"codenav/corpus"
)

const testBase = "https://code.example.org"

// mutableAuth is the sample's users with identities a test may change (a group taken away).
type mutableAuth struct {
	auth.Authenticator
	mu  sync.Mutex
	ids map[string]auth.Identity
}

func (a *mutableAuth) Lookup(user string) (auth.Identity, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	id, ok := a.ids[user]
	return id, ok
}

func (a *mutableAuth) set(id auth.Identity) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ids[id.User] = id
}

// alertServer is a server with sign-in, alerts in a folder of its own, and e-mail addresses
// for member and ssc-member.
func alertServer(t *testing.T, clock *testClock) (*Server, *alerts.Store, *mutableAuth) {
	t.Helper()
	base := authServer(t)
	ma := &mutableAuth{Authenticator: base.auth, ids: map[string]auth.Identity{}}
	for _, u := range []string{"member", "ssc-member", "pma-chair"} {
		id, ok := base.auth.Lookup(u)
		require.True(t, ok)
		id.Email = u + "@example.org"
		ma.ids[u] = id
	}
	store, err := alerts.NewStore(t.TempDir())
	require.NoError(t, err)
	s := signinServer(t, ma, clock, func(c *Config) { c.Alerts, c.BaseURL = store, testBase })
	return s, store, ma
}

// pageCSRF reads the CSRF token of a page read with cookie.
func pageCSRF(t *testing.T, s *Server, path string, cookie *http.Cookie) string {
	t.Helper()
	w := get(t, s, path, cookie)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	m := csrfRE.FindStringSubmatch(w.Body.String())
	require.NotNil(t, m)
	return m[1]
}

var alertIDRE = regexp.MustCompile(`action="/alerts/([0-9a-f]+)/delete"`)

func TestAlertsSaveListDelete(t *testing.T) {
	s, store, _ := alertServer(t, &testClock{t: fixedNow})
	member, _ := login(t, s, "member", testPassword)
	other, _ := login(t, s, "ssc-member", testPassword)
	require.NotNil(t, member)
	require.NotNil(t, other)

	// The buttons are there for a signed-in reader, and not for anyone else.
	assert.Contains(t, get(t, s, "/search?q=consent", member).Body.String(), "Save this search as an alert")
	assert.Contains(t, get(t, s, "/changes?party=small-supplier", member).Body.String(), "Save this filter as an alert")
	assert.NotContains(t, get(t, s, "/search?q=consent").Body.String(), "Save this search as an alert")

	// Anonymous readers are sent to sign in (GET) or refused (POST).
	w := get(t, s, "/alerts")
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/login?next=%2Falerts", w.Header().Get("Location"))
	assert.Equal(t, http.StatusUnauthorized, post(t, s, "/alerts", url.Values{"kind": {"search"}, "q": {"consent"}}).Code)

	form := url.Values{"kind": {"search"}, "q": {"consent"}, "party": {"small-supplier"}}
	assert.Equal(t, http.StatusForbidden, post(t, s, "/alerts", form, member).Code, "no CSRF token")
	form.Set("csrf", pageCSRF(t, s, "/alerts", other))
	assert.Equal(t, http.StatusForbidden, post(t, s, "/alerts", form, member).Code, "another session's token")
	list, err := store.List("member")
	require.NoError(t, err)
	assert.Empty(t, list)

	form.Set("csrf", pageCSRF(t, s, "/alerts", member))
	w = post(t, s, "/alerts", form, member)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	assert.Equal(t, "/alerts?saved=1", w.Header().Get("Location"))
	w = post(t, s, "/alerts", url.Values{"csrf": form["csrf"], "kind": {"changes"}, "party": {"small-supplier"}, "doc": {"section-h"}}, member)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())

	page := get(t, s, "/alerts?saved=1", member).Body.String()
	assert.Contains(t, page, "The alert is saved.")
	assert.Contains(t, page, "Search &#34;consent&#34; for Small Supplier Party")
	assert.Contains(t, page, "Changes for Small Supplier Party in Section H")
	assert.Contains(t, page, "member@example.org")
	ids := alertIDRE.FindAllStringSubmatch(page, -1)
	require.Len(t, ids, 2)
	list, err = store.List("member")
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.True(t, list[0].Primed, "the hits there when saved are recorded, not reported")
	assert.Equal(t, "2026-11-28", list[0].Since)

	// Another reader sees none of them and cannot delete them.
	otherPage := get(t, s, "/alerts", other).Body.String()
	assert.Contains(t, otherPage, "You have no alerts.")
	assert.NotContains(t, otherPage, "consent")
	otherCSRF := pageCSRF(t, s, "/alerts", other)
	assert.Equal(t, http.StatusNotFound, post(t, s, "/alerts/"+ids[0][1]+"/delete", url.Values{"csrf": {otherCSRF}}, other).Code)
	// Deleting needs the token too.
	assert.Equal(t, http.StatusForbidden, post(t, s, "/alerts/"+ids[0][1]+"/delete", nil, member).Code)
	list, _ = store.List("member")
	require.Len(t, list, 2)

	w = post(t, s, "/alerts/"+ids[0][1]+"/delete", url.Values{"csrf": form["csrf"]}, member)
	assert.Equal(t, http.StatusSeeOther, w.Code)
	list, _ = store.List("member")
	require.Len(t, list, 1)
	assert.Equal(t, ids[1][1], list[0].ID)
}

func TestAlertSaveRefuses(t *testing.T) {
	s, store, _ := alertServer(t, &testClock{t: fixedNow})
	member, _ := login(t, s, "member", testPassword)
	csrf := pageCSRF(t, s, "/alerts", member)
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"unknown kind", url.Values{"kind": {"everything"}}, "unknown kind of alert"},
		{"search without words", url.Values{"kind": {"search"}, "q": {"  "}}, "needs words"},
		{"unknown party", url.Values{"kind": {"changes"}, "party": {"nobody"}}, "no party category"},
		{"unknown role", url.Values{"kind": {"changes"}, "role": {"nobody"}}, "no User Role"},
		// member is not in the ssc group: the amber document is as unknown as a missing one.
		{"document the reader may not see", url.Values{"kind": {"changes"}, "doc": {"ssc-assessment-findings"}}, "no document"},
		{"query too long", url.Values{"kind": {"search"}, "q": {strings.Repeat("x", alerts.MaxQueryLen+1)}}, "over 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("csrf", csrf)
			w := post(t, s, "/alerts", tc.form, member)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Contains(t, w.Body.String(), tc.want)
		})
	}
	list, err := store.List("member")
	require.NoError(t, err)
	assert.Empty(t, list)
}

// recorder is a Sender that keeps the messages.
type recorder struct {
	mu   sync.Mutex
	msgs []alerts.Message
}

func (r *recorder) Send(_ context.Context, m alerts.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recorder) all() []alerts.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]alerts.Message(nil), r.msgs...)
}

// put saves an alert as it would be after its first digest: due, hits recorded.
func put(t *testing.T, store *alerts.Store, user string, a alerts.Alert) alerts.Alert {
	t.Helper()
	a.Created = fixedNow.AddDate(0, -1, 0)
	a, err := store.Add(user, a)
	require.NoError(t, err)
	return a
}

// A digest is computed with its reader's view: an amber document reaches only the members of
// its group, and leaves their digests when they leave the group.
func TestDigestRestricted(t *testing.T) {
	s, store, ma := alertServer(t, &testClock{t: fixedNow})
	// "CANARY-AMBER" is written only in the amber document.
	for _, u := range []string{"member", "ssc-member"} {
		put(t, store, u, alerts.Alert{Kind: alerts.KindSearch, Query: "+canary +amber", Since: "2026-11-01", Primed: true})
	}
	rec := &recorder{}
	rep, err := s.SendDigests(context.Background(), rec)
	require.NoError(t, err)
	assert.Equal(t, DigestReport{Sent: 1, Users: 2}, rep)
	msgs := rec.all()
	require.Len(t, msgs, 1)
	assert.Equal(t, "ssc-member@example.org", msgs[0].To)
	assert.Contains(t, msgs[0].Text, "SSCF")
	assert.Contains(t, msgs[0].Text, testBase+"/docs/ssc-assessment-findings#SSCF")

	// ssc-member leaves the group; the alert is made due again with nothing seen.
	id, _ := ma.Lookup("ssc-member")
	id.Groups = nil
	ma.set(id)
	require.NoError(t, store.Update("ssc-member", func(l []alerts.Alert) ([]alerts.Alert, error) {
		l[0].Since, l[0].Seen = "2026-11-01", nil
		return l, nil
	}))
	rep, err = s.SendDigests(context.Background(), rec)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Sent, "nothing the reader may still see matches")
	for _, m := range rec.all()[1:] {
		assert.NotContains(t, m.Text+m.HTML, "SSCF")
	}

	// A changes alert on the amber document, saved while in the group, is silent after.
	put(t, store, "ssc-member", alerts.Alert{Kind: alerts.KindChanges, Doc: "ssc-assessment-findings", Since: "2000-01-01"})
	rep, err = s.SendDigests(context.Background(), rec)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Sent)
	assert.Len(t, rec.all(), 1)
}

func TestDigestComposition(t *testing.T) {
	s, store, _ := alertServer(t, &testClock{t: fixedNow})
	a := put(t, store, "member", alerts.Alert{Kind: alerts.KindChanges, Party: "small-supplier", Doc: "section-h", Since: "2019-01-01"})
	rec := &recorder{}
	_, err := s.SendDigests(context.Background(), rec)
	require.NoError(t, err)
	msgs := rec.all()
	require.Len(t, msgs, 1)
	m := msgs[0]
	assert.Equal(t, "member@example.org", m.To)
	// Exactly what /changes shows for the same filter and dates.
	want := s.changesBetween(s.code.For(authReader(t, s, "member")), "2019-01-01", "2026-11-28",
		changeFilter{Party: "small-supplier", Doc: "section-h"})
	require.NotEmpty(t, want)
	for _, ch := range want {
		assert.Contains(t, m.Text, ch.Kind+" "+ch.ID)
		assert.Contains(t, m.HTML, ch.Kind+" "+ch.ID)
	}
	assert.Contains(t, m.Text, "New versions in force:")
	assert.Contains(t, m.Text, "version 3.0, in force from")
	assert.NotContains(t, m.Text, "version 4.0", "not in force yet")
	// Every link is absolute; the unsubscribe link names this alert and is signed.
	for _, l := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(m.HTML, -1) {
		assert.True(t, strings.HasPrefix(l[1], testBase+"/"), l[1])
	}
	u, err := url.Parse(m.Unsubscribe)
	require.NoError(t, err)
	assert.Equal(t, "/alerts/unsubscribe", u.Path)
	assert.Equal(t, a.ID, u.Query().Get("a"))
	assert.True(t, s.signer.CheckToken(u.Query().Get("t"), "unsubscribe", "member", a.ID))
	assert.Contains(t, m.Text, "Unsubscribe from this alert: "+m.Unsubscribe)

	list, _ := store.List("member")
	assert.Equal(t, "2026-11-28", list[0].Since)
	assert.Equal(t, fixedNow, list[0].LastSent)
}

// An alert saved long ago does not make an e-mail of thousands of lines.
func TestDigestCapped(t *testing.T) {
	s, _, _ := alertServer(t, &testClock{t: fixedNow})
	v := s.code.For(authReader(t, s, "member"))
	a := alerts.Alert{Kind: alerts.KindChanges, Since: "2000-01-01"}
	all := s.changesBetween(v, "2000-01-01", "2026-11-28", changeFilter{})
	require.Greater(t, len(all), maxDigestItems, "the sample has more changes than a digest shows")
	d, err := s.digest(context.Background(), v, "member", a, "2026-11-28")
	require.NoError(t, err)
	assert.Len(t, d.Changes, maxDigestItems)
	assert.GreaterOrEqual(t, d.More, len(all)-maxDigestItems)
	msg, err := s.digestMessage("member@example.org", []alertDigest{d})
	require.NoError(t, err)
	assert.Contains(t, msg.Text, fmt.Sprintf("... and %d more", d.More))
}

// authReader is the corpus reader of a user of the sample.
func authReader(t *testing.T, s *Server, user string) (r corpus.Reader) {
	t.Helper()
	id, ok := s.auth.Lookup(user)
	require.True(t, ok)
	return corpus.Reader{SignedIn: true, User: id.User, Party: id.Party, Groups: id.Groups, Roles: id.Roles}
}

// A digest is sent once a day whoever runs the round: twice on one replica, or on two
// replicas at once sharing the alerts folder, and the mail goes out once.
func TestDigestNoDoubleSend(t *testing.T) {
	clock := &testClock{t: fixedNow}
	s, store, _ := alertServer(t, clock)
	s2 := signinServer(t, s.auth, clock, func(c *Config) { c.Alerts, c.BaseURL = store, testBase })
	put(t, store, "member", alerts.Alert{Kind: alerts.KindChanges, Party: "small-supplier", Since: "2019-01-01"})
	put(t, store, "ssc-member", alerts.Alert{Kind: alerts.KindChanges, Since: "2019-01-01"})
	srv, err := smtptest.Start(nil)
	require.NoError(t, err)
	defer srv.Close()
	ml, err := alerts.NewMailer(alerts.SMTP{Addr: srv.Addr(), From: "alerts@example.org"}, clock.now)
	require.NoError(t, err)

	var wg sync.WaitGroup
	for _, x := range []*Server{s, s2, s, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := x.SendDigests(context.Background(), ml)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	mails := srv.Mails()
	require.Len(t, mails, 2)
	assert.ElementsMatch(t, []string{"member@example.org", "ssc-member@example.org"}, []string{mails[0].To[0], mails[1].To[0]})

	// The next day: nothing took effect since, so nothing is sent.
	clock.add(24 * time.Hour)
	rep, err := s.SendDigests(context.Background(), ml)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Sent)
	assert.Len(t, srv.Mails(), 2)
}

// The message as received: multipart text and HTML, headers, the unsubscribe header.
func TestDigestOverSMTP(t *testing.T) {
	clock := &testClock{t: fixedNow}
	s, store, _ := alertServer(t, clock)
	put(t, store, "member", alerts.Alert{Kind: alerts.KindChanges, Party: "small-supplier", Doc: "section-h", Since: "2019-01-01"})
	srv, err := smtptest.Start(nil)
	require.NoError(t, err)
	defer srv.Close()
	ml, err := alerts.NewMailer(alerts.SMTP{Addr: srv.Addr(), From: "alerts@example.org"}, clock.now)
	require.NoError(t, err)
	rep, err := s.SendDigests(context.Background(), ml)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Sent)
	mails := srv.Mails()
	require.Len(t, mails, 1)
	assert.Equal(t, "alerts@example.org", mails[0].From)
	assert.Equal(t, []string{"member@example.org"}, mails[0].To)
	msg, err := mail.ReadMessage(strings.NewReader(mails[0].Data))
	require.NoError(t, err)
	assert.Contains(t, msg.Header.Get("Subject"), "1 alert with news")
	assert.Contains(t, msg.Header.Get("List-Unsubscribe"), testBase+"/alerts/unsubscribe?")
	assert.Equal(t, "List-Unsubscribe=One-Click", msg.Header.Get("List-Unsubscribe-Post"))
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/alternative", mt)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		types = append(types, p.Header.Get("Content-Type"))
		b, err := io.ReadAll(p) // the multipart reader decodes quoted-printable
		require.NoError(t, err)
		assert.Contains(t, string(b), testBase+"/docs/section-h")
	}
	assert.Equal(t, []string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}, types)
}

func TestDigestNeedsConfig(t *testing.T) {
	clock := &testClock{t: fixedNow}
	s, store, _ := alertServer(t, clock)
	put(t, store, "member", alerts.Alert{Kind: alerts.KindChanges, Since: "2019-01-01"})
	_, err := s.SendDigests(context.Background(), nil)
	assert.ErrorIs(t, err, ErrAlertsOff, "no mailer")
	rec := &recorder{}
	for name, tweak := range map[string]func(*Config){
		"no alerts folder": func(c *Config) { c.BaseURL = testBase },
		"no base URL":      func(c *Config) { c.Alerts = store },
	} {
		x := signinServer(t, s.auth, clock, tweak)
		_, err := x.SendDigests(context.Background(), rec)
		assert.ErrorIs(t, err, ErrAlertsOff, name)
	}
	assert.Empty(t, rec.all())
	// Without an alerts folder, the pages say so and save nothing.
	x := signinServer(t, s.auth, clock, nil)
	member, _ := login(t, x, "member", testPassword)
	assert.Equal(t, http.StatusNotFound, get(t, x, "/alerts", member).Code)
	assert.NotContains(t, get(t, x, "/search?q=consent", member).Body.String(), "Save this search")
	list, _ := store.List("member")
	assert.Equal(t, "2019-01-01", list[0].Since, "nothing was marked sent")
}

func TestUnsubscribe(t *testing.T) {
	s, store, _ := alertServer(t, &testClock{t: fixedNow})
	a := put(t, store, "member", alerts.Alert{Kind: alerts.KindChanges, Party: "small-supplier", Since: "2019-01-01"})
	rec := &recorder{}
	_, err := s.SendDigests(context.Background(), rec)
	require.NoError(t, err)
	require.Len(t, rec.all(), 1)
	u, err := url.Parse(rec.all()[0].Unsubscribe)
	require.NoError(t, err)
	link := u.RequestURI()

	// A forged token, or a token for another alert, does nothing.
	q := u.Query()
	q.Set("t", "forged")
	assert.Equal(t, http.StatusForbidden, get(t, s, "/alerts/unsubscribe?"+q.Encode()).Code)
	q = u.Query()
	q.Set("u", "ssc-member")
	assert.Equal(t, http.StatusForbidden, post(t, s, "/alerts/unsubscribe?"+q.Encode(), nil).Code)

	// Following the link asks first: a mail scanner's GET changes nothing.
	w := get(t, s, link)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), "Changes for Small Supplier")
	list, _ := store.List("member")
	require.Len(t, list, 1)

	// One-click (RFC 8058): a POST to the same address, without a session.
	w = post(t, s, link, url.Values{"List-Unsubscribe": {"One-Click"}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), "You are unsubscribed")
	list, _ = store.List("member")
	assert.Empty(t, list)
	assert.NotEqual(t, "", a.ID)
}

// A saved search's words reach the HTML digest escaped.
func TestDigestEscapes(t *testing.T) {
	s, _, _ := alertServer(t, &testClock{t: fixedNow})
	d := alertDigest{Label: s.alertLabel(alerts.Alert{Kind: alerts.KindSearch, Query: `<script>alert(1)</script>`}),
		URL: testBase + "/search", Hits: []digestItem{{Text: "<b>x</b>", URL: "javascript:alert(1)"}}}
	msg, err := s.digestMessage("member@example.org", []alertDigest{d})
	require.NoError(t, err)
	assert.NotContains(t, msg.HTML, "<script>")
	assert.NotContains(t, msg.HTML, "<b>x</b>")
	assert.NotContains(t, msg.HTML, `href="javascript:`)
	assert.Contains(t, msg.Text, `Search "<script>alert(1)</script>"`, "plain text is plain")
}
