package server

import (
	"encoding/xml"
	"net/http"

	"github.com/gin-gonic/gin"
)

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemap struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemapXML lists the pages a search engine may crawl: what the reader may see, through the
// same View as every other route.
func (s *Server) sitemapXML(c *gin.Context) {
	base := "http://" + c.Request.Host
	if c.Request.TLS != nil {
		base = "https://" + c.Request.Host
	}
	sm := sitemap{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	add := func(path, lastmod string) {
		sm.URLs = append(sm.URLs, sitemapURL{Loc: base + s.u(path), LastMod: lastmod})
	}
	add("/", "")
	add("/docs", "")
	today := s.today()
	for _, d := range s.view(c).Documents() {
		last := ""
		if v := d.At(today); v != nil {
			last = string(v.Effective)
		}
		add("/docs/"+d.ID, last)
		add("/docs/"+d.ID+"/history", "")
	}
	add("/releases", "")
	for _, r := range s.code.Releases {
		add("/releases/"+r.ID, string(r.Date))
	}
	add("/modifications", "")
	for _, m := range s.code.Modifications {
		add("/modifications/"+m.ID, "")
	}
	out, err := xml.MarshalIndent(sm, "", " ")
	if err != nil {
		s.failErr(c, err)
		return
	}
	c.Data(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}
