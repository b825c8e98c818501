package legaltext

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseText parses plain text that follows no Markdown at all (a licence, a contract pasted
// from elsewhere): every paragraph (lines up to a blank line) is a block. Indentation is
// layout, not code, so nothing is lost to Markdown's rules.
func ParseText(src []byte) *Doc {
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	d := &Doc{src: src, text: string(src), plain: true}
	lines := lineStarts(src)
	var (
		cur       *Node
		text      strings.Builder // the text of cur
		textLines []int           // the offset in text at which each line of cur starts
		srcStart  int             // the offset in src at which cur starts
	)
	finish := func(end int) {
		if cur == nil {
			return
		}
		cur.Source = d.text[srcStart:end]
		cur.Text = text.String()
		cur.Refs = FindRefs(cur.Text)
		for j := range cur.Refs {
			cur.Refs[j].Line = cur.Line + max(lineOf(textLines, cur.Refs[j].Start)-1, 0)
		}
	}
	k, sawBlank := 0, false
	for i, start := range lines {
		end := len(src)
		if i+1 < len(lines) {
			end = lines[i+1]
		}
		line := src[start:end]
		blank := len(bytes.TrimSpace(line)) == 0
		// A paragraph is its lines up to a blank line; leading blank lines go with the first.
		if cur == nil || (!blank && sawBlank && text.Len() > 0) {
			finish(start)
			k++
			cur = &Node{Kind: KindBlock, ID: "p-" + strconv.Itoa(k), Line: i + 1}
			d.Nodes = append(d.Nodes, cur)
			text.Reset()
			textLines, srcStart = nil, start
		}
		sawBlank = blank
		if !blank {
			if text.Len() > 0 {
				text.WriteByte(' ')
			} else {
				cur.Line = i + 1 // leading blank lines are not the paragraph's line
			}
			textLines = append(textLines, text.Len())
			text.Write(bytes.TrimSpace(line))
		}
	}
	finish(len(src))
	return d
}

// FrontMatter splits a leading YAML front matter block ("---" lines) from a Markdown file.
// It returns the YAML, the body, and the 1-based line on which the body starts. ok is false
// when the file has no front matter; an unclosed block is reported as closed=false.
func FrontMatter(src []byte) (yaml, body []byte, bodyLine int, ok, closed bool) {
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return nil, src, 1, false, false
	}
	rest := src[bytes.IndexByte(src, '\n')+1:]
	line := 2
	off := 0
	for off < len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
			end = len(rest) - off
		} else {
			l = rest[off : off+end]
			end++
		}
		if strings.TrimRight(string(l), "\r ") == "---" {
			return rest[:off], rest[off+end:], line + 1, true, true
		}
		off += end
		line++
	}
	return rest, nil, line, true, false
}
