package docimport

import (
	"archive/zip"
	"bytes"
	"testing"
	"time"
)

// FuzzDOCX feeds the DOCX reader packages built from fuzzed parts (document, numbering,
// styles), and fuzzed bytes as a whole archive. It must never panic, must answer every
// input quickly, and must either refuse the input as bad input or keep every word.
func FuzzDOCX(f *testing.F) {
	bodies := []string{
		p("Title", "Section H") + p("Heading1", "H1 Part {#H1 parties=\"dcc\"}") + p("", "H1.1 {parties=\"dcc\"} Text *with* [marks](x) & <b>."),
		numbered("", "", "Heading2", "Part") + numbered("", "", "Clause", "Clause:") + numbered("5", "0", "", "one") + numbered("5", "1", "", "two"),
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Expression</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Meaning</w:t></w:r></w:p></w:tc></w:tr>` +
			`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>Term | x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
		`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>REF x</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
			`<w:ins><w:r><w:t>in</w:t></w:r></w:ins><w:del><w:r><w:delText>out</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
	}
	for _, b := range bodies {
		doc := `<w:document ` + wNS + `><w:body>` + b + `</w:body></w:document>`
		f.Add([]byte(doc), []byte(numberingXML), []byte(stylesXML), []byte(nil))
	}
	f.Add([]byte(nil), []byte(nil), []byte(nil), testDOCX(f, p("", "H1.1 Text."), map[string]string{"word/numbering.xml": numberingXML}))
	f.Fuzz(func(t *testing.T, doc, numbering, styles, raw []byte) {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		for name, data := range map[string][]byte{"word/document.xml": doc, "word/numbering.xml": numbering, "word/styles.xml": styles} {
			w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(data); err != nil {
				t.Fatal(err)
			}
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		for _, input := range [][]byte{buf.Bytes(), raw} {
			start := time.Now()
			res, err := ReadDOCX(input, Options{})
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %v on %d bytes", d, len(input))
			}
			if err != nil && !IsInputError(err) {
				t.Fatalf("not an input error: %v", err) // the words check failed: a bug
			}
			if err == nil && len(res.Markdown) > 16*len(input)+1024 {
				t.Fatalf("%d bytes of Markdown from %d bytes of input", len(res.Markdown), len(input))
			}
		}
	})
}
