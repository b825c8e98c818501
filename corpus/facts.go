package corpus

import (
	"strings"

	"codenav/legaltext"
)

// A version's facts are what the code needs to know of it without its text: which anchors
// (clause, part and sub-paragraph ids) it has, to resolve cross-references, and which terms
// it defines. They are read when the version is parsed (or from a snapshot, see Open) and
// kept for every version; the text itself is read when needed (see trees.go).

// HasAnchor reports whether id is the id of a node or sub-paragraph of the version.
func (v *Version) HasAnchor(id string) bool {
	if v.Doc == nil || v.Doc.anchors == nil {
		return v.Tree().HasAnchor(id)
	}
	bits := v.Doc.anchors[id]
	i := v.index
	return i/64 < len(bits) && bits[i/64]&(1<<(i%64)) != 0
}

// Definitions returns the terms the version defines.
func (v *Version) Definitions() []legaltext.Definition {
	if v.Doc == nil || v.Doc.anchors == nil {
		return v.Tree().Definitions
	}
	return v.defs
}

// setFacts records the facts of v's parsed text while the document is read; indexAnchors
// turns them into the document's anchor table once its versions are in order.
func (v *Version) setFacts(t *legaltext.Doc) {
	ids := make([]string, 0, len(t.Nodes))
	for _, n := range t.Nodes {
		if n.ID != "" {
			ids = append(ids, strings.Clone(n.ID))
		}
		for _, s := range n.SubIDs {
			ids = append(ids, strings.Clone(s))
		}
	}
	v.anchorIDs = ids
	v.defs = cloneDefs(t.Definitions)
}

// cloneDefs copies definitions so that they do not keep the parsed text they were cut from
// in memory.
func cloneDefs(defs []legaltext.Definition) []legaltext.Definition {
	if len(defs) == 0 {
		return nil
	}
	out := make([]legaltext.Definition, len(defs))
	for i, d := range defs {
		out[i] = legaltext.Definition{Term: strings.Clone(d.Term), Anchor: strings.Clone(d.Anchor),
			Clause: strings.Clone(d.Clause), Meaning: strings.Clone(d.Meaning), Line: d.Line}
	}
	return out
}

// indexAnchors numbers d's versions in order and builds its anchor table: for each anchor,
// a bit per version that has it. Most anchors are in most versions, so this holds each id
// once instead of once per version.
func (d *Document) indexAnchors() {
	words := (len(d.Versions) + 63) / 64
	d.anchors = map[string][]uint64{}
	for i, v := range d.Versions {
		v.index = i
		for _, id := range v.anchorIDs {
			bits := d.anchors[id]
			if bits == nil {
				bits = make([]uint64, words)
				d.anchors[id] = bits
			}
			bits[i/64] |= 1 << (i % 64)
		}
		v.anchorIDs = nil
	}
}

// refCheck is a cross-reference kept for validation once every document is read: only its
// words and line, not the text it was found in.
type refCheck struct {
	v    *Version
	refs []legaltext.Ref
}

// refsOf copies the cross-references of t for validation.
func refsOf(t *legaltext.Doc) []legaltext.Ref {
	var out []legaltext.Ref
	for _, n := range t.Nodes {
		for _, r := range n.Refs {
			out = append(out, legaltext.Ref{Kind: r.Kind, Text: strings.Clone(r.Text), Label: strings.Clone(r.Label),
				Prefix: strings.Clone(r.Prefix), ID: strings.Clone(r.ID), Sub: strings.Clone(r.Sub), Line: r.Line})
		}
	}
	return out
}

// dutyCheck is a duties attribute kept for validation once every definition is known.
type dutyCheck struct {
	v      *Version
	clause string
	duties string
	line   int
}

func dutiesOf(v *Version, t *legaltext.Doc) []dutyCheck {
	var out []dutyCheck
	for _, n := range t.Nodes {
		if n.DutiesSet {
			out = append(out, dutyCheck{v: v, clause: strings.Clone(n.ID), duties: strings.Clone(n.Duties), line: n.Line})
		}
	}
	return out
}
