package docimport

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxDepth bounds how deeply the XML of a part may nest; Word nests a few tens of levels.
const maxDepth = 256

// xmlReader reads the tokens of one part. It refuses any DOCTYPE (and so any entity
// declaration: encoding/xml never resolves external entities, and we do not let a document
// declare any) and nesting deeper than maxDepth.
type xmlReader struct {
	part  string
	dec   *xml.Decoder
	depth int
}

func newXMLReader(part string, data []byte) *xmlReader {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// Only UTF-8 (and UTF-16 is refused by encoding/xml itself): a part that declares
	// another encoding is refused rather than guessed.
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8") {
			return input, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", charset)
	}
	return &xmlReader{part: part, dec: d}
}

var errDoctype = errors.New("XML with a DOCTYPE (entity declarations are never resolved)")

// next returns the next token that matters: start and end elements and character data.
// io.EOF ends the part.
func (r *xmlReader) next() (xml.Token, error) {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, wrapInput(err, "not a valid .docx: %s is not well-formed XML", r.part)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, wrapInput(errDoctype, "refused: %s", r.part)
		case xml.StartElement:
			r.depth++
			if r.depth > maxDepth {
				return nil, inputErrorf("refused: %s nests elements more than %d deep", r.part, maxDepth)
			}
			return t, nil
		case xml.EndElement:
			r.depth--
			return t, nil
		case xml.CharData:
			return t, nil
		}
		// Comments and processing instructions carry nothing we read.
	}
}

// skip consumes the rest of the element whose start was just read, returning the text of
// its w:t (or a:t, m:t) and w:delText descendants, for a report.
func (r *xmlReader) skip() (string, error) {
	var b strings.Builder
	inText := false
	for d := 1; d > 0; {
		tok, err := r.next()
		if err != nil {
			if err == io.EOF {
				return "", inputErrorf("not a valid .docx: %s ends inside an element", r.part)
			}
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d++
			inText = t.Name.Local == "t" || t.Name.Local == "delText"
		case xml.EndElement:
			d--
			if inText && b.Len() < 200 {
				b.WriteByte(' ')
			}
			inText = false
		case xml.CharData:
			if inText && b.Len() < 200 {
				b.Write(t)
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// attr returns the value of the attribute with the given local name ("val"), or "".
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// onOff reads a WordprocessingML toggle (<w:b/>, <w:b w:val="0"/>).
func onOff(e xml.StartElement) bool {
	switch attr(e, "val") {
	case "0", "false", "off", "none":
		return false
	}
	return true
}

// skipFind consumes the rest of the element whose start was just read and reports whether
// it holds an element of the given local name.
func (r *xmlReader) skipFind(local string) (bool, error) {
	found := false
	for d := 1; d > 0; {
		tok, err := r.next()
		if err != nil {
			if err == io.EOF {
				return false, inputErrorf("not a valid .docx: %s ends inside an element", r.part)
			}
			return false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d++
			found = found || t.Name.Local == local
		case xml.EndElement:
			d--
		}
	}
	return found, nil
}
