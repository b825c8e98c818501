package server

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
)

// registerIssue8Routes adds the control frameworks, obligations, changes, feeds, defined
// terms and the OpenAPI description. What is computed once (the terms index, the OpenAPI
// document) is built here and held by the handlers' closures.
func (s *Server) registerIssue8Routes(e *gin.Engine, api *gin.RouterGroup) {
	terms := newTermsIndex(s)
	spec := openAPISpec(s.code)
	if s.base != "" {
		// The paths are the code's; the server is where they are served.
		spec["servers"] = []oa{{"url": s.base + "/"}}
	}

	e.GET("/frameworks", s.cached, s.frameworksPage)
	e.GET("/frameworks/:id", s.cached, s.frameworkPage)
	e.GET("/obligations", s.cached, s.obligationsPage)
	e.GET("/changes", s.cached, s.changesPage)
	e.GET("/feeds/releases.atom", s.cached, s.releasesFeed)
	e.GET("/feeds/changes.atom", s.cached, s.changesFeed)
	e.GET("/terms", func(c *gin.Context) { s.termsPage(c, terms) })

	api.GET("/frameworks", s.apiFrameworks)
	api.GET("/frameworks/:id", s.apiFramework)
	api.GET("/cited-by", s.apiCitedBy)
	api.GET("/obligations", s.cached, s.apiObligations)
	api.GET("/changes", s.cached, s.apiChanges)
	api.GET("/terms", func(c *gin.Context) { s.apiTerms(c, terms) })
	api.GET("/openapi.json", func(c *gin.Context) { c.JSON(200, spec) })
}

// BearerNames names the bearers of a duty for people ("Panel, Code Administrator").
func (d pageData) BearerNames(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = d.Code.BearerName(id)
	}
	return strings.Join(names, ", ")
}

// KindLabel is how a page names a kind of duty.
func (d pageData) KindLabel(kind string) string {
	switch kind {
	case "obligation":
		return "Must"
	case "prohibition":
		return "Must not"
	case "permission":
		return "May"
	case "condition":
		return "Condition"
	}
	return "No duty"
}

// RoleName is the display name of a User Role ("all" is every role).
func (d pageData) RoleName(id string) string {
	if id == "all" || id == "" {
		return "All User Roles"
	}
	if n, ok := d.Code.Role(id); ok {
		return n.Name
	}
	return id
}

// RoleNames lists the display names of role ids.
func (d pageData) RoleNames(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = d.RoleName(id)
	}
	return strings.Join(out, ", ")
}

// roleParam checks ?role=; "" when absent or empty.
func (s *Server) roleParam(c *gin.Context) (string, error) {
	r := c.Query("role")
	if r == "" {
		return "", nil
	}
	if _, ok := s.code.Role(r); !ok {
		return "", badRequest{fmt.Sprintf("parameter role: unknown User Role %q (one of: %s)", r, strings.Join(s.code.RoleIDs(), ", "))}
	}
	return r, nil
}

// apiPartyParam checks ?party= for the API, where the party cookie plays no part; "" when
// absent. With required, an absent party is a bad request.
func (s *Server) apiPartyParam(c *gin.Context, required bool) (string, error) {
	p := c.Query("party")
	if p == "" {
		if required {
			return "", badRequest{fmt.Sprintf("parameter party: required (one of: %s)", strings.Join(s.code.PartyIDs(), ", "))}
		}
		return "", nil
	}
	if _, ok := s.code.Party(p); !ok {
		return "", badRequest{fmt.Sprintf("parameter party: unknown party category %q (one of: %s)", p, strings.Join(s.code.PartyIDs(), ", "))}
	}
	return p, nil
}

// categoryParam checks ?category= (a document category); "" when absent.
func (s *Server) categoryParam(c *gin.Context) (string, error) {
	cat := c.Query("category")
	if _, ok := s.code.Category(cat); cat != "" && !ok {
		return "", badRequest{fmt.Sprintf("parameter category: unknown document category %q", cat)}
	}
	return cat, nil
}

// dayParam reads ?at= (YYYY-MM-DD), defaulting to today.
func (s *Server) dayParam(c *gin.Context) (corpus.Date, error) {
	at, err := dateParam(c, "at")
	if err != nil || at != "" {
		return at, err
	}
	return s.today(), nil
}

// isControlDoc reports whether d's clauses are controls or interpretations: documents of the
// categories framework (SCF, PCF) and interpretation (Agreed Interpretations).
func isControlDoc(d *corpus.Document) bool {
	return d.Category == "framework" || d.Category == "interpretation"
}

// clauseText is the plain text of a clause without its number.
func clauseText(n *legaltext.Node) string {
	return strings.TrimSpace(strings.TrimPrefix(n.Text, n.ID))
}

// clauseHeading is the innermost heading above a clause ("" for none).
func clauseHeading(n *legaltext.Node) string {
	if len(n.Path) == 0 {
		return ""
	}
	return n.Path[len(n.Path)-1]
}

// rolesOf is a node's User Roles for display and the API: ["all"] when it names none.
func rolesOf(n *legaltext.Node) []string {
	if n.Roles == nil {
		return []string{"all"}
	}
	return n.Roles
}

// partTitles maps the id of every part of v to its heading text.
func partTitles(v *corpus.Version) map[string]string {
	out := map[string]string{}
	for _, n := range v.Tree().Nodes {
		if n.Kind == legaltext.KindHeading && n.Explicit {
			out[n.ID] = n.Text
		}
	}
	return out
}

// firstSentence is the first sentence of text (up to a full stop, semicolon or colon followed
// by a space or the end), with runs of whitespace made single spaces, cut at a word boundary to
// at most limit bytes with an ellipsis. It reads no further than it needs to.
func firstSentence(text string, limit int) string {
	b := make([]byte, 0, limit+8)
	space := false
	for i := 0; i < len(text) && len(b) <= limit; i++ {
		c := text[i]
		if isSpaceByte(c) {
			space = len(b) > 0
			continue
		}
		if (c == '.' || c == ';' || c == ':') && (i+1 == len(text) || isSpaceByte(text[i+1])) {
			break
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	if len(b) <= limit {
		return string(b)
	}
	cut := bytes.LastIndexByte(b[:limit+1], ' ')
	if cut <= 0 {
		cut = limit
		for cut > 0 && !utf8Start(b[cut]) {
			cut--
		}
	}
	return strings.TrimRight(string(b[:cut]), " ,;") + "…"
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// baseURL is the scheme and host the request came to, for the absolute links of feeds and
// downloads.
func baseURL(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	host := c.Request.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// nameUUID is a name-based (version 5, SHA-1) UUID URN: a stable Atom id for a name.
func nameUUID(name string) string {
	// The URL namespace of RFC 9562.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// hasRoute reports whether the router serves GET path (used to link the redline route
// /compare once it exists).
func (s *Server) hasRoute(path string) bool {
	if s.engine == nil {
		return false
	}
	for _, r := range s.engine.Routes() {
		if r.Method == "GET" && r.Path == path {
			return true
		}
	}
	return false
}
