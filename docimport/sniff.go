package docimport

import (
	"bytes"
	"unicode/utf8"
)

var (
	zipMagic      = []byte("PK\x03\x04")
	emptyZipMagic = []byte("PK\x05\x06")
	// oleMagic starts a Compound File: a Word 97-2003 .doc, or a password-protected .docx.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	pdfMagic = []byte("%PDF-")
	rtfMagic = []byte(`{\rtf`)
)

// sniff checks that data is what format f says, by its first bytes.
func sniff(f Format, data []byte) error {
	switch f {
	case FormatDOCX:
		switch {
		case bytes.HasPrefix(data, zipMagic):
			return nil
		case bytes.HasPrefix(data, emptyZipMagic):
			return inputErrorf("not a Word document: an empty zip archive")
		}
		return inputErrorf("not a Word document (.docx is a zip archive): %s", describe(data))
	default:
		if bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, emptyZipMagic) ||
			bytes.HasPrefix(data, oleMagic) || bytes.HasPrefix(data, pdfMagic) || bytes.HasPrefix(data, rtfMagic) {
			return inputErrorf("not a text file: %s", describe(data))
		}
		if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
			return inputErrorf("the text is UTF-16: save it as UTF-8 first")
		}
		if i := bytes.IndexByte(data, 0); i >= 0 {
			return inputErrorf("not a text file: it holds a NUL byte at offset %d", i)
		}
		if off := invalidUTF8(data); off >= 0 {
			return inputErrorf("not valid UTF-8 (first bad byte at offset %d, line %d): convert it to UTF-8 first",
				off, bytes.Count(data[:off], []byte("\n"))+1)
		}
	}
	return nil
}

// describe names what data looks like, for a message.
func describe(data []byte) string {
	switch {
	case len(data) == 0:
		return "the file is empty"
	case bytes.HasPrefix(data, oleMagic):
		return "it is a Word 97-2003 .doc or a password-protected file: save it as an unprotected .docx"
	case bytes.HasPrefix(data, pdfMagic):
		return "it is a PDF"
	case bytes.HasPrefix(data, rtfMagic):
		return "it is RTF: save it as .docx"
	case bytes.HasPrefix(data, zipMagic):
		return "it is a zip archive"
	case utf8.Valid(data[:min(len(data), 512)]):
		return "it looks like text"
	}
	return "unknown content"
}

// invalidUTF8 returns the offset of the first byte of data that is not valid UTF-8, or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
