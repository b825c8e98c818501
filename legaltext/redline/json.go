package redline

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// JSONFormat names the version of the JSON form, written in its "format" field.
const JSONFormat = "codenav-redline/1"

// jsonRedline is the JSON form; see WriteJSON.
type jsonRedline struct {
	Format  string      `json:"format"`
	Summary jsonSummary `json:"summary"`
	Changes []jsonItem  `json:"changes"`
	Blocks  []jsonBlock `json:"blocks"`
}

type jsonSummary struct {
	Clauses jsonCounts `json:"clauses"`
	Blocks  jsonCounts `json:"blocks"`
	Changes jsonCounts `json:"changes"`
}

type jsonItem struct {
	Change int    `json:"change"`
	Line   int    `json:"line,omitempty"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Term   string `json:"term,omitempty"`
	Anchor string `json:"anchor"`
}

type jsonCounts struct {
	Added      int `json:"added"`
	Deleted    int `json:"deleted"`
	Changed    int `json:"changed"`
	Moved      int `json:"moved"`
	Renumbered int `json:"renumbered"`
	Unchanged  int `json:"unchanged"`
}

type jsonBlock struct {
	Change  int        `json:"change,omitempty"`
	Kind    string     `json:"kind"`
	OldID   string     `json:"old_id,omitempty"`
	NewID   string     `json:"new_id,omitempty"`
	Node    string     `json:"node"`
	Level   int        `json:"level,omitempty"`
	Wording bool       `json:"wording"`
	Pair    int        `json:"pair,omitempty"`
	Where   []string   `json:"where,omitempty"`
	Spans   []string   `json:"spans,omitempty"`
	Lines   []jsonLine `json:"lines"`
	Diff    []jsonLine `json:"diff,omitempty"`
}

type jsonLine struct {
	Kind  string   `json:"kind"`
	Style string   `json:"style"`
	Level int      `json:"level,omitempty"`
	Unit  string   `json:"unit,omitempty"`
	Depth int      `json:"depth,omitempty"`
	Ops   []jsonOp `json:"ops"`
}

type jsonOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

func counts(c Counts) jsonCounts {
	return jsonCounts(c)
}

func jsonLines(ls []Line) []jsonLine {
	if ls == nil {
		return nil
	}
	out := make([]jsonLine, 0, len(ls))
	for _, l := range ls {
		jl := jsonLine{Kind: l.Kind.String(), Style: l.Style.String(), Level: l.Level, Unit: l.Unit, Depth: l.Depth, Ops: make([]jsonOp, 0, len(l.Ops))}
		for _, op := range l.Ops {
			jl.Ops = append(jl.Ops, jsonOp{Op: op.Kind.String(), Text: op.Text})
		}
		out = append(out, jl)
	}
	return out
}

// MarshalJSON writes the documented JSON form, so that a Redline can be handed to any JSON
// encoder (an API handler) as it is.
func (r *Redline) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.jsonValue())
}

func (r *Redline) jsonValue() jsonRedline {
	out := jsonRedline{
		Format:  JSONFormat,
		Summary: jsonSummary{Clauses: counts(r.Summary.Clauses), Blocks: counts(r.Summary.Blocks), Changes: counts(r.Summary.Changes)},
		Changes: []jsonItem{},
		Blocks:  make([]jsonBlock, 0, len(r.Blocks)),
	}
	for _, it := range r.Items() {
		out.Changes = append(out.Changes, jsonItem{Change: it.Change, Line: it.Line, Kind: it.Kind.String(), Label: it.Label, Term: it.Term, Anchor: it.Anchor()})
	}
	for _, b := range r.Blocks {
		jb := jsonBlock{
			Change: b.Change, Kind: b.Kind.String(), OldID: b.OldID, NewID: b.NewID,
			Node: b.Node.String(), Level: b.Level, Wording: b.Wording, Pair: b.Pair, Where: b.Where, Spans: b.Spans,
			Lines: jsonLines(b.Lines), Diff: jsonLines(b.Diff),
		}
		if jb.Lines == nil {
			jb.Lines = []jsonLine{}
		}
		out.Blocks = append(out.Blocks, jb)
	}
	return out
}

// WriteJSON writes the redline in its JSON form, indented. Field names are stable; new
// fields may be added:
//
//	{
//	  "format": "codenav-redline/1",
//	  "summary": {"clauses": COUNTS, "blocks": COUNTS, "changes": COUNTS},
//	  "changes": [CHANGE, ...],               // the changes as a reader counts them, in order
//	  "blocks": [BLOCK, ...]                  // in the order of the new version
//	}
//	COUNTS = {"added", "deleted", "changed", "moved", "renumbered", "unchanged": int}
//	         // "changes" counts the CHANGEs (a moved clause once); its "unchanged" is the
//	         // clauses unchanged (the blocks, when the text has no clauses)
//	CHANGE = {
//	  "change": int,        // the number of the block it is in
//	  "line": int,          // a table row changed in a changed clause: its line in the block, from 1;
//	                        // each such row (a definition of Section A1.1) is a change of its own
//	  "kind": "inserted" | "deleted" | "changed" | "renumbered" | "moved" | "moved-away",
//	  "label": string,      // the block's id ("A1.1"), or its first words
//	  "term": string,       // a row: its first cell, the expression a definition defines
//	  "anchor": string      // its id in the HTML redline ("rl-c3", "rl-c3-r5")
//	}
//	BLOCK  = {
//	  "change": int,        // 1, 2, ... for each block that is not "equal"; absent otherwise
//	  "kind": "equal" | "inserted" | "deleted" | "changed" | "renumbered" | "moved" | "moved-away",
//	  "old_id", "new_id": string,             // author-written ids ("H14.6"), when there are
//	  "node": "heading" | "clause" | "block",
//	  "level": int,                           // heading level
//	  "wording": bool,                        // the words changed (not just layout)
//	  "pair": int,                            // moved / moved-away: the change number of the other half
//	  "where": [string, ...],                 // the units changed ("§ 14a (2)"), numbering other than the SEC's
//	  "spans": [string, ...],                 // a passage restructured across nodes: their ids
//	  "lines": [LINE, ...],                   // the text, obeying the law below
//	  "diff": [LINE, ...]                     // moved only: changes against the old text, for display
//	}
//	LINE = {"kind": "equal" | "inserted" | "deleted" | "changed",
//	        "style": "paragraph" | "heading" | "item" | "row", "level": int,
//	        "unit": string,                   // the unit the paragraph is in ("§ 14a (2) 3."), if any
//	        "depth": number,                  // that unit's depth under its clause (1 for "(2)"), if any
//	        "ops": [{"op": "equal" | "insert" | "delete", "text": string}, ...]}
//
// The law: joining, line by line, the text of the "equal" and "insert" ops of every
// block's "lines" gives the new version; "equal" and "delete" ops give the old one.
func WriteJSON(w io.Writer, r *Redline) error {
	// Written by hand, byte for byte what encoding/json's Encoder with SetIndent("", "  ")
	// writes for jsonValue (the tests hold it to that): the encoder marshals and then
	// re-scans its whole output to indent it, five times the work on a large redline.
	j := &jsonWriter{w: w, b: make([]byte, 0, 64<<10)}
	j.redline(r)
	j.b = append(j.b, '\n')
	j.flush()
	if j.err != nil {
		return fmt.Errorf("write json redline: %w", j.err)
	}
	return nil
}

// jsonWriter writes the indented JSON form, flushing to w as its buffer fills.
type jsonWriter struct {
	w   io.Writer
	b   []byte
	err error
}

func (j *jsonWriter) flush() {
	if j.err == nil && len(j.b) > 0 {
		_, j.err = j.w.Write(j.b)
	}
	j.b = j.b[:0]
}

// field starts the field name of an object at depth: the comma after the previous field,
// a new line, the indentation and the quoted name.
func (j *jsonWriter) field(depth int, first bool, name string) {
	if !first {
		j.b = append(j.b, ',')
	}
	j.newline(depth)
	j.b = append(j.b, '"')
	j.b = append(j.b, name...)
	j.b = append(j.b, '"', ':', ' ')
}

func (j *jsonWriter) newline(depth int) {
	j.b = append(j.b, '\n')
	for range depth {
		j.b = append(j.b, ' ', ' ')
	}
}

func (j *jsonWriter) intField(depth int, first bool, name string, v int) {
	j.field(depth, first, name)
	j.b = strconv.AppendInt(j.b, int64(v), 10)
}

func (j *jsonWriter) stringField(depth int, first bool, name, v string) {
	j.field(depth, first, name)
	j.b = appendJSONString(j.b, v)
}

func (j *jsonWriter) redline(r *Redline) {
	j.b = append(j.b, '{')
	j.stringField(1, true, "format", JSONFormat)
	j.field(1, false, "summary")
	j.b = append(j.b, '{')
	j.field(2, true, "clauses")
	j.counts(3, r.Summary.Clauses)
	j.field(2, false, "blocks")
	j.counts(3, r.Summary.Blocks)
	j.field(2, false, "changes")
	j.counts(3, r.Summary.Changes)
	j.newline(1)
	j.b = append(j.b, '}')
	j.field(1, false, "changes")
	j.items(r)
	j.field(1, false, "blocks")
	if len(r.Blocks) == 0 {
		j.b = append(j.b, '[', ']')
	} else {
		j.b = append(j.b, '[')
		for k, b := range r.Blocks {
			if k > 0 {
				j.b = append(j.b, ',')
			}
			j.newline(2)
			j.block(3, b)
			if len(j.b) >= 32<<10 {
				j.flush()
			}
		}
		j.newline(1)
		j.b = append(j.b, ']')
	}
	j.newline(0)
	j.b = append(j.b, '}')
}

// items writes the "changes" list: Items, block by block, without building it.
func (j *jsonWriter) items(r *Redline) {
	n := 0
	for _, b := range r.Blocks {
		if b.Kind == ChangeEqual {
			continue
		}
		label := ""
		eachItem(b, func(line int, kind Change, row Line) {
			if label == "" {
				if label = b.label(); label == "" {
					label = firstWords(b, 8)
				}
			}
			if n == 0 {
				j.b = append(j.b, '[')
			} else {
				j.b = append(j.b, ',')
			}
			n++
			j.newline(2)
			j.b = append(j.b, '{')
			j.intField(3, true, "change", b.Change)
			if line != 0 {
				j.intField(3, false, "line", line)
			}
			j.stringField(3, false, "kind", kind.String())
			j.stringField(3, false, "label", label)
			if line != 0 {
				if term := rowTerm(row); term != "" {
					j.stringField(3, false, "term", term)
				}
			}
			j.stringField(3, false, "anchor", Item{Change: b.Change, Line: line}.Anchor())
			j.newline(2)
			j.b = append(j.b, '}')
		})
		if len(j.b) >= 32<<10 {
			j.flush()
		}
	}
	if n == 0 {
		j.b = append(j.b, '[', ']')
		return
	}
	j.newline(1)
	j.b = append(j.b, ']')
}

func (j *jsonWriter) counts(depth int, c Counts) {
	j.b = append(j.b, '{')
	j.intField(depth, true, "added", c.Added)
	j.intField(depth, false, "deleted", c.Deleted)
	j.intField(depth, false, "changed", c.Changed)
	j.intField(depth, false, "moved", c.Moved)
	j.intField(depth, false, "renumbered", c.Renumbered)
	j.intField(depth, false, "unchanged", c.Unchanged)
	j.newline(depth - 1)
	j.b = append(j.b, '}')
}

// block writes a jsonBlock's fields, those with omitempty only when they are set.
func (j *jsonWriter) block(depth int, b Block) {
	j.b = append(j.b, '{')
	first := true
	if b.Change != 0 {
		j.intField(depth, first, "change", b.Change)
		first = false
	}
	j.stringField(depth, first, "kind", b.Kind.String())
	if b.OldID != "" {
		j.stringField(depth, false, "old_id", b.OldID)
	}
	if b.NewID != "" {
		j.stringField(depth, false, "new_id", b.NewID)
	}
	j.stringField(depth, false, "node", b.Node.String())
	if b.Level != 0 {
		j.intField(depth, false, "level", b.Level)
	}
	j.field(depth, false, "wording")
	j.b = strconv.AppendBool(j.b, b.Wording)
	if b.Pair != 0 {
		j.intField(depth, false, "pair", b.Pair)
	}
	j.stringList(depth, "where", b.Where)
	j.stringList(depth, "spans", b.Spans)
	j.field(depth, false, "lines")
	j.lines(depth, b.Lines)
	if len(b.Diff) > 0 {
		j.field(depth, false, "diff")
		j.lines(depth, b.Diff)
	}
	j.newline(depth - 1)
	j.b = append(j.b, '}')
}

// stringList writes a field holding a list of strings, if the list has any.
func (j *jsonWriter) stringList(depth int, name string, list []string) {
	if len(list) == 0 {
		return
	}
	j.field(depth, false, name)
	j.b = append(j.b, '[')
	for k, w := range list {
		if k > 0 {
			j.b = append(j.b, ',')
		}
		j.newline(depth + 1)
		j.b = appendJSONString(j.b, w)
	}
	j.newline(depth)
	j.b = append(j.b, ']')
}

// lines writes an array of lines whose opening bracket is at depth-1.
func (j *jsonWriter) lines(depth int, ls []Line) {
	if len(ls) == 0 {
		j.b = append(j.b, '[', ']')
		return
	}
	j.b = append(j.b, '[')
	for k, l := range ls {
		if k > 0 {
			j.b = append(j.b, ',')
		}
		j.newline(depth + 1)
		j.b = append(j.b, '{')
		j.stringField(depth+2, true, "kind", l.Kind.String())
		j.stringField(depth+2, false, "style", l.Style.String())
		if l.Level != 0 {
			j.intField(depth+2, false, "level", l.Level)
		}
		if l.Unit != "" {
			j.stringField(depth+2, false, "unit", l.Unit)
		}
		if l.Depth != 0 {
			j.intField(depth+2, false, "depth", l.Depth)
		}
		j.field(depth+2, false, "ops")
		if len(l.Ops) == 0 {
			j.b = append(j.b, '[', ']')
		} else {
			j.b = append(j.b, '[')
			for m, op := range l.Ops {
				if m > 0 {
					j.b = append(j.b, ',')
				}
				j.newline(depth + 3)
				j.b = append(j.b, '{')
				j.stringField(depth+4, true, "op", op.Kind.String())
				j.stringField(depth+4, false, "text", op.Text)
				j.newline(depth + 3)
				j.b = append(j.b, '}')
			}
			j.newline(depth + 2)
			j.b = append(j.b, ']')
		}
		j.newline(depth + 1)
		j.b = append(j.b, '}')
	}
	j.newline(depth)
	j.b = append(j.b, ']')
}

// appendJSONString appends s quoted as encoding/json quotes a string (HTML-safe, as its
// Encoder does by default): <, > and & as \u003c, \u003e and \u0026, control characters
// escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
