package server

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
)

// allowedParams lists the query parameters each route understands. A parameter a route does
// not know is answered 400 naming it: a typo ("?verison=2.0") would otherwise silently show
// something else than what was asked for. A route missing from this table accepts none, and
// a test checks that every route is listed.
func allowedParams() map[string][]string {
	return map[string][]string{
		"/":                              {"party"},
		"/party":                         {"party", "next"},
		"/party/:id":                     {"party"},
		"/api/v1/parties/:id":            nil,
		"/api/v1/suggest":                {"q"},
		"/docs":                          {"category", "party"},
		"/docs/:id":                      {"at", "version", "party", "hide"},
		"/docs/:id/history":              {"party"},
		"/docs/:id/compare":              {"from", "to", "view", "context", "party"},
		"/releases":                      {"party"},
		"/releases/:id":                  {"party"},
		"/releases/:id/redline":          {"party"},
		"/releases/:id/redlines.zip":     nil,
		"/modifications":                 {"type", "stage", "status", "party", "doc", "release", "q", "sort", "from", "to"},
		"/modifications/:id":             {"party"},
		"/search":                        {"q", "party", "category", "doc", "at", "page", "size"},
		"/draft":                         {"doc", "base", "mod", "party", "saved"},
		"/draft/compare":                 {"doc", "mod", "from", "to", "format"},
		"/draft/rebase":                  {"doc", "mod"},
		"/draft/upload":                  nil,
		"/login":                         {"next"},
		"/logout":                        nil,
		"/alerts":                        {"saved"},
		"/alerts/:id/delete":             nil,
		"/alerts/unsubscribe":            {"u", "a", "t"},
		"/frameworks":                    {"party", "role", "at"},
		"/frameworks/:id":                {"party", "role", "at", "version"},
		"/obligations":                   {"party", "role", "at", "category", "format", "others"},
		"/changes":                       {"party", "role", "doc", "from", "to"},
		"/terms":                         {"q", "party"},
		"/feeds/releases.atom":           nil,
		"/feeds/changes.atom":            {"party", "role", "doc"},
		"/healthz":                       nil,
		"/sitemap.xml":                   nil,
		"/readyz":                        nil,
		"/assets/redline.css":            nil,
		"/static/*filepath":              nil,
		"/api/v1/documents":              {"category"},
		"/api/v1/documents/:id":          {"at", "version", "party"},
		"/api/v1/documents/:id/versions": nil,
		"/api/v1/releases":               nil,
		"/api/v1/releases/:id":           nil,
		"/api/v1/modifications":          {"type", "stage", "status", "party", "doc", "release", "q", "sort"},
		"/api/v1/modifications/stats":    {"from", "to", "format"},
		"/api/v1/modifications/:id":      nil,
		"/api/v1/search":                 {"q", "party", "category", "doc", "at", "page", "size"},
		"/api/v1/compare":                {"doc", "from", "to", "format"},
		"/api/v1/redline":                nil,
		"/api/v1/frameworks":             {"party", "role", "at"},
		"/api/v1/frameworks/:id":         {"party", "role", "at", "version"},
		"/api/v1/cited-by":               {"doc", "at", "version"},
		"/api/v1/obligations":            {"party", "role", "at", "category", "format", "others"},
		"/api/v1/changes":                {"party", "role", "doc", "from", "to"},
		"/api/v1/terms":                  {"q", "at"},
		"/api/v1/openapi.json":           nil,
	}
}

// checkParams answers 400 for a query parameter the route does not know, or one given twice.
func (s *Server) checkParams(c *gin.Context) {
	route := c.FullPath()
	if route == "" {
		c.Next() // no route: the 404 handler answers
		return
	}
	allowed := s.params[route]
	var unknown []string
	for k, vs := range c.Request.URL.Query() {
		ok := false
		for _, a := range allowed {
			if a == k {
				ok = true
				break
			}
		}
		if !ok {
			unknown = append(unknown, k)
			continue
		}
		// A checkbox and a date field may both send "at" (the search form): keep that case.
		if len(vs) > 1 && k != "at" {
			s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter %s: given %d times; give it once", k, len(vs)))
			return
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		known := "none"
		if len(allowed) > 0 {
			known = strings.Join(allowed, ", ")
		}
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("unknown parameter %s (this address takes: %s)", strings.Join(unknown, ", "), known))
		return
	}
	c.Next()
}
