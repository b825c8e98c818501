package redline

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// schemeSets are the real documents numbered otherwise than the SEC, oldest version first.
var schemeSets = []struct {
	name, scheme string
	files        []string
}{
	{"urhg", "german-statute", []string{"urhg/urhg@bb3f0178.md", "urhg/urhg@5710c0a6.md"}},
	{"dc-code", "us-code", []string{"dc-code/dc-50-2201.03@fae43afd.md", "dc-code/dc-50-2201.03@902d7e2c.md", "dc-code/dc-50-2201.03@e2769e09.md"}},
	{"site-policy", "numbered-headings", []string{"site-policy/github-terms-of-service@04c8757.md", "site-policy/github-terms-of-service@a7eb36c.md",
		"site-policy/github-terms-of-service@bd28587.md", "site-policy/github-terms-of-service@348ff86.md"}},
}

func parseScheme(t *testing.T, file, scheme string) *legaltext.Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realText, file))
	if os.IsNotExist(err) {
		t.Skipf("real text not found at %s (a fresh clone has no ../shared)", filepath.Join(realText, file))
	}
	require.NoError(t, err)
	_, body, _, _, _ := legaltext.FrontMatter(b)
	s, ok := legaltext.BuiltinScheme(scheme)
	require.True(t, ok)
	return legaltext.ParseScheme(body, s)
}

// The redline of real statutes and codes read in their numbering keeps its law, locates
// every change of a clause by its units, and recognises a clause whose id changed with its
// text kept as renumbered or moved, never as one deleted and one inserted.
func TestSchemeRedlineRealText(t *testing.T) {
	for _, set := range schemeSets {
		for k := 0; k+1 < len(set.files); k++ {
			old, new := parseScheme(t, set.files[k], set.scheme), parseScheme(t, set.files[k+1], set.scheme)
			name := set.files[k] + ".." + filepath.Base(set.files[k+1])
			r := checkLaw(t, name, old, new)
			assert.Positive(t, r.Summary.Clauses.Total(), name)
			byText := map[string]string{}
			for _, n := range old.Clauses() {
				byText[CleanText(n.Text)] = n.ID
			}
			renamed := map[string]string{} // new id -> old id, the text unchanged
			for _, n := range new.Clauses() {
				if id, ok := byText[CleanText(n.Text)]; ok && id != n.ID {
					renamed[n.ID] = id
				}
			}
			for _, b := range r.Blocks {
				if b.Node == legaltext.KindClause && b.Kind != ChangeEqual {
					assert.NotEmpty(t, b.Where, "%s: change %d (%s) is located", name, b.Change, b.label())
					for _, w := range b.Where {
						assert.True(t, strings.HasPrefix(w, "§") || set.scheme == "numbered-headings", "%s: %q", name, w)
					}
				}
				if old, ok := renamed[b.NewID]; ok && b.Kind != ChangeMovedAway {
					assert.Contains(t, []Change{ChangeRenumbered, ChangeMoved}, b.Kind, "%s: %s -> %s", name, old, b.NewID)
					if b.Kind == ChangeRenumbered {
						assert.Equal(t, old, b.OldID, name)
					}
				}
			}
		}
	}
}

// A change inside a paragraph of a statute is captioned by that paragraph and item.
func TestSchemeRedlineCaption(t *testing.T) {
	s, _ := legaltext.BuiltinScheme("german-statute")
	old := legaltext.ParseScheme([]byte("## § 14a Titel\n\n(1) Erster Absatz.\n\n(2) Zweiter:\n\n1. eins,\n2. zwei,\n3. drei.\n\n## Art 12 X\n\n(1) Satz:\n\n1. a,\n2. b,\n3. c.\n"), s)
	new := legaltext.ParseScheme([]byte("## § 14a Titel\n\n(1) Erster Absatz.\n\n(2) Zweiter:\n\n1. eins,\n2. zwei,\n3. dreieinhalb.\n\n## Art 12 X\n\n(1) Satz:\n\n1. a,\n2. b,\n3. c,\n4. d.\n"), s)
	r := checkLaw(t, "caption", old, new)
	var got []string
	for _, b := range r.Changes() {
		got = append(got, describe(b))
	}
	assert.Equal(t, []string{"§ 14a (2) 3.: changed", "Art 12 (1) 3., Art 12 (1) 4.: changed"}, got)
}

// Nesting shows as nesting: a line of a unit under a unit is indented in every renderer.
func TestSchemeRedlineDepth(t *testing.T) {
	s, _ := legaltext.BuiltinScheme("german-statute")
	old := legaltext.ParseScheme([]byte("## § 14a Titel\n\n(1) Erster Absatz.\n\n(2) Zweiter:\n\n1. eins,\n2. zwei,\n3. drei.\n"), s)
	new := legaltext.ParseScheme([]byte("## § 14a Titel\n\n(1) Erster geänderter Absatz.\n\n(2) Zweiter:\n\n1. eins,\n2. zwei,\n3. dreieinhalb.\n"), s)
	r := checkLaw(t, "depth", old, new)
	depth := map[string]int{}
	for _, b := range r.Blocks {
		for _, l := range b.Lines {
			if l.Unit != "" {
				depth[l.Unit] = l.Depth
			}
		}
	}
	assert.Equal(t, 1, depth["§ 14a (1)"])
	assert.Equal(t, 2, depth["§ 14a (2) 3."])

	var h, j, d bytes.Buffer
	require.NoError(t, WriteHTML(&h, r, HTMLOptions{}))
	assert.Contains(t, h.String(), `class="rl-line rl-item rl-d2"`)
	require.NoError(t, WriteJSON(&j, r))
	assert.Contains(t, j.String(), `"depth": 2`)
	require.NoError(t, WriteDOCX(&d, r, DOCXOptions{Author: "t"}))
	zr, err := zip.NewReader(bytes.NewReader(d.Bytes()), int64(d.Len()))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			require.NoError(t, err)
			x, _ := io.ReadAll(rc)
			assert.Contains(t, string(x), `<w:ind w:left="720"/>`)
		}
	}
}
