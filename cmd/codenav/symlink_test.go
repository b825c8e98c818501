package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linkTo returns a symbolic link to dir (an absolute one, as a deployment's "current" link).
func linkTo(t *testing.T, dir string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	require.NoError(t, err)
	link := filepath.Join(t.TempDir(), "corpus-link")
	require.NoError(t, os.Symlink(abs, link))
	return link
}

// `codenav index --corpus LINK` used to fail with "fingerprint LINK: read LINK: is a
// directory"; validate and index must treat a linked corpus as the folder it points to.
func TestLinkedCorpus(t *testing.T) {
	link := linkTo(t, sampleCorpus)
	code, out, errOut := runCmd(t, "validate", "--corpus", link)
	assert.Equal(t, 0, code, "stderr: %s", errOut)
	assert.Contains(t, out, "ok: 22 documents")

	data := t.TempDir()
	code, out, errOut = runCmd(t, "index", "--corpus", link, "--data", data)
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "817 clause texts")
	code, out, errOut = runCmd(t, "search", "--corpus", link, "--data", data, "security sub-committee")
	assert.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.NotEmpty(t, out)
}

// `release build` validates a copy of the corpus with the new files; through a link it used
// to copy nothing (WalkDir does not follow the root) and report the copy as broken.
func TestReleaseBuildLinkedCorpus(t *testing.T) {
	link := linkTo(t, unbuiltSample(t))
	code, out, errOut := runCmd(t, "release", "build", "2027-02", "--corpus", link, "--dry-run")
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "dry run: nothing written")
}
