package legaltext

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// benchTerms returns about n defined terms: those of the sample corpus, then made-up ones.
func benchTerms(b testing.TB, n int) []string {
	seen := map[string]bool{}
	var terms []string
	for _, f := range versionFiles(b) {
		for _, d := range Parse(readBody(b, f)).Definitions {
			if !seen[d.Term] && len(terms) < n {
				seen[d.Term] = true
				terms = append(terms, d.Term)
			}
		}
	}
	// Words of section H, so that made-up terms are looked up on real text.
	for _, t := range []string{"Party", "User", "User Role", "Service Request", "DCC", "Applicant", "Panel",
		"Code Administrator", "User Entry Process", "Working Day", "Device", "Supplier Party", "Network Party",
		"Authority", "DCC User Gateway", "User Systems", "DCC Systems", "Modification Proposal", "Working Group"} {
		if !seen[t] && len(terms) < n {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	for i := 0; len(terms) < n; i++ {
		terms = append(terms, "Defined Term "+strconv.Itoa(i))
	}
	return terms
}

func BenchmarkParse(b *testing.B) {
	src := sampleH(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(src)
	}
}

// BenchmarkParseBenchCorpus parses the version issue 7's redline target is measured on
// (appendix-br 40.0 of bench/run's corpus, 257 KB), when bench/run has generated it.
func BenchmarkParseBenchCorpus(b *testing.B) {
	path := "../bench/out/corpus-d100-v40-w10000-s7/documents/appendix-br/40.0.md"
	if _, err := os.Stat(path); err != nil {
		b.Skipf("skipping: %s is missing (WORDS=10000 bench/run generates it)", path)
	}
	src := readBody(b, path)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(src)
	}
}

func BenchmarkRender(b *testing.B) {
	d := Parse(sampleH(b))
	l := newFakeLinker(benchTerms(b, 80), "A", "G", "H", "I", "L")
	l.docs["Appendix AD"] = true
	b.SetBytes(int64(len(d.Source())))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(d, l); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTermMatcherFind(b *testing.B) {
	m := NewTermMatcher(benchTerms(b, 80))
	text := Parse(sampleH(b)).Text()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(m.Find(text))
	}
	b.ReportMetric(float64(n), "uses/op")
}

func BenchmarkFindRefs(b *testing.B) {
	text := Parse(sampleH(b)).Text()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		FindRefs(text)
	}
}

func BenchmarkParseRealText(b *testing.B) {
	files := realtext(b, "site-policy/*.md")
	src := readBody(b, files[len(files)-1])
	b.Run(filepath.Base(files[len(files)-1]), func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			Parse(src)
		}
	})
}

// BenchmarkParseScheme parses the larger version of the German statute in the SEC's numbering
// (which finds no clause in it) and in its own, and detects its numbering (a parse per
// built-in scheme).
func BenchmarkParseScheme(b *testing.B) {
	files := realtext(b, "urhg/*.md")
	src := readBody(b, files[0])
	for _, name := range []string{"sec", "german-statute"} {
		s, _ := BuiltinScheme(name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				ParseScheme(src, s)
			}
		})
	}
	b.Run("detect", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			DetectScheme(src)
		}
	})
}
