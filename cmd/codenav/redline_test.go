package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redlineCorpus is the bundled sample, seen from this package's folder.
var redlineCorpus = filepath.Join("..", "..", "corpus", "sec")

func runRedline(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"redline"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestRedlineCommand(t *testing.T) {
	dir := t.TempDir()
	oldMD := writeFile(t, dir, "old.md", "---\nversion: \"1.0\"\n---\n# Title\n\n**H1.1** The DCC shall reply.\n")
	newMD := writeFile(t, dir, "new.md", "---\nversion: \"2.0\"\n---\n# Title\n\n**H1.1** The DCC must reply.\n")
	oldTXT := writeFile(t, dir, "old.txt", "1. Definitions\n\n a. \"Work\" means the work.\n")
	newTXT := writeFile(t, dir, "new.txt", "1. Definitions\n\n a. \"Work\" means the licensed work.\n")

	cases := []struct {
		name string
		args []string
		code int
		want []string // in stdout
		not  []string
		err  string // in stderr
	}{
		{name: "markdown files to html", args: []string{oldMD, newMD}, code: 0,
			want: []string{"<!DOCTYPE html>", "<del><span class=\"rl-sr\">[deleted: </span>shall", "must", "H1.1: changed"},
			not:  []string{"version: "}},
		{name: "flags after the files", args: []string{oldMD, newMD, "--format", "json"}, code: 0,
			want: []string{`"format": "codenav-redline/1"`, `"op": "insert"`, `"text": "must"`}},
		{name: "flags before the files", args: []string{"--format=json", oldMD, newMD}, code: 0,
			want: []string{`"kind": "changed"`}},
		{name: "plain text", args: []string{oldTXT, newTXT, "--format", "json"}, code: 0,
			want: []string{`"text": " licensed"`}},
		{name: "corpus versions", args: []string{"section-h@1.0", "section-h@2.0", "--corpus", redlineCorpus}, code: 0,
			want: []string{"H14.6 → H14.5: renumbered", "H14.5: deleted", "Redline: section-h@1.0 → section-h@2.0"}},
		{name: "changes only", args: []string{"section-h@1.0", "section-h@2.0", "--corpus", redlineCorpus, "--changes-only", "--context", "0"}, code: 0,
			want: []string{"unchanged blocks not shown"}, not: []string{"H1.1 A Party shall not send"}},
		{name: "one argument", args: []string{oldMD}, code: 2, err: "want OLD and NEW, got 1"},
		{name: "unknown format", args: []string{oldMD, newMD, "--format", "pdf"}, code: 2, err: `unknown format "pdf"`},
		{name: "unknown flag", args: []string{oldMD, newMD, "--colour"}, code: 2, err: "flag provided but not defined"},
		{name: "missing version", args: []string{"section-h@9.9", "section-h@1.0", "--corpus", redlineCorpus}, code: 1, err: "no version 9.9 of document section-h"},
		{name: "not a file nor a version", args: []string{filepath.Join(dir, "nope.md"), newMD}, code: 1, err: "nope.md"},
		{name: "path in a version", args: []string{"../../etc@passwd", newMD}, code: 1, err: "not a file, and not DOC@VERSION"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runRedline(t, c.args...)
			require.Equal(t, c.code, code, "stderr: %s", stderr)
			for _, w := range c.want {
				assert.Contains(t, stdout, w)
			}
			for _, w := range c.not {
				assert.NotContains(t, stdout, w)
			}
			if c.err != "" {
				assert.Contains(t, stderr, c.err)
			}
		})
	}
}

func TestRedlineInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.md", "text\n")
	bad := writeFile(t, dir, "bad.md", "line one\nline \xff two\n")
	for _, args := range [][]string{{bad, good}, {good, bad, "--format", "docx", "-o", filepath.Join(dir, "x.docx")}} {
		code, stdout, stderr := runRedline(t, args...)
		assert.Equal(t, 2, code)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "bad.md: not valid UTF-8 (first bad byte at offset 14, line 2)")
	}
	_, err := os.Stat(filepath.Join(dir, "x.docx"))
	assert.True(t, os.IsNotExist(err), "nothing is written for a refused input")
}

func TestRedlineWritesFiles(t *testing.T) {
	dir := t.TempDir()
	docx := filepath.Join(dir, "h.docx")
	code, stdout, stderr := runRedline(t, "section-h@1.0", "section-h@3.0", "--corpus", redlineCorpus, "--format", "docx", "-o", docx, "--author", "Drafter")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout, "with -o nothing goes to standard output")
	assert.Contains(t, stderr, "h.docx: ")
	zr, err := zip.OpenReader(docx)
	require.NoError(t, err)
	defer zr.Close()
	var body []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			require.NoError(t, err)
			var b bytes.Buffer
			_, err = b.ReadFrom(rc)
			require.NoError(t, err)
			rc.Close()
			body = b.Bytes()
		}
	}
	require.NotNil(t, body, "word/document.xml")
	assert.Contains(t, string(body), `w:author="Drafter"`)
	assert.Contains(t, string(body), "<w:ins ")
	// The body opens with what it compares and who made the changes.
	assert.Contains(t, string(body), `<w:body><w:p><w:pPr><w:pStyle w:val="RedlineAbout"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Redline: section-h@1.0 → section-h@3.0</w:t>`)
	assert.Contains(t, string(body), `Changes by Drafter; redline made `)

	js := filepath.Join(dir, "h.json")
	code, _, stderr = runRedline(t, "--format", "json", "-o", js, "section-h@1.0", "section-h@3.0", "--corpus", redlineCorpus)
	require.Equal(t, 0, code, stderr)
	raw, err := os.ReadFile(js)
	require.NoError(t, err)
	var v struct {
		Format string `json:"format"`
		Blocks []struct {
			Kind string `json:"kind"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(raw, &v))
	assert.Equal(t, "codenav-redline/1", v.Format)
	assert.NotEmpty(t, v.Blocks)
}

func TestRedlineInUsage(t *testing.T) {
	var out bytes.Buffer
	run(context.Background(), []string{"help"}, &out, &out)
	assert.True(t, strings.Contains(out.String(), "codenav redline"))
}

func TestRedlineGC(t *testing.T) {
	cases := []struct {
		name, gogc, gomemlimit string
		percent                int
		limit                  int64
		ok                     bool
	}{
		{"default: off until the limit", "", "", -1, redlineHeapLimit, true},
		{"GOMEMLIMIT set: off until it", "", "1GiB", -1, 0, true},
		{"GOGC set: left to it", "100", "", 0, 0, false},
		{"both set: left to them", "200", "1GiB", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			percent, limit, ok := redlineGC(c.gogc, c.gomemlimit)
			assert.Equal(t, c.ok, ok)
			if ok {
				assert.Equal(t, c.percent, percent)
				assert.Equal(t, c.limit, limit)
			}
		})
	}
}
