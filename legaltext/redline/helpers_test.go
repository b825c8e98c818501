package redline

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"codenav/legaltext"
)

// Paths of the sample corpus and of the real text, relative to this package's folder.
const (
	corpusDocs = "../../corpus/sec/documents"
	realText   = "../../../shared/realtext"
)

// parseFile parses a version file as the CLI does: Markdown without its front matter, or
// plain text for .txt.
func parseFile(t testing.TB, path string) *legaltext.Doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if strings.HasSuffix(path, ".txt") {
		return legaltext.ParseText(b)
	}
	_, body, _, _, _ := legaltext.FrontMatter(b)
	return legaltext.Parse(body)
}

// docPair is two versions to compare.
type docPair struct {
	name     string
	old, new string // paths
}

// corpusPairs lists every consecutive pair of versions of every document of the sample.
func corpusPairs(t testing.TB) []docPair {
	t.Helper()
	dirs, err := os.ReadDir(corpusDocs)
	if err != nil {
		t.Fatalf("read sample corpus: %v", err)
	}
	var out []docPair
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		vs, _ := filepath.Glob(filepath.Join(corpusDocs, d.Name(), "*.md"))
		sort.Slice(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
		for k := 1; k < len(vs); k++ {
			out = append(out, docPair{
				name: d.Name() + "@" + strings.TrimSuffix(filepath.Base(vs[k-1]), ".md") + ".." + strings.TrimSuffix(filepath.Base(vs[k]), ".md"),
				old:  vs[k-1], new: vs[k],
			})
		}
	}
	if len(out) == 0 {
		t.Fatal("no pairs of versions in the sample corpus")
	}
	return out
}

// versionLess orders "2.0.md" before "10.0.md".
func versionLess(a, b string) bool {
	na := strings.Split(strings.TrimSuffix(filepath.Base(a), ".md"), ".")
	nb := strings.Split(strings.TrimSuffix(filepath.Base(b), ".md"), ".")
	for k := 0; k < len(na) && k < len(nb); k++ {
		var x, y int
		fmt.Sscan(na[k], &x)
		fmt.Sscan(nb[k], &y)
		if x != y {
			return x < y
		}
	}
	return len(na) < len(nb)
}

// realPairs lists every ordered pair of distinct versions of each document in the real
// text, or skips the test when the folder is absent (a fresh clone has no ../shared).
func realPairs(t testing.TB) []docPair {
	t.Helper()
	if _, err := os.Stat(realText); err != nil {
		t.Skipf("real text not found at %s (a fresh clone has no ../shared): %v", realText, err)
	}
	var out []docPair
	for _, dir := range []string{"site-policy", "cc-by"} {
		files, _ := filepath.Glob(filepath.Join(realText, dir, "*@*.*"))
		slices.Sort(files)
		for _, a := range files {
			for _, b := range files {
				if a != b {
					out = append(out, docPair{name: filepath.Base(a) + ".." + filepath.Base(b), old: a, new: b})
				}
			}
		}
	}
	return out
}

// realFile is the path of one version in the real text, skipping when it is absent.
func realFile(t testing.TB, dir, name string) string {
	t.Helper()
	p := filepath.Join(realText, dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real text not found at %s (a fresh clone has no ../shared): %v", p, err)
	}
	return p
}

// words is the text as a sequence of words: what the law compares.
func words(s string) []string { return strings.Fields(s) }

// docWords are the words of a document's text as a redline carries it.
func docWords(d *legaltext.Doc) []string { return words(CleanText(d.Text())) }

// firstDiff describes where two word sequences part, for a readable failure.
func firstDiff(want, got []string) string {
	k := 0
	for k < len(want) && k < len(got) && want[k] == got[k] {
		k++
	}
	ctx := func(s []string) string {
		return strings.Join(s[max(0, k-8):min(len(s), k+8)], " ")
	}
	return fmt.Sprintf("at word %d (want %d words, got %d):\n want …%s…\n  got …%s…", k, len(want), len(got), ctx(want), ctx(got))
}

// mutate makes a new version of a Markdown text by seeded random edits of the kinds a
// drafter makes: words replaced, inserted and deleted, paragraphs deleted, duplicated and
// swapped, clauses renumbered, lines rewrapped, and awkward characters added.
func mutate(src string, rng *rand.Rand, rate float64) string {
	paras := strings.Split(src, "\n\n")
	vocab := strings.Fields(src)
	if len(vocab) == 0 {
		vocab = []string{"word"}
	}
	odd := []string{"&", "<b>", "]]>", "\"quoted\"", "café", "𝔘nicode", "x\u00a0y", "—", "|", "(a)", "1."}
	var out []string
	for k := 0; k < len(paras); k++ {
		p := paras[k]
		switch x := rng.Float64(); {
		case x < rate*0.05:
			continue // deleted
		case x < rate*0.1:
			out = append(out, p, paras[rng.IntN(len(paras))]) // a copy of some paragraph
			continue
		case x < rate*0.15 && k+1 < len(paras):
			out = append(out, paras[k+1], p) // swapped with the next
			k++
			continue
		case x < rate*0.2:
			p = clauseNumRE.ReplaceAllStringFunc(p, func(m string) string { return m[:len(m)-2] + "9**" })
		case x < rate*0.3:
			p = strings.ReplaceAll(p, " ", "\n") // rewrapped
		case x < rate:
			ws := strings.Split(p, " ")
			for e := rng.IntN(4) + 1; e > 0 && len(ws) > 0; e-- {
				i := rng.IntN(len(ws))
				switch rng.IntN(4) {
				case 0:
					ws[i] = vocab[rng.IntN(len(vocab))]
				case 1:
					ws = slices.Insert(ws, i, vocab[rng.IntN(len(vocab))])
				case 2:
					ws = slices.Delete(ws, i, i+1)
				default:
					ws = slices.Insert(ws, i, odd[rng.IntN(len(odd))])
				}
			}
			p = strings.Join(ws, " ")
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}

var clauseNumRE = regexp.MustCompile(`\*\*[A-Z]{0,5}\d+(?:\.\d+)*\*\*`)

// sampleBodies returns the Markdown bodies of the latest version of every document of the
// sample corpus, in a fixed order.
func sampleBodies(t testing.TB) []string {
	t.Helper()
	var out []string
	dirs, err := os.ReadDir(corpusDocs)
	if err != nil {
		t.Fatalf("read sample corpus: %v", err)
	}
	for _, d := range dirs {
		vs, _ := filepath.Glob(filepath.Join(corpusDocs, d.Name(), "*.md"))
		if len(vs) == 0 {
			continue
		}
		sort.Slice(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
		b, err := os.ReadFile(vs[len(vs)-1])
		if err != nil {
			t.Fatalf("read %s: %v", vs[len(vs)-1], err)
		}
		_, body, _, _, _ := legaltext.FrontMatter(b)
		out = append(out, string(body))
	}
	return out
}

var (
	boldNumRE = regexp.MustCompile(`\*\*([A-Z]{0,3})(\d+(?:\.\d+)*[A-Z]?)\*\*`)
	attrIDRE  = regexp.MustCompile(`\{#([A-Za-z0-9][A-Za-z0-9.\-]*)`)
)

// largePair builds, deterministically, an old version of at least oldSize bytes from copies
// of the sample (clause and part ids made unique per copy) and a new version of at least
// newSize bytes from it: thousands of edits, and new paragraphs inserted.
func largePair(t testing.TB, oldSize, newSize int, seed uint64) (old, new string) {
	t.Helper()
	bodies := sampleBodies(t)
	var b strings.Builder
	for k := 0; b.Len() < oldSize; k++ {
		tag := string(rune('Q'+k/26%10)) + string(rune('A'+k%26))
		body := bodies[k%len(bodies)]
		body = boldNumRE.ReplaceAllString(body, "**"+tag+"$1$2**")
		body = attrIDRE.ReplaceAllString(body, "{#"+tag+"$1")
		b.WriteString(body)
		b.WriteString("\n\n")
	}
	old = b.String()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	new = mutate(old, rng, 0.3)
	paras := strings.Split(old, "\n\n")
	parts := strings.Split(new, "\n\n")
	for n := len(new); n < newSize; {
		p := paras[rng.IntN(len(paras))]
		// Inserted text is new wording, not a copy: shuffle its words.
		ws := strings.Fields(p)
		rng.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
		p = strings.Join(ws, " ")
		i := rng.IntN(len(parts) + 1)
		parts = slices.Insert(parts, i, p)
		n += len(p) + 2
	}
	return old, strings.Join(parts, "\n\n")
}

// randFor is the seeded generator of test number seed.
func randFor(seed int) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0x5eed)) }
