package docimport

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// sampleDocs is the bundled sample's documents folder, seen from this package.
var sampleDocs = filepath.Join("..", "corpus", "sec", "documents")

// realText is the folder of real legal texts shared between projects (absent on a fresh clone).
var realText = filepath.Join("..", "..", "shared", "realtext")

type sample struct {
	name string // doc@version
	path string
	body []byte // without front matter
}

// samples returns every version of every document of the sample corpus.
func samples(t testing.TB) []sample {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sampleDocs, "*", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no sample versions under %s", sampleDocs)
	sort.Strings(paths)
	out := make([]sample, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		_, body, _, ok, closed := legaltext.FrontMatter(data)
		require.True(t, ok && closed, p)
		name := filepath.Base(filepath.Dir(p)) + "@" + strings.TrimSuffix(filepath.Base(p), ".md")
		out = append(out, sample{name: name, path: p, body: body})
	}
	return out
}

// shortSamples is every sample version, or under -short every nth of them (a spread over the
// documents, the same each run) for tests that start an external program per version: a
// pandoc run takes about a second on the 2-core machine.
func shortSamples(t testing.TB, n int) []sample {
	all := samples(t)
	if !testing.Short() {
		return all
	}
	var out []sample
	for i := 0; i < len(all); i += n {
		out = append(out, all[i])
	}
	return out
}

// wordsOf is the words of a Markdown body as legaltext reads it.
func wordsOf(md []byte) []string { return Words(legaltext.Parse(md).Text()) }

// requireSameWords fails with the first difference between two word lists.
func requireSameWords(t testing.TB, want, got []string, what string) {
	t.Helper()
	if i := firstDifference(want, got); i >= 0 {
		require.Failf(t, "words differ", "%s: at word %d of %d/%d: want %q, got %q", what, i, len(want), len(got),
			around(want, i), around(got, i))
	}
}

// redlineDOCX writes body as a plain DOCX with codenav's redline writer: the redline of a
// version against itself has no changes.
func redlineDOCX(t testing.TB, body []byte) []byte {
	t.Helper()
	d := legaltext.Parse(body)
	var buf bytes.Buffer
	require.NoError(t, redline.WriteDOCX(&buf, redline.Compare(d, d), redline.DOCXOptions{Date: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}))
	return buf.Bytes()
}

// needTool returns the path of a program, or skips the test saying what is missing.
func needTool(t testing.TB, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (%s): skipping", name, why)
	}
	return p
}

// pandoc converts input to the format to (docx, odt, html) and returns the bytes.
func pandoc(t testing.TB, input []byte, from, to string) []byte {
	t.Helper()
	bin := needTool(t, "pandoc", "Debian package pandoc")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.md"), filepath.Join(dir, "out."+to)
	require.NoError(t, os.WriteFile(in, input, 0o644))
	cmd := exec.Command(bin, "-f", from, "-t", to, "-o", out, in)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "pandoc: %s", msg)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	return data
}

// soffice converts every file of inputs (name -> bytes) to DOCX with LibreOffice in one run
// and returns the DOCX bytes by the same names. It runs with a profile of its own, so that
// it neither disturbs nor waits for another LibreOffice.
func soffice(t testing.TB, inputs map[string][]byte) map[string][]byte {
	t.Helper()
	skipLibreOfficeIfShort(t)
	bin := needTool(t, "soffice", "Debian package libreoffice-writer-nogui")
	dir := t.TempDir()
	var args []string
	args = append(args, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", filepath.Join(dir, "out"))
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, inputs[name], 0o644))
		args = append(args, p)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "soffice: %s", msg)
	out := map[string][]byte{}
	for _, name := range names {
		p := filepath.Join(dir, "out", strings.TrimSuffix(name, filepath.Ext(name))+".docx")
		data, err := os.ReadFile(p)
		require.NoError(t, err, "soffice made no %s: %s", p, msg)
		out[name] = data
	}
	return out
}

// zipOf writes files (name -> content) as a zip archive, in name order.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := z.Create(n)
		require.NoError(t, err)
		_, err = w.Write([]byte(files[n]))
		require.NoError(t, err)
	}
	require.NoError(t, z.Close())
	return buf.Bytes()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// testDOCX is a tiny DOCX writer for tests: body is the content of w:body; parts adds or
// replaces parts (word/styles.xml, word/numbering.xml...).
func testDOCX(t testing.TB, body string, parts map[string]string) []byte {
	t.Helper()
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`,
	}
	for k, v := range parts {
		files[k] = v
	}
	return zipOf(t, files)
}

// p is a paragraph of plain text for testDOCX, with an optional style.
func p(style, text string) string {
	pr := ""
	if style != "" {
		pr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + pr + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

// skipLibreOfficeIfShort skips a test that runs LibreOffice under -short: one conversion run
// takes one to two minutes on the 2-core machine. go test without -short (.ci/run) runs it.
func skipLibreOfficeIfShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("LibreOffice conversions take minutes: skipped under -short (go test ./..., as .ci/run does, runs them)")
	}
}
