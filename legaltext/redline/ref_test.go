package redline

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"codenav/legaltext"
)

// The reference implementations below are the preparation of a node as it was written before
// it was made fast (one pass, fewer copies, no regular expressions on every line, nodes shared
// by the two versions prepared once). The tests in fastpath_test.go hold the fast code to them:
// the same text, the same paragraphs with the same styles, the same wording key.

// refPrepared is what refPrepare computes of one node.
type refPrepared struct {
	text, full, norm string
	lns              []srcLine
}

func refPrepare(n *legaltext.Node) refPrepared {
	t := refCleanText(n.Text)
	ls := refSplitLines(n, t)
	return refPrepared{text: t, full: refNormalize(t), norm: refWordingKey(ls), lns: ls}
}

func refNormalize(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	refDelimRowRE = regexp.MustCompile(`(?m)^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)
	refSubLabelRE = regexp.MustCompile(`^\((?:[a-z]{1,4}|[A-Z]{1,2}|\d{1,3})\)\s`)
	refCommentRE  = regexp.MustCompile(`^<!--.*-->$`)
)

func refSplitLines(n *legaltext.Node, text string) []srcLine {
	raw := strings.Split(text, "\n")
	out := make([]srcLine, 0, len(raw))
	if n.Kind == legaltext.KindHeading {
		if t := refNormalize(text); t != "" {
			out = append(out, srcLine{text: t, style: StyleHeading, level: n.Level})
		}
		return out
	}
	table := strings.Contains(n.Source, "|") && strings.Contains(n.Source, "-") && refDelimRowRE.MatchString(n.Source)
	// The items of the node's Markdown lists, by marker (ordered lists) and first words.
	var items map[string]string
	for _, src := range strings.Split(n.Source, "\n") {
		if marker, rest, ok := listItem(src); ok {
			if k := refAlnumKey(rest); len(k) >= 3 {
				if items == nil {
					items = map[string]string{}
				}
				items[k] = marker
			}
		}
	}
	if pl, ok := refPlainItems(n, text); ok {
		raw = pl
	}
	for _, r := range raw {
		t := refNormalize(r)
		if t == "" {
			continue
		}
		l := srcLine{text: t, style: StyleParagraph, hidden: strings.HasPrefix(t, "<!--") && refCommentRE.MatchString(t)}
		if m := ordMarker(t); m != "" && items != nil {
			if mk, ok := items[refAlnumKey(t[len(m):])]; ok && mk == m[:len(m)-1] {
				l.marker, l.style = mk, StyleItem
			}
		}
		switch {
		case l.marker != "":
		case table && strings.Contains(t, " | "):
			l.style = StyleRow
		case t[0] == '(' && refSubLabelRE.MatchString(t+" "):
			l.style = StyleItem
		case items != nil && items[refAlnumKey(t)] != "":
			l.style = StyleItem
		}
		out = append(out, l)
	}
	return out
}
func refWordingKey(ls []srcLine) string {
	var b strings.Builder
	for _, l := range ls {
		if l.hidden {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l.rest())
	}
	return b.String()
}
func refAlnumKey(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			if n++; n == 24 {
				break
			}
		}
	}
	return b.String()
}
func refPlainItems(n *legaltext.Node, text string) ([]string, bool) {
	if strings.Contains(text, "\n") || !strings.Contains(strings.TrimSpace(n.Source), "\n") {
		return nil, false
	}
	var segs []string
	for _, l := range strings.Split(n.Source, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			segs = append(segs, t)
		}
	}
	if strings.Join(segs, " ") != n.Text {
		return nil, false
	}
	var out []string
	cur := ""
	for _, sg := range segs {
		switch {
		case cur == "":
			cur = sg
		case plainItem(sg):
			out = append(out, cur)
			cur = sg
		default:
			cur += " " + sg
		}
	}
	out = append(out, cur)
	if len(out) < 2 {
		return nil, false
	}
	// The cleaned text, line by line.
	for k := range out {
		out[k] = refCleanText(out[k])
	}
	return out, true
}
func refCleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	clean := true
	for _, r := range s {
		if !xmlChar(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case xmlChar(r):
			return r
		case r == '\v' || r == '\f':
			return ' '
		default:
			return unicode.ReplacementChar
		}
	}, s)
}
