package server

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/legaltext"
)

// termsIndex is every defined term in force on a day with where it is used, computed once
// (at start, and again only when the day changes) for every document; each request keeps
// what its reader may see.
type termsIndex struct {
	s       *Server
	mu      sync.Mutex
	day     corpus.Date
	entries []termEntry
}

type termEntry struct {
	Term, Meaning string
	Def           *corpus.Version
	Anchor        string
	Clause        string // the clause holding the definition
	Uses          []termUse
}

// termUse is the clauses of one version that use a term.
type termUse struct {
	Version *corpus.Version
	Clauses []string
}

// newTermsIndex makes the index, computed on first use: it reads the text of every
// document in force, which a start on a large corpus should not wait for.
func newTermsIndex(s *Server) *termsIndex { return &termsIndex{s: s} }

// at returns the index for day, building it when the day has changed.
func (t *termsIndex) at(day corpus.Date) []termEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil || t.day != day {
		t.entries, t.day = buildTerms(t.s.code, day), day
	}
	return t.entries
}

func buildTerms(code *corpus.Code, day corpus.Date) []termEntry {
	terms := code.TermsAt(day)
	names := make([]string, 0, len(terms.Defs))
	for name := range terms.Defs {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := strings.ToLower(names[i]), strings.ToLower(names[j])
		if a != b {
			return a < b
		}
		return names[i] < names[j]
	})
	index := map[string]int{}
	out := make([]termEntry, len(names))
	for i, name := range names {
		def := terms.Defs[name]
		out[i] = termEntry{Term: name, Meaning: def.Meaning, Def: def.Version, Anchor: def.Anchor}
		for _, d := range def.Version.Tree().Definitions {
			if d.Term == name {
				out[i].Clause = d.Clause
			}
		}
		index[name] = i
	}
	if terms.Matcher == nil {
		return out
	}
	for _, d := range code.Documents {
		x := d.At(day)
		if x == nil {
			continue
		}
		for _, n := range x.Tree().Clauses() {
			for _, term := range terms.Matcher.Terms(n.Text) {
				i := index[term]
				e := &out[i]
				if x == e.Def && n.ID == e.Clause {
					continue // the definition itself is not a use
				}
				if k := len(e.Uses); k == 0 || e.Uses[k-1].Version != x {
					e.Uses = append(e.Uses, termUse{Version: x})
				}
				u := &e.Uses[len(e.Uses)-1]
				u.Clauses = append(u.Clauses, n.ID)
			}
		}
	}
	return out
}

type apiTermDef struct {
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	Version string `json:"version"`
	Clause  string `json:"clause,omitempty"`
	Anchor  string `json:"anchor"`
	URL     string `json:"url"`
}

type apiTermUse struct {
	Doc     string   `json:"doc"`
	Title   string   `json:"title"`
	Version string   `json:"version"`
	Clauses []string `json:"clauses"`
	URL     string   `json:"url"`
}

type apiTerm struct {
	Term       string       `json:"term"`
	Definition string       `json:"definition"`
	DefinedIn  apiTermDef   `json:"defined_in"`
	Uses       int          `json:"uses"`
	UsedIn     []apiTermUse `json:"used_in"`
	// Slug is the element id of the term on the terms page.
	Slug string `json:"-"`
}

// visibleTerms returns the terms the reader may see whose name contains q (any case), with
// their uses in the documents the reader may see.
func (s *Server) visibleTerms(v *corpus.View, entries []termEntry, q string) []apiTerm {
	today := s.today()
	q = strings.ToLower(strings.TrimSpace(q))
	out := []apiTerm{}
	for _, e := range entries {
		if !v.CanSee(e.Def.Doc) || q != "" && !strings.Contains(strings.ToLower(e.Term), q) {
			continue
		}
		t := apiTerm{Term: e.Term, Definition: e.Meaning, UsedIn: []apiTermUse{}, Slug: "t-" + legaltext.Slug(e.Term),
			DefinedIn: apiTermDef{Doc: e.Def.Doc.ID, Title: docTitle(e.Def.Doc), Version: e.Def.Number, Clause: e.Clause,
				Anchor: e.Anchor, URL: s.versionURL(e.Def, today) + "#" + e.Anchor}}
		for _, u := range e.Uses {
			if !v.CanSee(u.Version.Doc) {
				continue
			}
			t.Uses += len(u.Clauses)
			t.UsedIn = append(t.UsedIn, apiTermUse{Doc: u.Version.Doc.ID, Title: docTitle(u.Version.Doc), Version: u.Version.Number,
				Clauses: u.Clauses, URL: s.versionURL(u.Version, today)})
		}
		out = append(out, t)
	}
	return out
}

func (s *Server) apiTerms(c *gin.Context, idx *termsIndex) {
	day := s.today()
	list := s.visibleTerms(s.view(c), idx.at(day), c.Query("q"))
	c.JSON(http.StatusOK, gin.H{"at": day, "total": len(list), "terms": list})
}

type termLetter struct {
	Letter string
	Terms  []apiTerm
}

type termsBody struct {
	Q       string
	Total   int
	Letters []termLetter
}

func (s *Server) termsPage(c *gin.Context, idx *termsIndex) {
	q := c.Query("q")
	if len(q) > 200 {
		s.failErr(c, badRequest{"parameter q: at most 200 characters"})
		return
	}
	list := s.visibleTerms(s.view(c), idx.at(s.today()), q)
	b := termsBody{Q: q, Total: len(list)}
	for _, t := range list {
		r, _ := utf8.DecodeRuneInString(t.Term)
		l := string(unicode.ToUpper(r))
		if !unicode.IsLetter(r) {
			l = "#"
		}
		if len(b.Letters) == 0 || b.Letters[len(b.Letters)-1].Letter != l {
			b.Letters = append(b.Letters, termLetter{Letter: l})
		}
		b.Letters[len(b.Letters)-1].Terms = append(b.Letters[len(b.Letters)-1].Terms, t)
	}
	s.page(c, http.StatusOK, "terms", pageData{Title: "Defined terms", Body: b})
}
