package server

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
)

// A control is a clause of a control framework (SCF, PCF) or of the Agreed Interpretations,
// with what it applies to and the clauses it cites.
type control struct {
	ID string `json:"id"`
	// Title is the clause's first sentence, shortened; Heading the heading above it.
	Title   string     `json:"title"`
	Heading string     `json:"heading"`
	Part    string     `json:"part,omitempty"`
	Parties []string   `json:"parties"`
	Roles   []string   `json:"roles"`
	Text    string     `json:"text"`
	Cites   []citation `json:"cites"`
	URL     string     `json:"url"`
}

// citation is a clause, part or document a control cites, as it stood on the date read.
type citation struct {
	Ref     string `json:"ref"`
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	Version string `json:"version"`
	Anchor  string `json:"anchor,omitempty"`
	URL     string `json:"url"`
}

// controlTitleLen is the longest control title, in bytes.
const controlTitleLen = 110

// docTitle names a document the way the site heads its page ("Section G: Security").
func docTitle(d *corpus.Document) string {
	if d.Reference != "" && d.Reference != d.Title {
		return d.Reference + ": " + d.Title
	}
	return d.Title
}

// controls returns the controls of version fv that apply to party and role ("" for any), with
// their citations resolved on day.
func (s *Server) controls(v *corpus.View, fv *corpus.Version, day corpus.Date, party, role string) []control {
	today := s.today()
	base := s.versionURL(fv, today)
	out := []control{}
	for _, n := range fv.Tree().Clauses() {
		if party != "" && !n.AppliesTo(party, fv.Doc.Parties) || role != "" && !n.AppliesToRole(role) {
			continue
		}
		text := clauseText(n)
		ctl := control{ID: n.ID, Title: firstSentence(text, controlTitleLen), Heading: clauseHeading(n), Part: n.Part,
			Parties: fv.Parties(n), Roles: rolesOf(n), Text: text, Cites: []citation{}, URL: base + "#" + n.ID}
		seen := map[string]bool{}
		for _, r := range s.code.OwnRefs(n) {
			t, ok, found := s.code.Resolve(r, day)
			if !ok || !found {
				continue
			}
			td := t.Version.Doc
			if td == fv.Doc || !v.CanSee(td) || !s.mayLink(fv.Doc, td) || seen[td.ID+"#"+t.Anchor] {
				continue
			}
			seen[td.ID+"#"+t.Anchor] = true
			u := s.versionURL(t.Version, today)
			if t.Anchor != "" {
				u += "#" + t.Anchor
			}
			ctl.Cites = append(ctl.Cites, citation{Ref: r.Text, Doc: td.ID, Title: docTitle(td), Version: t.Version.Number,
				Anchor: t.Anchor, URL: u})
		}
		out = append(out, ctl)
	}
	return out
}

// controlDocs returns the framework and interpretation documents the reader may see.
func (s *Server) controlDocs(v *corpus.View) []*corpus.Document {
	var out []*corpus.Document
	for _, d := range v.Documents() {
		if isControlDoc(d) {
			out = append(out, d)
		}
	}
	return out
}

// controlDoc returns the framework or interpretation document named by the path, or an error
// to answer with.
func (s *Server) controlDoc(c *gin.Context) (*corpus.Document, error) {
	d := s.view(c).Document(c.Param("id"))
	if d == nil || !isControlDoc(d) {
		return nil, notFoundErr{fmt.Sprintf("no control framework or interpretations %q", c.Param("id"))}
	}
	return d, nil
}

// frameworkRequest is what a framework page or its API twin asks for.
type frameworkRequest struct {
	Doc         *corpus.Document
	Version     *corpus.Version
	At          corpus.Date // as asked ("" for none)
	Day         corpus.Date // the date the citations are read on
	Party, Role string
}

func (s *Server) frameworkRequest(c *gin.Context, api bool) (frameworkRequest, error) {
	var fr frameworkRequest
	var err error
	if fr.Doc, err = s.controlDoc(c); err != nil {
		return fr, err
	}
	if fr.Version, fr.At, err = s.pickVersion(c, fr.Doc); err != nil {
		return fr, err
	}
	fr.Day = fr.At
	if fr.Day == "" {
		fr.Day = s.linkDate(fr.Version)
	}
	if api {
		fr.Party, err = s.apiPartyParam(c, false)
	} else {
		fr.Party, err = s.partyParam(c)
	}
	if err != nil {
		return fr, err
	}
	fr.Role, err = s.roleParam(c)
	return fr, err
}

type apiFrameworkSummary struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Reference string      `json:"reference,omitempty"`
	Category  string      `json:"category"`
	Version   string      `json:"version,omitempty"`
	Effective corpus.Date `json:"effective,omitempty"`
	Controls  int         `json:"controls"`
	URL       string      `json:"url"`
}

func (s *Server) frameworkSummaries(v *corpus.View) []apiFrameworkSummary {
	out := []apiFrameworkSummary{}
	for _, d := range s.controlDocs(v) {
		sum := apiFrameworkSummary{ID: d.ID, Title: d.Title, Reference: d.Reference, Category: d.Category, URL: s.u("/frameworks/" + d.ID)}
		if x := d.At(s.today()); x != nil {
			sum.Version, sum.Effective, sum.Controls = x.Number, x.Effective, len(x.Tree().Clauses())
		}
		out = append(out, sum)
	}
	return out
}

func (s *Server) apiFrameworks(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"frameworks": s.frameworkSummaries(s.view(c))})
}

type apiFrameworkOut struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Reference string      `json:"reference,omitempty"`
	Category  string      `json:"category"`
	Version   string      `json:"version"`
	Effective corpus.Date `json:"effective"`
	Status    string      `json:"status"`
	Party     string      `json:"party,omitempty"`
	Role      string      `json:"role,omitempty"`
	Total     int         `json:"total"`
	Controls  []control   `json:"controls"`
	URL       string      `json:"url"`
}

func (s *Server) apiFramework(c *gin.Context) {
	fr, err := s.frameworkRequest(c, true)
	if err != nil {
		s.failErr(c, err)
		return
	}
	ctls := s.controls(s.view(c), fr.Version, fr.Day, fr.Party, fr.Role)
	c.JSON(http.StatusOK, apiFrameworkOut{ID: fr.Doc.ID, Title: fr.Doc.Title, Reference: fr.Doc.Reference,
		Category: fr.Doc.Category, Version: fr.Version.Number, Effective: fr.Version.Effective,
		Status: fr.Version.Status(s.today()), Party: fr.Party, Role: fr.Role, Total: len(ctls), Controls: ctls,
		URL: s.u("/frameworks/" + fr.Doc.ID)})
}

func (s *Server) frameworksPage(c *gin.Context) {
	s.page(c, http.StatusOK, "frameworks", pageData{Title: "Controls and interpretations", Body: s.frameworkSummaries(s.view(c))})
}

// filterLink is one choice of a filter on a page.
type filterLink struct {
	Label, URL string
	Active     bool
}

type frameworkBody struct {
	frameworkRequest
	Status   string
	Controls []control
	Total    int
	Parties  []filterLink
	Roles    []filterLink
	API      string
}

func (s *Server) frameworkPage(c *gin.Context) {
	fr, err := s.frameworkRequest(c, false)
	if err != nil {
		s.failErr(c, err)
		return
	}
	b := frameworkBody{frameworkRequest: fr, Status: fr.Version.Status(s.today()), Total: len(fr.Version.Tree().Clauses()),
		Controls: s.controls(s.view(c), fr.Version, fr.Day, fr.Party, fr.Role)}
	link := func(party, role string) string {
		q := url.Values{}
		q.Set("party", party) // present even when empty: it overrides the party cookie
		if role != "" {
			q.Set("role", role)
		}
		if fr.At != "" {
			q.Set("at", string(fr.At))
		} else if v := c.Query("version"); v != "" {
			q.Set("version", v)
		}
		return s.u("/frameworks/" + fr.Doc.ID + "?" + q.Encode())
	}
	b.Parties = append(b.Parties, filterLink{"All party categories", link("", fr.Role), fr.Party == ""})
	for _, p := range s.code.Parties {
		b.Parties = append(b.Parties, filterLink{p.Name, link(p.ID, fr.Role), fr.Party == p.ID})
	}
	b.Roles = append(b.Roles, filterLink{"Any User Role", link(fr.Party, ""), fr.Role == ""})
	for _, r := range s.code.Roles {
		b.Roles = append(b.Roles, filterLink{r.Name, link(fr.Party, r.ID), fr.Role == r.ID})
	}
	b.API = s.u("/api/v1" + strings.TrimPrefix(link(fr.Party, fr.Role), s.base))
	pd := pageData{Title: docTitle(fr.Doc) + ": controls", Body: b}
	pd.Party = fr.Party
	s.page(c, http.StatusOK, "framework", pd)
}

// citing is a control or interpretation that cites a clause.
type citing struct {
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	ID      string `json:"id"`
	Control string `json:"control"`
	Version string `json:"version"`
	URL     string `json:"url"`
}

// citations returns, for each clause and part of ver that controls or interpretations cite,
// those controls: the versions of the control documents in force on day, read on day.
func (s *Server) citations(v *corpus.View, ver *corpus.Version, day corpus.Date) map[string][]citing {
	out := map[string][]citing{}
	if ver.Doc.Prefix == "" {
		return out // nothing can cite its clauses by number
	}
	anchors := map[string]string{} // clause, sub-paragraph or part id -> clause or part id
	for _, n := range ver.Tree().Nodes {
		if n.Kind == legaltext.KindClause || n.Kind == legaltext.KindHeading && n.Explicit {
			anchors[n.ID] = n.ID
			for _, sub := range n.SubIDs {
				anchors[sub] = n.ID
			}
		}
	}
	today := s.today()
	for _, fd := range s.controlDocs(v) {
		fv := fd.At(day)
		if fd == ver.Doc || fv == nil || !s.mayLink(ver.Doc, fd) {
			continue
		}
		for _, n := range fv.Tree().Clauses() {
			seen := map[string]bool{}
			for _, r := range s.code.OwnRefs(n) {
				if r.Kind == legaltext.RefDocument || r.Prefix != ver.Doc.Prefix {
					continue
				}
				t, ok, found := s.code.Resolve(r, day)
				if !ok || !found || t.Version != ver {
					continue
				}
				id, ok := anchors[t.Anchor]
				if !ok || seen[id] {
					continue
				}
				seen[id] = true
				out[id] = append(out[id], citing{Doc: fd.ID, Title: docShortName(fd), ID: n.ID,
					Control: firstSentence(clauseText(n), controlTitleLen), Version: fv.Number,
					URL: s.versionURL(fv, today) + "#" + n.ID})
			}
		}
	}
	return out
}

// citedBy returns the "Cited by" line of each clause and part of ver that a control or an
// interpretation cites, as the document page shows it (read on the version's reading date).
func (s *Server) citedBy(v *corpus.View, ver *corpus.Version) map[string]string {
	out := map[string]string{}
	for id, list := range s.citations(v, ver, s.linkDate(ver)) {
		var b strings.Builder
		b.WriteString(`<p class="cited-by">Cited by `)
		for i, x := range list {
			if i > 0 {
				if x.Doc == list[i-1].Doc {
					b.WriteString(", ")
				} else {
					b.WriteString(" (" + template.HTMLEscapeString(list[i-1].Title) + "); ")
				}
			}
			fmt.Fprintf(&b, `<a href="%s" title="%s">%s</a>`, template.HTMLEscapeString(x.URL),
				template.HTMLEscapeString(x.Control), template.HTMLEscapeString(x.ID))
		}
		b.WriteString(" (" + template.HTMLEscapeString(list[len(list)-1].Title) + ")</p>\n")
		out[id] = b.String()
	}
	return out
}

type apiCitedClause struct {
	ID      string   `json:"id"`
	CitedBy []citing `json:"cited_by"`
}

// apiCitedBy is the JSON twin of the "Cited by" lines of a document page.
func (s *Server) apiCitedBy(c *gin.Context) {
	v := s.view(c)
	id := c.Query("doc")
	if id == "" {
		s.failErr(c, badRequest{"parameter doc: required (a document id)"})
		return
	}
	d := v.Document(id)
	if d == nil {
		s.failErr(c, badRequest{fmt.Sprintf("parameter doc: no document %q", id)})
		return
	}
	ver, at, err := s.pickVersion(c, d)
	if err != nil {
		s.failErr(c, err)
		return
	}
	day := at
	if day == "" {
		day = s.linkDate(ver)
	}
	cites := s.citations(v, ver, day)
	out := []apiCitedClause{}
	for _, n := range ver.Tree().Nodes {
		if list, ok := cites[n.ID]; ok {
			out = append(out, apiCitedClause{ID: n.ID, CitedBy: list})
		}
	}
	c.JSON(http.StatusOK, gin.H{"doc": d.ID, "version": ver.Number, "effective": ver.Effective, "clauses": out})
}
