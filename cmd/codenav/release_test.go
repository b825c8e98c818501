package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// february2027 are the versions the February 2027 release made in the sample, from the legal
// text of MP140 and MP143.
var february2027 = []string{"section-h/4.0.md", "appendix-ad/3.0.md", "section-g/3.0.md", "scf/3.0.md"}

// unbuiltSample copies the sample corpus to a temporary folder and removes the versions of
// the February 2027 release, as they were before it was built.
func unbuiltSample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, sampleCorpus, dir)
	for _, f := range february2027 {
		require.NoError(t, os.Remove(filepath.Join(dir, "documents", filepath.FromSlash(f))))
	}
	return dir
}

// filesOf is every file of a folder and its content.
func filesOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = string(data)
		return err
	})
	require.NoError(t, err)
	return out
}

func replaceOnce(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), old), "%s must hold %q once", path, old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
}

// addModification adds MP150 to a copy of the sample: approved for the February 2027
// release (which does not list it yet), with legal text for Section H drafted against 3.0:
// the text of 3.0 with the replacements given.
func addModification(t *testing.T, dir string, replacements ...string) {
	t.Helper()
	m := filepath.Join(dir, "modifications", "MP150")
	require.NoError(t, os.MkdirAll(filepath.Join(m, "legal-text"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(m, "modification.yaml"), []byte(`id: MP150
title: Clarifying the DCC User Gateway
sample: true
type: modification-proposal
path: self-governance
stage: decision
status: approved
raised: 2026-01-10
decided: 2026-10-01
release: 2027-02
parties: [dcc]
documents: [section-h]
`), 0o644))
	data, err := os.ReadFile(filepath.Join(sampleCorpus, "documents", "section-h", "3.0.md"))
	require.NoError(t, err)
	text := string(data)
	text = "---\nbase: \"3.0\"\n---\n" + text[strings.Index(text, "\n---\n")+5:]
	for i := 0; i+1 < len(replacements); i += 2 {
		require.Equal(t, 1, strings.Count(text, replacements[i]), replacements[i])
		text = strings.Replace(text, replacements[i], replacements[i+1], 1)
	}
	require.NoError(t, os.WriteFile(filepath.Join(m, "legal-text", "section-h.md"), []byte(text), 0o644))
}

func TestReleaseBuildSample(t *testing.T) {
	dir := unbuiltSample(t)
	before := filesOf(t, dir)

	// A dry run says what it would do and writes nothing.
	code, out, errOut := runCmd(t, "release", "build", "2027-02", "--corpus", dir, "--dry-run")
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "section-h 3.0 -> 4.0 (MP140): 2 clause(s) added, 4 changed, 1 deleted")
	assert.Contains(t, out, "dry run: nothing written")
	assert.Equal(t, before, filesOf(t, dir))

	// The build makes the versions the sample has, byte for byte.
	code, out, errOut = runCmd(t, "release", "build", "2027-02", "--corpus", dir)
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "built 4 version(s)")
	for _, f := range february2027 {
		want, err := os.ReadFile(filepath.Join(sampleCorpus, "documents", filepath.FromSlash(f)))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(dir, "documents", filepath.FromSlash(f)))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), f)
	}
	code, _, _ = runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 0, code)

	// Twice changes nothing.
	built := filesOf(t, dir)
	code, out, errOut = runCmd(t, "release", "build", "2027-02", "--corpus", dir)
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "section-h: already built for this release (version 4.0, MP140)")
	assert.Contains(t, out, "already built: nothing to write")
	assert.Equal(t, built, filesOf(t, dir))

	// So does building the bundled sample, which is built already.
	code, out, _ = runCmd(t, "release", "build", "2027-02", "--corpus", sampleCorpus, "--dry-run")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "already built: nothing to write")
}

func TestReleaseBuildMergesOneClause(t *testing.T) {
	// MP140 changes the end of H3.1; MP150 changes its start.
	dir := unbuiltSample(t)
	addModification(t, dir, "The DCC shall provide the DCC User Gateway as the means", "The DCC shall maintain the DCC User Gateway as the sole means")
	code, out, errOut := runCmd(t, "release", "build", "2027-02", "--corpus", dir)
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "section-h 3.0 -> 4.0 (MP140, MP150)")
	assert.Contains(t, out, "releases/2027-02.yaml: lists MP150")

	data, err := os.ReadFile(filepath.Join(dir, "documents", "section-h", "4.0.md"))
	require.NoError(t, err)
	text := string(data)
	assert.Contains(t, text, "modifications: [MP140, MP150]\n")
	assert.Contains(t, text, `**H3.1** {parties="dcc"} The DCC shall maintain the DCC User Gateway as the sole means by which Users
send Service Requests to the DCC and receive responses, alerts and notifications from it, in
accordance with version 5 of the DCC User Interface Specification set out in Appendix AD, and`)
	rel, err := os.ReadFile(filepath.Join(dir, "releases", "2027-02.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(rel), "modifications: [MP140, MP143, MP150]\n")

	code, out, _ = runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 0, code, out)
	code, out, _ = runCmd(t, "release", "build", "2027-02", "--corpus", dir)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "section-h: already built for this release (version 4.0, MP140, MP150)")
}

func TestReleaseBuildConflict(t *testing.T) {
	// MP140 and MP150 both rewrite the end of H3.1, differently.
	dir := unbuiltSample(t)
	addModification(t, dir, "in\naccordance with the DCC User Interface Specification.", "in\naccordance with the DCC User Interface Specification in force from time to time.")
	before := filesOf(t, dir)
	for _, dry := range []bool{false, true} {
		args := []string{"release", "build", "2027-02", "--corpus", dir}
		if dry {
			args = append(args, "--dry-run")
		}
		code, out, errOut := runCmd(t, args...)
		require.Equal(t, 3, code, "stdout: %s\nstderr: %s", out, errOut)
		assert.Contains(t, out, "CONFLICT section-h H3.1 (words): MP140 and MP150 change the same words")
		assert.Contains(t, out, "  --- MP140\n  | **H3.1** {parties=\"dcc\"} The DCC shall provide the DCC User Gateway")
		assert.Contains(t, out, "  | accordance with version 5 of the DCC User Interface Specification set out in Appendix AD, and")
		assert.Contains(t, out, "  --- MP150\n")
		assert.Contains(t, out, "  | accordance with the DCC User Interface Specification in force from time to time.")
		assert.Contains(t, out, "1 conflict(s): nothing written")
		assert.Equal(t, before, filesOf(t, dir), "nothing written")
	}
}

func TestReleaseBuildNothingToBuild(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, sampleCorpus, dir)
	before := filesOf(t, dir)
	code, out, errOut := runCmd(t, "release", "build", "2020-02", "--corpus", dir)
	assert.Equal(t, 0, code)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "MP115: approved, no legal text: changes no document")
	assert.Contains(t, out, "release 2020-02: no approved modification with legal text: nothing to build")
	assert.Equal(t, before, filesOf(t, dir))
}

func TestReleaseBuildRefuses(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		setup  func(t *testing.T, dir string)
		code   int
		stdout string
		stderr string
	}{
		{name: "no words", args: []string{"release"}, code: 2, stderr: "want build RELEASE"},
		{name: "no release", args: []string{"release", "build"}, code: 2, stderr: "want build RELEASE"},
		{name: "another verb", args: []string{"release", "show", "2027-02"}, code: 2, stderr: "want build RELEASE"},
		{name: "unknown release", args: []string{"release", "build", "2099-01"}, code: 1, stderr: `unknown release "2099-01"`},
		{name: "a corpus with problems", args: []string{"release", "build", "2027-02"}, code: 1,
			setup: func(t *testing.T, dir string) {
				replaceOnce(t, filepath.Join(dir, "modifications", "MP140", "legal-text", "section-h.md"), `base: "3.0"`, `base: "3.5"`)
			},
			stdout: `base version "3.5" of section-h does not exist`, stderr: "fix them before building a release"},
		{name: "a version built without a modification", args: []string{"release", "build", "2027-02"}, code: 1,
			setup: func(t *testing.T, dir string) {
				addModification(t, dir, "H3.2", "H3.2")
				replaceOnce(t, filepath.Join(dir, "releases", "2027-02.yaml"), "[MP140, MP143]", "[MP140, MP143, MP150]")
			},
			stderr: "section-h version 4.0 was built for release 2027-02 without MP150"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, sampleCorpus, dir)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			before := filesOf(t, dir)
			code, out, errOut := runCmd(t, append(tc.args, "--corpus", dir)...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errOut)
			assert.Contains(t, out, tc.stdout)
			assert.Contains(t, errOut, tc.stderr)
			assert.Equal(t, before, filesOf(t, dir), "nothing written")
		})
	}
}

func TestValidateLegalText(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, sampleCorpus, dir)
	legal := filepath.Join(dir, "modifications", "DP110", "legal-text")
	replaceOnce(t, filepath.Join(legal, "appendix-d.md"), `base: "1.0"`, `base: "2.0"`)
	data, err := os.ReadFile(filepath.Join(legal, "appendix-d.md"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(legal, "appendix-q.md"), data, 0o644))

	code, out, _ := runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, filepath.Join(legal, "appendix-d.md")+`:2: base version "2.0" of appendix-d does not exist (its versions are 1.0)`)
	assert.Contains(t, out, filepath.Join(legal, "appendix-q.md")+`:1: legal text for unknown document "appendix-q"`)
}
