package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
)

// obligation is a clause in force that applies to a party category.
type obligation struct {
	Doc       string      `json:"doc"`
	DocTitle  string      `json:"doc_title"`
	Category  string      `json:"category"`
	Version   string      `json:"version"`
	Effective corpus.Date `json:"effective"`
	Part      string      `json:"part,omitempty"`
	PartTitle string      `json:"part_title,omitempty"`
	ID        string      `json:"id"`
	Heading   string      `json:"heading"`
	Parties   []string    `json:"parties"`
	Roles     []string    `json:"roles"`
	Text      string      `json:"text"`
	URL       string      `json:"url"`
}

// obligationsRequest is what the obligations page or API asks for.
type obligationsRequest struct {
	Party, Role, Category string
	At                    corpus.Date
}

func (s *Server) obligationsRequest(c *gin.Context, api bool) (obligationsRequest, error) {
	var q obligationsRequest
	var err error
	if q.Party, q.Role, err = s.partyAndRole(c, api, true); err != nil {
		return q, err
	}
	if q.Category, err = s.categoryParam(c); err != nil {
		return q, err
	}
	q.At, err = s.dayParam(c)
	return q, err
}

// obligations returns every clause in force on q.At, in the documents the reader may see,
// that applies to q.Party (and to q.Role, when given), in document order.
func (s *Server) obligations(v *corpus.View, q obligationsRequest) []obligation {
	out := []obligation{}
	today := s.today()
	for _, d := range v.Documents() {
		if q.Category != "" && d.Category != q.Category {
			continue
		}
		x := d.At(q.At)
		if x == nil {
			continue
		}
		parts := partTitles(x)
		base := versionURL(x, today)
		for _, n := range x.Tree.Clauses() {
			if !n.AppliesTo(q.Party, d.Parties) || q.Role != "" && !n.AppliesToRole(q.Role) {
				continue
			}
			out = append(out, obligation{Doc: d.ID, DocTitle: docTitle(d), Category: d.Category, Version: x.Number,
				Effective: x.Effective, Part: n.Part, PartTitle: parts[n.Part], ID: n.ID, Heading: clauseHeading(n),
				Parties: x.Parties(n), Roles: rolesOf(n), Text: clauseText(n), URL: base + "#" + n.ID})
		}
	}
	return out
}

func (s *Server) apiObligations(c *gin.Context) {
	q, err := s.obligationsRequest(c, true)
	if err != nil {
		s.failErr(c, err)
		return
	}
	list := s.obligations(s.view(c), q)
	c.JSON(http.StatusOK, gin.H{"party": q.Party, "role": q.Role, "at": q.At, "total": len(list), "clauses": list})
}

// obligationPart and obligationDoc group the obligations for the page.
type obligationPart struct {
	ID, Title string
	Clauses   []obligation
}

type obligationDoc struct {
	ID, Title, Version string
	Effective          corpus.Date
	Count              int
	Parts              []*obligationPart
}

type obligationsBody struct {
	obligationsRequest
	Total      int
	Docs       []*obligationDoc
	Categories []corpus.Named
	CSV        string
	API        string
}

func groupObligations(list []obligation) []*obligationDoc {
	var docs []*obligationDoc
	for _, o := range list {
		if len(docs) == 0 || docs[len(docs)-1].ID != o.Doc {
			docs = append(docs, &obligationDoc{ID: o.Doc, Title: o.DocTitle, Version: o.Version, Effective: o.Effective})
		}
		d := docs[len(docs)-1]
		d.Count++
		if len(d.Parts) == 0 || d.Parts[len(d.Parts)-1].ID != o.Part {
			d.Parts = append(d.Parts, &obligationPart{ID: o.Part, Title: o.PartTitle})
		}
		p := d.Parts[len(d.Parts)-1]
		p.Clauses = append(p.Clauses, o)
	}
	return docs
}

// obligationsQuery is the query string of an obligations request.
func (q obligationsRequest) query() url.Values {
	v := url.Values{}
	v.Set("party", q.Party)
	for k, x := range map[string]string{"role": q.Role, "category": q.Category, "at": string(q.At)} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

func (s *Server) obligationsPage(c *gin.Context) {
	q, err := s.obligationsRequest(c, false)
	if err != nil {
		s.failErr(c, err)
		return
	}
	format := c.DefaultQuery("format", "html")
	if format != "html" && format != "csv" {
		s.failErr(c, badRequest{fmt.Sprintf("parameter format: %q is not html or csv", format)})
		return
	}
	if format == "csv" && q.Party == "" {
		s.failErr(c, badRequest{fmt.Sprintf("parameter party: required for the CSV (one of: %s)", strings.Join(s.code.PartyIDs(), ", "))})
		return
	}
	v := s.view(c)
	var list []obligation
	if q.Party != "" {
		list = s.obligations(v, q)
	}
	if format == "csv" {
		s.obligationsCSV(c, q, list)
		return
	}
	b := obligationsBody{obligationsRequest: q, Total: len(list), Docs: groupObligations(list), Categories: s.code.Categories}
	if q.Party != "" {
		qs := q.query()
		b.API = "/api/v1/obligations?" + qs.Encode()
		qs.Set("format", "csv")
		b.CSV = "/obligations?" + qs.Encode()
	}
	title := "My obligations"
	if q.Party != "" {
		title = "Obligations of " + (pageData{Code: s.code}).PartyName(q.Party)
	}
	pd := pageData{Title: title, Body: b}
	pd.Party = q.Party
	s.page(c, http.StatusOK, "obligations", pd)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Server) obligationsCSV(c *gin.Context, q obligationsRequest, list []obligation) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	base := baseURL(c)
	_ = w.Write([]string{"document", "document_title", "version", "effective", "part", "part_title", "clause", "heading",
		"parties", "roles", "text", "url"})
	for _, o := range list {
		_ = w.Write([]string{o.Doc, csvSafe(o.DocTitle), o.Version, string(o.Effective), o.Part, csvSafe(o.PartTitle), o.ID,
			csvSafe(o.Heading), strings.Join(o.Parties, " "), strings.Join(o.Roles, " "), csvSafe(o.Text), base + o.URL})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		s.failErr(c, fmt.Errorf("obligations CSV: %w", err))
		return
	}
	name := "obligations-" + q.Party
	if q.Role != "" {
		name += "-" + q.Role
	}
	if q.Category != "" {
		name += "-" + q.Category
	}
	name += "-" + string(q.At) + ".csv"
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}
