package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/auth"
	"codenav/corpus"
)

// passwordWait is how long a sign-in waits for a password check to be free before 503.
const passwordWait = 2 * time.Second

const (
	sessionCookie = "codenav_session"
	csrfCookie    = "codenav_csrf"
	readerKey     = "codenav.reader"
	nonceKey      = "codenav.nonce"
	maxFormBytes  = 64 << 10
)

// session reads the session cookie and puts the reader in the request context. A cookie that
// is forged, expired, idle too long, revoked (begun before the user's sessions_after) or names
// a user no longer in the users file reads as anonymous, and is cleared. A live one is issued
// again now and then with a new "last seen" (the idle timeout slides).
//
// Every answer to a request that carries a session cookie is private and never stored
// (Cache-Control: private, no-store; Vary: Cookie): it may show restricted documents, in a
// page, a JSON answer or a download, and a shared cache keyed on the address alone would
// hand it to the next reader. The page cache (pagecache.go) serves anonymous readers only.
func (s *Server) session(c *gin.Context) {
	if s.auth == nil || s.signer == nil {
		c.Next()
		return
	}
	v, err := c.Cookie(sessionCookie)
	if err != nil || v == "" {
		c.Next()
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Vary", "Cookie")
	sess, err := s.signer.Verify(v)
	var id auth.Identity
	ok := err == nil
	if ok {
		id, ok = s.auth.Lookup(sess.User)
	}
	if !ok || sess.Revoked(id.SessionsAfter) {
		s.setCookie(c, sessionCookie, "", -1)
		c.Next()
		return
	}
	if value, renewed, again := s.signer.Renew(sess); again {
		sess = renewed
		s.setCookie(c, sessionCookie, value, int(s.signer.MaxAge(sess)/time.Second))
	}
	c.Set(readerKey, corpus.Reader{SignedIn: true, User: id.User, Party: id.Party, Groups: id.Groups, Roles: id.Roles})
	c.Set(nonceKey, sess.Nonce)
	c.Next()
}

// reader is who is asking; anonymous unless a valid session says otherwise.
func reader(c *gin.Context) corpus.Reader {
	if v, ok := c.Get(readerKey); ok {
		if r, ok := v.(corpus.Reader); ok {
			return r
		}
	}
	return corpus.Reader{}
}

// csrfBinding is what CSRF tokens of this reader are bound to: the session's nonce, or before
// sign-in a random cookie set with the form.
func (s *Server) csrfBinding(c *gin.Context, create bool) string {
	if v, ok := c.Get(nonceKey); ok {
		if n, ok := v.(string); ok && n != "" {
			return n
		}
	}
	if v, err := c.Cookie(csrfCookie); err == nil && len(v) >= 16 {
		return v
	}
	if !create {
		return ""
	}
	b := auth.NewBinding()
	s.setCookie(c, csrfCookie, b, int(time.Hour/time.Second))
	return b
}

func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	// Sessions and CSRF tokens are the site's, not one code's: under a prefix too they are
	// sent to every path, so that signing in once signs in to every code of the site.
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(c)})
}

// secureCookie reports whether cookies get the Secure flag: under TLS, or always with
// --secure-cookies (TLS ends at a proxy in front).
func (s *Server) secureCookie(c *gin.Context) bool {
	return s.edge.secureCookies || c.Request.TLS != nil
}

// csrfOK checks the token of a state-changing form.
func (s *Server) csrfOK(c *gin.Context) bool {
	if s.signer == nil {
		return false
	}
	return s.signer.CheckCSRF(s.csrfBinding(c, false), c.PostForm("csrf"))
}

// limitBody answers 413 for request bodies over the limit, before any handler reads them.
func limitBody(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, gin.H{"error": fmt.Sprintf("the request body is over %d MiB", limit>>20)})
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Next()
	}
}

type loginBody struct {
	Next    string
	Error   string
	User    string
	Enabled bool
}

// loginNext is where signing in goes: a path of this site (see auth.SafeNext), not the
// sign-in page itself.
func loginNext(next string) string {
	next = auth.SafeNext(next)
	if next == "/login" || strings.HasPrefix(next, "/login?") || strings.HasPrefix(next, "/logout") {
		return "/"
	}
	return next
}

// loginNext is loginNext under the server's prefix.
func (s *Server) loginNext(next string) string {
	if s.base == "" {
		return loginNext(next)
	}
	next = s.safeNext(next)
	if next == s.u("/login") || strings.HasPrefix(next, s.u("/login?")) || strings.HasPrefix(next, s.u("/logout")) {
		return s.u("/")
	}
	return next
}

func (s *Server) loginPage(c *gin.Context) {
	b := loginBody{Next: s.loginNext(c.Query("next")), Enabled: s.auth != nil && s.signer != nil}
	c.Header("Cache-Control", "no-store")
	s.page(c, http.StatusOK, "login", pageData{Title: "Sign in", Body: b})
}

// login checks a user name and password. Before the password is checked (bcrypt, the costly
// part), the attempt takes its tokens from the limiter in one step, so that concurrent
// attempts cannot all pass a check made before any of them failed; a successful attempt gives
// them back. See auth.LoginLimits for the three limits, and docs/operations.md.
func (s *Server) login(c *gin.Context) {
	if s.auth == nil || s.signer == nil {
		s.fail(c, http.StatusNotFound, "signing in is not configured on this server")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, http.StatusRequestEntityTooLarge, "the form is too large")
			return
		}
		s.fail(c, http.StatusBadRequest, "malformed form: "+err.Error())
		return
	}
	b := loginBody{Next: s.loginNext(c.PostForm("next")), User: c.PostForm("user"), Enabled: true}
	if !s.csrfOK(c) {
		s.fail(c, http.StatusForbidden, "the form has expired or did not come from this site; reload the sign-in page and try again")
		return
	}
	ctx := c.Request.Context()
	client := s.proxies.ClientAddr(c.Request)
	userKey := b.User
	if !auth.ValidName(userKey) {
		userKey = "\x00not a user name" // one bucket for every impossible name: none can sign in
	}
	attempt, wait, ok := s.limiter.Begin(auth.ClientKey(client), userKey)
	if !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		s.log.InfoContext(ctx, "sign-in refused: too many attempts", slog.String("user", b.User), slog.String("ip", client.String()),
			slog.Int("retry_after", secs))
		c.Header("Retry-After", strconv.Itoa(secs))
		b.Error = fmt.Sprintf("Too many attempts. Try again in %d seconds.", secs)
		s.page(c, http.StatusTooManyRequests, "login", pageData{Title: "Sign in", Body: b})
		return
	}
	// Password checks are costly by design: at most one per CPU at once, the others wait a
	// little, so that a flood of sign-ins from many addresses cannot take every CPU.
	wctx, cancel := context.WithTimeout(ctx, passwordWait)
	defer cancel()
	select {
	case s.pwSlots <- struct{}{}:
	case <-wctx.Done():
		attempt.Cancel()
		s.log.WarnContext(ctx, "sign-in refused: password checks busy", slog.String("user", b.User), slog.String("ip", client.String()))
		c.Header("Retry-After", "2")
		s.fail(c, http.StatusServiceUnavailable, "The server is busy checking other sign-ins. Try again in a few seconds.")
		return
	}
	id, err := s.auth.Authenticate(ctx, b.User, c.PostForm("password"))
	<-s.pwSlots
	if err != nil {
		s.log.InfoContext(ctx, "sign-in failed", slog.String("user", b.User), slog.String("ip", client.String()),
			slog.Bool("throttled", attempt.Throttled))
		b.Error = "Wrong user name or password."
		s.page(c, http.StatusUnauthorized, "login", pageData{Title: "Sign in", Body: b})
		return
	}
	attempt.Succeeded()
	value, sess := s.signer.Issue(id.User)
	s.setCookie(c, sessionCookie, value, int(s.signer.MaxAge(sess)/time.Second))
	s.setCookie(c, csrfCookie, "", -1)
	s.log.InfoContext(ctx, "signed in", slog.String("user", id.User), slog.String("ip", client.String()))
	c.Redirect(http.StatusSeeOther, b.Next)
}

// logout ends the session: the cookie is cleared, and, since a copy of it would otherwise
// stay good until it expires, every session of the user begun until now is revoked by
// writing the user's sessions_after into the users file, which every replica reads. (Ending
// one session alone would need a list of revoked sessions shared by the replicas; the users
// file is the one thing they already share, so signing out signs out on every device.)
func (s *Server) logout(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	r := reader(c)
	if !r.SignedIn && s.signer != nil {
		// Already signed out (the session ended while the page was open): nothing to forge.
		c.Redirect(http.StatusSeeOther, s.u("/"))
		return
	}
	if !s.csrfOK(c) {
		s.fail(c, http.StatusForbidden, "the form has expired or did not come from this site")
		return
	}
	s.setCookie(c, sessionCookie, "", -1)
	if r.SignedIn {
		if e, ok := s.auth.(auth.SessionEnder); ok {
			if err := e.EndSessions(c.Request.Context(), r.User, s.now()); err != nil {
				s.log.ErrorContext(c.Request.Context(), "sign-out: could not revoke the sessions", slog.String("user", r.User), slog.Any("error", err))
				s.fail(c, http.StatusInternalServerError, fmt.Sprintf(
					"Your browser has forgotten the session, but the server could not revoke it: a copy of the cookie stays good until it has been idle for %s.",
					s.signer.Idle()))
				return
			}
		}
		s.log.InfoContext(c.Request.Context(), "signed out", slog.String("user", r.User))
	}
	c.Redirect(http.StatusSeeOther, s.u("/"))
}

// mayDraft guards the drafting routes. With sign-in configured, drafting needs a signed-in
// reader with the drafter or admin role. Without sign-in (the demo), it is refused unless
// the server was started with --open-drafting: an open drafting page lets anyone make the
// server parse and compare large texts.
func (s *Server) mayDraft(c *gin.Context) {
	if s.auth == nil || s.signer == nil {
		if !s.edge.openDrafting {
			s.fail(c, http.StatusForbidden, "Drafting needs sign-in, and this server has none: start it with --users (readers with the drafter role may draft), or with --open-drafting on a private machine.")
		}
		return
	}
	r := reader(c)
	if !r.SignedIn {
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, s.u("/login?next="+url.QueryEscape(s.u(c.Request.URL.RequestURI()))))
			c.Abort()
			return
		}
		s.fail(c, http.StatusUnauthorized, "Drafting needs sign-in: sign in as a reader with the drafter role.")
		return
	}
	if !slices.Contains(r.Roles, "drafter") && !slices.Contains(r.Roles, "admin") {
		s.fail(c, http.StatusForbidden, "Drafting needs the drafter role.")
	}
}
