package legaltext

import (
	"bytes"
	"fmt"
)

// InputLimits bound the Markdown that a request may hand to Parse. Text from the corpus is
// trusted (it was validated and reviewed); text posted by a reader is not, and some shapes of
// Markdown cost time that grows with the square of their size in any CommonMark parser:
// containers nested thousands deep on one line ("> > > ...", "- - - ... x"), thousands of
// unclosed link openers in one paragraph ("[a](" repeated). CheckInput refuses those shapes
// before parsing, so that the cost of a parse grows with the size of its input only.
type InputLimits struct {
	// MaxBytes is the size of the largest text.
	MaxBytes int
	// MaxLines is the most lines a text may have.
	MaxLines int
	// MaxDepth is the deepest nesting of block quotes and list items opened on one line.
	MaxDepth int
	// MaxInlineWork bounds the sum, over the paragraphs of the text, of the number of inline
	// openers in a paragraph ("[", "<", runs of "*", "_", "~" or "`") times its length: the
	// parser looks for the end of each through the rest of its paragraph.
	MaxInlineWork int
}

// DefaultInputLimits fit the largest document of a real code (a few hundred KB of Markdown,
// a definitions table of thousands of rows) with room to spare, and keep a parse of the
// largest allowed text within a fraction of a second.
func DefaultInputLimits() InputLimits {
	return InputLimits{MaxBytes: 2 << 20, MaxLines: 50000, MaxDepth: 6, MaxInlineWork: 64 << 20}
}

// InputError is text refused by CheckInput: what is wrong, and where.
type InputError struct {
	Line int // 1-based; 0 when the whole text is at fault
	Msg  string
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// CheckInput reports the first limit src goes past, in one pass over it.
func CheckInput(src []byte, lim InputLimits) error {
	if lim.MaxBytes > 0 && len(src) > lim.MaxBytes {
		return &InputError{Msg: fmt.Sprintf("the text is %d bytes; at most %d are accepted", len(src), lim.MaxBytes)}
	}
	if lim.MaxLines > 0 {
		if n := bytes.Count(src, []byte{'\n'}) + 1; n > lim.MaxLines {
			return &InputError{Msg: fmt.Sprintf("the text has %d lines; at most %d are accepted", n, lim.MaxLines)}
		}
	}
	var (
		line      = 0
		paraStart = 0 // line of the paragraph being read
		paraLen   = 0
		marks     = 0 // link openers and delimiter runs in the paragraph
		work      = 0 // inline work of the paragraphs so far
	)
	endPara := func() error {
		work += marks * paraLen
		if lim.MaxInlineWork > 0 && work > lim.MaxInlineWork {
			return &InputError{Line: paraStart, Msg: fmt.Sprintf("too much inline markup in long paragraphs (the paragraph here has %d of \"[\", \"<\", \"*\", \"_\", \"~\" or \"`\" in %d bytes); split paragraphs or remove markup", marks, paraLen)}
		}
		paraLen, marks = 0, 0
		return nil
	}
	for len(src) > 0 {
		line++
		l := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if len(bytes.TrimSpace(l)) == 0 {
			if err := endPara(); err != nil {
				return err
			}
			continue
		}
		if paraLen == 0 {
			paraStart = line
		}
		paraLen += len(l) + 1
		marks += inlineMarks(l)
		if lim.MaxDepth > 0 {
			if d := containerDepth(l); d > lim.MaxDepth {
				return &InputError{Line: line, Msg: fmt.Sprintf("block quotes and list items nested %d deep; at most %d are accepted", d, lim.MaxDepth)}
			}
		}
	}
	return endPara()
}

// containerDepth counts the block quote markers and list markers that open one inside another
// at the start of a line ("> - 1. text" is 3).
func containerDepth(l []byte) int {
	d, i := 0, 0
	for {
		for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			i++
		}
		if i >= len(l) {
			return d
		}
		switch c := l[i]; {
		case c == '>':
			i++
		case c == '-' || c == '*' || c == '+':
			if i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' {
				return d
			}
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 10 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j >= len(l) || (l[j] != '.' && l[j] != ')') || (j+1 < len(l) && l[j+1] != ' ' && l[j+1] != '\t') {
				return d
			}
			i = j + 1
		default:
			return d
		}
		d++
	}
}

// inlineMarks counts the link openers, the runs of emphasis delimiters and code span
// backticks, and the "<" that may open raw HTML or an autolink, in a line.
func inlineMarks(l []byte) int {
	n := 0
	for i := 0; i < len(l); i++ {
		switch c := l[i]; c {
		case '[':
			n++
		case '*', '_', '~', '`', '<':
			n++
			for i+1 < len(l) && l[i+1] == c {
				i++
			}
		}
	}
	return n
}
