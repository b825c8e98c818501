package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update-redline-golden", false, "rewrite testdata/redline-golden.txt from the current output")

// redlineGolden holds the SHA-256 of the command's output for every pair of versions of the
// sample corpus, so that work on the command's speed cannot change a byte of what it writes.
const redlineGolden = "testdata/redline-golden.txt"

// docxStamp is the time a DOCX redline is made, written into it: masked before hashing.
var docxStamp = regexp.MustCompile(`\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ| \d\d:\d\d UTC)`)

// redlineDigest hashes a redline: HTML and JSON as written, a DOCX as its entries' names and
// contents in order, the time it was made masked.
func redlineDigest(t *testing.T, format string, out []byte) string {
	t.Helper()
	if format != "docx" {
		s := sha256.Sum256(out)
		return hex.EncodeToString(s[:])
	}
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	require.NoError(t, err)
	h := sha256.New()
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		fmt.Fprintf(h, "%s %d\n", f.Name, f.Method)
		h.Write(docxStamp.ReplaceAll(b, []byte("STAMP")))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestRedlineOutputUnchanged compares the command's output, byte for byte, with the one
// recorded for each pair of consecutive versions (and first to last) of every document of the
// sample corpus, in each format, and with --changes-only.
func TestRedlineOutputUnchanged(t *testing.T) {
	docs, err := os.ReadDir(filepath.Join(redlineCorpus, "documents"))
	require.NoError(t, err)
	var lines []string
	for _, d := range docs {
		files, err := filepath.Glob(filepath.Join(redlineCorpus, "documents", d.Name(), "*.md"))
		require.NoError(t, err)
		var vs []string
		for _, f := range files {
			vs = append(vs, strings.TrimSuffix(filepath.Base(f), ".md"))
		}
		slices.Sort(vs)
		var pairs [][2]string
		for i := 1; i < len(vs); i++ {
			pairs = append(pairs, [2]string{vs[i-1], vs[i]})
		}
		if len(vs) > 2 {
			pairs = append(pairs, [2]string{vs[0], vs[len(vs)-1]})
		}
		for _, p := range pairs {
			a, b := d.Name()+"@"+p[0], d.Name()+"@"+p[1]
			for _, opts := range [][]string{{"--format", "html"}, {"--format", "json"}, {"--format", "docx"},
				{"--format", "html", "--changes-only", "--context", "0"}} {
				code, stdout, stderr := runRedline(t, append([]string{a, b, "--corpus", redlineCorpus}, opts...)...)
				require.Equal(t, 0, code, stderr)
				lines = append(lines, fmt.Sprintf("%s %s %s %s", a, b, strings.Join(opts, " "), redlineDigest(t, opts[1], []byte(stdout))))
			}
		}
	}
	require.Greater(t, len(lines), 100, "pairs of the sample corpus")
	got := strings.Join(lines, "\n") + "\n"
	if *updateGolden {
		require.NoError(t, os.MkdirAll(filepath.Dir(redlineGolden), 0o755))
		require.NoError(t, os.WriteFile(redlineGolden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(redlineGolden)
	require.NoError(t, err, "make it with go test ./cmd/codenav -run TestRedlineOutputUnchanged -update-redline-golden")
	wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	require.Len(t, lines, len(wantLines))
	for i := range lines {
		assert.Equal(t, wantLines[i], lines[i], "redline output changed")
	}
}
