package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/docimport"
	"codenav/index"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

const realtextDir = "../../shared/realtext"

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	}))
}

// /changes between two versions of a document numbered otherwise than the SEC (a German
// statute, a US code section, a contract of lettered sections) lists the clauses that the
// redline of the same two versions marks, no more and no fewer.
func TestChangesMatchRedlineRealText(t *testing.T) {
	sets := []struct {
		id, scheme string
		files      []string
	}{
		{"urhg", "german-statute", []string{"urhg/urhg@bb3f0178.md", "urhg/urhg@5710c0a6.md"}},
		{"dc-code", "us-code", []string{"dc-code/dc-50-2201.03@fae43afd.md", "dc-code/dc-50-2201.03@902d7e2c.md", "dc-code/dc-50-2201.03@e2769e09.md"}},
		{"site-policy", "numbered-headings", []string{"site-policy/github-terms-of-service@04c8757.md", "site-policy/github-terms-of-service@a7eb36c.md",
			"site-policy/github-terms-of-service@bd28587.md", "site-policy/github-terms-of-service@348ff86.md"}},
		{"cc-by", "outline", []string{"cc-by/cc-by@v2.0.txt", "cc-by/cc-by@v2.5.txt", "cc-by/cc-by@v3.0.txt", "cc-by/cc-by@v4.0.txt"}},
	}
	if _, err := os.Stat(realtextDir); err != nil {
		t.Skipf("no real text at %s (a fresh clone has no ../shared): %v", realtextDir, err)
	}
	dir := t.TempDir()
	copyTree(t, "../corpus/sec", dir)
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	dates := map[string][]string{}
	for _, set := range sets {
		docDir := filepath.Join(dir, "documents", set.id)
		require.NoError(t, os.MkdirAll(docDir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(docDir, "document.yaml"),
			fmt.Appendf(nil, "title: %s\ncategory: section\nclassification: white\nnumbering: %s\n", set.id, set.scheme), 0o644))
		for k, f := range set.files {
			data, err := os.ReadFile(filepath.Join(realtextDir, f))
			require.NoError(t, err)
			_, body, _, _, _ := legaltext.FrontMatter(data)
			if strings.HasSuffix(f, ".txt") {
				// Plain text is imported into Markdown first, as codenav import does.
				res, err := docimport.Import(f, data, docimport.Options{})
				require.NoError(t, err)
				body = []byte(res.Markdown)
			}
			date := start.AddDate(0, 0, 10*k).Format("2006-01-02")
			dates[set.id] = append(dates[set.id], date)
			v := fmt.Sprintf("%d.0", k+1)
			require.NoError(t, os.WriteFile(filepath.Join(docDir, v+".md"),
				fmt.Appendf(nil, "---\nversion: %q\neffective: %s\n---\n\n%s", v, date, body), 0o644))
		}
	}
	code, err := corpus.Load(dir)
	require.NoError(t, err, "the corpus with the real texts validates")
	idx, err := index.Open(context.Background(), t.TempDir(), code, index.Options{Logger: slog.New(slog.DiscardHandler), Budget: 30 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { idx.Close() })
	require.NoError(t, idx.Wait(context.Background()))
	s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Index: idx, Now: func() time.Time { return fixedNow }})
	require.NoError(t, err)
	// A search hit in a statute names its clause by the statute's own numbering, and links to it.
	var found struct {
		Hits []struct{ Doc, Clause string }
	}
	getAPIJSON(t, s, "/api/v1/search?q=Weitersendedienst+gleichwohl&doc=urhg&at=2030-06-01", &found)
	require.NotEmpty(t, found.Hits)
	assert.Equal(t, "urhg", found.Hits[0].Doc)
	assert.True(t, strings.HasPrefix(found.Hits[0].Clause, "§20b"), "hit clause %q", found.Hits[0].Clause)
	w := get(t, s, "/search?q=Weitersendedienst+gleichwohl&doc=urhg&at=2030-06-01")
	assert.Contains(t, w.Body.String(), `href="/docs/urhg?version=2.0#%c2%a720b"`, "the permalink is the unit id, escaped")
	// The pages of a statute: its units are anchors, the compare page locates its changes,
	// the changes page and feed list its clauses.
	for path, want := range map[string][]string{
		"/docs/urhg?version=2.0": {`<div class="clause" id="§20b"`, `<h5 class="clause-heading">§ 20b`, `href="#§20b"`, `id="§20b(1)"`, `<li id="§20b(1)1.">`, `id="teil-1-abschnitt-1"`,
			`href="/docs/urhg/compare?from=1.0&amp;to=2.0#`, "What changed in version 2.0?"},
		"/docs/urhg/compare?from=1.0&to=2.0":              {"§ 20b (1)", "§ 36a (3) 3. a)"},
		"/docs/dc-code/compare?from=1.0&to=2.0":           {"§ 50-2201.03(j)(1A)(A)"},
		"/changes?doc=urhg&from=2030-01-01&to=2030-01-11": {"§20b"},
		"/feeds/changes.atom?doc=urhg":                    {"<feed"},
	} {
		w := get(t, s, path)
		if !assert.Equal(t, 200, w.Code, path) {
			continue
		}
		for _, x := range want {
			assert.True(t, strings.Contains(w.Body.String(), x), "%s: %s", path, x)
		}
	}
	for _, set := range sets {
		d := code.Document(set.id)
		require.NotNil(t, d)
		for k := 0; k+1 < len(d.Versions); k++ {
			old, new := d.Versions[k], d.Versions[k+1]
			require.Positive(t, len(new.Tree().Clauses()), "%s %s: clauses", set.id, new.Number)
			var out struct {
				Changes []struct{ ID, Kind string }
			}
			from, _ := time.Parse("2006-01-02", dates[set.id][k])
			getAPIJSON(t, s, fmt.Sprintf("/api/v1/changes?doc=%s&from=%s&to=%s", set.id, from.Format("2006-01-02"), dates[set.id][k+1]), &out)
			var listed []string
			for _, c := range out.Changes {
				listed = append(listed, c.ID)
			}
			r := redline.Compare(old.Tree(), new.Tree())
			var marked []string
			for _, b := range r.Blocks {
				if b.Node != legaltext.KindClause || b.Kind == redline.ChangeEqual {
					continue
				}
				for _, id := range append([]string{b.OldID, b.NewID}, b.Spans...) {
					if id != "" && !slices.Contains(marked, id) {
						marked = append(marked, id)
					}
				}
			}
			slices.Sort(listed)
			slices.Sort(marked)
			name := fmt.Sprintf("%s %s -> %s", set.id, old.Number, new.Number)
			assert.NotEmpty(t, listed, name)
			assert.Equal(t, marked, slices.Compact(listed), name)
		}
	}
}
