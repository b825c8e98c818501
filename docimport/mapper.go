package docimport

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"codenav/legaltext"
)

var (
	// A clause number at the start of a paragraph: "H1.1", "H14.6A", "1.2" (a trailing dot is
	// the number's punctuation).
	clauseRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([A-Z]{0,5})([0-9]+(?:\.[0-9]+)+[A-Z]?)\.?(?:\s+|$)`)
	})
	// A part number at the start of a heading: "H1", "H1.", "SCF3:".
	partRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Z]{1,5})([0-9]+[A-Z]?)[.:]?(?:\s+|$)`) })
	// What legaltext takes for a clause number when a paragraph opens with it in bold.
	boldNumRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z]{0,5}\d+(?:\.\d+)*[A-Z]?$`) })
)

// item is a paragraph ready for mapping: its number and text as runs, normalised.
type item struct {
	p    *para
	runs []run // the number (a plain run) and a space, then the text
	text string
}

// mapper writes the model as our Markdown, block by block.
type mapper struct {
	m        *docModel
	prefix   string
	out      strings.Builder
	src      strings.Builder
	used     map[string]bool // explicit ids given: parts, clauses, sub-paragraphs
	inItems  bool            // the last block written was a list item
	outline  int             // the last top-level number of a plain-text outline written
	clause   bool            // the text is inside a clause (lists get permalinks)
	clauseID string
	list     listState
	rows     []item // table rows written as paragraphs, waiting to become a table
	levels   map[*para]int
	title    *para
	res      Result
}

// mapModel turns a document model into our Markdown.
func mapModel(dm *docModel, o Options) (*Result, error) {
	mp := &mapper{m: dm, used: map[string]bool{}, list: newListState(), levels: map[*para]int{}}
	items := mp.prepare()
	mp.prefix = o.Prefix
	if mp.prefix == "" {
		mp.prefix = detectPrefix(items)
	}
	mp.planHeadings(items)
	k := 0
	for _, b := range dm.blocks {
		if b.table != nil {
			mp.flushRows()
			mp.table(b.table)
			continue
		}
		if k < len(items) && items[k].p == b.para {
			mp.paragraph(items[k])
			k++
		}
	}
	mp.flushRows()
	mp.res.Markdown = mp.out.String()
	mp.res.Source = mp.src.String()
	mp.res.Prefix = mp.prefix
	mp.res.Report = dm.report()
	if err := checkWords(mp.res.Source, mp.res.Markdown); err != nil {
		return nil, err
	}
	return &mp.res, nil
}

// checkWords makes sure the Markdown, as legaltext reads it, has every word of the source.
func checkWords(source, md string) error {
	want, got := Words(source), Words(legaltext.Parse([]byte(md)).Text())
	if i := firstDifference(want, got); i >= 0 {
		return fmt.Errorf("import would change the words (a bug: please report it with the file): at word %d, the source has %q, the result %q",
			i, around(want, i), around(got, i))
	}
	return nil
}

// prepare normalises the top-level paragraphs and drops the empty ones.
func (mp *mapper) prepare() []item {
	var out []item
	for _, b := range mp.m.blocks {
		if b.para == nil {
			continue
		}
		if it, ok := makeItem(b.para); ok {
			out = append(out, it)
		}
	}
	return out
}

func makeItem(p *para) (item, bool) {
	runs := normalizeRuns(p.runs)
	num := strings.Join(strings.Fields(p.num), " ")
	if num != "" {
		runs = normalizeRuns(append([]run{{text: num + " "}}, runs...))
	}
	if len(runs) == 0 {
		return item{}, false
	}
	return item{p: p, runs: runs, text: runsText(runs)}, true
}

// detectPrefix finds the letters most clause and part numbers start with.
func detectPrefix(items []item) string {
	count := map[string]int{}
	best, bestN := "", 0
	for _, it := range items {
		var letters string
		if m := clauseRE().FindStringSubmatch(it.text); m != nil {
			letters = m[1]
		} else if m := partRE().FindStringSubmatch(it.text); m != nil && (it.p.heading > 0 || it.p.emphatic) {
			letters = m[1]
		}
		if letters == "" || len(letters) > 4 {
			continue
		}
		count[letters]++
		if count[letters] > bestN {
			best, bestN = letters, count[letters]
		}
	}
	return best
}

// partID returns the part number a heading's text opens with ("H1"), if it has the prefix.
func (mp *mapper) partID(text string) (string, int) {
	m := partRE().FindStringSubmatchIndex(text)
	if m == nil || mp.prefix == "" || text[m[2]:m[3]] != mp.prefix {
		return "", 0
	}
	return text[m[2]:m[5]], m[1]
}

// planHeadings settles the Markdown level of every heading: the title (a first heading
// without a part number) is level 1, the shallowest part headings level 2, the rest below
// them as in the source.
func (mp *mapper) planHeadings(items []item) {
	base, partBase := 10, 10
	for i, it := range items {
		p := it.p
		if !(p.heading > 0 || p.title) {
			continue
		}
		_, _, _, hasAttr := headingAttrs(it.text)
		id, _ := mp.partID(it.text)
		// Only a heading that opens the document is its title (as legaltext reads it).
		if i == 0 && id == "" && !hasAttr && mp.opensDocument(p) {
			mp.title = p
			mp.res.Title = it.text
			continue
		}
		lvl := p.heading // the Title style counts as level 0
		base = min(base, lvl)
		if id != "" || hasAttr {
			partBase = min(partBase, lvl)
		}
		if mp.res.Title == "" && id == "" {
			mp.res.Title = it.text
		}
	}
	if partBase < 10 {
		base = partBase
	}
	for _, it := range items {
		p := it.p
		if (p.heading > 0 || p.title) && p != mp.title {
			mp.levels[p] = min(max(2+p.heading-base, 2), 6)
		}
	}
}

// opensDocument reports whether p is the first thing of the document with any text.
func (mp *mapper) opensDocument(p *para) bool {
	for _, b := range mp.m.blocks {
		if b.table != nil {
			return false
		}
		if _, ok := makeItem(b.para); ok {
			return b.para == p
		}
	}
	return false
}

// startBlock separates the next block from the last: a blank line, or a line break between
// two items of a list.
func (mp *mapper) startBlock(listItem bool) {
	if mp.out.Len() > 0 && !(listItem && mp.inItems) {
		mp.out.WriteByte('\n')
	}
	if !listItem {
		mp.list = newListState()
	}
	mp.inItems = listItem
}

// source adds a block's text, as read, to Result.Source.
func (mp *mapper) source(s string) {
	if mp.src.Len() > 0 {
		mp.src.WriteString("\n\n")
	}
	mp.src.WriteString(s)
}

// paragraph writes one paragraph as a heading, a clause, a list item or plain text.
func (mp *mapper) paragraph(it item) {
	p := it.p
	if p.tableRow {
		mp.rows = append(mp.rows, it)
		return
	}
	mp.flushRows()
	switch {
	case p == mp.title:
		mp.heading(it, 1)
	case p.heading > 0 || p.title:
		mp.heading(it, mp.levels[p])
	case mp.clauseStart(it):
	case mp.plainPartHeading(it):
	case mp.listItem(it):
	default:
		mp.plain(it)
	}
}

// heading writes a heading at level; one with a part number or written attributes gets
// an explicit id.
func (mp *mapper) heading(it item, level int) {
	text := it.text
	id, attrs, before, ok := headingAttrs(text)
	if ok {
		text = strings.TrimRight(before, " ")
	} else if id, _ = mp.partID(text); id == "" {
		attrs = ""
	}
	if id != "" && mp.used[id] {
		mp.m.note(it.p.id, "structure", "part %s appears twice: the second heading has no permalink", id)
		id, attrs = "", ""
	}
	line := strings.Repeat("#", level) + " " + renderInline(plainRuns(text), inlineCtx{heading: true})
	if id != "" {
		mp.used[id] = true
		line += " {#" + id + attrs + "}"
		mp.res.Parts++
	}
	mp.startBlock(false)
	mp.out.WriteString(strings.TrimRight(line, " ") + "\n")
	mp.source(text)
	mp.clause = false
}

// clauseStart writes a paragraph that opens with a clause number ("H1.1 ...") as a clause.
func (mp *mapper) clauseStart(it item) bool {
	m := clauseRE().FindStringSubmatchIndex(it.text)
	if m == nil || it.text[m[2]:m[3]] != mp.prefix {
		return false
	}
	id := it.text[m[2]:m[5]]
	if mp.used[id] {
		mp.m.note(it.p.id, "structure", "clause number %s appears twice: the second is kept as a paragraph", id)
		return false
	}
	mp.used[id] = true
	mp.res.Clauses++
	rest := cutRuns(it.runs, m[1])
	head := "**" + id + "**"
	restText := runsText(rest)
	if attr, n := clauseAttrs(restText); attr != "" {
		head += " " + attr
		rest = cutRuns(rest, n)
		restText = runsText(rest)
		// legaltext drops the space between an attribute and bold or italic text that
		// follows it at once: that first run is written plain.
		if len(rest) > 0 && (rest[0].bold || rest[0].italic) {
			rest[0] = run{text: rest[0].text}
		}
	}
	line := head
	if len(rest) > 0 {
		line += " " + renderInline(rest, inlineCtx{brace: true})
	}
	mp.startBlock(false)
	mp.out.WriteString(wrap(line, "", len(head)) + "\n")
	mp.source(strings.TrimSpace(id + " " + restText))
	mp.clause, mp.clauseID = true, id
	return true
}

// plainPartHeading writes a paragraph that is a part heading in all but style ("H1 User
// Entry Process" on a line of its own, or in bold) as one.
func (mp *mapper) plainPartHeading(it item) bool {
	id, n := mp.partID(it.text)
	if id == "" || !it.p.emphatic || it.p.list >= 0 || mp.used[id] || len(it.text) > 120 || n >= len(it.text) ||
		strings.ContainsAny(it.text[len(it.text)-1:], ".;:,") {
		return false
	}
	mp.heading(item{p: it.p, runs: plainRuns(it.text), text: it.text}, 2)
	return true
}

// listItem writes a numbered, bulleted or labelled paragraph as a list item.
func (mp *mapper) listItem(it item) bool {
	p := it.p
	dots := p.list >= 0 || p.listStyle || p.item
	l, labelled := labelOf(it.text, dots)
	if !(p.list >= 0 || p.listStyle || labelled) {
		return false
	}
	if n, err := strconv.Atoi(l.val); err == nil && mp.m.plain && mp.prefix == "" && labelled && !l.paren &&
		(n == mp.outline+1 && (mp.outline > 0 || !mp.inItems)) {
		mp.outline = n
		// The top-level number of an outline in plain text ("1. Definitions"): a paragraph
		// of its own, which the outline numbering reads as a clause, not an item of one
		// list that would hold the whole text.
		mp.plain(it)
		return true
	}
	mp.startBlock(true)
	level := mp.list.place(p.list, l, labelled)
	runs, ctx := it.runs, inlineCtx{start: true}
	// The permalink of a lettered sub-paragraph of a clause: the clause id, the labels of the
	// items it is in, its own label.
	parent := mp.clauseID
	if level > 0 && level-1 < len(mp.list.ids) {
		parent = mp.list.ids[level-1]
	}
	id, escape := parent, false
	if sub := l.subID(); mp.clause && labelled && sub != "" {
		id = parent + sub
		if mp.used[id] {
			// A backslash before the label's bracket keeps it from being a permalink.
			mp.m.note(p.id, "structure", "sub-paragraph %s appears twice: its label is kept as text", id)
			id, escape = parent, true
		} else {
			mp.used[id] = true
		}
	}
	mp.list.ids = append(mp.list.ids[:min(level, len(mp.list.ids))], id)
	for len(mp.list.ids) <= level {
		mp.list.ids = append(mp.list.ids, id)
	}
	indent := strings.Repeat("  ", level)
	body := renderInline(runs, ctx)
	if escape {
		body = `\` + renderInline(runs, inlineCtx{})
	}
	mp.out.WriteString(wrap(indent+"- "+body, indent+"  ", len(indent)+2) + "\n")
	mp.source(it.text)
	return true
}

// plain writes a paragraph that follows none of our conventions.
func (mp *mapper) plain(it item) {
	runs := it.runs
	// A paragraph opening with a bold number would become a clause: the bold goes.
	if len(runs) > 0 && runs[0].bold && boldNumRE().MatchString(strings.TrimSpace(runs[0].text)) {
		runs = append([]run{{text: runs[0].text, italic: runs[0].italic}}, runs[1:]...)
	}
	mp.startBlock(false)
	mp.out.WriteString(wrap(renderInline(runs, inlineCtx{start: true}), "", 0) + "\n")
	mp.source(it.text)
}
