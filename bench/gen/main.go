// Command gen writes a deterministic, SEC-shaped corpus in codenav's format for benchmarks:
// lettered Sections (Section A defines every term, in tables), Schedules, Appendices, control
// frameworks, guidance and committee papers of every classification; parts, sub-headings,
// clauses with sub-paragraphs and tables, party and role attributes; cross-references that
// resolve on the date of the version that makes them; and versions that each change a share
// of the clauses (edits, insertions numbered H1.4A, deletions, renumbering of a part).
//
// Every sentence comes from a small random grammar over the word lists in words.go.
//
//	go run ./bench/gen -out bench/out/corpus -docs 100 -versions 40 -words 50000
//	go run ./bench/gen -out /tmp/tiny -docs 6 -versions 4 -words 1500
//	go run ./bench/gen -out /tmp/site -codes 3 -docs 20 -versions 10 -words 5000
//
// With -codes N (at least 2), N codes are written into out/gen1 ... out/genN, each citing the
// next by name (see Config.Cites), to serve together: codenav serve --corpus out/gen1 ...
//
// The statistics (sizes, change rates, the largest changed pair) are printed as JSON, and
// written to -stats when given. The same flags and seed give the same files, byte for byte.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("out", "", "folder to write the corpus into (must not exist, or be empty)")
	docs := flag.Int("docs", 100, "documents")
	versions := flag.Int("versions", 40, "versions of each document")
	words := flag.Int("words", 50000, "average words per document (first version)")
	seed := flag.Uint64("seed", 7, "random seed")
	minRate := flag.Float64("min-rate", 0.02, "least share of clauses changed by a version (before consequential changes)")
	maxRate := flag.Float64("max-rate", 0.042, "largest share of clauses changed by a version (before consequential changes)")
	statsPath := flag.String("stats", "", "also write the statistics (JSON) to this file")
	codes := flag.Int("codes", 1, "codes to write (2 or more: into out/gen1 ... out/genN, each citing another)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out is required")
		os.Exit(2)
	}
	if ents, err := os.ReadDir(*out); err == nil && len(ents) > 0 {
		fmt.Fprintf(os.Stderr, "gen: %s is not empty; remove it first\n", *out)
		os.Exit(2)
	}
	cfg := Config{Docs: *docs, Versions: *versions, Words: *words, Seed: *seed, MinRate: *minRate, MaxRate: *maxRate}
	var st any
	var err error
	if *codes > 1 {
		st, err = GenerateSite(cfg, *codes, *out)
	} else {
		st, err = Generate(cfg, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	fmt.Println(string(b))
	if *statsPath != "" {
		if err := os.WriteFile(*statsPath, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
