package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"codenav/auth"
)

// testClock is a clock a test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingAuth counts the passwords checked (the bcrypt comparisons).
type countingAuth struct {
	auth.Authenticator
	checked atomic.Int32
}

func (a *countingAuth) Authenticate(ctx context.Context, user, password string) (auth.Identity, error) {
	a.checked.Add(1)
	return a.Authenticator.Authenticate(ctx, user, password)
}

// signinServer is a server of its own (its own limiter and clock) with signing in.
func signinServer(t *testing.T, a auth.Authenticator, clock *testClock, tweak func(*Config)) *Server {
	t.Helper()
	base := authServer(t)
	signer, err := auth.NewSigner([]byte(strings.Repeat("k", 32)), 12*time.Hour, 30*time.Minute, clock.now)
	require.NoError(t, err)
	cfg := Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index, Now: clock.now, Auth: a, Signer: signer}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	require.NoError(t, err)
	return s
}

// loginForm returns the cookies and CSRF token of a sign-in form.
func loginForm(t *testing.T, s *Server) ([]*http.Cookie, string) {
	t.Helper()
	w := get(t, s, "/login")
	require.Equal(t, 200, w.Code)
	m := csrfRE.FindStringSubmatch(w.Body.String())
	require.NotNil(t, m)
	return w.Result().Cookies(), m[1]
}

// attempt posts a sign-in from remote, with X-Forwarded-For xff if not empty.
func attempt(s *Server, cookies []*http.Cookie, csrf, user, password, remote, xff string) *httptest.ResponseRecorder {
	form := url.Values{"user": {user}, "password": {password}, "csrf": {csrf}, "next": {"/docs"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

// parallel runs n attempts at once and counts the answers by status.
func parallel(n int, try func(i int) *httptest.ResponseRecorder) map[int]int {
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			w := try(i)
			mu.Lock()
			codes[w.Code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// Issue 13 #5: 50 concurrent wrong passwords all got 401, none 429. Now at most the burst
// reaches bcrypt, and the rest get 429 with Retry-After.
func TestLoginLimitConcurrent(t *testing.T) {
	base := authServer(t)
	clock := &testClock{t: fixedNow}
	a := &countingAuth{Authenticator: base.auth}
	s := signinServer(t, a, clock, nil)
	cookies, csrf := loginForm(t, s)
	codes := parallel(50, func(int) *httptest.ResponseRecorder {
		w := attempt(s, cookies, csrf, "member", "wrong password!", "192.0.2.1:1234", "")
		if w.Code == http.StatusTooManyRequests {
			secs, err := strconv.Atoi(w.Header().Get("Retry-After"))
			assert.NoError(t, err)
			assert.Positive(t, secs)
		}
		return w
	})
	assert.Equal(t, int32(auth.DefaultLoginLimits.Pair.Burst), a.checked.Load(), "only the burst reaches bcrypt")
	assert.Equal(t, map[int]int{401: 5, 429: 45}, codes)

	// Behind nginx every attempt comes from the proxy's address; without a trusted proxy
	// header configured, X-Forwarded-For is not believed, so forging it gains nothing.
	a.checked.Store(0)
	s = signinServer(t, a, clock, nil)
	cookies, csrf = loginForm(t, s)
	parallel(50, func(i int) *httptest.ResponseRecorder {
		return attempt(s, cookies, csrf, "member", "wrong password!", "127.0.0.1:1234", fmt.Sprintf("203.0.113.%d", i))
	})
	assert.Equal(t, int32(5), a.checked.Load(), "a forged X-Forwarded-For is ignored")
}

// With a trusted proxy header, each client has its own budget; a user under attack from many
// addresses is soft-locked: each address gets one attempt per 100 s, and the real user, from
// an address that has not failed, still signs in.
func TestLoginLimitBehindProxy(t *testing.T) {
	base := authServer(t)
	clock := &testClock{t: fixedNow}
	a := &countingAuth{Authenticator: base.auth}
	proxies, err := auth.ParseProxies("X-Forwarded-For", "127.0.0.1")
	require.NoError(t, err)
	s := signinServer(t, a, clock, func(c *Config) { c.Proxies = proxies })
	cookies, csrf := loginForm(t, s)
	client := func(i int) string { return fmt.Sprintf("198.51.100.7, 203.0.113.%d", i) } // a forged entry, then nginx's
	codes := parallel(50, func(i int) *httptest.ResponseRecorder {
		return attempt(s, cookies, csrf, "member", "wrong password!", "127.0.0.1:1234", client(i))
	})
	assert.Equal(t, map[int]int{401: 50}, codes, "one attempt per address")
	// Each of those addresses has now failed on the user while it was under attack (or used
	// its token before): none gets another attempt.
	a.checked.Store(0)
	codes = parallel(50, func(i int) *httptest.ResponseRecorder {
		return attempt(s, cookies, csrf, "member", "wrong password!", "127.0.0.1:1234", client(i))
	})
	assert.Equal(t, map[int]int{429: 50}, codes)
	assert.Zero(t, a.checked.Load())
	// The real user from a fresh address signs in.
	w := attempt(s, cookies, csrf, "member", testPassword, "127.0.0.1:1234", "192.0.2.200")
	assert.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	// A new address of the attacker's gets one attempt, then waits a full refill of its
	// bucket (5 x 20 s).
	assert.Equal(t, 401, attempt(s, cookies, csrf, "member", "x", "127.0.0.1:1234", "203.0.113.200").Code)
	w = attempt(s, cookies, csrf, "member", "x", "127.0.0.1:1234", "203.0.113.200")
	assert.Equal(t, 429, w.Code)
	assert.Equal(t, "100", w.Header().Get("Retry-After"))
	assert.Contains(t, w.Body.String(), "Try again in 100 seconds")
}

// Issue 13 #7: /login?next=/%5Cevil.example/x then signing in answered 303 Location:
// /\evil.example/x. Every attack string goes to / instead.
func TestLoginOpenRedirect(t *testing.T) {
	clock := &testClock{t: fixedNow}
	s := signinServer(t, authServer(t).auth, clock, nil)
	attacks := []string{"/\\evil.example/x", "//evil.example", "/\\/evil.example", "https://evil.example", "https:evil.example",
		"/\t/evil.example", "/%5Cevil.example", "/%2F%2Fevil.example", "/%252F%252Fevil.example", "/%09/evil.example",
		"javascript:alert(1)", "\\\\evil.example", " //evil.example", "/login", "/logout"}
	for _, next := range attacks {
		// The form carries the next it was given, decoded once by the query.
		w := get(t, s, "/login?next="+url.QueryEscape(next))
		require.Equal(t, 200, w.Code)
		assert.Contains(t, w.Body.String(), `name="next" value="/"`, next)
		cookies, csrf := loginForm(t, s)
		form := url.Values{"user": {"member"}, "password": {testPassword}, "csrf": {csrf}, "next": {next}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusSeeOther, rec.Code, next)
		assert.Equal(t, "/", rec.Header().Get("Location"), "%q", next)

		if !strings.HasPrefix(next, "/log") { // the party chooser may go back to those
			rec = get(t, s, "/party?party=dcc&next="+url.QueryEscape(next))
			assert.Equal(t, "/", rec.Header().Get("Location"), "party chooser: %q", next)
		}
	}
	w := get(t, s, "/login?next="+url.QueryEscape("/docs/section-h?version=2.0"))
	assert.Contains(t, w.Body.String(), `name="next" value="/docs/section-h?version=2.0"`, "a path of this site is kept")
}

// usersFileServer is a server whose users come from a users file in a temporary folder, as
// codenav serve's do, so that signing out writes sessions_after into it.
func usersFileServer(t *testing.T, clock *testClock) (*Server, *auth.UsersFile, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.yaml")
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	require.NoError(t, err)
	require.NoError(t, auth.AddUser(path, auth.User{User: "member", Hash: string(h), Party: "large-supplier"}, time.Time{}))
	f, err := auth.OpenUsersFile(path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	return signinServer(t, f, clock, nil), f, path
}

// logoutWith posts the sign-out form of the page at / read with cookie.
func logoutWith(t *testing.T, s *Server, cookie *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	m := csrfRE.FindStringSubmatch(get(t, s, "/", cookie).Body.String())
	require.NotNil(t, m, "a signed-in page carries the sign-out form")
	return post(t, s, "/logout", url.Values{"csrf": {m[1]}}, cookie)
}

const greenDoc = "/docs/panel-meeting-digest"

// Issue 13 #8: a cookie saved before POST /logout read a green document for 12 h. Now signing
// out revokes every session of the user begun until then, on every replica.
func TestLogoutRevokes(t *testing.T) {
	clock := &testClock{t: fixedNow}
	s, _, path := usersFileServer(t, clock)
	// A second replica: its own process, the same users file and key.
	f2, err := auth.OpenUsersFile(path, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	replica := signinServer(t, f2, clock, nil)

	saved, w := login(t, s, "member", testPassword)
	require.NotNil(t, saved, w.Body.String())
	require.Equal(t, 200, get(t, s, greenDoc, saved).Code)
	require.Equal(t, 200, get(t, replica, greenDoc, saved).Code, "a session works on every replica")
	other, _ := login(t, s, "member", testPassword) // the same user on another device

	clock.add(time.Second)
	w = logoutWith(t, s, saved)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	assert.Equal(t, http.StatusNotFound, get(t, s, greenDoc, saved).Code, "the saved cookie no longer reads the green document")
	assert.Equal(t, http.StatusNotFound, get(t, s, greenDoc, other).Code, "signing out ends the user's other sessions too")
	require.NoError(t, f2.Reload()) // what the replica does within a second of the file changing
	assert.Equal(t, http.StatusNotFound, get(t, replica, greenDoc, saved).Code, "nor on another replica")
	cleared := get(t, s, greenDoc, saved).Result().Cookies()
	require.NotEmpty(t, cleared)
	assert.Negative(t, cleared[0].MaxAge, "a revoked cookie is cleared")

	clock.add(time.Second)
	again, _ := login(t, s, "member", testPassword)
	require.NotNil(t, again)
	assert.Equal(t, 200, get(t, s, greenDoc, again).Code, "signing in again works")

	// A new password (codenav user add) ends the sessions too.
	clock.add(time.Second)
	h, err := bcrypt.GenerateFromPassword([]byte("another long password"), bcrypt.MinCost)
	require.NoError(t, err)
	require.NoError(t, auth.AddUser(path, auth.User{User: "member", Hash: string(h), Party: "large-supplier"}, clock.now()))
	require.NoError(t, f2.Reload())
	assert.Equal(t, http.StatusNotFound, get(t, replica, greenDoc, again).Code, "a password change revokes the session")
}

// A session ends after 30 minutes without a request; a reader who keeps reading keeps it
// (the cookie is issued again with a new "last seen"), up to 12 hours after signing in.
func TestSessionIdle(t *testing.T) {
	clock := &testClock{t: fixedNow}
	s := signinServer(t, authServer(t).auth, clock, nil)
	first, _ := login(t, s, "member", testPassword)
	require.NotNil(t, first)
	cookie := first
	for range 3 {
		clock.add(29 * time.Minute)
		w := get(t, s, greenDoc, cookie)
		require.Equal(t, 200, w.Code)
		var renewed *http.Cookie
		for _, c := range w.Result().Cookies() {
			if c.Name == sessionCookie {
				renewed = c
			}
		}
		require.NotNil(t, renewed, "the cookie is issued again with a new last-seen time")
		assert.True(t, renewed.HttpOnly)
		assert.Equal(t, 30*60, renewed.MaxAge, "the browser keeps it for the idle timeout")
		cookie = renewed
	}
	assert.Equal(t, http.StatusNotFound, get(t, s, greenDoc, first).Code, "the first cookie has been idle 87 minutes")
	m := csrfRE.FindStringSubmatch(get(t, s, "/", cookie).Body.String())
	require.NotNil(t, m)
	clock.add(30 * time.Minute)
	assert.Equal(t, http.StatusNotFound, get(t, s, greenDoc, cookie).Code, "30 minutes idle ends the session")
	w := post(t, s, "/logout", url.Values{"csrf": {m[1]}}, cookie)
	assert.Equal(t, http.StatusSeeOther, w.Code, "signing out of an ended session just goes home")
}

// Issue 13 #9: every answer to a signed-in reader is private and never stored, including a
// red document and its DOCX download; anonymous pages stay cacheable by the reader's browser.
func TestSignedInNoStore(t *testing.T) {
	s := authServer(t)
	cookie, _ := login(t, s, "pma-chair", testPassword)
	require.NotNil(t, cookie)
	for _, p := range []string{"/docs/smki-key-ceremony-record", "/api/v1/documents/smki-key-ceremony-record",
		"/api/v1/compare?doc=smki-key-ceremony-record&from=1.0&to=1.0&format=docx", "/releases", "/api/v1/search?q=key",
		"/docs/nope"} {
		w := get(t, s, p, cookie)
		assert.Less(t, w.Code, 500, p)
		assert.Equal(t, "private, no-store", w.Header().Get("Cache-Control"), p)
		assert.Equal(t, "Cookie", w.Header().Get("Vary"), p)
		assert.Empty(t, w.Header().Get("X-Cache"), p)
	}
	w := get(t, s, "/api/v1/compare?doc=smki-key-ceremony-record&from=1.0&to=1.0&format=docx", cookie)
	require.Equal(t, 200, w.Code)
	assert.True(t, strings.HasPrefix(w.Body.String(), "PK"), "a DOCX (zip) download")
	assert.Contains(t, w.Header().Get("Content-Disposition"), ".docx")
	w = get(t, s, "/docs/section-h")
	assert.Equal(t, "private, no-cache", w.Header().Get("Cache-Control"), "anonymous pages come from the page cache")
	// A dead cookie is answered as anonymous, and cleared.
	w = get(t, s, "/docs/smki-key-ceremony-record", &http.Cookie{Name: sessionCookie, Value: "forged"})
	assert.Equal(t, 404, w.Code)
	require.NotEmpty(t, w.Result().Cookies())
	assert.Negative(t, w.Result().Cookies()[0].MaxAge)
}

// Issue 13 #11: drafting needs the drafter (or admin) role when sign-in is configured, and
// without sign-in it is refused unless the server was started with --open-drafting.
func TestDraftNeedsRole(t *testing.T) {
	s := authServer(t)
	form := url.Values{"doc": {"section-h"}, "base": {"2.0"}, "text": {"x"}, "action": {"markdown"}}
	w := get(t, s, "/draft?doc=section-h")
	assert.Equal(t, http.StatusSeeOther, w.Code, "anonymous: sent to sign in")
	assert.Equal(t, "/login?next=%2Fdraft%3Fdoc%3Dsection-h", w.Header().Get("Location"))
	assert.Equal(t, http.StatusUnauthorized, post(t, s, "/draft", form).Code)
	for user, want := range map[string]int{"member": 403, "ssc-member": 403, "drafter": 200, "admin": 200} {
		c, _ := login(t, s, user, testPassword)
		require.NotNil(t, c, user)
		assert.Equal(t, want, get(t, s, "/draft?doc=section-h", c).Code, user)
		m := csrfRE.FindStringSubmatch(get(t, s, "/", c).Body.String())
		require.NotNil(t, m)
		assert.Equal(t, want, post(t, s, "/draft", form, c).Code, user)
	}

	base := testServer(t)
	closed, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow }})
	require.NoError(t, err)
	w = get(t, closed, "/draft")
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, w.Body.String(), "--open-drafting")
	assert.Equal(t, http.StatusForbidden, post(t, closed, "/draft", form).Code)
	assert.Equal(t, 200, get(t, base, "/draft").Code, "the shared test server has --open-drafting")
	req := httptest.NewRequest(http.MethodPost, "/api/v1/redline", strings.NewReader(`{"old":"a","new":"b"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	closed.Handler().ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code, "the read-only redline API stays public")
}

// Issue 13 #11: /static/ listed its folder; cookies were never Secure behind a TLS proxy;
// there was no HSTS.
func TestEdgeOptions(t *testing.T) {
	s := authServer(t)
	for _, p := range []string{"/static/", "/static", "/static/.", "/static//"} {
		w := get(t, s, p)
		assert.NotEqual(t, 200, w.Code, p)
		assert.NotContains(t, w.Body.String(), `<a href="site.css">`, "%s lists the folder", p)
	}
	w := get(t, s, "/static/site.css")
	assert.Equal(t, 200, w.Code)
	assert.Empty(t, w.Header().Get("Strict-Transport-Security"), "no HSTS unless asked for")
	c, _ := login(t, s, "member", testPassword)
	require.NotNil(t, c)
	assert.False(t, c.Secure, "plain HTTP without --secure-cookies")

	clock := &testClock{t: fixedNow}
	secure := signinServer(t, s.auth, clock, func(c *Config) { c.SecureCookies, c.HSTS = true, 365*24*time.Hour })
	w = get(t, secure, "/docs")
	assert.Equal(t, "max-age=31536000", w.Header().Get("Strict-Transport-Security"))
	c, _ = login(t, secure, "member", testPassword)
	require.NotNil(t, c)
	assert.True(t, c.Secure, "--secure-cookies")
	for _, x := range get(t, secure, "/login").Result().Cookies() {
		assert.True(t, x.Secure, x.Name)
	}
}

// blockingAuth holds every password check until release is closed.
type blockingAuth struct {
	auth.Authenticator
	started chan struct{}
	release chan struct{}
}

func (a *blockingAuth) Authenticate(ctx context.Context, user, password string) (auth.Identity, error) {
	a.started <- struct{}{}
	<-a.release
	return a.Authenticator.Authenticate(ctx, user, password)
}

// At most one password check per CPU runs at once; a sign-in that cannot get one in time is
// 503 with Retry-After, and its tokens are given back.
func TestLoginPasswordChecksBounded(t *testing.T) {
	clock := &testClock{t: fixedNow}
	a := &blockingAuth{Authenticator: authServer(t).auth, started: make(chan struct{}, 100), release: make(chan struct{})}
	s := signinServer(t, a, clock, nil)
	cookies, csrf := loginForm(t, s)
	slots := cap(s.pwSlots)
	var wg sync.WaitGroup
	for i := range slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			attempt(s, cookies, csrf, "member", "wrong password!", fmt.Sprintf("192.0.2.%d:1", i+1), "")
		}()
	}
	for range slots {
		<-a.started
	}
	// Every slot is busy: one more sign-in, whose reader gives up, is refused without a check.
	form := url.Values{"user": {"member"}, "password": {testPassword}, "csrf": {csrf}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "198.51.100.1:1"
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, "2", w.Header().Get("Retry-After"))
	assert.Len(t, a.started, 0, "no password was checked")
	close(a.release)
	wg.Wait()
	assert.Equal(t, 0, len(s.pwSlots), "every slot is given back")
	c, _ := login(t, s, "member", testPassword)
	assert.NotNil(t, c, "the refused attempt cost nothing")
}

// A reload makes a new Server; codenav serve gives each the same limiter, so that reloading
// does not give an attacker a fresh allowance.
func TestLoginLimiterOutlivesReload(t *testing.T) {
	clock := &testClock{t: fixedNow}
	limiter := auth.NewLoginLimiter(auth.DefaultLoginLimits, clock.now)
	first := signinServer(t, authServer(t).auth, clock, func(c *Config) { c.LoginLimiter = limiter })
	cookies, csrf := loginForm(t, first)
	for range auth.DefaultLoginLimits.Pair.Burst {
		require.Equal(t, 401, attempt(first, cookies, csrf, "member", "wrong password!", "192.0.2.9:1", "").Code)
	}
	second := signinServer(t, authServer(t).auth, clock, func(c *Config) { c.LoginLimiter = limiter })
	cookies, csrf = loginForm(t, second)
	assert.Equal(t, 429, attempt(second, cookies, csrf, "member", "wrong password!", "192.0.2.9:1", "").Code)
}
