package server

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
)

// suggestion is a clause, document or defined term whose id or name starts with what the
// reader has typed.
type suggestion struct {
	// Kind is clause, part, document or term.
	Kind  string `json:"kind"`
	Label string `json:"label"`
	// Detail says where it is (the document of a clause or of a definition).
	Detail string `json:"detail"`
	URL    string `json:"url"`
	doc    string // the document it is in: suggested only to readers who may see it
}

// suggestKey is one way to reach a suggestion: its id or name, or any word of a name onward
// ("assessment" reaches "Security Assessment"), lower-cased.
type suggestKey struct {
	key string
	at  int // index into suggestIndex.items
}

// suggestIndex holds the suggestions of the text in force on a day, built for every document
// once (and again when the day changes); each request keeps those its reader may see.
type suggestIndex struct {
	mu    sync.Mutex
	day   corpus.Date
	items []suggestion
	keys  []suggestKey // sorted by key
}

// MaxSuggestQuery is the longest text suggestions are looked up for.
const MaxSuggestQuery = 100

func (x *suggestIndex) at(s *Server, day corpus.Date) ([]suggestion, []suggestKey) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.items == nil || x.day != day {
		x.items, x.keys = buildSuggestions(s, day)
		x.day = day
	}
	return x.items, x.keys
}

func buildSuggestions(s *Server, day corpus.Date) ([]suggestion, []suggestKey) {
	var items []suggestion
	var keys []suggestKey
	add := func(it suggestion, names ...string) {
		i := len(items)
		items = append(items, it)
		seen := map[string]bool{}
		for _, name := range names {
			words := strings.Fields(strings.ToLower(name))
			for w := range words {
				k := strings.Join(words[w:], " ")
				if k != "" && !seen[k] {
					seen[k] = true
					keys = append(keys, suggestKey{k, i})
				}
			}
		}
	}
	today := s.today()
	for _, d := range s.code.Documents {
		x := d.At(day)
		if x == nil {
			continue
		}
		base := s.versionURL(x, today)
		add(suggestion{Kind: "document", Label: docTitle(d), Detail: "document", URL: base, doc: d.ID}, d.Title, d.Reference, d.ID)
		for _, n := range x.Tree().Clauses() {
			h := clauseHeading(n)
			label := n.ID
			if h != "" {
				label += " " + h
			}
			// A clause is reached by its id; its heading is its part's (a suggestion of
			// its own, below), shared by every clause of the part.
			add(suggestion{Kind: "clause", Label: label, Detail: docTitle(d), URL: base + "#" + n.ID, doc: d.ID}, n.ID)
		}
		parts := partTitles(x)
		for _, id := range slices.Sorted(maps.Keys(parts)) {
			if title := parts[id]; id != "" && title != "" {
				label := title
				if !strings.HasPrefix(title, id+" ") {
					label = id + " " + title
				}
				add(suggestion{Kind: "part", Label: label, Detail: docTitle(d), URL: base + "#" + id, doc: d.ID}, title)
			}
		}
	}
	terms := s.code.TermsAt(day)
	for _, name := range slices.Sorted(maps.Keys(terms.Defs)) {
		def := terms.Defs[name]
		d := def.Version.Doc
		add(suggestion{Kind: "term", Label: name, Detail: "defined in " + docTitle(d),
			URL: s.versionURL(def.Version, today) + "#" + def.Anchor, doc: d.ID}, name)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].key != keys[j].key {
			return keys[i].key < keys[j].key
		}
		return keys[i].at < keys[j].at
	})
	return items, keys
}

// suggest returns up to limit suggestions for q that the reader may see: clauses first, then
// parts, terms and documents, each in the order of their keys.
func (s *Server) suggest(c *gin.Context, q string, limit int) []suggestion {
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	if q == "" || len([]rune(q)) > MaxSuggestQuery {
		return nil
	}
	items, keys := s.sugg.at(s, s.today())
	v := s.view(c)
	i := sort.Search(len(keys), func(i int) bool { return keys[i].key >= q })
	rank := map[string]int{"clause": 0, "part": 1, "term": 2, "document": 3}
	var found []suggestion
	seen := map[int]bool{}
	// Visit at most a bounded number of keys: a one-letter query matches thousands.
	for n := 0; i < len(keys) && strings.HasPrefix(keys[i].key, q) && n < 2000; i, n = i+1, n+1 {
		k := keys[i]
		if seen[k.at] {
			continue
		}
		seen[k.at] = true
		it := items[k.at]
		if !v.CanSee(s.code.Document(it.doc)) {
			continue
		}
		found = append(found, it)
	}
	sort.SliceStable(found, func(a, b int) bool { return rank[found[a].Kind] < rank[found[b].Kind] })
	if len(found) > limit {
		found = found[:limit]
	}
	return found
}

func (s *Server) apiSuggest(c *gin.Context) {
	q := c.Query("q")
	if len([]rune(q)) > MaxSuggestQuery {
		s.fail(c, http.StatusBadRequest, "parameter q: at most 100 characters")
		return
	}
	list := s.suggest(c, q, 10)
	if list == nil {
		list = []suggestion{}
	}
	c.JSON(http.StatusOK, gin.H{"q": q, "suggestions": list})
}

// modIDRE is a query that is a modification's id: MP140, SECMP0049, DP110 (any case, a
// space allowed before the number).
var modIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i)((?:SEC)?(?:MP|DP))\s?(\d{1,5}[A-Za-z]?)$`) })

// modJump returns the modification a query names, if the reader may see it: one that
// touches no document, or at least one the reader may see.
func (s *Server) modJump(v *corpus.View, q string) *corpus.Modification {
	m := modIDRE().FindStringSubmatch(strings.TrimSpace(q))
	if m == nil {
		return nil
	}
	mod := s.code.Modification(strings.ToUpper(m[1] + m[2]))
	if mod == nil {
		return nil
	}
	if len(mod.Documents) > 0 && len(v.VisibleDocIDs(mod.Documents)) == 0 {
		return nil
	}
	return mod
}
