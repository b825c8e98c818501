package server

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
)

// The search page writes its hits, facets and suggestions in Go rather than ranging over
// them in its template: html/template spends microseconds on every value it prints
// (reflection, an escaper called through reflection), which at a hundred facet links and
// twenty hits was most of the cost of a search outside the index. These writers escape
// exactly as html/template does in the two contexts used, so the page is byte for byte the
// one the template wrote (htmlesc_test.go checks them against html/template itself).

// htmlText writes s as html/template writes a string in text or in a quoted attribute's
// value: NUL, quotes, &, + and angle brackets replaced. Every byte replaced is ASCII, so
// a byte-wise scan equals html/template's rune-wise one.
func htmlText(b *bytes.Buffer, s string) {
	i := 0
	for i < len(s) && !htmlSpecial[s[i]] {
		i++
	}
	if i == len(s) {
		b.WriteString(s) // most text: nothing to replace
		return
	}
	written := 0
	for ; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// htmlInt writes n as html/template prints an int.
func htmlInt(b *bytes.Buffer, n int) {
	var d [20]byte
	b.Write(strconv.AppendInt(d[:0], int64(n), 10))
}

// htmlURLAttr writes s as html/template writes a string that is the whole value of a
// double-quoted href: an unsafe scheme replaced, the URL normalised (bytes outside URLs
// percent-encoded), then escaped for the attribute.
func htmlURLAttr(b *bytes.Buffer, s string) {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") &&
		!strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
		s = "#ZgotmplZ"
	}
	if !urlNeedsNormalising(s) {
		htmlText(b, s)
		return
	}
	var n bytes.Buffer
	n.Grow(len(s) + 16)
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeeps(s, i) {
			continue
		}
		n.WriteString(s[written:i])
		n.WriteByte('%')
		n.WriteByte(lowerHex[c>>4])
		n.WriteByte(lowerHex[c&15])
		written = i + 1
	}
	n.WriteString(s[written:])
	htmlText(b, n.String())
}

// attrURL is what htmlURLAttr writes of s.
func attrURL(s string) string {
	var b bytes.Buffer
	htmlURLAttr(&b, s)
	return b.String()
}

const lowerHex = "0123456789abcdef"

func urlNeedsNormalising(s string) bool {
	for i := 0; i < len(s); i++ {
		if !urlPlain[s[i]] && !urlKeeps(s, i) {
			return true
		}
	}
	return false
}

// htmlSpecial marks the bytes htmlText replaces; urlPlain the bytes the URL normaliser keeps
// wherever they are (all but %); queryPlain those url.QueryEscape keeps.
var htmlSpecial, urlPlain, queryPlain = func() (h, u, q [256]bool) {
	for _, c := range []byte("\x00\"&'+<>") {
		h[c] = true
	}
	for c := 0; c < 256; c++ {
		u[c] = c != '%' && urlKeeps(string([]byte{byte(c)}), 0)
		q[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
	}
	return h, u, q
}()

// queryEscape is url.QueryEscape, without its byte-by-byte function calls for the ids and
// words that need no escaping.
func queryEscape(s string) string {
	for i := 0; i < len(s); i++ {
		if !queryPlain[s[i]] {
			return url.QueryEscape(s)
		}
	}
	return s
}

// urlKeeps reports whether html/template's URL normaliser leaves byte i of s as it is:
// unreserved and reserved characters, and a % that starts a valid escape.
func urlKeeps(s string, i int) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']', '-', '.', '_', '~':
		return true
	case '%':
		return i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2])
	}
	return false
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
