package server

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// clauseChange is a clause added, changed or deleted between two versions of a document.
type clauseChange struct {
	Doc      string `json:"doc"`
	DocTitle string `json:"doc_title"`
	// Kind is "added", "changed" or "deleted".
	Kind       string `json:"kind"`
	ID         string `json:"id"`
	Heading    string `json:"heading"`
	OldVersion string `json:"old_version,omitempty"`
	NewVersion string `json:"new_version,omitempty"`
	OldText    string `json:"old_text,omitempty"`
	NewText    string `json:"new_text,omitempty"`
	// Parties is the applicability in the new version (the old one for a deleted clause).
	Parties []string `json:"parties"`
	// Applicability is true when the party categories or roles changed, whether or not the
	// words did.
	Applicability bool     `json:"applicability_changed"`
	Releases      []string `json:"releases"`
	OldURL        string   `json:"old_url,omitempty"`
	NewURL        string   `json:"new_url,omitempty"`
	Redline       string   `json:"redline"`

	old, new *legaltext.Node
	scheme   *legaltext.Scheme // the document's numbering, to read a clause's text again
}

// changeFilter narrows the changes to a party category, a User Role and a document ("" for
// any).
type changeFilter struct {
	Party, Role, Doc string
}

func (f changeFilter) keeps(n *legaltext.Node, def []string) bool {
	return n != nil && (f.Party == "" || n.AppliesTo(f.Party, def)) && (f.Role == "" || n.AppliesToRole(f.Role))
}

// versionChanges compares the clauses of two versions of a document by id: old may be nil
// (everything is added). A changed clause is kept when it passes f in either version.
func (s *Server) versionChanges(old, new *corpus.Version, f changeFilter) []clauseChange {
	var out []clauseChange
	d := new.Doc
	olds := map[string]*legaltext.Node{}
	if old != nil {
		for _, n := range old.Tree().Clauses() {
			olds[n.ID] = n
		}
	}
	news := map[string]bool{}
	today := s.today()
	for _, n := range new.Tree().Clauses() {
		news[n.ID] = true
		o := olds[n.ID]
		ch := clauseChange{Doc: d.ID, DocTitle: docTitle(d), ID: n.ID, Heading: clauseHeading(n), NewVersion: new.Number,
			NewText: clauseText(n), Parties: new.Parties(n), NewURL: s.versionURL(new, today) + "#" + n.ID, new: n,
			scheme: new.Tree().Scheme()}
		if o == nil {
			if !f.keeps(n, d.Parties) {
				continue
			}
			ch.Kind = "added"
			if old != nil {
				ch.OldVersion = old.Number
			}
		} else {
			// Changed words as the redline sees them: list numbers are layout.
			words := normWords(clauseText(o)) != normWords(ch.NewText) && !redline.SameWording(o, n)
			ch.Applicability = !slices.Equal(old.Parties(o), new.Parties(n)) || !slices.Equal(o.Roles, n.Roles)
			if !words && !ch.Applicability || !f.keeps(n, d.Parties) && !f.keeps(o, d.Parties) {
				continue
			}
			ch.Kind, ch.OldVersion, ch.OldText, ch.OldURL, ch.old = "changed", old.Number, clauseText(o),
				s.versionURL(old, today)+"#"+o.ID, o
		}
		out = append(out, ch)
	}
	if old != nil {
		for _, o := range old.Tree().Clauses() {
			if news[o.ID] || !f.keeps(o, d.Parties) {
				continue
			}
			out = append(out, clauseChange{Doc: d.ID, DocTitle: docTitle(d), Kind: "deleted", ID: o.ID, Heading: clauseHeading(o),
				OldVersion: old.Number, OldText: clauseText(o), Parties: old.Parties(o), OldURL: s.versionURL(old, today) + "#" + o.ID,
				NewVersion: new.Number, old: o})
		}
	}
	return out
}

func normWords(s string) string { return strings.Join(strings.Fields(s), " ") }

// changesBetween returns the changes of every document the reader may see from the text in
// force on from to the text in force on to.
func (s *Server) changesBetween(v *corpus.View, from, to corpus.Date, f changeFilter) []clauseChange {
	out := []clauseChange{}
	for _, d := range v.Documents() {
		if f.Doc != "" && d.ID != f.Doc {
			continue
		}
		a, b := d.At(from), d.At(to)
		if b == nil || a == b {
			continue
		}
		var rels []string
		for _, x := range d.Versions {
			if x.Effective > from && x.Effective <= to && x.Release != "" {
				rels = append(rels, x.Release)
			}
		}
		link := s.redlineURL(d, a, b, from, to)
		for _, ch := range s.versionChanges(a, b, f) {
			ch.Releases, ch.Redline = append([]string{}, rels...), link
			out = append(out, ch)
		}
	}
	return out
}

// redlineURL is where the redline of d between versions a (nil when d did not exist) and b
// is shown: the document's compare page when the router has one (/docs/{id}/compare, or
// /compare?doc=), otherwise the changes page narrowed to the document, which shows each
// changed clause as an inline word diff.
func (s *Server) redlineURL(d *corpus.Document, a, b *corpus.Version, from, to corpus.Date) string {
	if a != nil {
		q := url.Values{"from": {a.Number}, "to": {b.Number}}
		switch {
		case s.hasRoute("/docs/:id/compare"):
			return s.u("/docs/" + url.PathEscape(d.ID) + "/compare?" + q.Encode())
		case s.hasRoute("/compare"):
			q.Set("doc", d.ID)
			return s.u("/compare?" + q.Encode())
		}
	}
	return s.u("/changes?" + url.Values{"doc": {d.ID}, "from": {string(from)}, "to": {string(to)}}.Encode())
}

// changesRequest is what the changes page, its API twin and the feeds ask for.
type changesRequest struct {
	changeFilter
	From, To corpus.Date
}

// dateOrRelease reads a parameter that is a date or a release id (which stands for its date).
func (s *Server) dateOrRelease(c *gin.Context, name string) (corpus.Date, error) {
	x := c.Query(name)
	if x == "" {
		return "", nil
	}
	if r := s.code.Release(x); r != nil {
		return r.Date, nil
	}
	d, err := corpus.ParseDate(x)
	if err != nil {
		return "", badRequest{fmt.Sprintf("parameter %s: %q is neither a date in the form YYYY-MM-DD nor a release id", name, x)}
	}
	return d, nil
}

func (s *Server) changesRequest(c *gin.Context, api bool) (changesRequest, error) {
	var q changesRequest
	var err error
	if q.Party, q.Role, err = s.partyAndRole(c, api, false); err != nil {
		return q, err
	}
	if q.Doc = c.Query("doc"); q.Doc != "" && s.view(c).Document(q.Doc) == nil {
		return q, badRequest{fmt.Sprintf("parameter doc: no document %q", q.Doc)}
	}
	if q.To, err = s.dateOrRelease(c, "to"); err != nil {
		return q, err
	}
	if q.To == "" {
		q.To = s.today()
	}
	if q.From, err = s.dateOrRelease(c, "from"); err != nil {
		return q, err
	}
	if q.From == "" {
		// By default: what the latest release on or before to changed.
		q.From = previousDay(q.To)
		if r := s.code.LatestRelease(q.To); r != nil {
			q.From = previousDay(r.Date)
		}
	}
	if q.To < q.From {
		return q, badRequest{fmt.Sprintf("parameters from and to: to (%s) is before from (%s)", q.To, q.From)}
	}
	return q, nil
}

func previousDay(d corpus.Date) corpus.Date {
	t, err := time.Parse("2006-01-02", string(d))
	if err != nil {
		return d
	}
	return corpus.DateOf(t.AddDate(0, 0, -1))
}

func (s *Server) apiChanges(c *gin.Context) {
	q, err := s.changesRequest(c, true)
	if err != nil {
		s.failErr(c, err)
		return
	}
	list := s.changesBetween(s.view(c), q.From, q.To, q.changeFilter)
	c.JSON(http.StatusOK, gin.H{"party": q.Party, "role": q.Role, "doc": q.Doc, "from": q.From, "to": q.To,
		"total": len(list), "changes": list})
}

// changeView is a change as the changes page shows it.
type changeView struct {
	clauseChange
	Diff template.HTML // inline word diff of a changed clause
	// Rows are the changed rows of a changed clause's tables (the definitions of A1.1), each
	// a change of its own, named by its first cell.
	Rows []redline.Item
}

type changeGroup struct {
	Doc, Title, OldVersion, NewVersion string
	Releases                           []string
	Redline                            string
	Changes                            []changeView
}

type changesBody struct {
	changesRequest
	Total    int
	Groups   []*changeGroup
	Docs     []*corpus.Document
	Releases []filterLink // what each release changed
	API      string
	Feed     string
}

func (s *Server) changesPage(c *gin.Context) {
	q, err := s.changesRequest(c, false)
	if err != nil {
		s.failErr(c, err)
		return
	}
	v := s.view(c)
	list := s.changesBetween(v, q.From, q.To, q.changeFilter)
	b := changesBody{changesRequest: q, Total: len(list), Docs: v.Documents()}
	for _, r := range s.code.Releases {
		rq := url.Values{"from": {string(previousDay(r.Date))}, "to": {string(r.Date)}}
		if q.Party != "" {
			rq.Set("party", q.Party)
		}
		b.Releases = append(b.Releases, filterLink{Label: r.Name, URL: s.u("/changes?" + rq.Encode()),
			Active: q.From == previousDay(r.Date) && q.To == r.Date})
	}
	for _, ch := range list {
		if len(b.Groups) == 0 || b.Groups[len(b.Groups)-1].Doc != ch.Doc {
			b.Groups = append(b.Groups, &changeGroup{Doc: ch.Doc, Title: ch.DocTitle, OldVersion: ch.OldVersion,
				NewVersion: ch.NewVersion, Releases: ch.Releases, Redline: ch.Redline})
		}
		g := b.Groups[len(b.Groups)-1]
		if g.OldVersion == "" {
			g.OldVersion = ch.OldVersion
		}
		cv := changeView{clauseChange: ch}
		if ch.Kind == "changed" {
			cv.Diff, cv.Rows = s.clauseDiff(ch.old, ch.new, ch.scheme)
		}
		g.Changes = append(g.Changes, cv)
	}
	qs := url.Values{"from": {string(q.From)}, "to": {string(q.To)}}
	for k, x := range map[string]string{"party": q.Party, "role": q.Role, "doc": q.Doc} {
		if x != "" {
			qs.Set(k, x)
		}
	}
	b.API = s.u("/api/v1/changes?" + qs.Encode())
	fq := url.Values{}
	if q.Party != "" {
		fq.Set("party", q.Party)
	}
	if q.Doc != "" {
		fq.Set("doc", q.Doc)
	}
	b.Feed = s.u("/feeds/changes.atom")
	if len(fq) > 0 {
		b.Feed += "?" + fq.Encode()
	}
	pd := pageData{Title: "What changed", Body: b}
	pd.Party = q.Party
	s.page(c, http.StatusOK, "changes", pd)
}

// wordDiff shows the words of a clause that changed between two versions, with the redline
// engine's Compare: inserted words in <ins>, deleted ones in <del>, each announced to screen
// readers. Should the engine fail, the two texts are shown one after the other.
func (s *Server) wordDiff(old, new *legaltext.Node, scheme *legaltext.Scheme) template.HTML {
	out, _ := s.clauseDiff(old, new, scheme)
	return out
}

// clauseDiff is wordDiff, with the rows of the clause's tables that changed (Redline.Items).
func (s *Server) clauseDiff(old, new *legaltext.Node, scheme *legaltext.Scheme) (out template.HTML, rows []redline.Item) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("redline compare failed", "clause", new.ID, "error", fmt.Sprint(r))
			out = template.HTML(`<p class="diff-old"><del>` + template.HTMLEscapeString(clauseText(old)) + `</del></p><p class="diff-new"><ins>` +
				template.HTMLEscapeString(clauseText(new)) + `</ins></p>`)
		}
	}()
	r := redline.Compare(legaltext.ParseScheme([]byte(old.Source), scheme), legaltext.ParseScheme([]byte(new.Source), scheme))
	for _, it := range r.Items() {
		if it.Line > 0 {
			rows = append(rows, it)
		}
	}
	var b strings.Builder
	for _, blk := range r.Blocks {
		lines := blk.Lines
		if blk.Kind == redline.ChangeMoved && blk.Diff != nil {
			lines = blk.Diff
		}
		if blk.Kind == redline.ChangeMovedAway {
			continue
		}
		for i, l := range lines {
			if l.Style == redline.StyleRow {
				// Table rows stay a table: each row's changes in its cells.
				if i == 0 || lines[i-1].Style != redline.StyleRow {
					b.WriteString(`<table class="diff-table"><tbody>`)
				}
				for _, r := range redline.RowsOf(l) {
					cls := ""
					switch r.Kind {
					case redline.ChangeInserted:
						cls = ` class="row-ins"`
					case redline.ChangeDeleted:
						cls = ` class="row-del"`
					}
					b.WriteString("<tr" + cls + ">")
					for _, cell := range r.Cells {
						b.WriteString("<td>")
						writeDiffOps(&b, cell)
						b.WriteString("</td>")
					}
					b.WriteString("</tr>")
				}
				if i == len(lines)-1 || lines[i+1].Style != redline.StyleRow {
					b.WriteString("</tbody></table>\n")
				}
				continue
			}
			b.WriteString(`<p class="diff-line">`)
			for _, op := range l.Ops {
				t := template.HTMLEscapeString(op.Text)
				switch op.Kind {
				case redline.OpInsert:
					b.WriteString(`<ins><span class="vh">[inserted: </span>` + t + `<span class="vh">]</span></ins>`)
				case redline.OpDelete:
					b.WriteString(`<del><span class="vh">[deleted: </span>` + t + `<span class="vh">]</span></del>`)
				default:
					b.WriteString(t)
				}
			}
			b.WriteString("</p>\n")
		}
	}
	return template.HTML(b.String()), rows
}

// writeDiffOps writes word changes as wordDiff does.
func writeDiffOps(b *strings.Builder, ops []redline.Op) {
	for _, op := range ops {
		t := template.HTMLEscapeString(op.Text)
		switch op.Kind {
		case redline.OpInsert:
			b.WriteString(`<ins><span class="vh">[inserted: </span>` + t + `<span class="vh">]</span></ins>`)
		case redline.OpDelete:
			b.WriteString(`<del><span class="vh">[deleted: </span>` + t + `<span class="vh">]</span></del>`)
		default:
			b.WriteString(t)
		}
	}
}
