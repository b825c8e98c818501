package redline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// JSONFormat names the version of the JSON form, written in its "format" field.
const JSONFormat = "codenav-redline/1"

// jsonRedline is the JSON form; see WriteJSON.
type jsonRedline struct {
	Format  string      `json:"format"`
	Summary jsonSummary `json:"summary"`
	Blocks  []jsonBlock `json:"blocks"`
}

type jsonSummary struct {
	Clauses jsonCounts `json:"clauses"`
	Blocks  jsonCounts `json:"blocks"`
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
	Lines   []jsonLine `json:"lines"`
	Diff    []jsonLine `json:"diff,omitempty"`
}

type jsonLine struct {
	Kind  string   `json:"kind"`
	Style string   `json:"style"`
	Level int      `json:"level,omitempty"`
	Ops   []jsonOp `json:"ops"`
}

type jsonOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

func counts(c Counts) jsonCounts {
	return jsonCounts{c.Added, c.Deleted, c.Changed, c.Moved, c.Renumbered, c.Unchanged}
}

func jsonLines(ls []Line) []jsonLine {
	if ls == nil {
		return nil
	}
	out := make([]jsonLine, 0, len(ls))
	for _, l := range ls {
		jl := jsonLine{Kind: l.Kind.String(), Style: l.Style.String(), Level: l.Level, Ops: make([]jsonOp, 0, len(l.Ops))}
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
		Summary: jsonSummary{Clauses: counts(r.Summary.Clauses), Blocks: counts(r.Summary.Blocks)},
		Blocks:  make([]jsonBlock, 0, len(r.Blocks)),
	}
	for _, b := range r.Blocks {
		jb := jsonBlock{
			Change: b.Change, Kind: b.Kind.String(), OldID: b.OldID, NewID: b.NewID,
			Node: b.Node.String(), Level: b.Level, Wording: b.Wording, Pair: b.Pair,
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
//	  "summary": {"clauses": COUNTS, "blocks": COUNTS},
//	  "blocks": [BLOCK, ...]                  // in the order of the new version
//	}
//	COUNTS = {"added", "deleted", "changed", "moved", "renumbered", "unchanged": int}
//	BLOCK  = {
//	  "change": int,        // 1, 2, ... for each block that is not "equal"; absent otherwise
//	  "kind": "equal" | "inserted" | "deleted" | "changed" | "renumbered" | "moved" | "moved-away",
//	  "old_id", "new_id": string,             // author-written ids ("H14.6"), when there are
//	  "node": "heading" | "clause" | "block",
//	  "level": int,                           // heading level
//	  "wording": bool,                        // the words changed (not just layout)
//	  "pair": int,                            // moved / moved-away: the change number of the other half
//	  "lines": [LINE, ...],                   // the text, obeying the law below
//	  "diff": [LINE, ...]                     // moved only: changes against the old text, for display
//	}
//	LINE = {"kind": "equal" | "inserted" | "deleted" | "changed",
//	        "style": "paragraph" | "heading" | "item" | "row", "level": int,
//	        "ops": [{"op": "equal" | "insert" | "delete", "text": string}, ...]}
//
// The law: joining, line by line, the text of the "equal" and "insert" ops of every
// block's "lines" gives the new version; "equal" and "delete" ops give the old one.
func WriteJSON(w io.Writer, r *Redline) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	// Encoding the plain value, not the Redline, spares the encoder re-indenting the output
	// of MarshalJSON.
	if err := enc.Encode(r.jsonValue()); err != nil {
		return fmt.Errorf("write json redline: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json redline: %w", err)
	}
	return nil
}
