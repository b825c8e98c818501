package server

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
)

// registerPartyRoutes adds a party's dashboard and search suggestions (issue 14).
func (s *Server) registerPartyRoutes(e *gin.Engine, api *gin.RouterGroup) {
	e.GET("/party/:id", s.cached, s.dashboardPage)
	api.GET("/parties/:id", s.cached, s.apiDashboard)
	api.GET("/suggest", s.cached, s.apiSuggest)
}

// dashboard is what a party category must know first: the duties it bears today (counted by
// kind and by document), what changed for it in the latest release and what the next one
// will change, and its duties with deadlines, today's and those the next release brings.
type dashboard struct {
	Party     string          `json:"party"`
	PartyName string          `json:"party_name"`
	At        corpus.Date     `json:"at"`
	Total     int             `json:"total"`
	Counts    []kindCount     `json:"counts"`
	Documents []dashboardDoc  `json:"documents"`
	Last      *dashRelease    `json:"last_release"`
	Next      *dashRelease    `json:"next_release"`
	Deadlines []dashboardDuty `json:"deadlines"`
	// Links to the pages with the whole of each part.
	ObligationsURL string `json:"obligations_url"`
	ChangesURL     string `json:"changes_url"`
	FeedURL        string `json:"feed_url"`
}

type dashboardDoc struct {
	Doc    string      `json:"doc"`
	Title  string      `json:"title"`
	Total  int         `json:"total"`
	Counts []kindCount `json:"counts"`
	URL    string      `json:"url"`
}

// dashRelease is a release and the clauses it changes that apply to the party.
type dashRelease struct {
	ID      string         `json:"id"`
	Name    string         `json:"name"`
	Date    corpus.Date    `json:"date"`
	Total   int            `json:"total"`
	Changes []clauseChange `json:"changes"`
	URL     string         `json:"url"`
	Changed string         `json:"changes_url"`
}

// dashboardDuty is a duty with a deadline; From is set when it comes with the next release.
type dashboardDuty struct {
	Duty obligation  `json:"duty"`
	From corpus.Date `json:"from,omitempty"`
}

// dashboard builds the dashboard of party for the reader of v.
func (s *Server) dashboard(v *corpus.View, party string) dashboard {
	today := s.today()
	name, _ := s.code.Party(party)
	q := obligationsRequest{Party: party, At: today}
	duties := s.obligations(v, q)
	b := dashboard{Party: party, PartyName: name.Name, At: today, Total: len(duties), Counts: countKinds(duties),
		Documents: []dashboardDoc{}, Deadlines: []dashboardDuty{},
		ObligationsURL: s.u("/obligations?party=" + url.QueryEscape(party)),
		ChangesURL:     s.u("/changes?party=" + url.QueryEscape(party)),
		FeedURL:        s.u("/feeds/changes.atom?party=" + url.QueryEscape(party))}
	byDoc := map[string][]obligation{}
	var order []string
	have := map[string]bool{}
	for _, o := range duties {
		if byDoc[o.Doc] == nil {
			order = append(order, o.Doc)
		}
		byDoc[o.Doc] = append(byDoc[o.Doc], o)
		if o.Deadline != "" {
			b.Deadlines = append(b.Deadlines, dashboardDuty{Duty: o})
		}
		have[o.Doc+"\x00"+o.Clause+"\x00"+o.Action+"\x00"+o.Deadline] = true
	}
	for _, id := range order {
		list := byDoc[id]
		b.Documents = append(b.Documents, dashboardDoc{Doc: id, Title: list[0].DocTitle, Total: len(list), Counts: countKinds(list),
			URL: s.u("/obligations?party=" + url.QueryEscape(party) + "#doc-" + id)})
	}
	f := changeFilter{Party: party}
	if r := s.code.LatestRelease(today); r != nil {
		b.Last = s.dashRelease(v, r, previousDay(r.Date), r.Date, f)
	}
	for _, r := range s.code.Releases {
		if r.Date > today {
			b.Next = s.dashRelease(v, r, today, r.Date, f)
			// The deadlines the next release brings: duties in its text that are not in
			// today's.
			for _, o := range s.obligations(v, obligationsRequest{Party: party, At: r.Date}) {
				if o.Deadline != "" && !have[o.Doc+"\x00"+o.Clause+"\x00"+o.Action+"\x00"+o.Deadline] {
					b.Deadlines = append(b.Deadlines, dashboardDuty{Duty: o, From: r.Date})
				}
			}
			break
		}
	}
	return b
}

func (s *Server) dashRelease(v *corpus.View, r *corpus.Release, from, to corpus.Date, f changeFilter) *dashRelease {
	ch := s.changesBetween(v, from, to, f)
	q := url.Values{"party": {f.Party}, "from": {string(from)}, "to": {string(to)}}
	return &dashRelease{ID: r.ID, Name: r.Name, Date: r.Date, Total: len(ch), Changes: ch,
		URL: s.u("/releases/" + url.PathEscape(r.ID)), Changed: s.u("/changes?" + q.Encode())}
}

// dashboardParty is the :id of the route if it is a party category.
func (s *Server) dashboardParty(c *gin.Context) (string, bool) {
	id := c.Param("id")
	if _, ok := s.code.Party(id); !ok {
		s.notFound(c, fmt.Sprintf("no party category %q", id))
		return "", false
	}
	return id, true
}

func (s *Server) dashboardPage(c *gin.Context) {
	party, ok := s.dashboardParty(c)
	if !ok {
		return
	}
	b := s.dashboard(s.view(c), party)
	pd := pageData{Title: b.PartyName + ": dashboard", Body: b}
	s.page(c, http.StatusOK, "dashboard", pd)
}

func (s *Server) apiDashboard(c *gin.Context) {
	party, ok := s.dashboardParty(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, s.dashboard(s.view(c), party))
}
