package redline

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DOCXOptions set the author and date of the tracked changes and the document's title.
type DOCXOptions struct {
	// Author of every change; "codenav" when empty.
	Author string
	// Date of every change; the zero time leaves the date out (Word then shows none).
	Date time.Time
	// Title goes into the document properties, not the text.
	Title string
	// About says what the redline compares (document, versions and their dates, the
	// modification, who made it), a line each. It is stated three times: at the start of the
	// body, as a boxed block of paragraphs in the style AboutStyle, ahead of the text; at the
	// head of every page (the page header); and as the document's description. The block is
	// not a change: accepting every change gives it followed by the new version, rejecting
	// every change it followed by the old one. Readers (our importer among them) tell it
	// from the text by its style.
	About []string
}

// WriteDOCX writes the redline as a Word document with real tracked changes: inserted text
// in w:ins, deleted text in w:del (as w:delText), each with an id, author and date, and the
// paragraph marks of inserted and deleted paragraphs tracked too. Accepting every change in
// Word or LibreOffice gives the new version, rejecting every change the old one. Headings
// use the styles Heading1-3, sub-paragraphs the style ListParagraph, table rows TableRow.
func WriteDOCX(w io.Writer, r *Redline, o DOCXOptions) error {
	if o.Author == "" {
		o.Author = "codenav"
	}
	z := zip.NewWriter(w)
	// The fastest deflate level: a redline is written on request, and XML compresses well
	// even so. One compressor serves every part in turn (zip closes each part's before it
	// opens the next): a new one costs about a megabyte of tables to allocate and clear,
	// seven times over. Reset makes it exactly a new writer, so the bytes are the same.
	var fw *flate.Writer
	z.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(out, flate.BestSpeed)
			return fw, err
		}
		fw.Reset(out)
		return fw, nil
	})
	parts := []struct {
		name string
		body func(*bufio.Writer) error
	}{
		{"[Content_Types].xml", constPart(contentTypesXML)},
		{"_rels/.rels", constPart(rootRelsXML)},
		{"docProps/core.xml", func(b *bufio.Writer) error { return writeCore(b, o) }},
		{"word/_rels/document.xml.rels", constPart(documentRelsXML)},
		{"word/styles.xml", constPart(stylesXML())},
		{"word/settings.xml", constPart(settingsXML)},
		{"word/header1.xml", func(b *bufio.Writer) error { return writeHeader(b, o) }},
		{"word/document.xml", func(b *bufio.Writer) error { return writeDocument(b, r, o) }},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxTime(o.Date)})
		if err != nil {
			return fmt.Errorf("write docx redline: %s: %w", p.name, err)
		}
		b := bufio.NewWriter(f)
		if err := p.body(b); err != nil {
			return fmt.Errorf("write docx redline: %s: %w", p.name, err)
		}
		if err := b.Flush(); err != nil {
			return fmt.Errorf("write docx redline: %s: %w", p.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("write docx redline: %w", err)
	}
	return nil
}

// docxTime is the time stamped on the zip entries: the change date, so that the same
// redline makes the same bytes.
func docxTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func constPart(s string) func(*bufio.Writer) error {
	return func(b *bufio.Writer) error {
		_, err := b.WriteString(s)
		return err
	}
}

func writeCore(b *bufio.Writer, o DOCXOptions) error {
	b.WriteString(xmlHeader)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	if o.Title != "" {
		b.WriteString("<dc:title>" + xmlEsc(o.Title) + "</dc:title>")
	}
	b.WriteString("<dc:creator>" + xmlEsc(o.Author) + "</dc:creator>")
	if !o.Date.IsZero() {
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + o.Date.UTC().Format(time.RFC3339) + `</dcterms:created>`)
	}
	if len(o.About) > 0 {
		b.WriteString("<dc:description>" + xmlEsc(strings.Join(o.About, "\n")) + "</dc:description>")
	}
	_, err := b.WriteString("</cp:coreProperties>")
	return err
}

// writeHeader writes the page header: the About lines (or the title), in small type.
func writeHeader(b *bufio.Writer, o DOCXOptions) error {
	b.WriteString(xmlHeader)
	b.WriteString(`<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	lines := o.About
	if len(lines) == 0 && o.Title != "" {
		lines = []string{o.Title}
	}
	if len(lines) == 0 {
		b.WriteString("<w:p/>")
	}
	for _, l := range lines {
		b.WriteString(`<w:p><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">` + xmlEsc(l) + `</w:t></w:r></w:p>`)
	}
	_, err := b.WriteString(`</w:hdr>`)
	return err
}

// AboutStyle is the paragraph style (its id; its name is "Redline About") of the block that
// opens the body of a Word redline written with DOCXOptions.About.
const AboutStyle = "RedlineAbout"

// docWriter writes word/document.xml, numbering the tracked changes.
type docWriter struct {
	b      *bufio.Writer
	nextID int
	attrs  string // author and date of every change, ready to paste
}

func writeDocument(b *bufio.Writer, r *Redline, o DOCXOptions) error {
	d := &docWriter{b: b, attrs: ` w:author="` + xmlEsc(o.Author) + `"`}
	if !o.Date.IsZero() {
		d.attrs += ` w:date="` + o.Date.UTC().Format("2006-01-02T15:04:05Z") + `"`
	}
	b.WriteString(xmlHeader)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	for k, l := range o.About {
		// One box around the lines (Word joins the borders of consecutive paragraphs of the
		// same style), the first line, which names the document, in bold.
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + AboutStyle + `"/></w:pPr><w:r>`)
		if k == 0 {
			b.WriteString(`<w:rPr><w:b/></w:rPr>`)
		}
		b.WriteString(`<w:t xml:space="preserve">` + xmlEsc(l) + `</w:t></w:r></w:p>`)
	}
	n := 0
	for _, bl := range r.Blocks {
		for i := 0; i < len(bl.Lines); {
			if k := tableRun(bl.Lines, i); k > 0 {
				d.table(bl.Lines[i : i+k])
				b.WriteString("<w:p/>") // Word needs a paragraph between two tables
				i += k
				n++
				continue
			}
			d.paragraph(bl.Lines[i])
			i++
			n++
		}
	}
	if n == 0 {
		// A body needs a paragraph before its section properties.
		b.WriteString("<w:p/>")
	}
	b.WriteString(`<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`)
	return nil
}

func (d *docWriter) id() string {
	d.nextID++
	return strconv.Itoa(d.nextID)
}

// paragraph writes one line as a w:p. The mark of a paragraph that is wholly inserted or
// deleted is tracked as well, so that rejecting (accepting) the change removes the paragraph,
// not only its words.
func (d *docWriter) paragraph(l Line) {
	b := d.b
	b.WriteString("<w:p><w:pPr>")
	if st := paragraphStyle(l); st != "" {
		b.WriteString(`<w:pStyle w:val="` + st + `"/>`)
	}
	if l.Depth > 1 { // a unit under a unit: indented half an inch a level
		b.WriteString(`<w:ind w:left="` + strconv.Itoa(720*(min(l.Depth, 5)-1)) + `"/>`)
	}
	switch l.Kind {
	case ChangeInserted:
		b.WriteString(`<w:rPr><w:ins w:id="` + d.id() + `"` + d.attrs + `/></w:rPr>`)
	case ChangeDeleted:
		b.WriteString(`<w:rPr><w:del w:id="` + d.id() + `"` + d.attrs + `/></w:rPr>`)
	}
	b.WriteString("</w:pPr>")
	ops, gaps := separateChanges(l.Ops)
	for i, op := range ops {
		text := xmlEsc(op.Text)
		if text == "" {
			continue
		}
		// Written piece by piece: the text of a whole document goes through here.
		switch op.Kind {
		case OpInsert:
			d.change(`<w:ins w:id="`)
			b.WriteString(`>`)
			d.runs(op.Text, "w:t", gaps != nil && gaps[i])
			b.WriteString(`</w:ins>`)
		case OpDelete:
			d.change(`<w:del w:id="`)
			b.WriteString(`>`)
			d.runs(op.Text, "w:delText", gaps != nil && gaps[i])
			b.WriteString(`</w:del>`)
		default:
			b.WriteString(`<w:r><w:t xml:space="preserve">`)
			b.WriteString(text)
			b.WriteString(`</w:t></w:r>`)
		}
	}
	b.WriteString("</w:p>")
}

// gapSpacing is the extra space, in twentieths of a point, after the last character of a
// change that an opposite change follows with no whitespace between them (see
// separateChanges): 3pt, about the gap the HTML redline leaves (class rl-adj).
const gapSpacing = "60"

// runs writes the text of one change (not yet escaped) as a run in elem (w:t or
// w:delText); with gap, its last character goes in a run of its own, set wider by character
// spacing.
func (d *docWriter) runs(text, elem string, gap bool) {
	b := d.b
	tail := ""
	if gap {
		_, n := utf8.DecodeLastRuneInString(text)
		text, tail = text[:len(text)-n], text[len(text)-n:]
	}
	if text = xmlEsc(text); text != "" {
		b.WriteString(`<w:r><` + elem + ` xml:space="preserve">`)
		b.WriteString(text)
		b.WriteString(`</` + elem + `></w:r>`)
	}
	if tail = xmlEsc(tail); tail != "" {
		b.WriteString(`<w:r><w:rPr><w:spacing w:val="` + gapSpacing + `"/></w:rPr><` + elem + ` xml:space="preserve">`)
		b.WriteString(tail)
		b.WriteString(`</` + elem + `></w:r>`)
	}
}

// separateChanges keeps a deletion and an insertion that touch ("21.7.2010" replaced by
// "11.7.2012") from reading as one word on paper, where print drops the colours: Word has no
// margin to put between two runs, and any character put there would be text, which
// accepting or rejecting the changes would keep. So, preserving the law exactly (the text
// with every change accepted, or rejected, is the same string as before):
//
//   - the whitespace of the unchanged text just before such a group of changes (or else just
//     after it) moves into both sides: "on |21.7.2010|11.7.2012| the" becomes
//     "on| 21.7.2010| 11.7.2012| the", which accepted still reads "on 11.7.2012 the" and on
//     paper shows a space between the two dates;
//   - where there is no such whitespace (a change at the start of a cell, before a full
//     stop), gaps[i] marks a change to end in wider character spacing (w:spacing), which
//     shows a gap and adds no character.
//
// ops is not changed; the result is a copy when anything moved. gaps is nil when no change
// ends in a gap.
func separateChanges(ops []Op) (out []Op, gaps []bool) {
	// Most paragraphs have no touching changes: they cost no allocation.
	out = ops
	copied := false
	for i := 0; i < len(out); {
		if out[i].Kind == OpEqual {
			i++
			continue
		}
		j := i
		for j < len(out) && out[j].Kind != OpEqual {
			j++
		}
		if !touching(out[i:j]) {
			i = j
			continue
		}
		if !copied {
			out = append([]Op(nil), ops...)
			copied = true
		}
		if i > 0 {
			if t := strings.TrimRightFunc(out[i-1].Text, unicode.IsSpace); t != out[i-1].Text {
				ws := out[i-1].Text[len(t):]
				out[i-1].Text = t
				for _, k := range []OpKind{OpDelete, OpInsert} {
					if f := firstOf(out[i:j], k); f >= 0 {
						out[i+f].Text = ws + out[i+f].Text
					}
				}
			}
		}
		if touching(out[i:j]) && j < len(out) {
			if t := strings.TrimLeftFunc(out[j].Text, unicode.IsSpace); t != out[j].Text {
				ws := out[j].Text[:len(out[j].Text)-len(t)]
				out[j].Text = t
				for _, k := range []OpKind{OpDelete, OpInsert} {
					if f := lastOf(out[i:j], k); f >= 0 {
						out[i+f].Text += ws
					}
				}
			}
		}
		for k := i; k+1 < j; k++ {
			if out[k].Kind != out[k+1].Kind && !spaced(out[k].Text, out[k+1].Text) {
				if gaps == nil {
					gaps = make([]bool, len(ops))
				}
				gaps[k] = true
			}
		}
		i = j
	}
	return out, gaps
}

// touching reports whether a run of changes has a deletion and an insertion side by side
// with no whitespace between them.
func touching(group []Op) bool {
	for k := 0; k+1 < len(group); k++ {
		if group[k].Kind != group[k+1].Kind && !spaced(group[k].Text, group[k+1].Text) {
			return true
		}
	}
	return false
}

// spaced reports whether whitespace stands between a and b (or one of them is empty, so
// that nothing shows).
func spaced(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(a)
	s, _ := utf8.DecodeRuneInString(b)
	return unicode.IsSpace(r) || unicode.IsSpace(s)
}

func firstOf(ops []Op, k OpKind) int {
	for i, op := range ops {
		if op.Kind == k {
			return i
		}
	}
	return -1
}

func lastOf(ops []Op, k OpKind) int {
	for i := len(ops) - 1; i >= 0; i-- {
		if ops[i].Kind == k {
			return i
		}
	}
	return -1
}

// table writes consecutive row lines as a w:tbl: a row in both versions with its word
// changes tracked in its cells, a row in one version only as a tracked inserted or deleted
// row (w:trPr/w:ins, w:del) with its text tracked too, so that accepting or rejecting every
// change gives each version's table.
func (d *docWriter) table(lines []Line) {
	var rows []TableRow
	cols := 1
	for _, l := range lines {
		for _, r := range RowsOf(l) {
			rows = append(rows, r)
			cols = max(cols, len(r.Cells))
		}
	}
	b := d.b
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="auto"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	// Columns share the text width of an A4 page with 1-inch margins (9026 twips): a grid
	// column needs a width, or readers (pandoc) lose the table's cells.
	width := `<w:gridCol w:w="` + strconv.Itoa(9026/cols) + `"/>`
	for range cols {
		b.WriteString(width)
	}
	b.WriteString(`</w:tblGrid>`)
	for _, r := range rows {
		b.WriteString("<w:tr>")
		kind := ChangeEqual
		switch r.Kind {
		case ChangeInserted:
			kind = ChangeInserted
			d.change(`<w:trPr><w:ins w:id="`)
			b.WriteString(`/></w:trPr>`)
		case ChangeDeleted:
			kind = ChangeDeleted
			d.change(`<w:trPr><w:del w:id="`)
			b.WriteString(`/></w:trPr>`)
		}
		for i, cell := range r.Cells {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/>`)
			if span := cols - len(r.Cells) + 1; i == len(r.Cells)-1 && span > 1 {
				// A row shorter than the table: its last cell spans the rest, so that
				// every row fills the grid (readers drop a ragged table).
				b.WriteString(`<w:gridSpan w:val="` + strconv.Itoa(span) + `"/>`)
			}
			b.WriteString(`</w:tcPr>`)
			d.paragraph(Line{Kind: kind, Style: StyleParagraph, Ops: cell})
			b.WriteString(`</w:tc>`)
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
}

// change writes the opening of a tracked change up to its attributes: open, the next id, the
// author and date.
func (d *docWriter) change(open string) {
	d.b.WriteString(open)
	d.nextID++
	var num [20]byte
	d.b.Write(strconv.AppendInt(num[:0], int64(d.nextID), 10))
	d.b.WriteByte('"')
	d.b.WriteString(d.attrs)
}

func paragraphStyle(l Line) string {
	switch l.Style {
	case StyleHeading:
		return "Heading" + strconv.Itoa(min(max(l.Level, 1), 3))
	case StyleItem:
		return "ListParagraph"
	case StyleRow:
		return "TableRow"
	}
	return ""
}

// xmlEsc escapes text for XML and drops the characters XML 1.0 cannot carry (Compare has
// already replaced them; this guards a Redline built by other means).
func xmlEsc(s string) string {
	if xmlPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case !xmlChar(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlPlain reports whether xmlEsc(s) is s: valid UTF-8 with nothing to escape, replace or
// drop. Most text is, and is then written as it is.
func xmlPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 || !xmlChar(r) {
			return false
		}
		i += w
	}
	return true
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypesXML = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRelsXML = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRelsXML = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
	`</Relationships>`

// settingsXML turns change tracking on, so that a drafter's further edits are tracked too.
const settingsXML = xmlHeader + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:trackRevisions/><w:defaultTabStop w:val="720"/></w:settings>`

// stylesXML is word/styles.xml: Normal, Heading1-3 (named "heading 1" and so on, the names
// Word and other readers recognise), ListParagraph and TableRow.
func stylesXML() string {
	return xmlHeader + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		headingStyle(1, 32) + headingStyle(2, 28) + headingStyle(3, 24) +
		`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + AboutStyle + `"><w:name w:val="Redline About"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:pBdr>` + aboutBorders + `</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableRow"><w:name w:val="Table Row"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="BFBFBF"/></w:pBdr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style>` +
		`</w:styles>`
}

// aboutBorders box the AboutStyle block; the space below it parts it from the text.
const aboutBorders = `<w:top w:val="single" w:sz="6" w:space="4" w:color="808080"/><w:left w:val="single" w:sz="6" w:space="4" w:color="808080"/>` +
	`<w:bottom w:val="single" w:sz="6" w:space="4" w:color="808080"/><w:right w:val="single" w:sz="6" w:space="4" w:color="808080"/>`

func headingStyle(level, size int) string {
	l := strconv.Itoa(level)
	return `<w:style w:type="paragraph" w:styleId="Heading` + l + `"><w:name w:val="heading ` + l + `"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="` + strconv.Itoa(level-1) + `"/></w:pPr>` +
		`<w:rPr><w:b/><w:sz w:val="` + strconv.Itoa(size) + `"/><w:szCs w:val="` + strconv.Itoa(size) + `"/></w:rPr></w:style>`
}
