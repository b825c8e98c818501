package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// snapshot is every file of a folder and its content, to show that nothing was written.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = string(data)
		return err
	}))
	return out
}

// docxOf writes a version's body as a plain DOCX with the redline writer.
func docxOf(t *testing.T, body string) []byte {
	t.Helper()
	d := legaltext.Parse([]byte(body))
	var buf bytes.Buffer
	require.NoError(t, redline.WriteDOCX(&buf, redline.Compare(d, d), redline.DOCXOptions{Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}))
	return buf.Bytes()
}

func zipFiles(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := z.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(content))
		require.NoError(t, err)
	}
	require.NoError(t, z.Close())
	return buf.Bytes()
}

// zipBomb is a package whose document part claims to decompress to 1 GB.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store, CompressedSize64: 4, UncompressedSize64: 1 << 30})
	require.NoError(t, err)
	_, err = w.Write([]byte("<x/>"))
	require.NoError(t, err)
	require.NoError(t, z.Close())
	return buf.Bytes()
}

const newDocText = `Schedule 9: Transition Arrangements

TA1 General

TA1.1 This Schedule applies during the Transition Period.
TA1.2 The Panel shall:
(a) publish a plan; and
(b) report on it.
`

func TestImport(t *testing.T) {
	sectionH, err := os.ReadFile(filepath.Join(sampleCorpus, "documents", "section-h", "4.0.md"))
	require.NoError(t, err)
	_, hBody, _, _, _ := legaltext.FrontMatter(sectionH)
	tests := []struct {
		name    string
		file    string
		data    []byte
		args    []string
		code    int
		stdout  []string // substrings of standard output
		stderr  []string // substrings of standard error
		written map[string][]string
		nothing bool // the corpus is left as it was
	}{
		{
			name: "a new document from plain text", file: "schedule-9.txt", data: []byte(newDocText),
			args:   []string{"--doc", "schedule-9", "--version", "1.0", "--effective", "2024-03-01"},
			stdout: []string{"1 parts, 2 clauses", "report: everything was carried over", "category section: the first category", "classification red: the most restricted"},
			written: map[string][]string{
				"documents/schedule-9/document.yaml": {"title: Transition Arrangements\n", "reference: Schedule 9\n", "prefix: TA\n", "category: section\n", "classification: red\n"},
				"documents/schedule-9/1.0.md":        {"---\nversion: \"1.0\"\neffective: 2024-03-01\n---\n\n# Schedule 9: Transition Arrangements\n\n## TA1 General {#TA1}\n\n**TA1.1** This Schedule", "- (a) publish a plan; and\n- (b) report on it.\n"},
			},
		},
		{
			name: "a new version of Section H from Word, with a release", file: "h.docx", data: docxOf(t, string(hBody)),
			args:    []string{"--doc", "section-h", "--version", "5.0", "--effective", "2028-01-01", "--title", "ignored"},
			stdout:  []string{"6 parts, 50 clauses", "--title, --category and --classification are left to its document.yaml"},
			written: map[string][]string{"documents/section-h/5.0.md": {"version: \"5.0\"\neffective: 2028-01-01\n---\n", "**H1.1** "}},
		},
		{
			name: "flags chosen", file: "x.md", data: []byte("---\nx: 1\n---\n# Guide\n\nSome words.\n"),
			args:    []string{"--doc", "guide-x", "--version", "1.0", "--effective", "2024-03-01", "--category", "guidance", "--classification", "white", "--title", "A Guide"},
			written: map[string][]string{"documents/guide-x/document.yaml": {"title: A Guide\ncategory: guidance\nclassification: white\n"}, "documents/guide-x/1.0.md": {"---\n\n# Guide\n\nSome words.\n"}},
		},
		{
			name: "an existing version is refused", file: "h.docx", data: docxOf(t, string(hBody)),
			args: []string{"--doc", "section-h", "--version", "4.0", "--effective", "2027-02-25"},
			code: 2, stderr: []string{"4.0.md exists: give --force to replace it"}, nothing: true,
		},
		{
			name: "an existing version is replaced with --force", file: "h.docx", data: docxOf(t, string(hBody)),
			args:    []string{"--doc", "section-h", "--version", "4.0", "--effective", "2027-02-25", "--force"},
			written: map[string][]string{"documents/section-h/4.0.md": {"effective: 2027-02-25\n---\n\n# Section H"}},
		},
		{
			name: "a replaced version that would not validate is restored", file: "h.docx", data: docxOf(t, string(hBody)),
			args: []string{"--doc", "section-h", "--version", "4.0", "--effective", "2027-02-25", "--force", "--release", "2099-01"},
			code: 1, stderr: []string{"not imported"}, nothing: true,
		},
		{
			name: "text named .docx", file: "x.docx", data: []byte(newDocText),
			args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-03-01"},
			code: 2, stderr: []string{"x.docx: not a Word document (.docx is a zip archive): it looks like text"}, nothing: true,
		},
		{
			name: "corrupt zip", file: "x.docx", data: docxOf(t, string(hBody))[:500],
			args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-03-01"},
			code: 2, stderr: []string{"the zip archive is corrupt"}, nothing: true,
		},
		{
			name: "zip bomb", file: "x.docx", data: zipBomb(t),
			args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-03-01"},
			code: 2, stderr: []string{"would decompress to 1073741824 bytes", "zip bomb"}, nothing: true,
		},
		{
			name: "external entity", file: "x.docx",
			data: zipFiles(t, map[string]string{"word/document.xml": `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>`}),
			args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-03-01"},
			code: 2, stderr: []string{"refused: word/document.xml: XML with a DOCTYPE"}, nothing: true,
		},
		{
			name: "invalid UTF-8", file: "x.txt", data: []byte("H1.1 caf\xe9"),
			args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-03-01"},
			code: 2, stderr: []string{"not valid UTF-8"}, nothing: true,
		},
		{
			name: "strict with a report", file: "x.md", data: []byte("**X1.1** a\n\n**X1.1** b\n"),
			args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-03-01", "--strict"},
			code: 1, stdout: []string{`structure: line 3 of the text: duplicate id "X1.1"`}, stderr: []string{"--strict"}, nothing: true,
		},
		{
			name: "a corpus that would not validate: everything taken back", file: "schedule-9.txt", data: []byte(newDocText),
			args: []string{"--doc", "schedule-9", "--version", "1.0", "--effective", "2024-03-01", "--release", "2099-01"},
			code: 1, stderr: []string{"not imported: the corpus would have", "2099-01"}, nothing: true,
		},
		{
			name: "a prefix already taken", file: "schedule-9.txt", data: []byte(newDocText),
			args: []string{"--doc", "schedule-9", "--version", "1.0", "--effective", "2024-03-01", "--prefix", "H"},
			code: 2, stderr: []string{"--prefix H is already the prefix of section-h"}, nothing: true,
		},
		{
			name: "missing flags", file: "x.txt", data: []byte("x"), args: []string{"--doc", "x"},
			code: 2, stderr: []string{`--version "": want a version number`}, nothing: true,
		},
		{
			name: "a bad date", file: "x.txt", data: []byte("x"), args: []string{"--doc", "x", "--version", "1.0", "--effective", "2024-02-30"},
			code: 2, stderr: []string{"--effective:"}, nothing: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cdir := filepath.Join(dir, "corpus")
			copyDir(t, sampleCorpus, cdir)
			file := filepath.Join(dir, tt.file)
			require.NoError(t, os.WriteFile(file, tt.data, 0o644))
			before := snapshot(t, cdir)
			code, out, errOut := runCmd(t, append([]string{"import", file, "--corpus", cdir}, tt.args...)...)
			assert.Equal(t, tt.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			for _, s := range tt.stdout {
				assert.Contains(t, out, s)
			}
			for _, s := range tt.stderr {
				assert.Contains(t, errOut, s)
			}
			if tt.nothing {
				assert.Equal(t, before, snapshot(t, cdir), "the corpus changed")
				return
			}
			for rel, wants := range tt.written {
				data, err := os.ReadFile(filepath.Join(cdir, rel))
				require.NoError(t, err)
				for _, w := range wants {
					assert.Contains(t, string(data), w, rel)
				}
				assert.Contains(t, out, "wrote "+filepath.Join(cdir, rel))
			}
			_, err := corpus.Load(cdir)
			require.NoError(t, err)
			entries, err := os.ReadDir(filepath.Join(cdir, "documents"))
			require.NoError(t, err)
			for _, e := range entries {
				assert.False(t, strings.HasPrefix(e.Name(), ".import-"), "a temporary file was left: %s", e.Name())
			}
		})
	}
}

// TestImportThenRedline imports Section H 4.0, exported to Word, as 5.0: the redline of the
// two versions shows no change.
func TestImportThenRedline(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, sampleCorpus, dir)
	data, err := os.ReadFile(filepath.Join(dir, "documents", "section-h", "4.0.md"))
	require.NoError(t, err)
	_, body, _, _, _ := legaltext.FrontMatter(data)
	file := filepath.Join(t.TempDir(), "h.docx")
	require.NoError(t, os.WriteFile(file, docxOf(t, string(body)), 0o644))
	code, out, errOut := runCmd(t, "import", file, "--doc", "section-h", "--version", "5.0", "--effective", "2028-01-01", "--corpus", dir)
	require.Equal(t, 0, code, "%s%s", out, errOut)
	code, out, errOut = runCmd(t, "redline", "section-h@4.0", "section-h@5.0", "--corpus", dir, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"added": 0,
      "deleted": 0,
      "changed": 0,`)
}
