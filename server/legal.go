package server

import (
	"bytes"
	"html/template"

	"codenav/corpus"
	"codenav/legaltext"
	"codenav/legaltext/merge"
	"codenav/legaltext/redline"
)

// legalView is a modification's proposed text of one document, as its page shows it: the
// redline against the base it was drafted on, and, when that base is no longer the latest
// version, the redline of the text rebased (by a three-way merge) onto the latest, with any
// conflicts.
type legalView struct {
	LT        *corpus.LegalText
	Redline   template.HTML
	Summary   redline.Summary
	Latest    *corpus.Version
	Rebased   template.HTML
	Conflicts []merge.Conflict
	// Views are the conflicts word by word: what the latest version and the modification
	// each changed from the base.
	Views []conflictView
}

func (s *Server) legalTextViews(v *corpus.View, m *corpus.Modification) ([]legalView, error) {
	var out []legalView
	for _, lt := range v.LegalTexts(m) {
		r := redline.Compare(lt.Base.Tree(), lt.Tree)
		var buf bytes.Buffer
		if err := redline.WriteHTML(&buf, r, redline.HTMLOptions{ChangesOnly: true, Context: 1, IDPrefix: lt.Doc.ID + "-"}); err != nil {
			return nil, err
		}
		lv := legalView{LT: lt, Redline: template.HTML(buf.String()), Summary: r.Summary}
		// The latest version, not today's: it is what the release build merges onto.
		if latest := lt.Doc.Latest(); latest != lt.Base {
			res := lt.Rebase(latest)
			lv.Latest, lv.Conflicts = latest, res.Conflicts
			for i, k := range res.Conflicts {
				lv.Views = append(lv.Views, conflictView{N: i, C: k,
					Latest: s.wordDiff(&legaltext.Node{Source: k.Base}, &legaltext.Node{Source: k.Ours, ID: k.Clause}, lt.Doc.Numbering),
					Mine:   s.wordDiff(&legaltext.Node{Source: k.Base}, &legaltext.Node{Source: k.Theirs, ID: k.Clause}, lt.Doc.Numbering)})
			}
			buf.Reset()
			if err := redline.WriteHTML(&buf, redline.Compare(latest.Tree(), res.Doc), redline.HTMLOptions{ChangesOnly: true, Context: 1, IDPrefix: lt.Doc.ID + "-rebased-"}); err != nil {
				return nil, err
			}
			lv.Rebased = template.HTML(buf.String())
		}
		out = append(out, lv)
	}
	return out, nil
}
