package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
)

// pageData is what every page template receives; Body is the page's own data.
type pageData struct {
	Title string
	Code  *corpus.Code
	Base  string // the server's path prefix (Config.Prefix)
	Path  string
	Party string
	Today corpus.Date
	Body  any
	// Reader is who is reading; CSRF the token for the forms of the page.
	Reader      corpus.Reader
	AuthEnabled bool
	CSRF        string
	// AlertsOn shows the "Save as an alert" buttons (a signed-in reader, alerts configured).
	AlertsOn bool
	// PartyOptions are the options of the header's party chooser, Party selected: the same
	// on every page, made once per party (Server.partyOptions).
	PartyOptions template.HTML
	// size is what the handler expects the page to weigh, when it knows: the page's buffer
	// is made that large once instead of being copied at every doubling.
	size int
}

// PartyName is the display name of a party category ("all" is every Party).
func (d pageData) PartyName(id string) string {
	if id == "all" {
		return "All Parties"
	}
	if n, ok := d.Code.Party(id); ok {
		return n.Name
	}
	return id
}

// PartyNames lists the display names of ids.
func (d pageData) PartyNames(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = d.PartyName(id)
	}
	return strings.Join(out, ", ")
}

// CategoryName is the display name of a document category.
func (d pageData) CategoryName(id string) string {
	if n, ok := d.Code.Category(id); ok {
		return n.Name
	}
	return id
}

// ClassName is the display name of a classification.
func (d pageData) ClassName(id string) string {
	if n, ok := d.Code.Classification(id); ok {
		return n.Name
	}
	return id
}

// URL returns the current page's address with one query parameter set (or removed when v is "").
func (d pageData) URL(key, v string) string {
	u, err := url.Parse(d.Path)
	if err != nil {
		return d.Path
	}
	q := u.Query()
	if v == "" {
		q.Del(key)
	} else {
		q.Set(key, v)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// VersionURL is the address of a version.
func (d pageData) VersionURL(v *corpus.Version) string { return d.Base + versionURL(v, d.Today) }

type errorBody struct {
	Status  int
	Message string
}

type catCount struct {
	Category corpus.Named
	Count    int
}

type homeBody struct {
	Categories []catCount
	Latest     *corpus.Release
	Upcoming   []*corpus.Release
	Documents  int
}

func (s *Server) homePage(c *gin.Context) {
	v := s.view(c)
	today := s.today()
	b := homeBody{Latest: s.code.LatestRelease(today)}
	docs := v.Documents()
	b.Documents = len(docs)
	for _, cat := range s.code.Categories {
		n := 0
		for _, d := range docs {
			if d.Category == cat.ID {
				n++
			}
		}
		if n > 0 {
			b.Categories = append(b.Categories, catCount{cat, n})
		}
	}
	for _, r := range s.code.Releases {
		if r.Date > today {
			b.Upcoming = append(b.Upcoming, r)
		}
	}
	s.page(c, http.StatusOK, "home", pageData{Title: s.code.Title, Body: b})
}

type docRow struct {
	Doc         *corpus.Document
	InForce     *corpus.Version
	Next        *corpus.Version // a prospective version, if any
	LastRelease *corpus.Release
	Related     []*corpus.Document
}

type docGroup struct {
	Category corpus.Named
	Rows     []docRow
}

type docLogBody struct {
	Category   string
	Categories []corpus.Named
	Groups     []docGroup
}

func (s *Server) docRow(v *corpus.View, d *corpus.Document) docRow {
	today := s.today()
	r := docRow{Doc: d, InForce: d.At(today)}
	if l := d.Latest(); l.Effective > today {
		r.Next = l
	}
	for _, x := range d.Versions {
		if x.Release != "" && x.Effective <= today {
			r.LastRelease = s.code.Release(x.Release)
		}
	}
	for _, id := range v.VisibleDocIDs(d.Related) {
		r.Related = append(r.Related, s.code.Document(id))
	}
	return r
}

func (s *Server) documentLogPage(c *gin.Context) {
	v := s.view(c)
	cat := c.Query("category")
	if _, ok := s.code.Category(cat); cat != "" && !ok {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter category: unknown document category %q", cat))
		return
	}
	b := docLogBody{Category: cat}
	docs := v.Documents()
	for _, k := range s.code.Categories {
		for _, d := range docs {
			if d.Category == k.ID {
				b.Categories = append(b.Categories, k)
				break
			}
		}
	}
	for _, k := range s.code.Categories {
		if cat != "" && k.ID != cat {
			continue
		}
		g := docGroup{Category: k}
		for _, d := range docs {
			if d.Category == k.ID {
				g.Rows = append(g.Rows, s.docRow(v, d))
			}
		}
		if len(g.Rows) > 0 {
			b.Groups = append(b.Groups, g)
		}
	}
	s.page(c, http.StatusOK, "doclog", pageData{Title: "Document Log", Body: b})
}

type docBody struct {
	Doc     *corpus.Document
	Version *corpus.Version
	InForce *corpus.Version
	Status  string
	At      corpus.Date
	Until   corpus.Date
	Release *corpus.Release
	// Text is the document's text, every node wrapped with its id and party marking.
	Text template.HTML
	// TOC, Glossary and Versions (the options of the version chooser) are made once per
	// rendered version: as template actions they cost more than the rest of the page.
	TOC      template.HTML
	Glossary template.HTML
	Versions template.HTML
	Party    string
	Hide     bool
	Applies  int
	Total    int
	Hidden   int
	Related  []*corpus.Document
	// Coming is the box of what may change the document after today ("" when nothing is),
	// written here rather than by template actions, which cost more than the rest of the page.
	Coming template.HTML
}

// coming is the box of coming changes on a document page: the next versions and the
// modifications still open (or approved and not yet in force) that touch the document.
type coming struct {
	Versions []comingVersion
	Mods     []comingMod
	// Drafted are the Mods with legal text for the document; Undrafted the others.
	Drafted, Undrafted []comingMod
	base               string // the server's path prefix, for the box's links
}

type comingVersion struct {
	V       *corpus.Version
	Release *corpus.Release
	Compare string // the redline from the version shown
}

type comingMod struct {
	M *corpus.Modification
	// Redline is the link to the modification's legal text for this document ("" when it has
	// none yet); Clauses the clauses of the version shown that it changes, Added those it adds.
	Redline        string
	Clauses, Added []string
	// In is the prospective version that already carries it, if any.
	In *corpus.Version
}

// comingChanges gathers the box for version ver of d, and which clauses of ver each pending
// modification's legal text changes (clause id -> modification ids).
func (s *Server) comingChanges(v *corpus.View, d *corpus.Document, ver *corpus.Version) (*coming, map[string][]string) {
	today := s.today()
	out := &coming{base: s.base}
	for _, x := range d.Versions {
		if x.Effective > today && x.Effective > ver.Effective {
			out.Versions = append(out.Versions, comingVersion{V: x, Release: s.code.Release(x.Release),
				Compare: s.u("/docs/"+d.ID+"/compare?from=") + url.QueryEscape(ver.Number) + "&to=" + url.QueryEscape(x.Number)})
		}
	}
	marks := map[string][]string{}
	for _, m := range s.code.PendingModifications(d, today) {
		cm := comingMod{M: m}
		for _, x := range d.Versions {
			if x.Effective > today && contains(x.Modifications, m.ID) {
				cm.In = x
			}
		}
		for _, lt := range v.LegalTexts(m) {
			if lt.Doc != d {
				continue
			}
			cm.Redline = s.u("/modifications/" + m.ID + "#legal-" + d.ID)
			changed, added := lt.Changes()
			for _, id := range changed {
				if ver.Tree().Node(id) != nil {
					cm.Clauses = append(cm.Clauses, id)
					marks[id] = append(marks[id], m.ID)
				}
			}
			cm.Added = added
		}
		out.Mods = append(out.Mods, cm)
	}
	// The modifications with legal text first: they say what would change.
	for _, m := range out.Mods {
		if m.Redline != "" {
			out.Drafted = append(out.Drafted, m)
		} else {
			out.Undrafted = append(out.Undrafted, m)
		}
	}
	if len(out.Versions) == 0 && len(out.Mods) == 0 {
		return nil, marks
	}
	return out, marks
}

// html writes the box of coming changes; nil writes nothing.
func (c *coming) html() template.HTML {
	if c == nil {
		return ""
	}
	e := template.HTMLEscapeString
	var b strings.Builder
	b.WriteString(`<section class="coming" aria-labelledby="coming-h">` + "\n" + `<h2 id="coming-h">Coming changes</h2>` + "\n")
	if len(c.Versions) > 0 {
		b.WriteString(`<ul class="coming-versions">`)
		for _, x := range c.Versions {
			fmt.Fprintf(&b, `<li>Version <a href="%s/docs/%s?version=%s"><strong>%s</strong></a> takes effect on <strong>%s</strong>`,
				e(c.base), e(x.V.Doc.ID), e(url.QueryEscape(x.V.Number)), e(x.V.Number), e(string(x.V.Effective)))
			if x.Release != nil {
				b.WriteString(" (" + e(x.Release.Name) + ")")
			}
			for _, m := range x.V.Modifications {
				b.WriteString(` · <a href="` + e(c.base) + `/modifications/` + e(m) + `">` + e(m) + `</a>`)
			}
			b.WriteString(` · <a href="` + e(x.Compare) + `">what it changes (redline)</a></li>`)
		}
		b.WriteString("</ul>\n")
	}
	if n := len(c.Mods); n > 0 {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(&b, "<p>%d modification%s still open, or approved and not yet in force, would change this document.</p>\n", n, plural)
	}
	mod := func(m comingMod) {
		fmt.Fprintf(&b, `<li><a href="%s/modifications/%s">%s</a> %s <span class="meta">(%s, %s`, e(c.base), e(m.M.ID), e(m.M.ID), e(m.M.Title),
			e(m.M.Stage), e(m.M.Status))
		if m.In != nil {
			fmt.Fprintf(&b, "; in version %s from %s", e(m.In.Number), e(string(m.In.Effective)))
		}
		b.WriteString(")</span>")
		if m.Redline != "" {
			b.WriteString(` · <a href="` + e(m.Redline) + `">proposed legal text (redline)</a>`)
		}
		for i, id := range m.Clauses {
			if i == 0 {
				b.WriteString(" · changes ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(`<a href="#` + e(id) + `">` + e(id) + `</a>`)
		}
		if len(m.Added) > 0 {
			b.WriteString(" · adds " + e(strings.Join(m.Added, ", ")))
		}
		b.WriteString("</li>\n")
	}
	if len(c.Drafted) > 0 {
		b.WriteString(`<ul class="coming-mods">`)
		for _, m := range c.Drafted {
			mod(m)
		}
		b.WriteString("</ul>\n")
	}
	if len(c.Undrafted) > 0 {
		fmt.Fprintf(&b, `<details><summary>%d without legal text yet</summary><ul class="coming-mods">`, len(c.Undrafted))
		for _, m := range c.Undrafted {
			mod(m)
		}
		b.WriteString("</ul></details>\n")
	}
	b.WriteString("</section>\n")
	return template.HTML(b.String())
}

// proposedChange is the line under a clause that a pending modification would change.
func proposedChange(base string, mods []string) string {
	var b strings.Builder
	b.WriteString(`<p class="proposed-change">`)
	for i, m := range mods {
		if i > 0 {
			b.WriteString(", ")
		}
		e := template.HTMLEscapeString(m)
		b.WriteString(`<a href="` + template.HTMLEscapeString(base) + `/modifications/` + e + `">` + e + `</a>`)
	}
	if len(mods) == 1 {
		b.WriteString(" proposes to change this clause.</p>")
	} else {
		b.WriteString(" propose to change this clause.</p>")
	}
	return b.String()
}

func (s *Server) documentPage(c *gin.Context) {
	v := s.view(c)
	d := s.docOr404(c)
	if d == nil {
		return
	}
	ver, at, err := s.pickVersion(c, d)
	if err != nil {
		s.failErr(c, err)
		return
	}
	party, err := s.partyParam(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	today := s.today()
	b := docBody{Doc: d, Version: ver, InForce: d.At(today), Status: ver.Status(today), At: at,
		Until: ver.Until(), Release: s.code.Release(ver.Release), Party: party, Hide: c.Query("hide") == "1"}
	for _, id := range v.VisibleDocIDs(d.Related) {
		b.Related = append(b.Related, s.code.Document(id))
	}
	r, err := s.rendered(ver)
	if err != nil {
		s.failErr(c, err)
		return
	}
	b.TOC, b.Glossary, b.Versions = r.toc, r.glossary, r.versions
	changed := s.changedClauses(ver)
	box, proposed := s.comingChanges(v, d, ver)
	b.Coming = box.html()
	// The body is assembled here rather than in the template: a template action per node
	// costs more than the rest of the page.
	pd := pageData{Code: s.code}
	naLabel := `<p class="na-label">Does not apply to ` + template.HTMLEscapeString(pd.PartyName(party)) + "</p>"
	// "Cited by" lines: controls and interpretations citing a clause or part. A reader who is
	// not signed in sees the public ones, the same for all: they are made once a day.
	var cited map[string]string
	if rd := reader(c); !rd.SignedIn && len(rd.Roles) == 0 && len(rd.Groups) == 0 && rd.User == "" {
		cited = r.anonCited(s.today(), func() map[string]string { return s.citedBy(v, ver, r.anchors) })
	} else {
		cited = s.citedBy(v, ver, r.anchors)
	}
	tree := ver.Tree()
	size := 0
	for i := range r.nodes {
		size += len(r.nodes[i]) + len(r.applies[i]) + len(r.open[i])
	}
	// The counts show above the text: they are counted first, and the text is written
	// straight into the page where the template leaves its place.
	for _, n := range tree.Nodes {
		if n.Kind != legaltext.KindClause {
			continue
		}
		b.Total++
		if party == "" || n.AppliesTo(party, d.Parties) {
			b.Applies++
		} else if b.Hide {
			b.Hidden++
		}
	}
	writeText := func(text *bytes.Buffer) {
		for i, n := range tree.Nodes {
			if n.Kind == legaltext.KindHeading {
				if n.ID == "title" {
					continue // the page's own heading shows the title
				}
				text.WriteString(string(r.nodes[i]))
				text.WriteString(cited[n.ID])
				continue
			}
			na := n.Kind == legaltext.KindClause && party != "" && !n.AppliesTo(party, d.Parties)
			if na && b.Hide {
				continue
			}
			if na {
				text.WriteString(nodeOpen(n, ver, true))
				text.WriteString(naLabel)
			} else {
				text.WriteString(r.open[i])
			}
			text.WriteString(string(r.nodes[i]))
			if n.Kind == legaltext.KindClause {
				if a, ok := changed[n.ID]; ok {
					text.WriteString(whatChanged(s.base, d, ver, a))
				}
				if mods := proposed[n.ID]; len(mods) > 0 {
					text.WriteString(proposedChange(s.base, mods))
				}
				text.WriteString(r.applies[i])
				text.WriteString(cited[n.ID])
			}
			text.WriteString("</div>\n")
		}
	}
	b.Text = bodyMark
	title := d.Title
	if d.Reference != "" && d.Reference != d.Title {
		title = d.Reference + ": " + d.Title
	}
	pd = pageData{Title: title, Body: b}
	pd.Party = party
	s.pageWithBody(c, http.StatusOK, "document", pd, size, writeText)
}

type versionRow struct {
	V       *corpus.Version
	Until   corpus.Date
	Status  string
	Release *corpus.Release
	Mods    []*corpus.Modification
}

type historyBody struct {
	Doc  *corpus.Document
	Rows []versionRow
}

func (s *Server) versionRows(d *corpus.Document) []versionRow {
	today := s.today()
	var rows []versionRow
	for i := len(d.Versions) - 1; i >= 0; i-- {
		x := d.Versions[i]
		row := versionRow{V: x, Until: x.Until(), Status: x.Status(today), Release: s.code.Release(x.Release)}
		for _, m := range x.Modifications {
			if mod := s.code.Modification(m); mod != nil {
				row.Mods = append(row.Mods, mod)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) historyPage(c *gin.Context) {
	d := s.docOr404(c)
	if d == nil {
		return
	}
	s.page(c, http.StatusOK, "history", pageData{Title: "History of " + d.Title, Body: historyBody{Doc: d, Rows: s.versionRows(d)}})
}

type releaseRow struct {
	R           *corpus.Release
	Documents   int
	Prospective bool
}

func (s *Server) releasesPage(c *gin.Context) {
	v := s.view(c)
	var rows []releaseRow
	for i := len(s.code.Releases) - 1; i >= 0; i-- {
		r := s.code.Releases[i]
		rows = append(rows, releaseRow{R: r, Documents: len(v.ReleaseVersions(r.ID)), Prospective: r.Date > s.today()})
	}
	s.page(c, http.StatusOK, "releases", pageData{Title: "SEC Releases", Body: rows})
}

type releaseBody struct {
	R           *corpus.Release
	Mods        []*corpus.Modification
	Versions    []*corpus.Version
	Prospective bool
}

func (s *Server) releasePage(c *gin.Context) {
	r := s.code.Release(c.Param("id"))
	if r == nil {
		s.notFound(c, fmt.Sprintf("no release %q", c.Param("id")))
		return
	}
	b := releaseBody{R: r, Versions: s.view(c).ReleaseVersions(r.ID), Prospective: r.Date > s.today()}
	for _, id := range r.Modifications {
		if m := s.code.Modification(id); m != nil {
			b.Mods = append(b.Mods, m)
		}
	}
	s.page(c, http.StatusOK, "release", pageData{Title: r.Name, Body: b})
}

type modBody struct {
	Legal    []legalView
	M        *corpus.Modification
	Release  *corpus.Release
	Docs     []*corpus.Document
	Versions []*corpus.Version
}

func (s *Server) modificationPage(c *gin.Context) {
	m := s.code.Modification(c.Param("id"))
	if m == nil {
		s.notFound(c, fmt.Sprintf("no modification %q", c.Param("id")))
		return
	}
	v := s.view(c)
	b := modBody{M: m, Release: s.code.Release(m.Release), Versions: v.ModificationVersions(m.ID)}
	for _, id := range v.VisibleDocIDs(m.Documents) {
		b.Docs = append(b.Docs, s.code.Document(id))
	}
	legal, err := s.legalTextViews(v, m)
	if err != nil {
		s.failErr(c, err)
		return
	}
	b.Legal = legal
	s.page(c, http.StatusOK, "modification", pageData{Title: m.ID + ": " + m.Title, Body: b})
}
