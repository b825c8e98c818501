package corpus

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"codenav/legaltext"
	"codenav/legaltext/merge"
	"codenav/legaltext/redline"
)

// LegalText is the proposed full text of one document under a modification, drafted against
// one version of it (its base). It is read from modifications/<id>/legal-text/<doc-id>.md:
//
//	---
//	base: "3.0"
//	title: Optional title of the draft
//	---
//	# Section H: DCC Services
//	...
type LegalText struct {
	Mod   *Modification
	Doc   *Document
	Base  *Version
	Title string
	// Path is the file it was read from; BodyLine the line its body starts on.
	Path     string
	BodyLine int
	Tree     *legaltext.Doc

	changeOnce     sync.Once
	changed, added []string
}

// Changes returns the ids of the clauses of the base version that the legal text changes,
// moves or deletes, and of the clauses it adds; computed once.
func (lt *LegalText) Changes() (changed, added []string) {
	lt.changeOnce.Do(func() {
		lt.changed, lt.added = []string{}, []string{}
		for _, b := range redline.Compare(lt.Base.Tree(), lt.Tree).Changes() {
			if b.Node != legaltext.KindClause {
				continue
			}
			switch {
			case b.Kind == redline.ChangeInserted:
				lt.added = append(lt.added, b.NewID)
			case b.OldID != "" && b.Kind != redline.ChangeMovedAway:
				lt.changed = append(lt.changed, b.OldID)
			}
		}
	})
	return lt.changed, lt.added
}

// Pending reports whether m may still change the code after day: it is open, or approved
// and not yet implemented.
func (m *Modification) Pending(day Date) bool {
	switch m.Status {
	case "open":
		return true
	case "approved":
		return m.Stage != "implemented" && (m.Implemented == "" || m.Implemented > day)
	}
	return false
}

// PendingModifications returns the modifications that may still change document d after
// day, in register order.
func (c *Code) PendingModifications(d *Document, day Date) []*Modification {
	var out []*Modification
	for _, m := range c.Modifications {
		if m.Pending(day) && contains(m.Documents, d.ID) {
			out = append(out, m)
		}
	}
	return out
}

// LegalTextFor returns the modification's legal text for a document, or nil.
func (m *Modification) LegalTextFor(docID string) *LegalText {
	for _, lt := range m.LegalText {
		if lt.Doc.ID == docID {
			return lt
		}
	}
	return nil
}

// LegalTexts returns the legal texts of a modification whose documents the reader may see:
// the text of a restricted document is as restricted as its versions.
func (v *View) LegalTexts(m *Modification) []*LegalText {
	out := []*LegalText{}
	for _, lt := range m.LegalText {
		if v.CanSee(lt.Doc) {
			out = append(out, lt)
		}
	}
	return out
}

// Rebase carries the changes the legal text makes to its base version over to current (a
// later version of the same document, usually the latest): a three-way merge with the base as
// common ancestor, current as ours and the legal text as theirs. The result is the legal text
// as it would read if drafted against current, with a conflict for each clause that both
// current and the legal text change in the same words; the merged text keeps current's
// wording there. With current nil or the base itself, the legal text is returned as it is.
func (lt *LegalText) Rebase(current *Version) *merge.Result {
	if current == nil || current == lt.Base {
		return &merge.Result{Text: lt.Tree.Source(), Doc: lt.Tree, Conflicts: []merge.Conflict{}}
	}
	r := merge.Merge(lt.Base.Tree(), current.Tree(), lt.Tree)
	for i := range r.Conflicts {
		r.Conflicts[i].Doc = lt.Doc.ID
	}
	return r
}

// legalTexts reads the legal text of every modification that has some.
func (l *loader) legalTexts(c *Code) {
	for _, m := range c.Modifications {
		dir := filepath.Join(l.dir, "modifications", m.ID, "legal-text")
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			l.add(dir, 0, "cannot read: %v", err)
			continue
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
				l.add(path, 0, "unexpected file: a legal-text folder holds one <document-id>.md file per document")
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				l.add(path, 0, "cannot read: %v", errors.Unwrap(err))
				continue
			}
			if lt := l.legalText(c, m, path, strings.TrimSuffix(e.Name(), ".md"), data); lt != nil {
				m.LegalText = append(m.LegalText, lt)
			}
		}
		sort.SliceStable(m.LegalText, func(i, j int) bool { return m.LegalText[i].Doc.ID < m.LegalText[j].Doc.ID })
	}
}

// legalText reads one legal text. It returns nil when the text cannot be tied to a document
// and one of its versions; every problem is reported either way.
func (l *loader) legalText(c *Code, m *Modification, path, docID string, data []byte) *LegalText {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	d := c.docs[docID]
	switch {
	case d == nil && l.unreadable["document:"+docID]:
		// The document's own problems say why it could not be read.
	case d == nil:
		l.add(path, 1, "legal text for unknown document %q: the file name must be the id of a document (there is no folder documents/%s)", docID, docID)
	case !contains(m.Documents, docID):
		l.add(path, 1, "legal text for %s, which modification %s does not list in its documents: add %s to documents: in %s",
			docID, m.ID, docID, filepath.ToSlash(filepath.Join("modifications", m.ID, "modification.yaml")))
	}
	fm, body, bodyLine, ok, closed := legaltext.FrontMatter(data)
	if !ok {
		l.add(path, 1, `missing front matter: the file must start with a line ---, then base: "<version>" (the version the text was drafted against), then ---`)
		return nil
	}
	if !closed {
		l.add(path, 1, "front matter is not closed: add a line --- after it")
		return nil
	}
	n, ok := l.readYAML(path, fm, 1)
	if !ok {
		return nil
	}
	f := l.fields(n, "base", "title")
	lt := &LegalText{Mod: m, Doc: d, Title: l.str(path, f, "title", false, n.line), Path: path, BodyLine: bodyLine}
	base := l.str(path, f, "base", true, n.line)
	baseLine := lineOf(f, "base", n.line)
	lt.Tree = l.tree(c, d, path, body, bodyLine)
	switch {
	case base == "" || d == nil:
	case !versionRE().MatchString(base):
		l.add(path, baseLine, "base %q must be a version number such as \"2.0\"", base)
	case d.Version(base) == nil:
		nums := make([]string, len(d.Versions))
		for i, v := range d.Versions {
			nums[i] = v.Number
		}
		l.add(path, baseLine, "base version %q of %s does not exist (its versions are %s)", base, d.ID, strings.Join(nums, ", "))
	default:
		lt.Base = d.Version(base)
	}
	if lt.Doc == nil || lt.Base == nil {
		return nil
	}
	return lt
}
