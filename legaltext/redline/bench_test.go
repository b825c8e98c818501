package redline

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"codenav/legaltext"
)

// The benchmark inputs: (a) Section H 1.0 -> 3.0 of the sample; (b) a generated pair of about
// 400 KB and 700 KB with thousands of changes, built from the sample with a seeded generator;
// (c) when bench/run has generated its corpus, the pair issue 7's redline target is measured
// on (appendix-br 39.0 -> 40.0, 257 KB each, 16 of 588 clauses changed).
type benchInput struct {
	name     string
	old, new []byte
}

var benchInputs = sync.OnceValue(func() []benchInput {
	t := &testing.T{}
	dir := filepath.Join(corpusDocs, "section-h")
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			panic(err)
		}
		_, body, _, _, _ := legaltext.FrontMatter(b)
		return body
	}
	old, new := largePair(t, 400<<10, 700<<10, 1)
	in := []benchInput{
		{"section-h-1.0-3.0", read(filepath.Join(dir, "1.0.md")), read(filepath.Join(dir, "3.0.md"))},
		{"large-400k-700k", []byte(old), []byte(new)},
	}
	if _, err := os.Stat(filepath.Join(benchCorpusPair, "40.0.md")); err == nil {
		in = append(in, benchInput{"bench-appendix-br-39.0-40.0",
			read(filepath.Join(benchCorpusPair, "39.0.md")), read(filepath.Join(benchCorpusPair, "40.0.md"))})
	}
	return in
})

// benchCorpusPair is the document of bench/run's corpus (WORDS=10000) whose last two versions
// are the largest changed pair: the one issue 7's "redline <= 2x git" is measured on.
const benchCorpusPair = "../../bench/out/corpus-d100-v40-w10000-s7/documents/appendix-br"

func BenchmarkCompare(b *testing.B) {
	for _, in := range benchInputs() {
		od, nd := legaltext.Parse(in.old), legaltext.Parse(in.new)
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.old) + len(in.new)))
			var r *Redline
			for b.Loop() {
				r = Compare(od, nd)
			}
			ops := 0
			for _, bl := range r.Blocks {
				for _, l := range bl.Lines {
					for _, op := range l.Ops {
						if op.Kind != OpEqual {
							ops++
						}
					}
				}
			}
			b.ReportMetric(float64(len(r.Changes())), "changed-blocks")
			b.ReportMetric(float64(ops), "word-changes")
		})
	}
}

// BenchmarkHTML renders the full text (the redline is made once, outside the loop).
func BenchmarkHTML(b *testing.B) {
	for _, in := range benchInputs() {
		r := Compare(legaltext.Parse(in.old), legaltext.Parse(in.new))
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				if err := WriteHTML(io.Discard, r, HTMLOptions{Standalone: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDOCX(b *testing.B) {
	for _, in := range benchInputs() {
		r := Compare(legaltext.Parse(in.old), legaltext.Parse(in.new))
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				if err := WriteDOCX(io.Discard, r, DOCXOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEndToEnd is what one redline command does after reading its files: parse both
// versions, compare, render.
func BenchmarkEndToEnd(b *testing.B) {
	for _, in := range benchInputs() {
		for _, format := range []string{"html", "docx"} {
			b.Run(in.name+"/"+format, func(b *testing.B) {
				for b.Loop() {
					r := Compare(legaltext.Parse(in.old), legaltext.Parse(in.new))
					var err error
					if format == "html" {
						err = WriteHTML(io.Discard, r, HTMLOptions{Standalone: true})
					} else {
						err = WriteDOCX(io.Discard, r, DOCXOptions{})
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkGitWordDiff times `git diff --no-index --word-diff=porcelain` on the same pairs,
// written to temporary files, as the yardstick the speed budget is set against.
func BenchmarkGitWordDiff(b *testing.B) {
	git, err := exec.LookPath("git")
	if err != nil {
		b.Skip("git is not on PATH")
	}
	for _, in := range benchInputs() {
		dir := b.TempDir()
		oldF, newF := filepath.Join(dir, "old.md"), filepath.Join(dir, "new.md")
		if err := os.WriteFile(oldF, in.old, 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(newF, in.new, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				cmd := exec.CommandContext(ctx, git, "diff", "--no-index", "--word-diff=porcelain", oldF, newF)
				var out bytes.Buffer
				cmd.Stdout = &out
				err := cmd.Run()
				cancel()
				// git diff exits 1 when the files differ.
				if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLargeDocumentWithinBudget compares a generated pair of about 5 MB: the alignment must
// stay near-linear (no similarity computations over all pairs of thousands of nodes).
func TestLargeDocumentWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("5 MB comparison skipped in -short mode")
	}
	old, new := largePair(t, 5<<20, 5<<20+512<<10, 2)
	start := time.Now()
	od, nd := legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new))
	parsed := time.Since(start)
	r := Compare(od, nd)
	compared := time.Since(start) - parsed
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	t.Logf("5 MB pair (%d and %d bytes, %d and %d nodes): parse %v, compare %v, html %v (%d changes)",
		len(old), len(new), len(od.Nodes), len(nd.Nodes), parsed, compared, total-parsed-compared, len(r.Changes()))
	if compared > 20*time.Second {
		t.Errorf("Compare took %v on a 5 MB pair", compared)
	}
	if got, want := words(r.AcceptAll()), docWords(nd); !slicesEqual(want, got) {
		t.Errorf("accept-all: %s", firstDiff(want, got))
	}
}

func BenchmarkJSON(b *testing.B) {
	for _, in := range benchInputs() {
		r := Compare(legaltext.Parse(in.old), legaltext.Parse(in.new))
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteJSON(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
