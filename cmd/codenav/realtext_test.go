package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const realtextDir = "../../../shared/realtext"

// Each version of a real statute, code section and contract imports as a new version of one
// document: the scheme is detected and said, written to document.yaml, and the clauses
// counted are those derived by hand from the text (see legaltext's TestRealTextClauses).
func TestImportRealText(t *testing.T) {
	if _, err := os.Stat(realtextDir); err != nil {
		t.Skipf("no real text at %s (a fresh clone has no ../shared): %v", realtextDir, err)
	}
	sets := []struct {
		doc, scheme string
		files       []string
		clauses     []int
	}{
		{"urhg", "german-statute", []string{"urhg/urhg@bb3f0178.md", "urhg/urhg@5710c0a6.md"}, []int{206, 252}},
		{"dc-code", "us-code", []string{"dc-code/dc-50-2201.03@fae43afd.md", "dc-code/dc-50-2201.03@902d7e2c.md",
			"dc-code/dc-50-2201.03@e2769e09.md"}, []int{12, 12, 12}},
		{"site-policy", "numbered-headings", []string{"site-policy/github-terms-of-service@04c8757.md",
			"site-policy/github-terms-of-service@a7eb36c.md", "site-policy/github-terms-of-service@bd28587.md",
			"site-policy/github-terms-of-service@348ff86.md"}, []int{65, 69, 57, 58}},
		// Plain text: sections "1. Definitions" to "8. Miscellaneous" (2.0 to 3.0), "Section 1 –
		// Definitions." to "Section 8 – Interpretation." (4.0): eight in each.
		{"cc-by", "outline", []string{"cc-by/cc-by@v2.0.txt", "cc-by/cc-by@v2.5.txt", "cc-by/cc-by@v3.0.txt", "cc-by/cc-by@v4.0.txt"},
			[]int{8, 8, 8, 8}},
	}
	dir := t.TempDir()
	copyDir(t, sampleCorpus, dir)
	for _, set := range sets {
		for k, f := range set.files {
			v := fmt.Sprintf("%d.0", k+1)
			code, out, errOut := runCmd(t, "import", filepath.Join(realtextDir, f), "--doc", set.doc, "--version", v,
				"--effective", fmt.Sprintf("2030-0%d-01", k+1), "--classification", "white", "--corpus", dir)
			require.Equal(t, 0, code, "%s: %s%s", f, out, errOut)
			assert.Contains(t, out, fmt.Sprintf(" %d clauses", set.clauses[k]), f)
			if k == 0 {
				assert.Contains(t, out, "numbering: "+set.scheme+", detected", f)
				meta, err := os.ReadFile(filepath.Join(dir, "documents", set.doc, "document.yaml"))
				require.NoError(t, err)
				assert.Contains(t, string(meta), "numbering: "+set.scheme+"\n")
			} else {
				assert.Contains(t, out, "numbering: "+set.scheme+", the document's", f)
			}
		}
	}
	code, out, errOut := runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 0, code, "%s%s", out, errOut)
	// The redline of two imported versions locates its changes by unit.
	code, out, errOut = runCmd(t, "redline", "dc-code@1.0", "dc-code@2.0", "--corpus", dir, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"§ 50-2201.03(j)(1A)(A)"`)
}

// What is not text is refused, with a message and exit status 2, by import and by redline.
func TestRefuseNotText(t *testing.T) {
	files := map[string]string{
		"law.md":      "<?xml version=\"1.0\"?>\n<law><section num=\"1\">Text</section></law>\n",
		"page.md":     "<!DOCTYPE html>\n<html><body><p>Text</p></body></html>\n",
		"tags.txt":    "<law><section><num>1</num><text>Words</text></section></law>\n",
		"empty.md":    "---\ntitle: nothing\n---\n\n",
		"blank.txt":   "\n  \n\t\n",
		"binary.md":   "PK\x03\x04 binary",
		"nul.txt":     "words\x00more",
		"good.md":     "# Law\n\n## § 1 Scope\n\n(1) Words.\n",
		"another.txt": "Plain words.\n",
	}
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	want := map[string]string{"law.md": "XML", "page.md": "HTML", "tags.txt": "XML", "empty.md": "empty", "blank.txt": "empty",
		"binary.md": "not a text file", "nul.txt": "NUL"}
	corpusDir := t.TempDir()
	copyDir(t, sampleCorpus, corpusDir)
	for name, msg := range want {
		p := filepath.Join(dir, name)
		code, out, errOut := runCmd(t, "import", p, "--doc", "x-doc", "--version", "1.0", "--effective", "2030-01-01", "--corpus", corpusDir)
		assert.Equal(t, 2, code, "import %s: %s", name, out)
		assert.Contains(t, errOut, msg, "import %s", name)
		code, _, errOut = runCmd(t, "redline", p, filepath.Join(dir, "good.md"))
		assert.Equal(t, 2, code, "redline %s", name)
		assert.Contains(t, errOut, name, "redline %s names the file", name)
		code, _, _ = runCmd(t, "redline", filepath.Join(dir, "good.md"), p)
		assert.Equal(t, 2, code, "redline good.md %s", name)
	}
	code, _, errOut := runCmd(t, "redline", filepath.Join(dir, "good.md"), filepath.Join(dir, "good.md"))
	assert.Equal(t, 0, code, errOut)
}
