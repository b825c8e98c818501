package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleCorpus is the bundled sample, seen from this package's folder.
var sampleCorpus = filepath.Join("..", "..", "corpus", "sec")

// copyDir copies the files of src into dst, recursively.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidateSample(t *testing.T) {
	code, out, errOut := runCmd(t, "validate", "--corpus", sampleCorpus)
	assert.Equal(t, 0, code, "stderr: %s", errOut)
	assert.Contains(t, out, "ok")
	assert.Contains(t, out, sampleCorpus+": ok: 22 documents")
	assert.Empty(t, errOut)
}

var problemLineRE = regexp.MustCompile(`^(.+?):(\d+): (.+)$`)

func TestValidateBroken(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, sampleCorpus, dir)
	g := filepath.Join(dir, "documents", "section-g", "1.0.md")
	data, err := os.ReadFile(g)
	require.NoError(t, err)
	// Break a clause number, and a field of the front matter.
	text := strings.Replace(string(data), "**G3.20**", "**X3.20**", 1)
	text = strings.Replace(text, "effective: 2019-03-01", "effective: 2019-03-01\nstatus: draft", 1)
	require.NoError(t, os.WriteFile(g, []byte(text), 0o644))

	code, out, errOut := runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 1, code)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.NotEmpty(t, lines)
	for _, l := range lines {
		m := problemLineRE.FindStringSubmatch(l)
		require.NotNil(t, m, "not path:line: message: %q", l)
		assert.True(t, strings.HasPrefix(m[1], dir), "path %q is not in the corpus", m[1])
	}
	assert.Contains(t, lines, g+`:4: unknown field "status" (expected one of: version, effective, release, modifications)`)
	assert.Contains(t, out, g+":")
	assert.Contains(t, out, "clause X3.20 does not start with the document's prefix G")
	assert.Contains(t, errOut, "problem(s)")
}

func TestValidateMissingCorpus(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nowhere")
	code, out, _ := runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 1, code)
	assert.Equal(t, dir+": not a corpus folder (it should hold code.yaml, documents/, releases/, modifications/)\n", out)
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"no command", nil, 2, "", "Usage:"},
		{"help", []string{"help"}, 0, "Usage:", ""},
		{"bad flag", []string{"validate", "--nope"}, 2, "", "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tc.args...)
			assert.Equal(t, tc.code, code)
			if tc.stdout == "" {
				assert.Empty(t, out)
			} else {
				assert.Contains(t, out, tc.stdout)
			}
			if tc.stderr == "" {
				assert.Empty(t, errOut)
			} else {
				assert.Contains(t, errOut, tc.stderr)
			}
		})
	}
}
