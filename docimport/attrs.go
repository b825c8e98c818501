package docimport

import (
	"regexp"
	"strings"
	"sync"
)

// Attributes written as text in a document ("{parties="dcc"}" after a clause number,
// "{#H1 parties="..."}" at the end of a heading) are codenav's applicability: a document
// exported from codenav and edited in Word keeps them, and they come back as attributes.

var (
	// clauseAttrTextRE is an attribute block at the start of a clause's text.
	clauseAttrTextRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\{\s*((?:[A-Za-z][\w-]*\s*=\s*"[^"{}\n]*"\s*)+)\}`) })
	// headingAttrTextRE is an attribute block at the end of a heading.
	headingAttrTextRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\s*\{#([A-Za-z0-9][\w.()-]*)((?:\s+[A-Za-z][\w-]*\s*=\s*"[^"{}\n]*")*)\s*\}$`)
	})
	attrPairTextRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([A-Za-z][\w-]*)\s*=\s*"([^"]*)"`) })
)

// straightQuotes turns the curly quotes a word processor may have put in attributes back
// into straight ones.
func straightQuotes(s string) string {
	return strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u2033", `"`).Replace(s)
}

// attrPairs checks the pairs of an attribute block: only parties, roles and duties, each once, each
// with at least one value; it returns them normalised (`parties="a b"`), or false.
func attrPairs(s string) (string, bool) {
	seen := map[string]bool{}
	var out []string
	rest := strings.TrimSpace(s)
	for _, m := range attrPairTextRE().FindAllStringSubmatch(s, -1) {
		name, vals := m[1], strings.Fields(m[2])
		if (name != "parties" && name != "roles" && name != "duties") || seen[name] || len(vals) == 0 {
			return "", false
		}
		seen[name] = true
		out = append(out, name+`="`+strings.Join(vals, " ")+`"`)
		rest = strings.TrimSpace(strings.Replace(rest, m[0], "", 1))
	}
	return strings.Join(out, " "), rest == ""
}

// clauseAttrs finds an attribute block at the start of s (a clause's text after its
// number). It returns the attribute (`{parties="dcc"}`) and the length of s it takes.
func clauseAttrs(s string) (string, int) {
	norm := straightQuotes(s)
	m := clauseAttrTextRE().FindStringSubmatchIndex(norm)
	if m == nil {
		return "", 0
	}
	pairs, ok := attrPairs(norm[m[2]:m[3]])
	if !ok {
		return "", 0
	}
	// The curly quotes are three bytes each: map the end back into s.
	return "{" + pairs + "}", origLen(s, norm[:m[1]])
}

// headingAttrs finds an attribute block at the end of a heading's text. It returns the id,
// the other attributes (` parties="..."`) and the text before the block.
func headingAttrs(s string) (id, rest, text string, ok bool) {
	norm := straightQuotes(s)
	m := headingAttrTextRE().FindStringSubmatchIndex(norm)
	if m == nil {
		return "", "", s, false
	}
	pairs := ""
	if m[4] < m[5] && strings.TrimSpace(norm[m[4]:m[5]]) != "" {
		p, ok := attrPairs(norm[m[4]:m[5]])
		if !ok {
			return "", "", s, false
		}
		pairs = " " + p
	}
	return norm[m[2]:m[3]], pairs, s[:origLen(s, norm[:m[0]])], true
}

// origLen returns how many bytes of s make up prefix, a prefix of straightQuotes(s).
func origLen(s, prefix string) int {
	n := 0
	for i, r := range s {
		if n >= len(prefix) {
			return i
		}
		switch r {
		case '\u201c', '\u201d', '\u201e', '\u2033':
			n++
		default:
			n += len(string(r))
		}
	}
	return len(s)
}
