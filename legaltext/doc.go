// Package legaltext turns one version of a legal document (Markdown, or plain text) into a
// tree of clauses with their applicability, cross-references and defined terms, and renders
// it as HTML. It knows nothing of corpora or servers: the caller resolves references and terms
// through the Linker it passes to Render.
package legaltext

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Kind says what a Node is.
type Kind int

const (
	// KindHeading is a heading; with an explicit id it is a part ("H1").
	KindHeading Kind = iota
	// KindClause is a numbered clause ("**H1.1** ...") with the blocks that follow it.
	KindClause
	// KindBlock is any other top-level block (an introduction, a paragraph of text that
	// follows none of our conventions).
	KindBlock
)

func (k Kind) String() string {
	switch k {
	case KindHeading:
		return "heading"
	case KindClause:
		return "clause"
	default:
		return "block"
	}
}

// Doc is one parsed version. Nodes partition the body: every byte of the input belongs to
// exactly one node's Source, in order.
type Doc struct {
	// Title is the text of a leading level-1 heading without an id, if any.
	Title       string
	Nodes       []*Node
	Definitions []Definition
	// Problems found while parsing (duplicate ids, malformed attributes), with lines.
	Problems []Problem

	src []byte // the input while the syntax tree is held (nil once compacted)
	// text is the input as a string; the nodes' Source strings are slices of it, so the text
	// is held once.
	text   string
	root   ast.Node
	blocks []ast.Node // top-level AST blocks, in order
	plain  bool       // parsed from plain text: no AST
	scheme *Scheme    // how the units are numbered
}

// Scheme is the numbering scheme the document was parsed with.
func (d *Doc) Scheme() *Scheme {
	if d.scheme == nil {
		return SEC()
	}
	return d.scheme
}

// Node is a heading, a clause or another block.
type Node struct {
	Kind Kind
	// ID is the anchor of the node: the clause number ("H1.1"), the part id ("H1"), or a
	// generated id for other headings and blocks ("h-summary", "p-12").
	ID string
	// Explicit is true when the id was written by the author (clause number or {#id}).
	Explicit bool
	// Level is the heading level (1-6), 0 for other nodes.
	Level int
	// Title is a heading's text without its number ("User Entry Process"); Number its
	// leading number if any ("H1").
	Title, Number string
	// Path is the text of the enclosing headings, outermost first (the document title excluded).
	Path []string
	// Part is the id of the nearest enclosing heading with an explicit id.
	Part string
	// Parties is the applicability after inheritance; nil means the caller's default applies.
	Parties []string
	// PartiesSet is true when this node itself carries a parties attribute.
	PartiesSet bool
	// Roles are the User Roles the node applies to, inherited like Parties; nil means the
	// node is not limited to any User Role.
	Roles []string
	// RolesSet is true when this node itself carries a roles attribute.
	RolesSet bool
	// Text is the plain text of the node, blocks separated by a blank line.
	Text string
	// Source is the exact Markdown of the node.
	Source string
	// Line is the 1-based line of the node in the parsed input.
	Line int
	// Refs are the cross-references found in the node's text.
	Refs []Ref
	// Duties is the clause's duties attribute as written ("dcc:obligation", "none"): an
	// override of what the duty reader finds, checked by the corpus.
	Duties string
	// DutiesSet is true when the clause carries a duties attribute.
	DutiesSet bool
	// SubIDs are the permalinks of the node's lettered sub-paragraphs ("H1.10(d)").
	SubIDs []string
	// Units are the citable units inside a clause of a scheme other than the SEC's ("§ 14a
	// (2)", "§ 14a (2) 3."), in order; their ids are also in SubIDs.
	Units []Unit

	blocks []int // indexes into Doc.blocks
}

// Definition is a defined term and where it is defined.
type Definition struct {
	Term string
	// Anchor is the element id of the definition ("term-applicant" or a clause id).
	Anchor string
	// Clause is the id of the node holding the definition.
	Clause string
	// Meaning is the plain text of the definition (table form only).
	Meaning string
	Line    int
}

// Problem is something wrong in the input, at a 1-based line.
type Problem struct {
	Line int
	Msg  string
}

// Compact drops the Markdown syntax tree, which costs many times the size of the text, and
// keeps the nodes. Render parses the source again when it needs the tree: a corpus of
// thousands of versions is held as text, and rendered (and cached) only when a page is read.
func (d *Doc) Compact() {
	d.root, d.blocks, d.src = nil, nil, nil
}

// Clauses returns the numbered clauses in order.
func (d *Doc) Clauses() []*Node {
	var out []*Node
	for _, n := range d.Nodes {
		if n.Kind == KindClause {
			out = append(out, n)
		}
	}
	return out
}

// Node returns the node with the given id, or nil.
func (d *Doc) Node(id string) *Node {
	for _, n := range d.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// HasAnchor reports whether id is a node id or a sub-paragraph id in this document.
func (d *Doc) HasAnchor(id string) bool {
	for _, n := range d.Nodes {
		if n.ID == id {
			return true
		}
		for _, s := range n.SubIDs {
			if s == id {
				return true
			}
		}
	}
	return false
}

// Text returns the plain text of the whole document.
func (d *Doc) Text() string {
	parts := make([]string, 0, len(d.Nodes))
	for _, n := range d.Nodes {
		parts = append(parts, n.Text)
	}
	return strings.Join(parts, "\n\n")
}

// Source returns the input the document was parsed from.
func (d *Doc) Source() string { return d.text }

// AppliesTo reports whether the node applies to party category p, given the document default
// def (used when the node inherits nothing). "all" matches every category.
func (n *Node) AppliesTo(p string, def []string) bool {
	ps := n.Parties
	if ps == nil {
		ps = def
	}
	for _, q := range ps {
		if q == p || q == "all" {
			return true
		}
	}
	return false
}

// AppliesToRole reports whether the node applies to User Role r: a node without roles applies
// to every role, and "all" matches every role.
func (n *Node) AppliesToRole(r string) bool {
	if n.Roles == nil {
		return true
	}
	for _, q := range n.Roles {
		if q == r || q == "all" {
			return true
		}
	}
	return false
}
