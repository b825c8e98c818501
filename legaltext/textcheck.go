package legaltext

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// NotTextError says why an input is not a legal text to read: markup of another format,
// binary data, or nothing at all.
type NotTextError struct{ Reason string }

func (e *NotTextError) Error() string { return e.Reason }

// CheckText refuses what is not text to parse as Markdown or plain text: XML or HTML (a
// redline of its tags would be a redline of markup, not of law), binary data, and a
// document with no words. body is the text without front matter.
func CheckText(body []byte) error {
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	for _, m := range magics {
		if bytes.HasPrefix(body, []byte(m.prefix)) {
			return &NotTextError{"binary data, not text: " + m.what}
		}
	}
	if i := bytes.IndexByte(body, 0); i >= 0 {
		return &NotTextError{fmt.Sprintf("binary data, not text (a NUL byte at offset %d)", i)}
	}
	if !utf8.Valid(body) {
		return &NotTextError{"not valid UTF-8: convert it to UTF-8 first"}
	}
	head := body[:min(len(body), 4096)]
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	if ctl*20 > len(head) {
		return &NotTextError{"binary data, not text (control characters)"}
	}
	t := bytes.TrimSpace(body)
	if len(t) == 0 || bytes.IndexFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return &NotTextError{"the document is empty: it has no words"}
	}
	if kind := markupKind(t); kind != "" {
		return &NotTextError{kind + ", not Markdown or plain text: convert it to Markdown first"}
	}
	return nil
}

// magics are the first bytes of binary formats someone may give for a text.
var magics = []struct{ prefix, what string }{
	{"PK\x03\x04", "a zip archive (a .docx? import it as .docx)"},
	{"PK\x05\x06", "an empty zip archive"},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "a Word 97-2003 or other Compound File"},
	{"%PDF-", "a PDF"},
	{"{\\rtf", "RTF"},
	{"\x1f\x8b", "gzip data"},
}

// markupKind names the markup a text is written in ("XML", "HTML"), or "" when it is not
// mostly markup. A Markdown text may hold a tag or two; one that opens with an XML
// declaration, a doctype or a root element and is mostly tags is another format.
func markupKind(t []byte) string {
	lower := bytes.ToLower(t[:min(len(t), 512)])
	switch {
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return "XML"
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")):
		return "HTML"
	case bytes.HasPrefix(lower, []byte("<!doctype")):
		return "XML"
	}
	if t[0] != '<' {
		return ""
	}
	// Mostly tags: more bytes inside <...> than outside.
	in, inside := 0, false
	for _, c := range t {
		switch {
		case c == '<':
			inside = true
		case c == '>':
			inside = false
			in++
		case inside:
			in++
		}
	}
	if 2*in < len(t) {
		return ""
	}
	for _, tag := range []string{"<html", "<body", "<div", "<p>", "<p ", "<table", "<span", "<head"} {
		if bytes.Contains(lower, []byte(tag)) {
			return "HTML"
		}
	}
	return "XML"
}
