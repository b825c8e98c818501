package server

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/auth"
	"codenav/corpus"
)

const partyCookie = "party"

var versionParamRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{1,6}(\.\d{1,6}){0,4}$`) })

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// badRequest is a parameter that is wrong; its message names the parameter.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

// partyOf is the reader's chosen party category: ?party= first, then the cookie. An unknown
// value in the cookie is ignored; an unknown ?party= is reported by partyParam.
func (s *Server) partyOf(c *gin.Context) string {
	if p, ok := c.GetQuery("party"); ok {
		if _, known := s.code.Party(p); known {
			return p
		}
		return ""
	}
	if p, err := c.Cookie(partyCookie); err == nil {
		if _, known := s.code.Party(p); known {
			return p
		}
	}
	return ""
}

// partyParam checks ?party=; "" (or absent) means no party chosen.
func (s *Server) partyParam(c *gin.Context) (string, error) {
	p, ok := c.GetQuery("party")
	if !ok || p == "" {
		if ok {
			return "", nil
		}
		return s.partyOf(c), nil
	}
	if _, known := s.code.Party(p); !known {
		return "", badRequest{fmt.Sprintf("parameter party: unknown party category %q (one of: %s)", p, strings.Join(s.code.PartyIDs(), ", "))}
	}
	return p, nil
}

// dateParam reads a YYYY-MM-DD parameter; "" when absent.
func dateParam(c *gin.Context, name string) (corpus.Date, error) {
	v := c.Query(name)
	if v == "" {
		return "", nil
	}
	d, err := corpus.ParseDate(v)
	if err != nil {
		return "", badRequest{fmt.Sprintf("parameter %s: %v", name, err)}
	}
	return d, nil
}

// pickVersion chooses the version a request asks for: ?version=, or the version in force
// on ?at= (default today).
func (s *Server) pickVersion(c *gin.Context, d *corpus.Document) (*corpus.Version, corpus.Date, error) {
	at, err := dateParam(c, "at")
	if err != nil {
		return nil, "", err
	}
	num := c.Query("version")
	if num != "" && at != "" {
		return nil, "", badRequest{"parameters at and version: give one or the other, not both"}
	}
	if num != "" {
		if !versionParamRE().MatchString(num) {
			return nil, "", badRequest{fmt.Sprintf("parameter version: %q is not a version number such as 2.0", num)}
		}
		v := d.Version(num)
		if v == nil {
			return nil, "", notFoundErr{fmt.Sprintf("%s has no version %s", d.ID, num)}
		}
		return v, at, nil
	}
	day := at
	if day == "" {
		day = s.today()
	}
	v := d.At(day)
	if v == nil {
		if at == "" {
			// Not yet in force: show the first version, marked prospective.
			return d.Versions[0], at, nil
		}
		return nil, "", notFoundErr{fmt.Sprintf("%s was not in force on %s (its first version is effective %s)", d.ID, day, d.Versions[0].Effective)}
	}
	return v, at, nil
}

type notFoundErr struct{ msg string }

func (e notFoundErr) Error() string { return e.msg }

// failErr answers with the status that err calls for.
func (s *Server) failErr(c *gin.Context, err error) {
	// errors.As, not a type switch: a 4xx wrapped with context is still a 4xx.
	var bad badRequest
	var nf notFoundErr
	switch {
	case errors.As(err, &bad):
		s.fail(c, http.StatusBadRequest, bad.msg)
	case errors.As(err, &nf):
		s.fail(c, http.StatusNotFound, nf.msg)
	default:
		s.log.ErrorContext(c.Request.Context(), "request failed", "error", err)
		s.fail(c, http.StatusInternalServerError, "internal error")
	}
}

// safeNext is where a form that returns to the page it came from goes: a path of this site
// (auth.SafeNext), or the code's home page.
func (s *Server) safeNext(next string) string {
	if n := auth.SafeNext(next); n != "/" {
		return n
	}
	return s.u("/")
}

// setParty stores the chosen party category in a cookie and goes back to the page it came from.
func (s *Server) setParty(c *gin.Context) {
	p := c.Query("party")
	if _, known := s.code.Party(p); p != "" && !known {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter party: unknown party category %q", p))
		return
	}
	next := s.safeNext(c.Query("next"))
	// The page it came from may carry its own ?party=, which would override the choice.
	if u, err := url.Parse(next); err == nil {
		q := u.Query()
		q.Del("party")
		u.RawQuery = q.Encode()
		next = u.String()
	}
	maxAge := 365 * 24 * int(time.Hour/time.Second)
	if p == "" {
		maxAge = -1
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: partyCookie, Value: p, Path: s.u("/"), MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookie(c)})
	c.Redirect(http.StatusSeeOther, next)
}

// docOr404 returns the document named by the :id of the route if the reader may see it, and
// otherwise answers 404 (exactly as for a document that does not exist) and returns nil.
func (s *Server) docOr404(c *gin.Context) *corpus.Document {
	d := s.view(c).Document(c.Param("id"))
	if d == nil {
		s.notFound(c, fmt.Sprintf("no document %q", c.Param("id")))
	}
	return d
}

// partyAndRole reads ?party= (required by the API when required is true) and ?role=.
func (s *Server) partyAndRole(c *gin.Context, api, required bool) (party, role string, err error) {
	if api {
		party, err = s.apiPartyParam(c, required)
	} else {
		party, err = s.partyParam(c)
	}
	if err != nil {
		return "", "", err
	}
	role, err = s.roleParam(c)
	return party, role, err
}
