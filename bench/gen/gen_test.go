package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"codenav/corpus"
	"codenav/legaltext"
)

var tiny = Config{Docs: 12, Versions: 5, Words: 1500, Seed: 3, MinRate: 0.02, MaxRate: 0.042}

// TestTinyCorpusValidates generates a tiny corpus and loads it with the same loader as
// `codenav validate`: no problem, every document has every version, and the corpus has the
// features the benchmarks rely on.
func TestTinyCorpusValidates(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(tiny, dir)
	if err != nil {
		t.Fatal(err)
	}
	code, err := corpus.Load(dir)
	if err != nil {
		t.Fatalf("the generated corpus does not validate:\n%v", err)
	}
	if len(code.Documents) != tiny.Docs {
		t.Errorf("%d documents, want %d", len(code.Documents), tiny.Docs)
	}
	refs, subs, tables, terms, defs, inserted, restricted := 0, 0, 0, 0, 0, 0, 0
	for _, d := range code.Documents {
		if len(d.Versions) != tiny.Versions {
			t.Errorf("%s has %d versions, want %d", d.ID, len(d.Versions), tiny.Versions)
		}
		if d.Classification != "white" {
			restricted++
		}
		for _, v := range d.Versions {
			for _, n := range v.Tree().Nodes {
				refs += len(n.Refs)
				subs += len(n.SubIDs)
				if strings.Contains(n.Source, "| --- |") {
					tables++
				}
				if n.Kind == legaltext.KindClause && strings.HasSuffix(n.ID, "A") {
					inserted++
				}
			}
			if len(v.Tree().Definitions) > 0 {
				if d.ID != "section-a" {
					t.Errorf("%s %s defines terms; only section-a should", d.ID, v.Number)
				}
				defs = len(v.Tree().Definitions)
			}
		}
	}
	terms = len(code.TermsAt(corpus.Date(st.LastRelease)).Defs)
	for name, n := range map[string]int{"cross-references": refs, "sub-paragraphs": subs, "tables": tables,
		"defined terms": terms, "definitions": defs, "inserted clauses (H1.4A)": inserted, "restricted documents": restricted} {
		if n == 0 {
			t.Errorf("no %s in the generated corpus", name)
		}
	}
	if st.ChangeRateP50 < 0.01 || st.ChangeRateP50 > 0.08 {
		t.Errorf("median share of clauses changed per version %.3f, want a few per cent", st.ChangeRateP50)
	}
}

// TestDeterministic: the same configuration gives the same files, byte for byte.
func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	small := tiny
	small.Docs, small.Versions = 4, 3
	for _, dir := range []string{a, b} {
		if _, err := Generate(small, dir); err != nil {
			t.Fatal(err)
		}
	}
	if ha, hb := treeHash(t, a), treeHash(t, b); ha != hb {
		t.Errorf("two runs with the same seed differ: %s != %s", ha, hb)
	}
}

func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		fmt.Fprintf(h, "%s\n%d\n", rel, len(b))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestSiteOfCodes: -codes 3 writes three codes with distinct ids and titles, each valid, each
// citing the next by name with references that resolve there (corpus.CheckSite), and a code
// that cites none is written as before.
func TestSiteOfCodes(t *testing.T) {
	dir := t.TempDir()
	small := tiny
	small.Docs, small.Versions = 6, 3
	stats, err := GenerateSite(small, 3, dir)
	if err != nil {
		t.Fatal(err)
	}
	var codes []*corpus.Code
	titles := map[string]bool{}
	for i, st := range stats {
		id := fmt.Sprintf("gen%d", i+1)
		code, err := corpus.Load(filepath.Join(dir, id))
		if err != nil {
			t.Fatalf("%s does not validate:\n%v", id, err)
		}
		if code.ID != id || titles[code.Title] {
			t.Errorf("code %d: id %q title %q, want id %s and a title of its own", i, code.ID, code.Title, id)
		}
		titles[code.Title] = true
		next := fmt.Sprintf("gen%d", (i+1)%3+1)
		if len(code.Cites) != 1 || code.Cites[0].Code != next {
			t.Errorf("%s cites %+v, want %s", id, code.Cites, next)
		}
		if st.CrossCodeRefs == 0 {
			t.Errorf("%s wrote no reference into another code", id)
		}
		found := 0
		for _, d := range code.Documents {
			for _, v := range d.Versions {
				for _, n := range v.Tree().Nodes {
					found += len(legaltext.FindCodeRefs(n.Text, code.CodeNames()))
				}
			}
		}
		if found == 0 {
			t.Errorf("%s: no reference into another code in its text", id)
		}
		codes = append(codes, code)
	}
	if err := corpus.CheckSite(codes); err != nil {
		t.Errorf("the references between the codes: %v", err)
	}
	if codeYAMLOf(Config{}) != codeYAML {
		t.Error("a code that names and cites nothing has the code.yaml it always had")
	}
	if _, err := GenerateSite(small, 1, t.TempDir()); err == nil {
		t.Error("a site of one code is refused")
	}
}
