package docimport

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// bodyReader reads the body of a WordprocessingML part (document, header, footer) into the
// model, token by token.
type bodyReader struct {
	r   *xmlReader
	st  styles
	num *numbering
	m   *docModel

	p      *para           // the paragraph being read, nil outside one
	fmt    runFmt          // the formatting of the run being read
	tables []*tableState   // open tables, innermost last
	fields []*fieldState   // open complex fields, innermost last
	seen   map[string]bool // findings already made for a paragraph ("mark:12") or a comment
	// notes are the texts of comments, footnotes and endnotes by "comment:3", "footnote:2".
	notes map[string]string
	// fieldResults keeps the result text of fields (false for headers and footers, where a
	// field is a page number).
	fieldResults bool
}

type runFmt struct {
	bold, italic, hidden bool
}

type tableState struct {
	t       *table
	row     []cell
	cell    *cell
	span    int  // gridSpan of the cell being read
	cont    bool // the cell continues a vertical merge
	deleted bool // the row is a tracked deletion
}

type fieldState struct {
	instr  strings.Builder
	result bool // past the separator: the text is the field's result
	para   int
}

func newBodyReader(part string, data []byte, st styles, num *numbering) *bodyReader {
	return &bodyReader{r: newXMLReader(part, data), st: st, num: num, m: &docModel{},
		seen: map[string]bool{}, notes: map[string]string{}, fieldResults: true}
}

func (b *bodyReader) read() error {
	for {
		tok, err := b.r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok {
			if err := b.element(t); err != nil {
				return err
			}
		}
	}
}

// children reads the content of the element just started, up to its end.
func (b *bodyReader) children() error {
	for {
		tok, err := b.r.next()
		if err == io.EOF {
			return inputErrorf("not a valid .docx: %s ends inside an element", b.r.part)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := b.element(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// paraID is the paragraph a finding comes from: the current one, or outside a paragraph
// the last one read (-1 before the first).
func (b *bodyReader) paraID() int {
	if b.p == nil {
		return len(b.m.texts) - 1
	}
	return b.p.id
}

// once makes a finding only the first time key is seen.
func (b *bodyReader) once(key, kind, format string, args ...any) {
	if b.seen[key] {
		return
	}
	b.seen[key] = true
	b.m.note(b.paraID(), kind, format, args...)
}

// element reads one element whose start was just read, and its content.
func (b *bodyReader) element(t xml.StartElement) error {
	switch t.Name.Local {
	case "p":
		return b.paragraph()
	case "tbl":
		return b.table()
	case "tr":
		return b.row()
	case "tc":
		return b.cell()
	case "r":
		return b.run()
	case "t":
		return b.text()
	case "tab", "ptab", "br", "cr":
		b.add(" ")
	case "noBreakHyphen":
		b.add("-")
	case "fldChar":
		b.fieldChar(attr(t, "fldCharType"))
	case "instrText":
		return b.instr()
	case "fldSimple":
		if !b.fieldResults {
			_, err := b.r.skip()
			return err
		}
		b.m.note(b.paraID(), "field", "field %s: its result text is kept", fieldName(attr(t, "instr")))
		return b.children()
	case "ins", "moveTo":
		return b.insertion()
	case "del", "moveFrom":
		return b.deletion()
	case "drawing", "pict", "object":
		return b.drawing(t.Name.Local)
	case "AlternateContent":
		return b.alternate()
	case "footnoteReference", "endnoteReference":
		kind := strings.TrimSuffix(t.Name.Local, "Reference")
		b.m.note(b.paraID(), "footnote", "%s %s not imported%s", kind, attr(t, "id"), quoted(b.notes[kind+":"+attr(t, "id")]))
	case "commentRangeStart", "commentReference":
		id := attr(t, "id")
		b.once("comment:"+id, "comment", "comment %s not imported%s", id, quoted(b.notes["comment:"+id]))
	case "sym":
		b.m.note(b.paraID(), "symbol", "symbol %s (font %s) not imported", attr(t, "char"), attr(t, "font"))
	case "oMath", "oMathPara":
		b.once("math:"+strconv.Itoa(b.paraID()), "equation", "equation kept as plain text")
	case "altChunk":
		b.m.note(b.paraID(), "embedded", "embedded document (altChunk) not imported")
	case "txbxContent":
		return b.drawing("text box")
	case "sectPr":
		return b.section(false)
	case "delText", "pPr", "rPr", "sdtPr", "sdtEndPr", "tblPr", "tblGrid", "trPr", "tcPr", "tblPrEx",
		"background", "pPrChange", "rPrChange", "fldData", "customXmlPr", "smartTagPr":
		_, err := b.r.skip()
		return err
	default:
		// Wrappers (hyperlink, smartTag, sdt, sdtContent, customXml, dir, bdo, body...) and
		// empty markers (bookmarks, proofErr): their content is read as if they were not there.
		return b.children()
	}
	return b.skipEmpty()
}

// skipEmpty consumes the rest of an element that was handled by its start tag alone.
func (b *bodyReader) skipEmpty() error {
	_, err := b.r.skip()
	return err
}

// paragraph reads a w:p: its properties, then its runs, and files it.
func (b *bodyReader) paragraph() error {
	outer := b.p
	p := &para{list: -1, id: len(b.m.texts)}
	b.m.texts = append(b.m.texts, "")
	b.p = p
	var pr paraProps
	for {
		tok, err := b.r.next()
		if err == io.EOF {
			return inputErrorf("not a valid .docx: %s ends inside a paragraph", b.r.part)
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok {
			if t.Name.Local == "pPr" {
				if pr, err = b.paraProps(); err != nil {
					return err
				}
				continue
			}
			if err := b.element(t); err != nil {
				return err
			}
			continue
		}
		if _, ok := tok.(xml.EndElement); ok {
			break
		}
	}
	b.p = outer
	b.finish(p, pr)
	b.m.texts[p.id] = p.fullText()
	if b.st.isRedlineAbout(pr.style) {
		// A codenav Word redline opens with what it compares; that is not the text.
		b.once("redline-about", "structure", "the redline's statement of what it compares (style Redline About) left out")
		return nil
	}
	b.emit(p)
	return nil
}

// paraProps are the paragraph properties we use.
type paraProps struct {
	style   string
	numID   string
	ilvl    int
	numSet  bool // the paragraph has its own w:numPr
	outline int  // w:outlineLvl + 1, 0 when not set
	section bool // the paragraph ends a section
}

// paraProps reads a w:pPr: style, numbering, outline level, a section break.
func (b *bodyReader) paraProps() (paraProps, error) {
	pr := paraProps{ilvl: -1}
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside paragraph properties", b.r.part)
			}
			return pr, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "pPr" {
				return pr, nil
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "pStyle":
				pr.style = attr(t, "val")
			case "numPr":
				pr.numSet = true
				continue // read its children
			case "numId":
				pr.numID = attr(t, "val")
			case "ilvl":
				pr.ilvl = ilvlOf(attr(t, "val"))
			case "outlineLvl":
				if n := atoi(attr(t, "val"), -1); n >= 0 && n <= 9 {
					pr.outline = n + 1
				}
			case "sectPr":
				pr.section = true
				if err := b.section(true); err != nil {
					return pr, err
				}
				continue
			case "rPr":
				// The paragraph mark's properties: a tracked insertion or deletion of the mark
				// merges paragraphs in Word; we keep the paragraphs apart.
				continue
			case "ins", "del":
				if b.p != nil {
					b.once("mark:"+strconv.Itoa(b.p.id), "tracked-change", "tracked change of a paragraph mark: the paragraphs are kept apart")
				}
			}
			if _, err := b.r.skip(); err != nil {
				return pr, err
			}
		}
	}
}

// finish settles a paragraph's heading level and number once it has been read.
func (b *bodyReader) finish(p *para, pr paraProps) {
	p.runs = mergeRuns(p.runs)
	p.heading, p.title = b.st.headingLevel(pr.style)
	switch {
	case pr.outline == 10: // outline level 9: body text
		p.heading, p.title = 0, false
	case pr.outline > 0:
		p.heading, p.title = pr.outline, false
	}
	numID, ilvl := pr.numID, pr.ilvl
	if !pr.numSet {
		numID, ilvl = b.st.numbering(pr.style)
	} else if numID == "" {
		numID, _ = b.st.numbering(pr.style)
	}
	if l, ok := b.num.next(numID, ilvl, pr.style); ok {
		switch {
		case l.bullet:
			p.bullet = true
			p.list = l.ilvl
		case !l.none:
			p.num = strings.TrimSpace(l.text)
			p.list = l.ilvl
		}
	}
	if p.heading > 0 || p.title {
		p.list = -1
	}
	p.listStyle = b.st.isListStyle(pr.style)
	p.tableRow = b.st.isTableRowStyle(pr.style)
	p.emphatic = len(p.runs) > 0
	for _, r := range p.runs {
		if !r.bold && strings.TrimSpace(r.text) != "" {
			p.emphatic = false
		}
	}
}

// emit files a finished paragraph in the open table cell, or at the top level.
func (b *bodyReader) emit(p *para) {
	if n := len(b.tables); n > 0 && b.tables[n-1].cell != nil {
		c := b.tables[n-1].cell
		c.paras = append(c.paras, p)
		return
	}
	b.m.blocks = append(b.m.blocks, block{para: p})
}

// quoted is `: "text"` for a message, or nothing when text is empty.
func quoted(text string) string {
	if text == "" {
		return ""
	}
	return fmt.Sprintf(": %q", clip(text, 60))
}
