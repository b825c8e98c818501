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
	"codenav/legaltext"
	"codenav/legaltext/duty"
)

// obligation is a duty stated by a clause in force: by default one that the chosen party
// bears; with others=1 also a duty of someone else that names the party, and a clause that
// applies to the party but states no duty (kind "none": definitions, guidance, descriptions).
type obligation struct {
	Doc       string      `json:"doc"`
	DocTitle  string      `json:"doc_title"`
	Category  string      `json:"category"`
	Version   string      `json:"version"`
	Effective corpus.Date `json:"effective"`
	Part      string      `json:"part,omitempty"`
	PartTitle string      `json:"part_title,omitempty"`
	// ID is the clause; Clause the clause or sub-paragraph that states the duty.
	ID      string `json:"id"`
	Clause  string `json:"clause"`
	Heading string `json:"heading"`
	// Kind is obligation, prohibition, permission, condition, or none.
	Kind      string   `json:"kind"`
	Bearers   []string `json:"bearers"`
	Mine      bool     `json:"mine"`
	Subject   string   `json:"subject,omitempty"`
	Action    string   `json:"action,omitempty"`
	Deadline  string   `json:"deadline,omitempty"`
	Condition string   `json:"condition,omitempty"`
	Override  bool     `json:"override,omitempty"`
	Parties   []string `json:"parties"`
	Roles     []string `json:"roles"`
	Text      string   `json:"text"`
	URL       string   `json:"url"`
	History   string   `json:"history"`
}

// obligationsRequest is what the obligations page or API asks for.
type obligationsRequest struct {
	Party, Role, Category string
	At                    corpus.Date
	// Others adds duties of others that name the party, and clauses that state none.
	Others bool
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
	switch o := c.Query("others"); o {
	case "", "0":
	case "1":
		q.Others = true
	default:
		return q, badRequest{fmt.Sprintf("parameter others: %q is not 1 or 0", o)}
	}
	q.At, err = s.dayParam(c)
	return q, err
}

// bears reports whether the party (and role) of q bears duty d of clause n: a bearer is the
// party's own category; any Party or any User, where the clause applies to the party; or a
// User Role (the one asked for, or any role when none is) where the clause applies to it.
func bears(code *corpus.Code, q obligationsRequest, d duty.Duty, n *legaltext.Node, def []string) bool {
	applies := n.AppliesTo(q.Party, def) && (q.Role == "" || n.AppliesToRole(q.Role))
	for _, b := range d.Bearers {
		switch {
		case b == q.Party:
			return q.Role == "" || n.AppliesToRole(q.Role)
		case b == duty.AnyParty || b == duty.AnyUser:
			if applies {
				return true
			}
		case code.BearerKind(b) == "role":
			if applies && (q.Role == "" || b == q.Role) {
				return true
			}
		}
	}
	return false
}

// obligations returns the duties of q.Party (and q.Role) in the clauses in force on q.At, in
// the documents the reader may see, in document order.
func (s *Server) obligations(v *corpus.View, q obligationsRequest) []obligation {
	out := []obligation{}
	today := s.today()
	code := v.Code
	for _, d := range v.Documents() {
		if q.Category != "" && d.Category != q.Category {
			continue
		}
		x := d.At(q.At)
		if x == nil {
			continue
		}
		parts := partTitles(x)
		base := s.u(versionURL(x, today))
		byClause := map[string][]duty.Duty{}
		for _, du := range code.Duties(x) {
			id := du.Clause
			if i := strings.IndexByte(id, '('); i > 0 {
				id = id[:i]
			}
			byClause[id] = append(byClause[id], du)
		}
		for _, n := range x.Tree().Clauses() {
			row := obligation{Doc: d.ID, DocTitle: docTitle(d), Category: d.Category, Version: x.Number,
				Effective: x.Effective, Part: n.Part, PartTitle: parts[n.Part], ID: n.ID, Heading: clauseHeading(n),
				Parties: x.Parties(n), Roles: rolesOf(n), Text: clauseText(n), History: s.u("/docs/" + d.ID + "/history")}
			applies := n.AppliesTo(q.Party, d.Parties) && (q.Role == "" || n.AppliesToRole(q.Role))
			listed := false
			for _, du := range byClause[n.ID] {
				mine := bears(code, q, du, n, d.Parties)
				if !mine && !(q.Others && applies && code.Concerns(du.Action+" "+du.Condition, q.Party)) {
					continue
				}
				o := row
				o.Clause, o.Kind, o.Bearers, o.Mine = du.Clause, string(du.Kind), du.Bearers, mine
				o.Subject, o.Action, o.Deadline, o.Condition, o.Override = du.Subject, du.Action, du.Deadline, du.Condition, du.Override
				o.URL = base + "#" + du.Clause
				out = append(out, o)
				listed = true
			}
			if q.Others && applies && !listed && len(byClause[n.ID]) == 0 {
				o := row
				o.Clause, o.Kind, o.Bearers, o.URL = n.ID, "none", []string{}, base+"#"+n.ID
				out = append(out, o)
			}
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
	c.JSON(http.StatusOK, gin.H{"party": q.Party, "role": q.Role, "at": q.At, "others": q.Others, "total": len(list),
		"counts": countKinds(list), "duties": list})
}

// obligationPart, obligationClause and obligationDoc group the duties for the page.
type obligationPart struct {
	ID, Title string
	Clauses   []*obligationClause
}

type obligationClause struct {
	ID, Heading, PartTitle, Text, URL, History string
	Duties                                     []obligation
}

type obligationDoc struct {
	ID, Title, Version string
	Effective          corpus.Date
	Count              int
	Parts              []*obligationPart
}

// kindCount is the number of duties of one kind.
type kindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// countKinds counts the duties of each kind, in the order of duty.Kinds ("none" last).
func countKinds(list []obligation) []kindCount {
	n := map[string]int{}
	for _, o := range list {
		n[o.Kind]++
	}
	out := []kindCount{}
	for _, k := range duty.Kinds {
		out = append(out, kindCount{Kind: string(k), Count: n[string(k)]})
	}
	if n["none"] > 0 {
		out = append(out, kindCount{Kind: "none", Count: n["none"]})
	}
	return out
}

type obligationsBody struct {
	obligationsRequest
	Total      int
	Counts     []kindCount
	Docs       []*obligationDoc
	Categories []corpus.Named
	CSV        string
	API        string
	// OthersURL switches the duties of others on or off.
	OthersURL string
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
		if len(p.Clauses) == 0 || p.Clauses[len(p.Clauses)-1].ID != o.ID {
			url := o.URL
			if i := strings.IndexByte(url, '#'); i >= 0 {
				url = url[:i] + "#" + o.ID
			}
			p.Clauses = append(p.Clauses, &obligationClause{ID: o.ID, Heading: o.Heading, PartTitle: o.PartTitle, Text: o.Text,
				URL: url, History: o.History})
		}
		cl := p.Clauses[len(p.Clauses)-1]
		cl.Duties = append(cl.Duties, o)
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
	if q.Others {
		v.Set("others", "1")
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
	b := obligationsBody{obligationsRequest: q, Total: len(list), Counts: countKinds(list), Docs: groupObligations(list),
		Categories: s.code.Categories}
	if q.Party != "" {
		qs := q.query()
		b.API = s.u("/api/v1/obligations?" + qs.Encode())
		qs.Set("format", "csv")
		b.CSV = s.u("/obligations?" + qs.Encode())
		o := q
		o.Others = !q.Others
		b.OthersURL = s.u("/obligations?" + o.query().Encode())
	}
	title := "My obligations"
	if q.Party != "" {
		title = "Duties of " + (pageData{Code: s.code}).PartyName(q.Party)
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
	base := baseURL(c) + s.base
	_ = w.Write([]string{"document", "document_title", "version", "effective", "part", "part_title", "clause", "heading",
		"kind", "bearers", "mine", "action", "deadline", "condition", "parties", "roles", "text", "url", "history"})
	for _, o := range list {
		_ = w.Write([]string{o.Doc, csvSafe(o.DocTitle), o.Version, string(o.Effective), o.Part, csvSafe(o.PartTitle), o.Clause,
			csvSafe(o.Heading), o.Kind, strings.Join(o.Bearers, " "), fmt.Sprint(o.Mine), csvSafe(o.Action), csvSafe(o.Deadline),
			csvSafe(o.Condition), strings.Join(o.Parties, " "), strings.Join(o.Roles, " "), csvSafe(o.Text), base + o.URL,
			base + o.History})
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
	if q.Others {
		name += "-with-others"
	}
	name += "-" + string(q.At) + ".csv"
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}
