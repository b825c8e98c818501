package docimport

import (
	"bytes"

	"codenav/legaltext"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// clauseLineRE is a line that opens with a clause number: it starts a paragraph.
var clauseLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z]{1,5}[0-9]+(?:\.[0-9]+)+[A-Z]?\.?\s`) })

// ReadText imports plain text. Paragraphs are separated by blank lines; inside one, a line
// that opens with a clause number ("H1.1 ...") or a label ("(a)", "a.", "iv.", "1.") at no
// deeper indentation than the paragraph's first line starts a new paragraph, so that
// wrapped clauses and lists come apart. A first paragraph of one short line is the title; a
// line of its own such as "H1 User Entry Process" is a part heading.
func ReadText(data []byte, o Options) (*Result, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if off := invalidUTF8(data); off >= 0 {
		return nil, inputErrorf("not valid UTF-8 (first bad byte at offset %d): convert it to UTF-8 first", off)
	}
	res, err := mapModel(textModel(string(data)), o)
	if err != nil || o.Prefix != "" || res.Clauses > 0 {
		return res, err
	}
	// No clause numbers of the SEC's: read the text in the numbering that finds the most.
	s, scores := o.Scheme, []legaltext.SchemeScore(nil)
	if s == nil {
		s, scores = legaltext.DetectScheme([]byte(res.Markdown))
	}
	if !s.IsSEC() {
		res.Scheme, res.Scores = s, scores
		res.Clauses = len(legaltext.ParseScheme([]byte(res.Markdown), s).Clauses())
	}
	return res, nil
}

func textModel(s string) *docModel {
	m := &docModel{plain: true}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var (
		lines  []string // the lines of the paragraph being read
		indent int      // the indentation of its first line
		group  int      // lines in the blank-line-separated group so far
	)
	flush := func(groupEnd bool) {
		if len(lines) == 0 {
			return
		}
		text := strings.Join(lines, " ")
		p := &para{list: -1, id: len(m.texts), runs: []run{{text: text}}}
		trimmed := strings.TrimSpace(text)
		_, p.item = labelOf(trimmed, true)
		p.emphatic = len(lines) == 1 && groupEnd && group == 1 && len(trimmed) <= 120
		if len(m.blocks) == 0 && p.emphatic && !p.item && !clauseLineRE().MatchString(trimmed+" ") &&
			len(trimmed) <= 100 && !strings.HasSuffix(trimmed, ".") && startsWithLetter(trimmed) {
			p.title = true
		}
		m.texts = append(m.texts, text)
		m.blocks = append(m.blocks, block{para: p})
		lines = nil
	}
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			flush(true)
			group = 0
			continue
		}
		ind := len(line) - len(strings.TrimLeft(line, " \t"))
		_, labelled := labelOf(t, true)
		if len(lines) > 0 && ind <= indent && (labelled || clauseLineRE().MatchString(t+" ")) {
			flush(false)
		}
		if len(lines) == 0 {
			indent = ind
		}
		lines = append(lines, t)
		group++
	}
	flush(true)
	return m
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}
