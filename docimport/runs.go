package docimport

import (
	"encoding/xml"
	"io"
	"strings"
)

// run reads a w:r: its properties, then its text, tabs and breaks.
func (b *bodyReader) run() error {
	saved := b.fmt
	defer func() { b.fmt = saved }()
	b.fmt = runFmt{}
	for {
		tok, err := b.r.next()
		if err == io.EOF {
			return inputErrorf("not a valid .docx: %s ends inside a run", b.r.part)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local == "rPr" {
				if err := b.runProps(); err != nil {
					return err
				}
				continue
			}
			if err := b.element(t); err != nil {
				return err
			}
		}
	}
}

func (b *bodyReader) runProps() error {
	var bold, italic *bool
	var style string
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside run properties", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "rPr" {
				sb, si := b.st.runFormat(style)
				b.fmt.bold = pick(bold, sb)
				b.fmt.italic = pick(italic, si)
				return nil
			}
		case xml.StartElement:
			v := onOff(t)
			switch t.Name.Local {
			case "b":
				bold = &v
			case "i":
				italic = &v
			case "rStyle":
				style = attr(t, "val")
			case "vanish":
				b.fmt.hidden = v
			}
			if _, err := b.r.skip(); err != nil {
				return err
			}
		}
	}
}

func pick(direct, style *bool) bool {
	if direct != nil {
		return *direct
	}
	return style != nil && *style
}

// text reads a w:t (or m:t) element.
func (b *bodyReader) text() error {
	var s strings.Builder
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside text", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			s.Write(t)
		case xml.StartElement:
			if _, err := b.r.skip(); err != nil {
				return err
			}
		case xml.EndElement:
			if b.fmt.hidden {
				if w := strings.TrimSpace(s.String()); w != "" {
					b.m.note(b.paraID(), "hidden-text", "hidden text not imported: %q", clip(w, 60))
				}
				return nil
			}
			b.add(s.String())
			return nil
		}
	}
}

// add appends text to the current paragraph with the current run's formatting, unless it
// belongs to a field's instruction.
func (b *bodyReader) add(s string) {
	if b.p == nil || s == "" {
		return
	}
	for _, f := range b.fields {
		if !f.result || !b.fieldResults {
			return
		}
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r', '\v', '\f', '\u00ad':
			if r == '\u00ad' {
				return -1 // a soft hyphen is not text
			}
			return ' '
		}
		return r
	}, s)
	// Pieces of the same formatting are joined once the paragraph ends (mergeRuns).
	b.p.runs = append(b.p.runs, run{text: s, bold: b.fmt.bold, italic: b.fmt.italic})
}

// mergeRuns joins neighbouring runs of the same formatting.
func mergeRuns(runs []run) []run {
	var out []run
	var sb strings.Builder
	for i, r := range runs {
		sb.WriteString(r.text)
		if i+1 < len(runs) && runs[i+1].bold == r.bold && runs[i+1].italic == r.italic {
			continue
		}
		out = append(out, run{text: sb.String(), bold: r.bold, italic: r.italic})
		sb.Reset()
	}
	return out
}
