package docimport

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// bigDocument is a Markdown version of some hundreds of pages: the latest version of every
// sample document, copied n times, each copy's clause and part numbers moved to a prefix Z
// and numbers of their own so that every clause keeps a unique id.
func bigDocument(b *testing.B, copies int) []byte {
	b.Helper()
	dirs, err := filepath.Glob(filepath.Join(sampleDocs, "*"))
	require.NoError(b, err)
	sort.Strings(dirs)
	var out strings.Builder
	out.WriteString("# A Long Code\n\n")
	offset := 0
	for k := 0; k < copies; k++ {
		for _, dir := range dirs {
			meta, err := os.ReadFile(filepath.Join(dir, "document.yaml"))
			require.NoError(b, err)
			m := regexp.MustCompile(`(?m)^prefix: (\w+)`).FindSubmatch(meta)
			versions, _ := filepath.Glob(filepath.Join(dir, "*.md"))
			if m == nil || len(versions) == 0 {
				continue
			}
			sort.Strings(versions)
			data, err := os.ReadFile(versions[len(versions)-1])
			require.NoError(b, err)
			_, body, _, _, _ := legaltext.FrontMatter(data)
			num := regexp.MustCompile(`\b` + string(m[1]) + `(\d+)`)
			base := offset
			body = num.ReplaceAllFunc(body, func(s []byte) []byte {
				n, _ := strconv.Atoi(string(s[len(m[1]):]))
				offset = max(offset, base+n)
				return []byte("Z" + strconv.Itoa(base+n))
			})
			// The sample's titles and defined terms would clash between copies: titles become
			// headings, definitions tables plain tables, and bold is kept for clause numbers.
			body = regexp.MustCompile(`(?m)^# `).ReplaceAll(body, []byte("## "))
			body = []byte(strings.ReplaceAll(string(body), "| Expression | Meaning |", "| Term | Meaning |"))
			body = regexp.MustCompile(`([^\n*])\*\*([^*\s][^*\n]*?)\*\*`).ReplaceAll(body, []byte("$1$2"))
			out.Write(body)
			out.WriteString("\n\n")
			offset++
		}
	}
	return []byte(out.String())
}

// BenchmarkImportDOCX imports a Word document of a few hundred pages, made by pandoc (real
// tables, automatic numbering) and by codenav's own redline writer. Run it once:
//
//	go test ./docimport -run XXX -bench ImportDOCX -benchtime 1x
func BenchmarkImportDOCX(b *testing.B) {
	md := bigDocument(b, 4)
	words := len(Words(legaltext.Parse(md).Text()))
	makers := []struct {
		name string
		make func() []byte
	}{
		{"pandoc", func() []byte { return pandoc(b, md, "markdown", "docx") }},
		{"codenav-writer", func() []byte { return redlineDOCX(b, md) }},
	}
	for _, mk := range makers {
		b.Run(mk.name, func(b *testing.B) {
			docx := mk.make()
			b.SetBytes(int64(len(docx)))
			b.ResetTimer()
			var res *Result
			for b.Loop() {
				var err error
				res, err = ReadDOCX(docx, Options{})
				require.NoError(b, err)
			}
			b.StopTimer()
			b.ReportMetric(float64(words)/500, "pages")
			require.Equal(b, Words(legaltext.Parse(md).Text()), Words(legaltext.Parse([]byte(res.Markdown)).Text()))
			b.Logf("%s: %d words (%.0f pages at 500 words a page), %.1f MB of Markdown, %.1f MB of DOCX, %d clauses, %d parts",
				mk.name, words, float64(words)/500, float64(len(md))/(1<<20), float64(len(docx))/(1<<20), res.Clauses, res.Parts)
		})
	}
}
