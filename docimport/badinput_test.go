package docimport

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawZip writes one entry whose header declares size bytes, whatever data holds: a zip
// bomb's lie.
func rawZip(t *testing.T, name string, data []byte, declared uint64) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestSpeed)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	require.NoError(t, err)
	_, err = w.Write(comp.Bytes())
	require.NoError(t, err)
	require.NoError(t, z.Close())
	return buf.Bytes()
}

func TestBadInput(t *testing.T) {
	docx := testDOCX(t, p("", "Text."), nil)
	manyEntries := map[string]string{}
	for i := range 12 {
		manyEntries["f"+strconv.Itoa(i)] = "x"
	}
	tests := []struct {
		name   string
		file   string
		data   []byte
		limits Limits
		msg    string
	}{
		{"text named .docx", "a.docx", []byte("H1.1 Plain text."), Limits{}, "not a Word document (.docx is a zip archive): it looks like text"},
		{"PDF named .docx", "a.docx", []byte("%PDF-1.7\n..."), Limits{}, "it is a PDF"},
		{"Word 97 .doc named .docx", "a.docx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), Limits{}, "Word 97-2003"},
		{"empty zip", "a.docx", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), Limits{}, "an empty zip archive"},
		{"empty file", "a.docx", nil, Limits{}, "the file is empty"},
		{"docx named .md", "a.md", docx, Limits{}, "not a text file: it is a zip archive"},
		{"docx named .txt", "a.txt", docx, Limits{}, "not a text file"},
		{"invalid UTF-8", "a.txt", []byte("H1.1 caf\xe9\nline two"), Limits{}, "not valid UTF-8 (first bad byte at offset 8, line 1)"},
		{"UTF-16", "a.md", []byte("\xff\xfeH\x001\x00"), Limits{}, "UTF-16"},
		{"NUL byte", "a.md", []byte("abc\x00def"), Limits{}, "NUL byte at offset 3"},
		{"unknown extension", "a.pdf", []byte("x"), Limits{}, "unsupported file type"},
		{"corrupt zip", "a.docx", docx[:len(docx)/2], Limits{}, "the zip archive is corrupt"},
		{"no document part", "a.docx", zipOf(t, map[string]string{"hello.txt": "hi"}), Limits{}, "has no word/document.xml"},
		{"too many entries", "a.docx", zipOf(t, manyEntries), Limits{MaxEntries: 10}, "holds 12 entries (at most 10)"},
		{"zip bomb, declared", "a.docx", rawZip(t, "word/document.xml", []byte("<x/>"), 200<<20), Limits{}, "would decompress to 209715200 bytes"},
		{"zip bomb, lying header: stopped at the size it declares", "a.docx", rawZip(t, "word/document.xml", make([]byte, 3<<20), 10), Limits{MaxEntrySize: 1 << 20}, "word/document.xml is corrupt"},
		{"zip bomb, total", "a.docx", zipOf(t, map[string]string{"word/document.xml": strings.Repeat("a", 600), "b": strings.Repeat("b", 600)}),
			Limits{MaxTotalSize: 1000}, "more than 1000 bytes"},
		{"DOCTYPE with an external entity", "a.docx", testDOCXRaw(t, `<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document `+wNS+`><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`),
			Limits{}, "refused: word/document.xml: XML with a DOCTYPE"},
		{"undeclared entity", "a.docx", testDOCXRaw(t, `<w:document `+wNS+`><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`),
			Limits{}, "word/document.xml is not well-formed XML"},
		{"DOCTYPE in styles", "a.docx", testDOCX(t, p("", "x"), map[string]string{"word/styles.xml": `<!DOCTYPE x><w:styles ` + wNS + `/>`}), Limits{}, "refused: word/styles.xml: XML with a DOCTYPE"},
		{"another encoding", "a.docx", testDOCXRaw(t, `<?xml version="1.0" encoding="ISO-8859-1"?><w:document `+wNS+`/>`), Limits{}, "unsupported encoding"},
		{"nested too deep", "a.docx", testDOCX(t, strings.Repeat("<w:sdt>", 300)+strings.Repeat("</w:sdt>", 300), nil), Limits{}, "nests elements more than 256 deep"},
		{"unclosed element", "a.docx", testDOCXRaw(t, `<w:document `+wNS+`><w:body><w:p><w:r><w:t>x</w:t>`), Limits{}, "not well-formed XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(tt.file, tt.data, Options{Limits: tt.limits})
			require.Error(t, err)
			assert.True(t, IsInputError(err), "%v is not an input error", err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// testDOCXRaw is a package whose word/document.xml is exactly doc.
func testDOCXRaw(t *testing.T, doc string) []byte {
	return zipOf(t, map[string]string{"word/document.xml": doc})
}

func TestDuplicateEntries(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for range 2 {
		w, err := z.Create("word/document.xml")
		require.NoError(t, err)
		_, _ = w.Write([]byte(`<w:document ` + wNS + `/>`))
	}
	require.NoError(t, z.Close())
	_, err := ReadDOCX(buf.Bytes(), Options{})
	require.Error(t, err)
	assert.True(t, IsInputError(err))
	assert.Contains(t, err.Error(), "twice")
}
