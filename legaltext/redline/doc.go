// Package redline compares two versions of a legal document and renders the comparison as
// HTML, JSON and Word (DOCX) with real tracked changes.
//
// Compare works structurally first. Clauses and parts with author-written ids are paired by
// id (a clause that moved is shown as moved), and a clause whose id disappeared while its
// text reappeared under another id is shown as renumbered. Everything else (all of a document
// that follows none of our conventions) is aligned by its sequence of paragraphs: identical
// ones by a longest common subsequence, similar ones by similarity of their words. Inside
// each pair, paragraphs (sub-paragraphs, table rows, cells) are diffed word by word with
// go-diff on tokens mapped to runes, then cleaned up semantically. Whitespace, line wrapping,
// list markers and ordered-list numbers are layout, not wording.
//
// The result is one Redline value; WriteHTML, WriteJSON and WriteDOCX render it. All of them
// keep one law: accepting every change gives the new text, rejecting every change gives the
// old text, word for word (whitespace normalised). Redline.AcceptAll and Redline.RejectAll
// spell both texts out.
//
// The work is bounded so that documents of megabytes stay fast: similarity between unpaired
// clauses is computed only within a window of positions once there are many of them, and
// the dynamic programme over unmatched paragraphs runs on chunks along the diagonal.
package redline
