package docimport

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// TestRoundTripLibreOffice takes every sample version to Word and back: Markdown -> ODT
// (pandoc, reading GitHub Markdown so that the applicability attributes stay in the text,
// as a drafter would see them) -> DOCX (LibreOffice) -> import. The clause ids, the
// sub-paragraph permalinks, the applicability and the defined terms come back; a redline
// against the original shows no wording change; and the corpus with every version replaced
// by its import still validates.
func TestRoundTripLibreOffice(t *testing.T) {
	skipLibreOfficeIfShort(t)
	needTool(t, "soffice", "Debian package libreoffice-writer-nogui")
	needTool(t, "pandoc", "Debian package pandoc")
	ss := samples(t)
	in := map[string][]byte{}
	for _, s := range ss {
		in[s.name+".odt"] = pandoc(t, s.body, "gfm", "odt")
	}
	out := soffice(t, in)
	imported := map[string]string{}
	for _, s := range ss {
		t.Run(s.name, func(t *testing.T) {
			res, err := ReadDOCX(out[s.name+".odt"], Options{})
			require.NoError(t, err)
			imported[s.path] = res.Markdown
			orig, got := legaltext.Parse(s.body), legaltext.Parse([]byte(res.Markdown))
			require.Empty(t, got.Problems)
			assert.Equal(t, clauseIDs(orig), clauseIDs(got))
			assert.Equal(t, applicability(orig), applicability(got))
			assert.Equal(t, subIDs(orig), subIDs(got))
			assert.Equal(t, terms(orig), terms(got))
			r := redline.Compare(orig, got)
			for _, b := range r.Blocks {
				assert.False(t, b.Wording, "wording changed in %s/%s: %+v", b.OldID, b.NewID, b.Lines)
			}
			s := r.Summary.Clauses
			assert.Zero(t, s.Added+s.Deleted+s.Changed+s.Moved+s.Renumbered, "%+v", r.Summary)
		})
	}
	// The corpus with every version replaced by its import.
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "corpus", "sec"), dir)
	for path, md := range imported {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		fm, _, _, _, _ := legaltext.FrontMatter(data)
		rel, err := filepath.Rel(filepath.Join("..", "corpus", "sec"), path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, rel), []byte("---\n"+string(fm)+"---\n\n"+md), 0o644))
	}
	_, err := corpus.Load(dir)
	require.NoError(t, err)
}

// applicability is "id parties roles" for every node with an author's id.
func applicability(d *legaltext.Doc) []string {
	var out []string
	for _, n := range d.Nodes {
		if n.Explicit {
			out = append(out, fmt.Sprintf("%s %v %v", n.ID, n.Parties, n.Roles))
		}
	}
	return out
}

func subIDs(d *legaltext.Doc) []string {
	var out []string
	for _, n := range d.Nodes {
		out = append(out, n.SubIDs...)
	}
	return out
}

func terms(d *legaltext.Doc) []string {
	var out []string
	for _, def := range d.Definitions {
		out = append(out, def.Term+" @"+def.Clause)
	}
	return out
}

// copyTree copies the files of src into dst.
func copyTree(t testing.TB, src, dst string) {
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
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
}
