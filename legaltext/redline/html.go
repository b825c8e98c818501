package redline

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// HTMLOptions choose what WriteHTML shows.
type HTMLOptions struct {
	// ChangesOnly shows the changed blocks only, each with Context unchanged blocks before
	// and after it; the full text is shown otherwise.
	ChangesOnly bool
	Context     int
	// Standalone wraps the redline in a complete page carrying StyleSheet; otherwise it is a
	// fragment for a page that includes the style sheet itself.
	Standalone bool
	// Title heads a standalone page ("Section H: 1.0 → 2.0").
	Title string
	// IDPrefix starts every id the redline writes (its change anchors), so that several
	// redlines on one page (a release, a modification) have ids of their own.
	IDPrefix string
}

// StyleSheet is the CSS the HTML redline needs. Inserted text is underlined and deleted text
// struck through, whatever the colours: colour is never the only signal, and a screen reader
// hears "[inserted: …]" and "[deleted: …]" from text that is hidden only visually.
const StyleSheet = `.redline{font-family:Georgia,serif;line-height:1.5;max-width:48rem}
.redline ins{text-decoration:underline;text-decoration-thickness:2px;background:#e6f4ea;color:inherit}
.redline del{text-decoration:line-through;text-decoration-thickness:2px;background:#fde8e7;color:inherit}
.redline ins.rl-move{text-decoration:none;background:none;display:block;border-left:4px double #1a7f37;padding-left:.5rem}
.redline del.rl-move{display:block;border-left:4px dotted #b42318;padding-left:.5rem}
.redline .rl-sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.redline .rl-block{margin:0 0 1rem}
.redline .rl-note{font-family:system-ui,sans-serif;font-size:.85rem;color:#444;margin:.25rem 0}
.redline .rl-item{margin-left:2rem}
.redline .rl-d2{margin-left:2rem}.redline .rl-d3{margin-left:4rem}.redline .rl-d4{margin-left:6rem}.redline .rl-d5{margin-left:8rem}
.redline .rl-row{font-family:system-ui,sans-serif;font-size:.9rem;border-bottom:1px solid #ddd;margin:0;padding:.15rem 0}
.redline .rl-adj{margin-left:.35em;border-left:1px dotted currentColor;padding-left:.15em}
.redline table.rl-table{border-collapse:collapse;margin:.5rem 0}
.redline .rl-table td{border:1px solid #bbb;padding:.2rem .4rem;vertical-align:top}
.redline tr.rl-row-ins td{border-left:3px solid #1a7f37}
.redline tr.rl-row-del td{border-left:3px solid #b42318}
.redline .rl-changed,.redline .rl-inserted,.redline .rl-deleted,.redline .rl-renumbered,.redline .rl-moved,.redline .rl-moved-away{border-left:3px solid #888;padding-left:.75rem}
.redline .rl-skip{font-style:italic}
.redline .rl-legend{border:1px solid #ccc;padding:.5rem .75rem;font-family:system-ui,sans-serif;font-size:.9rem}
@media print{.redline ins,.redline del{background:none}.redline .rl-toc a{color:inherit;text-decoration:none}}
`

// WriteHTML renders the redline as HTML: a legend, a summary, a list of the changes linked
// to each of them, and the text. The document's own words are inside the element of class
// "rl-doc"; everything else there (notes, hidden "[inserted: " markers) carries the class
// "rl-note" or "rl-sr", so that a reader program can tell annotation from text.
func WriteHTML(w io.Writer, r *Redline, o HTMLOptions) error {
	bw := bufio.NewWriter(w)
	h := &htmlWriter{w: bw, o: o}
	if o.Standalone {
		title := o.Title
		if title == "" {
			title = "Redline"
		}
		h.printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"+
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main class=\"redline\">\n<h1>%s</h1>\n",
			esc(title), StyleSheet, esc(title))
	} else {
		h.s("<div class=\"redline\">\n")
	}
	h.legend()
	h.summary(r.Summary)
	h.toc(r)
	h.s("<div class=\"rl-doc\">\n")
	show := visible(r, o)
	skipped := 0
	for k, b := range r.Blocks {
		if !show[k] {
			skipped++
			continue
		}
		if skipped > 0 {
			h.skip(skipped)
			skipped = 0
		}
		h.block(b)
	}
	if skipped > 0 {
		h.skip(skipped)
	}
	h.s("</div>\n")
	if o.Standalone {
		h.s("</main>\n</body>\n</html>\n")
	} else {
		h.s("</div>\n")
	}
	if h.err != nil {
		return fmt.Errorf("write html redline: %w", h.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write html redline: %w", err)
	}
	return nil
}

// visible marks the blocks to show: all of them, or the changes and their context.
func visible(r *Redline, o HTMLOptions) []bool {
	show := make([]bool, len(r.Blocks))
	for k, b := range r.Blocks {
		if !o.ChangesOnly {
			show[k] = true
			continue
		}
		if b.Kind == ChangeEqual {
			continue
		}
		for c := max(0, k-o.Context); c <= min(len(r.Blocks)-1, k+o.Context); c++ {
			show[c] = true
		}
	}
	return show
}

type htmlWriter struct {
	w   *bufio.Writer
	o   HTMLOptions
	err error
}

func (h *htmlWriter) s(s string) {
	if h.err == nil {
		_, h.err = h.w.WriteString(s)
	}
}

func (h *htmlWriter) printf(format string, args ...any) {
	if h.err == nil {
		_, h.err = fmt.Fprintf(h.w, format, args...)
	}
}

func esc(s string) string { return html.EscapeString(s) }

// esc writes s escaped as esc(s) is, without making the escaped copy: the text of a large
// redline is megabytes, and nearly every paragraph has a quote or an apostrophe to escape.
func (h *htmlWriter) esc(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '"':
			r = "&#34;"
		default:
			continue
		}
		h.s(s[last:i])
		h.s(r)
		last = i + 1
	}
	h.s(s[last:])
}

func (h *htmlWriter) legend() {
	h.s(`<div class="rl-legend" role="note" aria-label="How to read this redline"><strong>Legend:</strong> ` +
		`<ins><span class="rl-sr">[inserted: </span>inserted text<span class="rl-sr">]</span></ins> is underlined; ` +
		`<del><span class="rl-sr">[deleted: </span>deleted text<span class="rl-sr">]</span></del> is struck through. ` +
		`A moved clause is shown struck through where it was and underlined where it now is, with its own changes. ` +
		`Changes of whitespace, line wrapping and list numbering only are not changes of wording.</div>` + "\n")
}

// summary counts the changes as the contents list them: a changed definition (a table row)
// is a change of its own, not part of one change to its clause.
func (h *htmlWriter) summary(s Summary) {
	what := "block"
	if s.Clauses.Total() > 0 {
		what = "clause"
	}
	c := s.Changes
	n := c.Total() - c.Unchanged
	h.printf(`<p class="rl-summary">%d %s: %d added, %d deleted, %d changed, %d moved, %d renumbered; %d %s unchanged.</p>`+"\n",
		n, plural(n, "change"), c.Added, c.Deleted, c.Changed, c.Moved, c.Renumbered, c.Unchanged, plural(c.Unchanged, what))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (h *htmlWriter) toc(r *Redline) {
	changes := r.Changes()
	if len(changes) == 0 {
		h.s("<p class=\"rl-toc\">No changes.</p>\n")
		return
	}
	// Counted as listed: a block, and each changed row of a changed clause on its own.
	n := 0
	for _, b := range changes {
		eachItem(b, func(int, Change, Line) { n++ })
	}
	h.printf("<nav class=\"rl-toc\" aria-label=\"Changes\">\n<h2>Changes (%d)</h2>\n<ol>\n", n)
	for _, b := range changes {
		h.printf("<li><a href=\"#%s\">%s</a>", h.anchor(b.Change), esc(describe(b)))
		h.rowChanges(b)
		h.s("</li>\n")
	}
	h.s("</ol>\n</nav>\n")
}

// rowChanges lists, under a change, each table row it changes (a definition of Section A is a
// row), so that a clause holding a long table is not one change to search through: the row
// changes of Items, which the summary and the JSON count alike.
func (h *htmlWriter) rowChanges(b Block) {
	open := false
	eachItem(b, func(line int, kind Change, row Line) {
		if line == 0 {
			return
		}
		if !open {
			h.s("<ol class=\"rl-rows\">")
			open = true
		}
		h.printf("<li><a href=\"#%s\">row %s: %s</a></li>", h.rowAnchor(b.Change, line-1), esc(clip(rowTerm(row), 60)), kind)
	})
	if open {
		h.s("</ol>")
	}
}

// rowChange says how a row line changed, if it did.
func rowChange(l Line) (string, bool) {
	if l.Style != StyleRow {
		return "", false
	}
	switch l.Kind {
	case ChangeInserted:
		return "inserted", true
	case ChangeDeleted:
		return "deleted", true
	}
	for _, op := range l.Ops {
		if op.Kind != OpEqual {
			return "changed", true
		}
	}
	return "", false
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (h *htmlWriter) rowAnchor(change, line int) string {
	return h.anchor(change) + "-r" + strconv.Itoa(line+1)
}

func (h *htmlWriter) anchor(n int) string { return h.o.IDPrefix + "rl-c" + strconv.Itoa(n) }

// describe names a change in words: "H14.6 → H14.5: renumbered, words changed".
func describe(b Block) string {
	label := b.label()
	if len(b.Where) > 0 {
		// A clause of a statute or a code: say where in it ("§ 14a (2), § 14a (3) 1.").
		label = strings.Join(b.Where, ", ")
		if b.OldID != "" && b.NewID != "" && b.OldID != b.NewID {
			label = b.label() + ": " + label
		}
	}
	if label == "" {
		label = firstWords(b, 8)
	}
	what := b.Kind.String()
	switch b.Kind {
	case ChangeRenumbered:
		if b.Wording && textChangedBeyondNumber(b) {
			what += ", words changed"
		}
	case ChangeMoved:
		what = "moved here"
		if b.Pair > 0 {
			what += " from change " + strconv.Itoa(b.Pair)
		}
		if b.Wording {
			what += ", words changed"
		}
	case ChangeMovedAway:
		what = "moved away"
		if b.Pair > 0 {
			what += " to change " + strconv.Itoa(b.Pair)
		}
	}
	return label + ": " + what
}

// textChangedBeyondNumber reports whether a renumbered block changed more than its number.
func textChangedBeyondNumber(b Block) bool {
	changed := 0
	for _, l := range b.Lines {
		for _, op := range l.Ops {
			if op.Kind != OpEqual {
				changed++
			}
		}
	}
	return changed > 2
}

// firstWords is the start of a block's text, to name a block that has no id.
func firstWords(b Block, n int) string {
	var words []string
	for _, l := range b.Lines {
		words = append(words, leadingWords(l, OpInsert, n+1-len(words))...)
		if len(words) == 0 {
			words = append(words, leadingWords(l, OpDelete, n+1)...)
		}
		if len(words) >= n {
			break
		}
	}
	if len(words) > n {
		return strings.Join(words[:n], " ") + "…"
	}
	return strings.Join(words, " ")
}

// leadingWords is the first need words of a line's text on one side (all of them when it
// has fewer), read from the start of the text only: the label of a long paragraph needs its
// first few words, not the whole paragraph built and split.
func leadingWords(l Line, keep OpKind, need int) []string {
	var b strings.Builder
	limit := 32 * max(need, 1)
	cut := false
	for _, op := range l.Ops {
		if op.Kind != OpEqual && op.Kind != keep {
			continue
		}
		if b.Len() >= limit {
			cut = true
			break
		}
		b.WriteString(op.Text)
	}
	words := strings.Fields(b.String())
	if !cut || b.Len() < limit {
		return words
	}
	if len(words) > 0 {
		words = words[:len(words)-1] // the last may be cut short
	}
	if len(words) >= need {
		return words[:need]
	}
	return strings.Fields(l.text(keep)) // long words or much space: read it all
}

func (h *htmlWriter) skip(n int) {
	noun := "blocks"
	if n == 1 {
		noun = "block"
	}
	h.printf("<p class=\"rl-note rl-skip\">… %d unchanged %s not shown …</p>\n", n, noun)
}

func (h *htmlWriter) block(b Block) {
	cls := "rl-block rl-" + b.Kind.String()
	if b.Change > 0 {
		h.printf("<section class=\"%s\" id=\"%s\" aria-label=\"Change %d: %s\">\n", cls, h.anchor(b.Change), b.Change, esc(describe(b)))
		note := fmt.Sprintf("Change %d · %s", b.Change, describe(b))
		switch {
		case b.Kind == ChangeMoved && b.Pair > 0:
			h.printf("<p class=\"rl-note\">%s · <a href=\"#%s\">where it was</a></p>\n", esc(note), h.anchor(b.Pair))
		case b.Kind == ChangeMovedAway && b.Pair > 0:
			h.printf("<p class=\"rl-note\">%s · <a href=\"#%s\">where it is now</a></p>\n", esc(note), h.anchor(b.Pair))
		default:
			h.printf("<p class=\"rl-note\">%s</p>\n", esc(note))
		}
	} else {
		h.printf("<section class=\"%s\">\n", cls)
	}
	switch b.Kind {
	case ChangeMoved:
		// The text arrived here: all of it is new at this place (rejecting the move removes
		// it), and its word changes against where it was are shown inside.
		h.s("<ins class=\"rl-move\"><span class=\"rl-sr\">[moved here: </span>\n")
		lines := b.Diff
		if lines == nil {
			lines = b.Lines
		}
		for _, l := range lines {
			h.line(l)
		}
		h.s("<span class=\"rl-sr\">]</span></ins>\n")
	case ChangeMovedAway:
		h.s("<del class=\"rl-move\"><span class=\"rl-sr\">[moved away: </span>\n")
		for _, l := range b.Lines {
			h.plainLine(l, OpDelete)
		}
		h.s("<span class=\"rl-sr\">]</span></del>\n")
	default:
		for i := 0; i < len(b.Lines); {
			if n := tableRun(b.Lines, i); n > 0 {
				h.table(b, i, n)
				i += n
				continue
			}
			h.line(b.Lines[i])
			i++
		}
	}
	h.s("</section>\n")
}

func (h *htmlWriter) open(l Line) string {
	tag := "p"
	cls := "rl-line"
	switch l.Style {
	case StyleHeading:
		tag = "h" + strconv.Itoa(min(max(l.Level, 1)+1, 6))
	case StyleItem:
		cls += " rl-item"
	case StyleRow:
		cls += " rl-row"
	}
	if l.Depth > 1 {
		cls += " rl-d" + strconv.Itoa(min(l.Depth, 5))
	}
	h.printf("<%s class=\"%s\">", tag, cls)
	return tag
}

// line writes one paragraph with its word changes.
func (h *htmlWriter) line(l Line) {
	tag := h.open(l)
	h.ops(l.Ops)
	h.s("</" + tag + ">\n")
}

// ops writes word changes.
func (h *htmlWriter) ops(ops []Op) {
	for i, op := range ops {
		// A deletion and an insertion that touch ("21.7.2010" replaced by "11.7.2012") get
		// a visible gap (class rl-adj), so that they do not read as one word on paper.
		adj := ""
		if i > 0 && op.Kind != OpEqual && ops[i-1].Kind != OpEqual && ops[i-1].Kind != op.Kind {
			adj = ` class="rl-adj"`
		}
		switch op.Kind {
		case OpInsert:
			h.s("<ins" + adj + "><span class=\"rl-sr\">[inserted: </span>")
			h.esc(op.Text)
			h.s("<span class=\"rl-sr\">]</span></ins>")
		case OpDelete:
			h.s("<del" + adj + "><span class=\"rl-sr\">[deleted: </span>")
			h.esc(op.Text)
			h.s("<span class=\"rl-sr\">]</span></del>")
		default:
			h.esc(op.Text)
		}
	}
}

// table writes consecutive row lines as one table: a row in both versions with its word
// changes in its cells, an inserted or deleted row marked as such (class rl-row-ins,
// rl-row-del) with all of its text inside <ins> or <del>.
func (h *htmlWriter) table(b Block, from, n int) {
	h.s("<table class=\"rl-table\"><tbody>\n")
	for k := from; k < from+n; k++ {
		l := b.Lines[k]
		for j, r := range RowsOf(l) {
			id := ""
			if _, changed := rowChange(l); changed && j == 0 && b.Change > 0 {
				id = ` id="` + h.rowAnchor(b.Change, k) + `"`
			}
			cls := "rl-line rl-row"
			switch r.Kind {
			case ChangeInserted:
				cls += " rl-row-ins"
			case ChangeDeleted:
				cls += " rl-row-del"
			}
			h.printf("<tr class=\"%s\"%s>", cls, id)
			for _, cell := range r.Cells {
				h.s("<td>")
				h.ops(cell)
				h.s("</td>")
			}
			h.s("</tr>\n")
		}
	}
	h.s("</tbody></table>\n")
}

// plainLine writes the text of one side of a paragraph without marks (inside a move, whose
// wrapper carries the mark).
func (h *htmlWriter) plainLine(l Line, keep OpKind) {
	tag := h.open(l)
	h.esc(l.text(keep))
	h.s("</" + tag + ">\n")
}
