package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"codenav/corpus"
)

// An index of several codes (a site serving each code under its own path) is one Manager
// over all of them: one data folder, one generation named by a fingerprint of every code's
// folder, and views of sets of documents as for one code. A document is named in it by its
// key "<code>/<doc>" (document ids have no '/'), which is what its entries hold in their doc
// field; their code field names the code.
//
// A search names the code it searches (Request.Code): it then runs on the view of that
// code's visible documents and speaks that code's document ids, exactly like the index of
// the code alone. A search of no code searches every code, on the view of every document the
// reader may see in any of them; Visible and Doc are keys there, and hits name their code.
// Either way a view holds only documents the reader may see, so no restricted document of
// any code moves a count, a score or a snippet.

// OpenSite starts the index of several codes in dataDir (see Open). Their ids must be
// distinct.
func OpenSite(ctx context.Context, dataDir string, codes []*corpus.Code, opt Options) (*Manager, error) {
	if len(codes) == 0 {
		return nil, errors.New("index: no code")
	}
	codes = slices.Clone(codes)
	slices.SortFunc(codes, func(a, b *corpus.Code) int { return strings.Compare(a.ID, b.ID) })
	h := sha256.New()
	fmt.Fprintf(h, "%s site\n", Format)
	for i, c := range codes {
		if c.ID == "" || strings.ContainsAny(c.ID, "/ ") {
			return nil, fmt.Errorf("index: code id %q: want letters, digits and dashes", c.ID)
		}
		if i > 0 && codes[i-1].ID == c.ID {
			return nil, fmt.Errorf("index: two codes have the id %q", c.ID)
		}
		fp, err := codeFingerprint(c)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%s %s\n", c.ID, fp)
	}
	return open(ctx, dataDir, nil, codes, hex.EncodeToString(h.Sum(nil)), opt)
}

// warmSets are the document sets whose views are built right after the public one: those
// of Options.Warm, and in a site's index the view of each code searched alone by an
// anonymous reader and by each reader of Options.Warm.
func (m *Manager) warmSets() [][]string {
	var out [][]string
	for _, r := range m.opt.Warm {
		out = append(out, m.docsOf(r))
	}
	for _, c := range m.site {
		for _, r := range append([]corpus.Reader{{}}, m.opt.Warm...) {
			var docs []string
			for _, d := range c.For(r).Documents() {
				docs = append(docs, m.key(c, d))
			}
			slices.Sort(docs)
			out = append(out, docs)
		}
	}
	return out
}

// codes are the codes the index holds.
func (m *Manager) codes() []*corpus.Code {
	if m.site != nil {
		return m.site
	}
	return []*corpus.Code{m.code}
}

// Codes lists the ids of the codes of a site's index (nil for the index of one code).
func (m *Manager) Codes() []string {
	var out []string
	for _, c := range m.site {
		out = append(out, c.ID)
	}
	return out
}

// key names document d of code c in the index.
func (m *Manager) key(c *corpus.Code, d *corpus.Document) string {
	if m.site == nil {
		return d.ID
	}
	return c.ID + "/" + d.ID
}

// siteCode is the code of a site's index with the id id.
func (m *Manager) siteCode(id string) *corpus.Code {
	for _, c := range m.site {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// lookup finds the document a key names, and its code.
func (m *Manager) lookup(key string) (*corpus.Code, *corpus.Document) {
	if m.site == nil {
		return m.code, m.code.Document(key)
	}
	id, doc, ok := strings.Cut(key, "/")
	c := m.siteCode(id)
	if !ok || c == nil {
		return nil, nil
	}
	return c, c.Document(doc)
}

// entries are the entries of the documents keyed in set.
func (m *Manager) entries(set map[string]bool) []*Entry {
	if m.site == nil {
		return entriesOf(m.code, set)
	}
	var out []*Entry
	for _, c := range m.site {
		docs := map[string]bool{}
		for _, d := range c.Documents {
			if set[c.ID+"/"+d.ID] {
				docs[d.ID] = true
			}
		}
		if len(docs) == 0 {
			continue
		}
		for _, e := range entriesOf(c, docs) {
			e.Code, e.Doc = c.ID, c.ID+"/"+e.Doc
			e.Facet = facetKey(e.Doc, e.Parties)
			out = append(out, e)
		}
	}
	return out
}

// docInfo tells the facets a document's category and the party categories "all" stands
// for in its code.
func (m *Manager) docInfo() func(key string) (string, []string) {
	every := map[*corpus.Code][]string{}
	return func(key string) (string, []string) {
		c, d := m.lookup(key)
		if d == nil {
			return "", nil
		}
		if _, ok := every[c]; !ok {
			every[c] = c.PartyIDs()
		}
		return d.Category, every[c]
	}
}

// scope turns a search of one code of a site into a search of its documents' keys: the
// visible documents and the document filter get the code's prefix.
func (m *Manager) scope(r *Request) error {
	if m.site == nil || r.Code == "" {
		r.Code = ""
		return nil
	}
	c := m.siteCode(r.Code)
	if c == nil {
		return fmt.Errorf("%w: no code %q", ErrBadQuery, r.Code)
	}
	vis := make([]string, len(r.Visible))
	for i, d := range r.Visible {
		vis[i] = c.ID + "/" + d
	}
	r.Visible = vis
	if r.Doc != "" {
		r.Doc = c.ID + "/" + r.Doc
	}
	if r.CodeFilter != "" && r.CodeFilter != c.ID {
		return fmt.Errorf("%w: a search of code %q cannot be narrowed to code %q", ErrBadQuery, c.ID, r.CodeFilter)
	}
	r.CodeFilter = ""
	return nil
}

// unscope gives the results of a search of one code of a site that code's document ids.
func unscope(res *Result, code string) {
	if code == "" {
		return
	}
	for i := range res.Hits {
		res.Hits[i].Code = ""
	}
	for i, v := range res.Facets["doc"] {
		res.Facets["doc"][i].Value = strings.TrimPrefix(v.Value, code+"/")
	}
	delete(res.Facets, "code")
}
