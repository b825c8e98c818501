package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
	"codenav/legaltext/duty"
)

type apiDocSummary struct {
	ID             string      `json:"id"`
	Title          string      `json:"title"`
	Reference      string      `json:"reference,omitempty"`
	Category       string      `json:"category"`
	Classification string      `json:"classification"`
	Parties        []string    `json:"parties"`
	Version        string      `json:"version,omitempty"`
	Effective      corpus.Date `json:"effective,omitempty"`
	Release        string      `json:"release,omitempty"`
	Status         string      `json:"status"`
	Versions       int         `json:"versions"`
	Related        []string    `json:"related"`
	URL            string      `json:"url"`
}

func (s *Server) apiDocSummary(v *corpus.View, d *corpus.Document) apiDocSummary {
	out := apiDocSummary{ID: d.ID, Title: d.Title, Reference: d.Reference, Category: d.Category,
		Classification: d.Classification, Parties: d.Parties, Versions: len(d.Versions),
		Related: v.VisibleDocIDs(d.Related), URL: s.u("/docs/" + d.ID), Status: "prospective"}
	if x := d.At(s.today()); x != nil {
		out.Version, out.Effective, out.Release, out.Status = x.Number, x.Effective, x.Release, "in force"
	}
	return out
}

func (s *Server) apiDocuments(c *gin.Context) {
	v := s.view(c)
	cat := c.Query("category")
	if _, ok := s.code.Category(cat); cat != "" && !ok {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter category: unknown document category %q", cat))
		return
	}
	out := []apiDocSummary{}
	for _, d := range v.Documents() {
		if cat == "" || d.Category == cat {
			out = append(out, s.apiDocSummary(v, d))
		}
	}
	c.JSON(http.StatusOK, gin.H{"documents": out})
}

type apiVersion struct {
	Version       string      `json:"version"`
	Effective     corpus.Date `json:"effective"`
	Until         corpus.Date `json:"until,omitempty"`
	Status        string      `json:"status"`
	Release       string      `json:"release,omitempty"`
	Modifications []string    `json:"modifications"`
	URL           string      `json:"url"`
}

func (s *Server) apiVersionOf(x *corpus.Version) apiVersion {
	return apiVersion{Version: x.Number, Effective: x.Effective, Until: x.Until(), Status: x.Status(s.today()),
		Release: x.Release, Modifications: x.Modifications, URL: s.u("/docs/" + x.Doc.ID + "?version=" + x.Number)}
}

type apiClause struct {
	ID      string   `json:"id"`
	Heading string   `json:"heading"`
	Path    []string `json:"path"`
	Part    string   `json:"part,omitempty"`
	Parties []string `json:"parties"`
	Text    string   `json:"text"`
	URL     string   `json:"url"`
	// Duties are the duties the clause states (see docs/duties.md).
	Duties []duty.Duty `json:"duties"`
	// ProposedBy are the pending modifications whose legal text changes the clause.
	ProposedBy []string `json:"proposed_by,omitempty"`
}

// apiComing is the JSON form of the document page's box of coming changes.
type apiComing struct {
	Versions      []apiComingVersion `json:"versions"`
	Modifications []apiComingMod     `json:"modifications"`
}

type apiComingVersion struct {
	Version   string      `json:"version"`
	Effective corpus.Date `json:"effective"`
	Release   string      `json:"release,omitempty"`
	Compare   string      `json:"compare"`
}

type apiComingMod struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Stage     string   `json:"stage"`
	Status    string   `json:"status"`
	URL       string   `json:"url"`
	Redline   string   `json:"redline,omitempty"`
	Changes   []string `json:"changes"`
	Adds      []string `json:"adds"`
	InVersion string   `json:"in_version,omitempty"`
}

func apiComingOf(c *coming) apiComing {
	out := apiComing{Versions: []apiComingVersion{}, Modifications: []apiComingMod{}}
	if c == nil {
		return out
	}
	for _, x := range c.Versions {
		out.Versions = append(out.Versions, apiComingVersion{Version: x.V.Number, Effective: x.V.Effective, Release: x.V.Release,
			Compare: x.Compare})
	}
	for _, m := range append(append([]comingMod{}, c.Drafted...), c.Undrafted...) {
		am := apiComingMod{ID: m.M.ID, Title: m.M.Title, Stage: m.M.Stage, Status: m.M.Status, URL: c.base + "/modifications/" + m.M.ID,
			Redline: m.Redline, Changes: append([]string{}, m.Clauses...), Adds: append([]string{}, m.Added...)}
		if m.In != nil {
			am.InVersion = m.In.Number
		}
		out.Modifications = append(out.Modifications, am)
	}
	return out
}

type apiPart struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Level   int      `json:"level"`
	Parties []string `json:"parties"`
}

type apiDocument struct {
	ID             string      `json:"id"`
	Title          string      `json:"title"`
	Reference      string      `json:"reference,omitempty"`
	Category       string      `json:"category"`
	Classification string      `json:"classification"`
	Parties        []string    `json:"parties"`
	Related        []string    `json:"related"`
	Version        string      `json:"version"`
	Effective      corpus.Date `json:"effective"`
	Until          corpus.Date `json:"until,omitempty"`
	Status         string      `json:"status"`
	Release        string      `json:"release,omitempty"`
	Modifications  []string    `json:"modifications"`
	URL            string      `json:"url"`
	Parts          []apiPart   `json:"parts"`
	Clauses        []apiClause `json:"clauses"`
	Coming         apiComing   `json:"coming"`
}

func (s *Server) apiDocument(c *gin.Context) {
	v := s.view(c)
	d := s.docOr404(c)
	if d == nil {
		return
	}
	ver, _, err := s.pickVersion(c, d)
	if err != nil {
		s.failErr(c, err)
		return
	}
	party := ""
	if p, ok := c.GetQuery("party"); ok && p != "" {
		if party, err = s.partyParam(c); err != nil {
			s.failErr(c, err)
			return
		}
	}
	av := s.apiVersionOf(ver)
	out := apiDocument{ID: d.ID, Title: d.Title, Reference: d.Reference, Category: d.Category,
		Classification: d.Classification, Parties: d.Parties, Related: v.VisibleDocIDs(d.Related),
		Version: av.Version, Effective: av.Effective, Until: av.Until, Status: av.Status, Release: av.Release,
		Modifications: av.Modifications, URL: av.URL, Parts: []apiPart{}, Clauses: []apiClause{}}
	box, proposed := s.comingChanges(v, d, ver)
	out.Coming = apiComingOf(box)
	for _, n := range ver.Tree().Nodes {
		switch n.Kind {
		case legaltext.KindHeading:
			if n.ID != "title" {
				out.Parts = append(out.Parts, apiPart{ID: n.ID, Title: n.Text, Level: n.Level, Parties: ver.Parties(n)})
			}
		case legaltext.KindClause:
			if party != "" && !n.AppliesTo(party, d.Parties) {
				continue
			}
			heading := ""
			if len(n.Path) > 0 {
				heading = n.Path[len(n.Path)-1]
			}
			path := n.Path
			if path == nil {
				path = []string{}
			}
			out.Clauses = append(out.Clauses, apiClause{ID: n.ID, Heading: heading, Path: path, Part: n.Part,
				Parties: ver.Parties(n), Text: strings.TrimSpace(strings.TrimPrefix(n.Text, n.ID)),
				URL: av.URL + "#" + n.ID, Duties: append([]duty.Duty{}, s.code.ClauseDuties(ver, n.ID)...), ProposedBy: proposed[n.ID]})
		}
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) apiVersions(c *gin.Context) {
	d := s.docOr404(c)
	if d == nil {
		return
	}
	out := make([]apiVersion, 0, len(d.Versions))
	for _, x := range d.Versions {
		out = append(out, s.apiVersionOf(x))
	}
	c.JSON(http.StatusOK, gin.H{"id": d.ID, "versions": out})
}

type apiReleaseDoc struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
	URL     string `json:"url"`
}

type apiRelease struct {
	*corpus.Release
	Prospective bool            `json:"prospective"`
	Documents   []apiReleaseDoc `json:"documents"`
	URL         string          `json:"url"`
}

func (s *Server) apiReleaseOf(v *corpus.View, r *corpus.Release) apiRelease {
	out := apiRelease{Release: r, Prospective: r.Date > s.today(), Documents: []apiReleaseDoc{}, URL: s.u("/releases/" + r.ID)}
	for _, x := range v.ReleaseVersions(r.ID) {
		out.Documents = append(out.Documents, apiReleaseDoc{ID: x.Doc.ID, Title: x.Doc.Title, Version: x.Number,
			URL: s.u("/docs/" + x.Doc.ID + "?version=" + x.Number)})
	}
	return out
}

func (s *Server) apiReleases(c *gin.Context) {
	v := s.view(c)
	out := make([]apiRelease, 0, len(s.code.Releases))
	for _, r := range s.code.Releases {
		out = append(out, s.apiReleaseOf(v, r))
	}
	c.JSON(http.StatusOK, gin.H{"releases": out})
}

func (s *Server) apiRelease(c *gin.Context) {
	r := s.code.Release(c.Param("id"))
	if r == nil {
		s.notFound(c, fmt.Sprintf("no release %q", c.Param("id")))
		return
	}
	c.JSON(http.StatusOK, s.apiReleaseOf(s.view(c), r))
}

// apiModificationOf copies m with the documents list cut to what the reader may see.
func (s *Server) apiModificationOf(v *corpus.View, m *corpus.Modification) corpus.Modification {
	out := *m
	out.Documents = v.VisibleDocIDs(m.Documents)
	return out
}

func (s *Server) apiModification(c *gin.Context) {
	m := s.code.Modification(c.Param("id"))
	if m == nil {
		s.notFound(c, fmt.Sprintf("no modification %q", c.Param("id")))
		return
	}
	c.JSON(http.StatusOK, s.apiModificationOf(s.view(c), m))
}
