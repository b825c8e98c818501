package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"codenav/auth"
)

const testPassword = "correct horse battery"

var (
	authOnce sync.Once
	authSrv  *Server
	authErr  error
)

// authServer is the sample server with signing in, and one user per role.
func authServer(t testing.TB) *Server {
	t.Helper()
	base := testServer(t)
	authOnce.Do(func() {
		h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
		if err != nil {
			authErr = err
			return
		}
		users, err := auth.NewUsers([]auth.User{
			{User: "member", Hash: string(h), Party: "large-supplier"},
			{User: "ssc-member", Hash: string(h), Party: "small-supplier", Groups: []string{"ssc"}},
			{User: "pma-chair", Hash: string(h), Party: "other"},
			{User: "drafter", Hash: string(h), Roles: []string{"drafter"}},
			{User: "admin", Hash: string(h), Roles: []string{"admin"}},
		})
		if err != nil {
			authErr = err
			return
		}
		signer, err := auth.NewSigner([]byte(strings.Repeat("k", 32)), time.Hour, 30*time.Minute, func() time.Time { return fixedNow })
		if err != nil {
			authErr = err
			return
		}
		authSrv, authErr = New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index,
			Now: func() time.Time { return fixedNow }, Auth: users, Signer: signer})
	})
	require.NoError(t, authErr)
	return authSrv
}

func post(t testing.TB, s *Server, target string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "192.0.2.1:1234"
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login signs user in and returns the session cookie.
func login(t testing.TB, s *Server, user, password string) (*http.Cookie, *httptest.ResponseRecorder) {
	t.Helper()
	w := get(t, s, "/login")
	require.Equal(t, 200, w.Code)
	m := csrfRE.FindStringSubmatch(w.Body.String())
	require.NotNil(t, m, "the sign-in form carries a CSRF token")
	var cookies []*http.Cookie
	cookies = append(cookies, w.Result().Cookies()...)
	w = post(t, s, "/login", url.Values{"user": {user}, "password": {password}, "csrf": {m[1]}, "next": {"/docs"}}, cookies...)
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return c, w
		}
	}
	return nil, w
}

func TestLogin(t *testing.T) {
	s := authServer(t)
	c, w := login(t, s, "member", testPassword)
	require.NotNil(t, c, w.Body.String())
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/docs", w.Header().Get("Location"))
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	page := get(t, s, "/", c).Body.String()
	assert.Contains(t, page, "Signed in as <strong>member</strong>")

	_, w = login(t, s, "member", "wrong password!")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	_, w = login(t, s, "nobody", testPassword)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Contains(t, w.Body.String(), "Wrong user name or password", "the same answer for a wrong name")

	// Without the CSRF token, or with one of another session, the form is refused.
	w = post(t, s, "/login", url.Values{"user": {"member"}, "password": {testPassword}})
	assert.Equal(t, http.StatusForbidden, w.Code)
	w = post(t, s, "/logout", url.Values{"csrf": {"forged"}}, c)
	assert.Equal(t, http.StatusForbidden, w.Code)

	// Logging out clears the cookie.
	m := csrfRE.FindStringSubmatch(page)
	require.NotNil(t, m)
	w = post(t, s, "/logout", url.Values{"csrf": {m[1]}}, c)
	assert.Equal(t, http.StatusSeeOther, w.Code)
	cleared := false
	for _, x := range w.Result().Cookies() {
		cleared = cleared || (x.Name == sessionCookie && x.MaxAge < 0)
	}
	assert.True(t, cleared)

	// A forged or tampered cookie reads as anonymous.
	for _, v := range []string{"x", c.Value + "x", strings.Replace(c.Value, "e", "f", 1), "eyJ1IjoiYWRtaW4iLCJlIjo5OTk5OTk5OTk5LCJuIjoieCJ9.abc"} {
		page := get(t, s, "/docs/panel-meeting-digest", &http.Cookie{Name: sessionCookie, Value: v})
		assert.Equal(t, http.StatusNotFound, page.Code, v)
	}
	for _, next := range []string{"https://evil.example/", "//evil.example", "/login"} {
		assert.Equal(t, "/", loginNext(next), next)
	}
}

func TestLoginRateLimit(t *testing.T) {
	shared := authServer(t)
	// A server of its own: the attempts here must not use up the shared server's allowance.
	s, err := New(Config{Code: shared.code, Logger: slog.New(slog.DiscardHandler), Index: shared.index,
		Now: func() time.Time { return fixedNow }, Auth: shared.auth, Signer: shared.signer})
	require.NoError(t, err)
	codes := []int{}
	for i := 0; i < 8; i++ {
		_, w := login(t, s, "ratelimited", "wrong password!")
		codes = append(codes, w.Code)
	}
	assert.Contains(t, codes, http.StatusTooManyRequests)
	assert.Equal(t, http.StatusUnauthorized, codes[0])
}

// TestLeaks crawls every page and API route reachable from each role's home page and its
// searches, and fails on any canary the role may not see; each role also sees its own.
func TestLeaks(t *testing.T) {
	s := authServer(t)
	canaries := map[string]string{"CANARY-GREEN": "panel-meeting-digest", "CANARY-AMBER": "ssc-assessment-findings", "CANARY-RED": "smki-key-ceremony-record"}
	roles := []struct {
		user string
		sees []string
	}{
		{"", nil},
		{"member", []string{"CANARY-GREEN"}},
		{"ssc-member", []string{"CANARY-GREEN", "CANARY-AMBER"}},
		{"pma-chair", []string{"CANARY-GREEN", "CANARY-RED"}},
		{"drafter", []string{"CANARY-GREEN"}},
		{"admin", []string{"CANARY-GREEN", "CANARY-AMBER", "CANARY-RED"}},
	}
	for _, role := range roles {
		name := role.user
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			var cookies []*http.Cookie
			if role.user != "" {
				c, w := login(t, s, role.user, testPassword)
				require.NotNil(t, c, w.Body.String())
				cookies = append(cookies, c)
			}
			start := []string{"/", "/docs", "/sitemap.xml", "/api/v1/documents", "/api/v1/releases", "/api/v1/modifications",
				"/search?q=canary&at=all", "/api/v1/search?q=canary&at=all", "/search?q=CANARY-GREEN", "/search?q=CANARY-AMBER",
				"/search?q=CANARY-RED", "/api/v1/search?q=panel&size=100", "/search?q=*&at=all&size=100",
				"/api/v1/search?q=key+ceremony&at=all", "/search?q=PMD1.1", "/search?q=KCR1.1", "/search?q=SSCF1.1"}
			for _, doc := range canaries {
				start = append(start, "/docs/"+doc, "/api/v1/documents/"+doc, "/docs/"+doc+"/history", "/api/v1/documents/"+doc+"/versions")
			}
			seen := map[string]bool{}
			found := map[string]bool{}
			queue := start
			for len(queue) > 0 && len(seen) < 4000 {
				p := strings.ReplaceAll(queue[0], "&amp;", "&")
				queue = queue[1:]
				if seen[p] || strings.HasPrefix(p, "/party") || strings.HasPrefix(p, "/login") || strings.HasPrefix(p, "/logout") {
					continue
				}
				seen[p] = true
				w := get(t, s, p, cookies...)
				require.Less(t, w.Code, 500, p)
				body, _ := io.ReadAll(w.Body)
				text := string(body)
				// A page may repeat what the reader asked for (the search box, "no document
				// x"): that is the reader's own input, not a leak, so it is taken out first.
				if u, err := url.Parse(p); err == nil {
					echo := []string{}
					for _, vs := range u.Query() {
						echo = append(echo, vs...)
					}
					echo = append(echo, strings.Split(u.Path, "/")...)
					for _, e := range echo {
						if len(e) > 3 {
							text = strings.ReplaceAll(text, e, "")
							text = strings.ReplaceAll(text, url.QueryEscape(e), "")
							text = strings.ReplaceAll(text, strings.ToLower(url.PathEscape(e)), "")
						}
					}
					text = regexp.MustCompile(`(?i)next=[^"]*`).ReplaceAllString(text, "")
				}
				for canary, doc := range canaries {
					allowed := contains(role.sees, canary)
					if strings.Contains(text, canary) {
						found[canary] = true
						assert.True(t, allowed, "%s sees %s at %s", name, canary, p)
					}
					if !allowed {
						assert.NotContains(t, text, doc, "%s: %s names %s", name, p, doc)
					}
				}
				for _, l := range crawlLinks(text, `"#<`, `href="`, `"url":"`, `<loc>http://example.com`) {
					if !strings.HasPrefix(l, "/static/") {
						queue = append(queue, l)
					}
				}
			}
			for _, c := range role.sees {
				assert.True(t, found[c], "%s should see %s", name, c)
			}
			assert.Greater(t, len(seen), 100, "the crawl reached the site")
		})
	}
}
