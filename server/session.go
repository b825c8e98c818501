package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/auth"
	"codenav/corpus"
)

const (
	sessionCookie = "codenav_session"
	csrfCookie    = "codenav_csrf"
	readerKey     = "codenav.reader"
	nonceKey      = "codenav.nonce"
	maxFormBytes  = 64 << 10
)

// session reads the session cookie and puts the reader in the request context. A cookie that
// is forged, expired, or names a user no longer in the users file reads as anonymous.
func (s *Server) session(c *gin.Context) {
	if s.auth == nil || s.signer == nil {
		c.Next()
		return
	}
	if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
		sess, err := s.signer.Verify(v)
		if err == nil {
			if id, ok := s.auth.Lookup(sess.User); ok {
				c.Set(readerKey, corpus.Reader{SignedIn: true, User: id.User, Party: id.Party, Groups: id.Groups, Roles: id.Roles})
				c.Set(nonceKey, sess.Nonce)
			}
		}
	}
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
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil})
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

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || u.Host != "" || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

func (s *Server) loginPage(c *gin.Context) {
	b := loginBody{Next: safeNext(c.Query("next")), Enabled: s.auth != nil && s.signer != nil}
	s.page(c, http.StatusOK, "login", pageData{Title: "Sign in", Body: b})
}

func (s *Server) login(c *gin.Context) {
	if s.auth == nil || s.signer == nil {
		s.fail(c, http.StatusNotFound, "signing in is not configured on this server")
		return
	}
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
	b := loginBody{Next: safeNext(c.PostForm("next")), User: c.PostForm("user"), Enabled: true}
	if !s.csrfOK(c) {
		s.fail(c, http.StatusForbidden, "the form has expired or did not come from this site; reload the sign-in page and try again")
		return
	}
	ip, _, _ := net.SplitHostPort(c.Request.RemoteAddr)
	keys := []string{"ip:" + ip, "user:" + strings.ToLower(b.User)}
	if ok, wait := s.limiter.Allow(keys...); !ok {
		c.Header("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		b.Error = fmt.Sprintf("Too many attempts. Try again in %d seconds.", int(wait.Seconds())+1)
		s.page(c, http.StatusTooManyRequests, "login", pageData{Title: "Sign in", Body: b})
		return
	}
	id, err := s.auth.Authenticate(c.Request.Context(), b.User, c.PostForm("password"))
	if err != nil {
		s.limiter.Fail(keys...)
		s.log.InfoContext(c.Request.Context(), "sign-in failed", slog.String("user", b.User), slog.String("ip", ip))
		b.Error = "Wrong user name or password."
		s.page(c, http.StatusUnauthorized, "login", pageData{Title: "Sign in", Body: b})
		return
	}
	value, _ := s.signer.Issue(id.User)
	s.setCookie(c, sessionCookie, value, int(s.signer.TTL()/time.Second))
	s.setCookie(c, csrfCookie, "", -1)
	s.log.InfoContext(c.Request.Context(), "signed in", slog.String("user", id.User))
	c.Redirect(http.StatusSeeOther, b.Next)
}

func (s *Server) logout(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if !s.csrfOK(c) {
		s.fail(c, http.StatusForbidden, "the form has expired or did not come from this site")
		return
	}
	s.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/")
}
