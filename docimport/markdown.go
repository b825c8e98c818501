package docimport

import (
	"bytes"
	"fmt"
	"strings"

	"codenav/legaltext"
)

// ReadMarkdown imports Markdown: the body is kept as it is (it is already our format, or
// Markdown that legaltext reads as plain blocks); front matter and a byte order mark go.
// Problems legaltext finds (duplicate ids, malformed attributes) are reported.
func ReadMarkdown(data []byte, o Options) (*Result, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if off := invalidUTF8(data); off >= 0 {
		return nil, inputErrorf("not valid UTF-8 (first bad byte at offset %d): convert it to UTF-8 first", off)
	}
	_, body, _, ok, closed := legaltext.FrontMatter(data)
	if ok && !closed {
		return nil, inputErrorf("the front matter is not closed by a --- line")
	}
	body = bytes.TrimLeft(body, "\r\n")
	md := string(body)
	if md != "" && !strings.HasSuffix(md, "\n") {
		md += "\n"
	}
	scheme, scores := o.Scheme, []legaltext.SchemeScore(nil)
	if scheme == nil && o.Prefix == "" {
		scheme, scores = legaltext.DetectScheme([]byte(md))
	}
	doc := legaltext.ParseScheme([]byte(md), scheme)
	res := &Result{Markdown: md, Source: doc.Text(), Title: doc.Title, Prefix: o.Prefix, Clauses: len(doc.Clauses()),
		Scheme: doc.Scheme(), Scores: scores}
	count := map[string]int{}
	best := 0
	for _, n := range doc.Nodes {
		if n.Kind == legaltext.KindHeading && n.Explicit {
			res.Parts++
		}
		if res.Title == "" && n.Kind == legaltext.KindHeading {
			res.Title = n.Title
		}
		if n.Kind != legaltext.KindClause {
			continue
		}
		if l := clausePrefix(n.ID); l != "" && o.Prefix == "" && res.Scheme.IsSEC() {
			count[l]++
			if count[l] > best {
				res.Prefix, best = l, count[l]
			}
		}
	}
	lines := strings.Split(md, "\n")
	for _, p := range doc.Problems {
		ctx := ""
		if p.Line >= 1 && p.Line <= len(lines) {
			ctx = clip(strings.Join(strings.Fields(lines[p.Line-1]), " "), 60)
		}
		res.Report = append(res.Report, Finding{Kind: "structure", Message: fmt.Sprintf("line %d of the text: %s", p.Line, p.Msg), Context: ctx})
	}
	return res, nil
}

// clausePrefix is the letters a clause id starts with ("H" of "H1.1").
func clausePrefix(id string) string {
	i := 0
	for i < len(id) && id[i] >= 'A' && id[i] <= 'Z' {
		i++
	}
	if i > 4 {
		return ""
	}
	return id[:i]
}
