package docimport

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// inlineCtx says where a run of inline text goes, for escaping.
type inlineCtx struct {
	table   bool // a table cell: escape |
	start   bool // the text opens a block: escape what would make it a heading, list, quote...
	heading bool // a heading: escape { (attributes) and a trailing #
	brace   bool // escape a { at the very start (it would be read as a clause's attributes)
}

var (
	entityRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
	})
	orderedMarkRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,9}[.)](?:\s|$)`) })
)

// escapeText escapes s for Markdown so that every character stays text. It returns the
// escaped text and, for each byte offset of s (and len(s)), the offset in the output.
func escapeText(s string, c inlineCtx) (string, []int) {
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	at := make([]int, len(s)+1)
	trailingHashes := len(s)
	if c.heading {
		trailingHashes = len(strings.TrimRight(s, "# "))
	}
	orderedDot := -1
	if c.start {
		if m := orderedMarkRE().FindStringIndex(s); m != nil {
			orderedDot = len(strings.TrimRight(s[:m[1]], " \t")) - 1
		}
	}
	prev := rune(-1)
	for i, r := range s {
		at[i] = b.Len()
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
		}
		for k := 1; k < size && i+k < len(s); k++ {
			at[i+k] = b.Len()
		}
		next, _ := utf8.DecodeRuneInString(s[i+size:])
		if i+size >= len(s) {
			next = -1
		}
		esc := false
		switch r {
		case '\\', '`', '*', '~':
			esc = true
		case '_':
			esc = !(isAlnum(prev) && isAlnum(next))
		case '<':
			esc = next >= 0 && (unicode.IsLetter(next) || strings.ContainsRune("/!?", next))
		case '&':
			esc = entityRE().MatchString(s[i:])
		case ']':
			esc = next == '(' || next == '[' || next == ':'
		case '|':
			esc = c.table
		case '{':
			esc = c.heading || (c.brace && i == 0)
		case '#':
			esc = (c.heading && i >= trailingHashes) || (c.start && i == 0)
		case '>', '-', '+', '=':
			esc = c.start && i == 0
		case '.', ')':
			esc = i == orderedDot
		case 0:
			r = unicode.ReplacementChar
		}
		if esc {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		prev = r
	}
	at[len(s)] = b.Len()
	return b.String(), at
}

func isAlnum(r rune) bool { return r >= 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// renderInline writes runs as Markdown: escaped text, bold as **, italic as *. Spaces at the
// edges of a formatted run go outside its markers (CommonMark would not close them).
func renderInline(runs []run, c inlineCtx) string {
	var full strings.Builder
	for _, r := range runs {
		full.WriteString(r.text)
	}
	esc, at := escapeText(full.String(), c)
	var b strings.Builder
	off := 0
	for _, r := range runs {
		seg := esc[at[off]:at[off+len(r.text)]]
		off += len(r.text)
		delim := ""
		switch {
		case r.bold && r.italic:
			delim = "***"
		case r.bold:
			delim = "**"
		case r.italic:
			delim = "*"
		}
		core := strings.Trim(seg, " ")
		if delim == "" || core == "" || strings.HasSuffix(core, `\`) && !strings.HasSuffix(core, `\\`) {
			b.WriteString(seg)
			continue
		}
		lead := seg[:strings.Index(seg, core)]
		b.WriteString(lead)
		b.WriteString(delim)
		b.WriteString(core)
		b.WriteString(delim)
		b.WriteString(seg[len(lead)+len(core):])
	}
	return b.String()
}

// plainRuns is one unformatted run of text.
func plainRuns(s string) []run {
	if s == "" {
		return nil
	}
	return []run{{text: s}}
}

// runsText is the text of runs.
func runsText(runs []run) string {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.text)
	}
	return b.String()
}

// cutRuns drops the first n bytes of the runs' text, then any spaces that follow.
func cutRuns(runs []run, n int) []run {
	var out []run
	for _, r := range runs {
		switch {
		case n >= len(r.text):
			n -= len(r.text)
			continue
		case n > 0:
			r.text = r.text[n:]
			n = 0
		}
		out = append(out, r)
	}
	return trimRuns(out)
}

// trimRuns drops spaces at the start and end of the runs, and empty runs.
func trimRuns(runs []run) []run {
	var out []run
	for _, r := range runs {
		if len(out) == 0 {
			r.text = strings.TrimLeft(r.text, " ")
		}
		if r.text != "" {
			out = append(out, r)
		}
	}
	for len(out) > 0 {
		last := &out[len(out)-1]
		last.text = strings.TrimRight(last.text, " ")
		if last.text != "" {
			break
		}
		out = out[:len(out)-1]
	}
	return out
}

// normalizeRuns turns every run of ASCII whitespace into one space, across runs, and trims
// the ends: whitespace is layout.
func normalizeRuns(runs []run) []run {
	out := make([]run, 0, len(runs))
	space := true // at the start, a space is dropped
	for _, r := range runs {
		var b strings.Builder
		for _, c := range r.text {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
				if !space {
					b.WriteByte(' ')
				}
				space = true
				continue
			}
			space = false
			b.WriteRune(c)
		}
		if b.Len() > 0 {
			out = append(out, run{text: b.String(), bold: r.bold, italic: r.italic})
		}
	}
	return trimRuns(out)
}
