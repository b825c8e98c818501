package index

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A corpus given as a symbolic link (a deployment's "current" link) is fingerprinted as the
// folder it points to: the same index serves both paths. It used to fail with "read …: is a
// directory", because WalkDir does not follow a link at its root.
func TestFingerprintFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	require.NoError(t, os.MkdirAll(filepath.Join(real, "documents", "a"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(real, "code.yaml"), []byte("id: x\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(real, "documents", "a", "1.0.md"), []byte("one\n"), 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(real, link))

	want, err := Fingerprint(real)
	require.NoError(t, err)
	got, err := Fingerprint(link)
	require.NoError(t, err, "a linked corpus is fingerprinted")
	assert.Equal(t, want, got, "the link and its folder are the same corpus")

	// A link to a file inside counts as the file's bytes, as the loader reads them; a link
	// to a folder inside is not followed (neither does the loader) and fails nothing.
	outside := filepath.Join(dir, "outside.md")
	require.NoError(t, os.WriteFile(outside, []byte("two\n"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(real, "documents", "a", "2.0.md")))
	require.NoError(t, os.Symlink(filepath.Join(real, "documents"), filepath.Join(real, "loop")))
	withLink, err := Fingerprint(link)
	require.NoError(t, err)
	assert.NotEqual(t, want, withLink)
	require.NoError(t, os.WriteFile(outside, []byte("three\n"), 0o644))
	changed, err := Fingerprint(link)
	require.NoError(t, err)
	assert.NotEqual(t, withLink, changed, "the linked file's bytes are fingerprinted")

	_, err = Fingerprint(filepath.Join(dir, "missing"))
	assert.Error(t, err)
}
