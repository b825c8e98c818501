package docimport

import (
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strings"
)

const (
	relOfficeDocument = "/officeDocument"
	relStyles         = "/styles"
	relNumbering      = "/numbering"
)

// ReadDOCX imports a WordprocessingML document (.docx).
func ReadDOCX(data []byte, o Options) (*Result, error) {
	m, err := readDOCXModel(data, o.Limits.orDefault())
	if err != nil {
		return nil, err
	}
	return mapModel(m, o)
}

// readDOCXModel reads the package into the model the mapper works from.
func readDOCXModel(data []byte, lim Limits) (*docModel, error) {
	a, err := openArchive(data, lim)
	if err != nil {
		return nil, err
	}
	mainPart, err := a.mainPart()
	if err != nil {
		return nil, err
	}
	rels, err := a.rels(mainPart)
	if err != nil {
		return nil, err
	}
	st := styles{}
	if name := a.related(mainPart, rels, relStyles, "styles.xml"); name != "" {
		b, err := a.entry(name)
		if err != nil {
			return nil, err
		}
		if st, err = parseStyles(name, b); err != nil {
			return nil, err
		}
	}
	num := newNumbering(st)
	if name := a.related(mainPart, rels, relNumbering, "numbering.xml"); name != "" {
		b, err := a.entry(name)
		if err != nil {
			return nil, err
		}
		if err := num.parse(name, b); err != nil {
			return nil, err
		}
	}
	body, err := a.entry(mainPart)
	if err != nil {
		return nil, err
	}
	br := newBodyReader(mainPart, body, st, num)
	for _, n := range []struct{ typ, usual, kind string }{
		{"/comments", "comments.xml", "comment"}, {"/footnotes", "footnotes.xml", "footnote"}, {"/endnotes", "endnotes.xml", "endnote"},
	} {
		if name := a.related(mainPart, rels, n.typ, n.usual); name != "" {
			if err := a.noteTexts(name, n.kind, br.notes); err != nil {
				return nil, err
			}
		}
	}
	if err := br.read(); err != nil {
		return nil, err
	}
	if err := a.headersFooters(mainPart, rels, br.m); err != nil {
		return nil, err
	}
	return br.m, nil
}

// mainPart finds the main document part through the package relationships, or at its usual
// name.
func (a *archive) mainPart() (string, error) {
	rels, err := a.rels("")
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, relOfficeDocument) && !r.external {
			name := resolve("", r.target)
			if a.has(name) {
				return name, nil
			}
		}
	}
	if a.has("word/document.xml") {
		return "word/document.xml", nil
	}
	return "", inputErrorf("not a Word document: the archive has no word/document.xml")
}

type relationship struct {
	id, typ, target string
	external        bool
}

// rels reads the relationships of a part ("" for the package's own).
func (a *archive) rels(part string) ([]relationship, error) {
	name := "_rels/.rels"
	if part != "" {
		name = relsName(part)
	}
	data, err := a.entry(name)
	if errors.Is(err, errNoEntry) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := newXMLReader(name, data)
	var out []relationship
	for {
		tok, err := r.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "Relationship" {
			out = append(out, relationship{id: attr(t, "Id"), typ: attr(t, "Type"), target: attr(t, "Target"),
				external: strings.EqualFold(attr(t, "TargetMode"), "External")})
		}
	}
}

// related returns the entry a relationship of type typ points to, or the usual file name
// next to the main part, or "" when there is neither.
func (a *archive) related(part string, rels []relationship, typ, usual string) string {
	for _, r := range rels {
		if strings.HasSuffix(r.typ, typ) && !r.external {
			if name := resolve(part, r.target); a.has(name) {
				return name
			}
		}
	}
	if name := resolve(part, usual); a.has(name) {
		return name
	}
	return ""
}

// headersFooters reports the headers and footers that hold words (page numbers alone are
// layout): their text is not part of the version.
func (a *archive) headersFooters(part string, rels []relationship, m *docModel) error {
	var names []string
	for _, r := range rels {
		if r.external || !(strings.HasSuffix(r.typ, "/header") || strings.HasSuffix(r.typ, "/footer")) {
			continue
		}
		if name := resolve(part, r.target); a.has(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := a.entry(name)
		if err != nil {
			return err
		}
		hm, err := readPartText(name, data)
		if err != nil {
			return err
		}
		if len(Words(hm)) > 0 {
			kind := "header"
			if strings.Contains(name, "footer") {
				kind = "footer"
			}
			m.note(-1, "layout", "%s text not imported (%s): %q", kind, name, clip(hm, 60))
		}
	}
	return nil
}

// readPartText is the visible text of a header or footer: its w:t outside field codes.
func readPartText(name string, data []byte) (string, error) {
	br := newBodyReader(name, data, styles{}, newNumbering(styles{}))
	br.fieldResults = false // a page number is layout
	if err := br.read(); err != nil {
		return "", err
	}
	var parts []string
	for _, b := range br.m.blocks {
		if b.para != nil {
			parts = append(parts, b.para.fullText())
		}
		if b.table != nil {
			for _, row := range b.table.rows {
				for _, c := range row {
					for _, p := range c.paras {
						parts = append(parts, p.fullText())
					}
				}
			}
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " "), nil
}

// noteTexts reads the text of each comment, footnote or endnote of a part into notes, by
// "kind:id", for the report.
func (a *archive) noteTexts(name, kind string, notes map[string]string) error {
	data, err := a.entry(name)
	if err != nil {
		return err
	}
	r := newXMLReader(name, data)
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == kind {
			id := attr(t, "id")
			text, err := r.skip()
			if err != nil {
				return err
			}
			notes[kind+":"+id] = text
		}
	}
}
