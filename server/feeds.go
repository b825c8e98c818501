package server

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
)

// Atom (RFC 4287), written with encoding/xml.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// feedEvent is a set of versions that took effect together: those of one release, or those
// without a release that took effect on one date.
type feedEvent struct {
	Release  *corpus.Release
	Date     corpus.Date
	Versions []*corpus.Version
}

func (e feedEvent) key() string {
	if e.Release != nil {
		return "release/" + e.Release.ID
	}
	return "date/" + string(e.Date)
}

// feedEvents returns the events of the documents the reader may see, newest first. A
// document's first version counts only when a release made it (a new document); the texts
// the code started with are not changes.
func (s *Server) feedEvents(v *corpus.View) []*feedEvent {
	byKey := map[string]*feedEvent{}
	var out []*feedEvent
	for _, r := range s.code.Releases {
		e := &feedEvent{Release: r, Date: r.Date}
		byKey[e.key()] = e
		out = append(out, e)
	}
	for _, d := range v.Documents() {
		for i, x := range d.Versions {
			if i == 0 && x.Release == "" {
				continue
			}
			e := &feedEvent{Release: s.code.Release(x.Release), Date: x.Effective}
			if have, ok := byKey[e.key()]; ok {
				e = have
			} else {
				byKey[e.key()] = e
				out = append(out, e)
			}
			e.Versions = append(e.Versions, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date > out[j].Date
		}
		return out[i].key() < out[j].key()
	})
	return out
}

// feedDoc is one document an event changed, with the clauses that pass the feed's filter.
type feedDoc struct {
	Version *corpus.Version
	Changes []clauseChange
	Redline string
}

func (s *Server) eventDocs(e *feedEvent, f changeFilter) []feedDoc {
	var out []feedDoc
	for _, x := range e.Versions {
		if f.Doc != "" && x.Doc.ID != f.Doc {
			continue
		}
		prev := x.Previous()
		fd := feedDoc{Version: x, Changes: s.versionChanges(prev, x, f),
			Redline: s.redlineURL(x.Doc, prev, x, previousDay(x.Effective), x.Effective)}
		out = append(out, fd)
	}
	return out
}

// entry writes the Atom entry of an event; base is the site's absolute address.
func (s *Server) feedEntry(e *feedEvent, docs []feedDoc, base, feedKey string) atomEntry {
	var title, alt string
	if e.Release != nil {
		title = e.Release.Name
		alt = base + "/releases/" + e.Release.ID
	} else {
		title = "Changes effective " + string(e.Date)
		alt = base + "/changes?" + url.Values{"from": {string(previousDay(e.Date))}, "to": {string(e.Date)}}.Encode()
	}
	var names []string
	for _, fd := range docs {
		names = append(names, docShortName(fd.Version.Doc))
	}
	if len(names) > 0 {
		title += ": " + strings.Join(names, ", ")
	}
	en := atomEntry{Title: title, ID: nameUUID(s.code.ID + "/" + feedKey + "/" + e.key()),
		Updated: string(e.Date) + "T00:00:00Z", Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: alt}}}
	var html, sum strings.Builder
	esc := template.HTMLEscapeString
	if r := e.Release; r != nil {
		kind := r.Kind
		if r.Systems {
			kind += ", Systems Release"
		}
		fmt.Fprintf(&html, `<p><a href="%s">%s</a>, effective %s (%s).`, esc(alt), esc(r.Name), esc(string(r.Date)), esc(kind))
		fmt.Fprintf(&sum, "%s, effective %s.", r.Name, r.Date)
		if len(r.Modifications) > 0 {
			html.WriteString(" Modifications: ")
			for i, m := range r.Modifications {
				if i > 0 {
					html.WriteString(", ")
				}
				fmt.Fprintf(&html, `<a href="%s/modifications/%s">%s</a>`, esc(base), esc(url.PathEscape(m)), esc(m))
			}
			html.WriteString(".")
			fmt.Fprintf(&sum, " Modifications: %s.", strings.Join(r.Modifications, ", "))
		}
		html.WriteString("</p>\n")
		en.Categories = append(en.Categories, atomCategory{Term: "release:" + r.ID, Label: r.Name})
	} else {
		fmt.Fprintf(&html, "<p>Versions that took effect on %s.</p>\n", esc(string(e.Date)))
		fmt.Fprintf(&sum, "Versions that took effect on %s.", e.Date)
	}
	if len(docs) == 0 {
		html.WriteString("<p>No document you may read changed.</p>\n")
	} else {
		html.WriteString("<ul>\n")
	}
	for _, fd := range docs {
		x := fd.Version
		d := x.Doc
		from := "new document"
		if p := x.Previous(); p != nil {
			from = "version " + p.Number + " → " + x.Number
		} else {
			from += ", version " + x.Number
		}
		fmt.Fprintf(&html, `<li><a href="%s%s">%s</a> (%s): `, esc(base), esc(versionURL(x, s.today())), esc(docTitle(d)), esc(from))
		fmt.Fprintf(&sum, " %s (%s):", docShortName(d), from)
		byKind := map[string][]string{}
		for _, ch := range fd.Changes {
			byKind[ch.Kind] = append(byKind[ch.Kind], ch.ID)
		}
		var parts []string
		for _, k := range []string{"added", "changed", "deleted"} {
			if ids := byKind[k]; len(ids) > 0 {
				parts = append(parts, k+" "+strings.Join(ids, ", "))
			}
		}
		if len(parts) == 0 {
			parts = []string{"no clause changed"}
		}
		html.WriteString(esc(strings.Join(parts, "; ")))
		fmt.Fprintf(&html, `. <a href="%s%s">Redline</a>.</li>`+"\n", esc(base), esc(fd.Redline))
		fmt.Fprintf(&sum, " %s.", strings.Join(parts, "; "))
		en.Links = append(en.Links, atomLink{Rel: "related", Type: "text/html", Href: base + fd.Redline,
			Title: "Redline of " + docTitle(d)})
		en.Categories = append(en.Categories, atomCategory{Term: "document:" + d.ID, Label: docTitle(d)})
	}
	if len(docs) > 0 {
		html.WriteString("</ul>\n")
	}
	en.Summary = atomText{Type: "text", Body: sum.String()}
	en.Content = atomText{Type: "html", Body: html.String()}
	return en
}

// docShortName is how a document is cited: its reference, or its title.
func docShortName(d *corpus.Document) string {
	if d.Reference != "" {
		return d.Reference
	}
	return d.Title
}

// maxFeedEntries bounds a feed: the newest events only.
const maxFeedEntries = 50

func (s *Server) writeFeed(c *gin.Context, f atomFeed) {
	f.Author = atomPerson{Name: s.code.Title}
	f.Generator = "codenav"
	f.Updated = string(s.today()) + "T00:00:00Z"
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
		for _, e := range f.Entries {
			f.Updated = max(f.Updated, e.Updated)
		}
	}
	f.Links = append([]atomLink{{Rel: "self", Type: "application/atom+xml", Href: baseURL(c) + s.u(c.Request.URL.RequestURI())}}, f.Links...)
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		s.failErr(c, fmt.Errorf("feed: %w", err))
		return
	}
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), append(body, '\n')...))
}

func (s *Server) releasesFeed(c *gin.Context) {
	v := s.view(c)
	base := baseURL(c) + s.base
	f := atomFeed{Title: s.code.Title + ": releases", Subtitle: "Each release, the documents it changed and the clauses in them.",
		ID: nameUUID(s.code.ID + "/feeds/releases"), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/releases"}}}
	for _, e := range s.feedEvents(v) {
		if e.Release == nil {
			continue
		}
		f.Entries = append(f.Entries, s.feedEntry(e, s.eventDocs(e, changeFilter{}), base, "releases"))
		if len(f.Entries) == maxFeedEntries {
			break
		}
	}
	s.writeFeed(c, f)
}

func (s *Server) changesFeed(c *gin.Context) {
	v := s.view(c)
	var f changeFilter
	var err error
	if f.Party, err = s.apiPartyParam(c, false); err != nil {
		s.failErr(c, err)
		return
	}
	if f.Role, err = s.roleParam(c); err != nil {
		s.failErr(c, err)
		return
	}
	if f.Doc = c.Query("doc"); f.Doc != "" && v.Document(f.Doc) == nil {
		s.failErr(c, badRequest{fmt.Sprintf("parameter doc: no document %q", f.Doc)})
		return
	}
	base := baseURL(c) + s.base
	pd := pageData{Code: s.code}
	title := s.code.Title + ": changes"
	var key []string
	alt := url.Values{}
	if f.Party != "" {
		title += " for " + pd.PartyName(f.Party)
		key = append(key, "party="+f.Party)
		alt.Set("party", f.Party)
	}
	if f.Role != "" {
		title += " in the User Role " + pd.RoleName(f.Role)
		key = append(key, "role="+f.Role)
		alt.Set("role", f.Role)
	}
	if f.Doc != "" {
		title += " to " + docTitle(v.Document(f.Doc))
		key = append(key, "doc="+f.Doc)
		alt.Set("doc", f.Doc)
	}
	feedKey := "changes?" + strings.Join(key, "&")
	feed := atomFeed{Title: title, Subtitle: "Clauses added, changed or deleted, by release, with links to the redlines.",
		ID: nameUUID(s.code.ID + "/feeds/" + feedKey), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/changes?" + alt.Encode()}}}
	for _, e := range s.feedEvents(v) {
		var docs []feedDoc
		for _, fd := range s.eventDocs(e, f) {
			if len(fd.Changes) > 0 {
				docs = append(docs, fd)
			}
		}
		if len(docs) == 0 {
			continue
		}
		feed.Entries = append(feed.Entries, s.feedEntry(e, docs, base, feedKey))
		if len(feed.Entries) == maxFeedEntries {
			break
		}
	}
	s.writeFeed(c, feed)
}
