package docimport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stylesXML = `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + wNS + `>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="Heading 2"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/></w:style>
<w:style w:type="paragraph" w:styleId="Custom3"><w:name w:val="Part title"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>`

const numberingXML = `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + wNS + `>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%2)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="H%1"/><w:pStyle w:val="Heading2"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="H%1.%2"/><w:pStyle w:val="Clause"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="7"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="3"/></w:num>
</w:numbering>`

func numbered(numID, ilvl, style, text string) string {
	st := ""
	if style != "" {
		st = `<w:pStyle w:val="` + style + `"/>`
	}
	num := ""
	if numID != "" {
		num = `<w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr>`
	}
	return `<w:p><w:pPr>` + st + num + `</w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func TestReadDOCX(t *testing.T) {
	parts := map[string]string{"word/styles.xml": stylesXML, "word/numbering.xml": numberingXML}
	tests := []struct {
		name   string
		body   string
		want   string   // the whole Markdown
		report []string // the kinds of the findings, in order
	}{
		{
			name: "headings by id, name and outline level; title",
			body: p("Title", "Section H: DCC Services") + p("Titre1", "H1 User Entry Process") + p("Heading3", "Becoming a User") +
				p("Custom3", "Deeper"),
			want: "# Section H: DCC Services\n\n## H1 User Entry Process {#H1}\n\n#### Becoming a User\n\n#### Deeper\n",
		},
		{
			name: "automatic numbering of parts and clauses, lettered and roman lists",
			body: numbered("", "", "Heading2", "User Entry") + numbered("", "", "Clause", "A Party shall:") +
				numbered("5", "0", "", "do one thing;") + numbered("5", "1", "", "in one way;") + numbered("5", "1", "", "in another; and") +
				numbered("5", "0", "", "do another.") + numbered("", "", "Clause", "Second clause:") + numbered("6", "0", "", "restarted.") +
				numbered("", "", "Heading2", "Next Part") + numbered("", "", "Clause", "Numbered again.") + numbered("8", "0", "", "a bullet"),
			want: "## H1 User Entry {#H1}\n\n**H1.1** A Party shall:\n\n- (a) do one thing;\n  - (i) in one way;\n  - (ii) in another; and\n- (b) do another.\n\n" +
				"**H1.2** Second clause:\n\n- (a) restarted.\n\n## H2 Next Part {#H2}\n\n**H2.1** Numbered again.\n\n- a bullet\n",
		},
		{
			name: "clause numbers typed in the text, with applicability written as text",
			body: p("Titre1", "H1 Part {#H1 parties=“dcc”}") + p("", "H1.1 {parties=\"dcc other\"} The DCC shall act.") +
				p("", "H1.2. Numbered with a dot.") + `<w:p><w:r><w:t xml:space="preserve">H1.3 {parties="dcc"} </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Bold</w:t></w:r><w:r><w:t xml:space="preserve"> start.</w:t></w:r></w:p>` + p("", "(a) a typed label") + p("", "(b) another"),
			want: "## H1 Part {#H1 parties=\"dcc\"}\n\n**H1.1** {parties=\"dcc other\"} The DCC shall act.\n\n**H1.2** Numbered with a dot.\n\n**H1.3** {parties=\"dcc\"} Bold start.\n\n" +
				"- (a) a typed label\n- (b) another\n",
		},
		{
			name: "bold and italic runs, character style, escaping",
			body: `<w:p><w:r><w:t xml:space="preserve">The </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Lead Analyst </w:t></w:r>` +
				`<w:r><w:rPr><w:i/></w:rPr><w:t>may</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t xml:space="preserve"> act</w:t></w:r>` +
				`<w:r><w:t xml:space="preserve"> * [see](x) &lt;b&gt; &amp;amp; a_b _c_ \ | ~</w:t></w:r></w:p>` + p("", "# not a heading") + p("", "1. not a list") + p("", "- nor this"),
			want: "The **Lead Analyst** *may* **act** \\* [see\\](x) \\<b> \\&amp; a_b \\_c\\_ \\\\ | \\~\n\n\\# not a heading\n\n1\\. not a list\n\n\\- nor this\n",
		},
		{
			name: "tracked changes: insertions taken, deletions dropped",
			body: `<w:p><w:r><w:t xml:space="preserve">The Panel </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>may</w:delText></w:r></w:del>` +
				`<w:ins w:id="2" w:author="A"><w:r><w:t>shall</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> decide.</w:t></w:r></w:p>`,
			want:   "The Panel shall decide.\n",
			report: []string{"tracked-change", "tracked-change"},
		},
		{
			name: "fields keep their result; images, comments, footnotes, hidden text and symbols are reported",
			body: `<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF _Ref1 \h </w:instrText></w:r>` +
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>H1.2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
				`<w:fldSimple w:instr=" PAGE "><w:r><w:t xml:space="preserve"> page 3</w:t></w:r></w:fldSimple><w:commentRangeStart w:id="4"/>` +
				`<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:sym w:font="Wingdings" w:char="F0E0"/></w:r></w:p>` +
				`<w:p><w:r><w:drawing><wp:inline xmlns:wp="urn:x"><a:t xmlns:a="urn:y">caption</a:t></wp:inline></w:drawing></w:r></w:p>`,
			want:   "See H1.2 page 3\n",
			report: []string{"field", "field", "comment", "hidden-text", "footnote", "symbol", "image"},
		},
		{
			name: "tables: header, merged cells, definitions, nested tables",
			body: `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Expression</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Meaning</w:t></w:r></w:p></w:tc></w:tr>` +
				`<w:tr><w:tc><w:p><w:r><w:t>Applicant</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>means a | person.</w:t></w:r></w:p><w:p><w:r><w:t>More.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
				`<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Wide</w:t></w:r></w:p></w:tc></w:tr>` +
				`<w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>extra</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
			want: "| Expression | Meaning |\n| --- | --- |\n| **Applicant** | means a \\| person. More. |\n\n" +
				"| Wide |  |  |\n| --- | --- | --- |\n| inner | x | extra |\n",
			report: []string{"structure", "layout"},
		},
		{
			name: "a table written as paragraphs by the redline writer",
			body: p("TableRow", "Expression | Meaning") + p("TableRow", "Code | means this Code."),
			want: "| Expression | Meaning |\n| --- | --- |\n| **Code** | means this Code. |\n",
		},
		{
			name: "duplicates stay text: a clause number, a part, a sub-paragraph",
			body: p("", "H1.1 First.") + p("", "(a) one") + p("", "H1.1 Again.") + p("Titre1", "H2 Part") + p("Titre1", "H2 Part again") +
				p("", "H2.1 Clause:") + p("ListParagraph", "(a) x") + p("ListParagraph", "(a) y"),
			want:   "**H1.1** First.\n\n- (a) one\n\nH1.1 Again.\n\n## H2 Part {#H2}\n\n## H2 Part again\n\n**H2.1** Clause:\n\n- (a) x\n- \\(a) y\n",
			report: []string{"structure", "structure", "structure"},
		},
		{
			name: "alternate content: the fallback is read; section breaks and columns are reported",
			body: `<w:p><mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t>new</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>old</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>` +
				`<w:p><w:pPr><w:sectPr><w:cols w:num="2"/></w:sectPr></w:pPr><w:r><w:t>end of section</w:t></w:r></w:p><w:sectPr><w:pgSz w:w="11906"/></w:sectPr>`,
			want:   "old\n\nend of section\n",
			report: []string{"layout", "layout"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadDOCX(testDOCX(t, tt.body, parts), Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Markdown)
			var kinds []string
			for _, f := range res.Report {
				kinds = append(kinds, f.Kind)
			}
			assert.Equal(t, tt.report, kinds, "%v", res.Report)
		})
	}
}

func TestReportContext(t *testing.T) {
	body := p("", "The first paragraph, which is long enough to need cutting at sixty characters.") +
		`<w:p><w:r><w:drawing/></w:r></w:p>`
	res, err := ReadDOCX(testDOCX(t, body, nil), Options{})
	require.NoError(t, err)
	require.Len(t, res.Report, 1)
	assert.Equal(t, "after: The first paragraph, which is long enough to need cutting at", res.Report[0].Context)
	assert.Equal(t, `image: image or drawing not imported (in "after: The first paragraph, which is long enough to need cutting at")`, res.Report[0].String())
}

func TestHeaderFooterWithText(t *testing.T) {
	rels := `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`
	res, err := ReadDOCX(testDOCX(t, p("", "Text."), map[string]string{
		"word/_rels/document.xml.rels": rels,
		"word/footer1.xml":             `<w:ftr ` + wNS + `><w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>`,
		"word/header1.xml":             `<w:hdr ` + wNS + `>` + p("", "SEC Section H – Confidential") + `</w:hdr>`,
	}), Options{})
	require.NoError(t, err)
	require.Len(t, res.Report, 1, "the footer holds a page number only: %v", res.Report)
	assert.Contains(t, res.Report[0].Message, "header text not imported")
}

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		v      int
		format string
		want   string
	}{
		{3, "decimal", "3"}, {3, "lowerLetter", "c"}, {28, "upperLetter", "BB"}, {4, "lowerRoman", "iv"},
		{1999, "upperRoman", "MCMXCIX"}, {7, "decimalZero", "07"}, {7, "ordinalText", "7"}, {5, "none", ""},
		{maxCount, "lowerLetter", "1048576"}, {maxCount, "upperRoman", "1048576"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatNumber(tt.v, tt.format), "%d %s", tt.v, tt.format)
	}
}

func TestCommentAndFootnoteTexts(t *testing.T) {
	body := `<w:p><w:commentRangeStart w:id="3"/><w:r><w:t>Text</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>`
	res, err := ReadDOCX(testDOCX(t, body, map[string]string{
		"word/comments.xml":  `<w:comments ` + wNS + `><w:comment w:id="3" w:author="A"><w:p><w:r><w:t>Check this.</w:t></w:r></w:p></w:comment></w:comments>`,
		"word/footnotes.xml": `<w:footnotes ` + wNS + `><w:footnote w:id="2"><w:p><w:r><w:t>As amended.</w:t></w:r></w:p></w:footnote></w:footnotes>`,
	}), Options{})
	require.NoError(t, err)
	require.Len(t, res.Report, 2)
	assert.Equal(t, `comment: comment 3 not imported: "Check this." (in "Text")`, res.Report[0].String())
	assert.Equal(t, `footnote: footnote 2 not imported: "As amended." (in "Text")`, res.Report[1].String())
}
