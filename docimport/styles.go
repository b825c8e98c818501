package docimport

import (
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// style is what we need of one style of styles.xml.
type style struct {
	id, name, basedOn string
	kind              string // paragraph, character, table, numbering
	outline           int    // w:outlineLvl + 1; 0 when not set
	numID             string // w:numPr/w:numId
	ilvl              int    // w:numPr/w:ilvl, -1 when not set
	bold, italic      *bool  // run properties (character styles)
}

// styles are the styles of a document by id.
type styles map[string]*style

var headingNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^heading\s*([1-9])$`) })

// parseStyles reads word/styles.xml.
func parseStyles(part string, data []byte) (styles, error) {
	r := newXMLReader(part, data)
	out := styles{}
	var cur *style
	inRPr := false
	for {
		tok, err := r.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				cur = &style{id: attr(t, "styleId"), kind: attr(t, "type"), ilvl: -1}
				if cur.kind == "" {
					cur.kind = "paragraph"
				}
				out[cur.id] = cur
			case "name":
				if cur != nil {
					cur.name = attr(t, "val")
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = attr(t, "val")
				}
			case "outlineLvl":
				if cur != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
						cur.outline = n + 1
					}
				}
			case "numId":
				if cur != nil {
					cur.numID = attr(t, "val")
				}
			case "ilvl":
				if cur != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
						cur.ilvl = n
					}
				}
			case "rPr":
				inRPr = true
			case "b", "i":
				if cur != nil && inRPr {
					v := onOff(t)
					if t.Name.Local == "b" {
						cur.bold = &v
					} else {
						cur.italic = &v
					}
				}
			case "docDefaults", "latentStyles":
				if _, err := r.skip(); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "style":
				cur = nil
			case "rPr":
				inRPr = false
			}
		}
	}
}

// maxChain bounds how far basedOn links are followed (they may loop in a broken file).
const maxChain = 16

// chain returns the style and those it is based on, nearest first.
func (s styles) chain(id string) []*style {
	var out []*style
	for i := 0; i < maxChain && id != ""; i++ {
		st := s[id]
		if st == nil {
			break
		}
		out = append(out, st)
		id = st.basedOn
	}
	return out
}

// headingLevel returns the heading level (1-9) of paragraph style id, 0 for none, and
// whether it is the Title style. A style is a heading by its id (Heading1), its name
// ("heading 1") or an outline level, its own or inherited.
func (s styles) headingLevel(id string) (level int, title bool) {
	if id == "" {
		return 0, false
	}
	for _, st := range s.chain(id) {
		if n, ok := headingByName(st.id, st.name); ok {
			return n, false
		}
		if isTitleStyle(st.id, st.name) {
			return 0, true
		}
		if st.outline > 0 {
			return st.outline, false
		}
	}
	if n, ok := headingByName(id, ""); ok {
		return n, false // a style the file uses but does not define
	}
	return 0, isTitleStyle(id, "")
}

func headingByName(id, name string) (int, bool) {
	for _, s := range []string{name, id} {
		if m := headingNameRE().FindStringSubmatch(strings.ToLower(strings.TrimSpace(s))); m != nil {
			return int(m[1][0] - '0'), true
		}
	}
	return 0, false
}

func isTitleStyle(id, name string) bool {
	return strings.EqualFold(id, "Title") || strings.EqualFold(name, "Title")
}

// isListStyle reports whether a paragraph style is one of the list paragraph styles
// ("List Paragraph", "List Bullet 2", ...).
func (s styles) isListStyle(id string) bool {
	for _, st := range s.chain(id) {
		n := strings.ToLower(st.name)
		if strings.HasPrefix(n, "list paragraph") || strings.HasPrefix(n, "list bullet") || strings.HasPrefix(n, "list number") {
			return true
		}
	}
	l := strings.ToLower(id)
	return strings.HasPrefix(l, "listparagraph") || strings.HasPrefix(l, "listbullet") || strings.HasPrefix(l, "listnumber")
}

// isTableRowStyle reports the style codenav's redline writer gives a table row written as a
// paragraph.
func (s styles) isTableRowStyle(id string) bool {
	if id == "TableRow" {
		return true
	}
	st := s[id]
	return st != nil && strings.EqualFold(st.name, "Table Row")
}

// isRedlineAbout reports the style of the block with which codenav's Word redline states
// what it compares (redline.AboutStyle).
func (s styles) isRedlineAbout(id string) bool {
	if id == "RedlineAbout" {
		return true
	}
	st := s[id]
	return st != nil && strings.EqualFold(st.name, "Redline About")
}

// numbering returns the numbering a paragraph style gives its paragraphs (numId, ilvl; ilvl
// -1 when the style does not say).
func (s styles) numbering(id string) (string, int) {
	for _, st := range s.chain(id) {
		if st.numID != "" {
			return st.numID, st.ilvl
		}
	}
	return "", -1
}

// runFormat returns the bold and italic a character style gives (nil: not set).
func (s styles) runFormat(id string) (bold, italic *bool) {
	for _, st := range s.chain(id) {
		if bold == nil {
			bold = st.bold
		}
		if italic == nil {
			italic = st.italic
		}
	}
	return bold, italic
}
