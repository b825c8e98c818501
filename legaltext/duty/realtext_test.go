package duty

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

const realtextDir = "../../../shared/realtext"

// TestRealText reads every node of the real texts in ../shared/realtext (written elsewhere,
// following none of our conventions): the reader must take them whole and give well-formed
// duties. It skips when the folder is absent.
func TestRealText(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realtextDir, "*", "*"))
	if len(files) == 0 {
		t.Skip("no ../shared/realtext: real texts not checked")
	}
	r := NewReader(Vocabulary{Actors: map[string][]string{"Mayor": {"mayor"}, "Council": {"council"}, "GitHub": {"github"},
		"Licensor": {"licensor"}, "You": {"you"}}})
	for _, p := range files {
		if strings.HasSuffix(p, "README.md") {
			continue
		}
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		var doc *legaltext.Doc
		if strings.HasSuffix(p, ".md") {
			doc = legaltext.Parse(data)
		} else {
			doc = legaltext.ParseText(data)
		}
		found := 0
		for _, n := range doc.Nodes {
			for _, d := range r.Read(n.ID, n.Text, n.SubIDs) {
				found++
				_, ok := ParseKind(string(d.Kind))
				require.True(t, ok && len(d.Bearers) > 0 && strings.HasPrefix(d.Clause, n.ID), "%s %s: %+v", p, n.ID, d)
			}
		}
		t.Logf("%s: %d nodes, %d duties", filepath.Base(p), len(doc.Nodes), found)
	}
}
