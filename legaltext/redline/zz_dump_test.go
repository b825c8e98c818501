package redline

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"codenav/legaltext"
)

func TestZZDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	var d *legaltext.Doc
	if os.Getenv("TXT") != "" {
		d = legaltext.ParseText(b)
	} else {
		_, body, _, _, _ := legaltext.FrontMatter(b)
		d = legaltext.Parse(body)
	}
	for _, n := range d.Nodes {
		fmt.Printf("=== %s %s exp=%v lvl=%d\n--text--\n%s\n--src--\n%s\n", n.Kind, n.ID, n.Explicit, n.Level, n.Text, n.Source)
	}
}

func loadAny(p string) *legaltext.Doc {
	b, _ := os.ReadFile(p)
	if len(p) > 4 && p[len(p)-4:] == ".txt" {
		return legaltext.ParseText(b)
	}
	_, body, _, _, _ := legaltext.FrontMatter(b)
	return legaltext.Parse(body)
}

func TestZZCompare(t *testing.T) {
	a, b := os.Getenv("OLD"), os.Getenv("NEW")
	if a == "" {
		t.Skip()
	}
	r := Compare(loadAny(a), loadAny(b))
	for _, bl := range r.Blocks {
		if bl.Kind == ChangeEqual && os.Getenv("ALL") == "" {
			continue
		}
		fmt.Printf("## #%d %s %s/%s node=%s wording=%v pair=%d\n", bl.Change, bl.Kind, bl.OldID, bl.NewID, bl.Node, bl.Wording, bl.Pair)
		ls := bl.Lines
		if bl.Diff != nil {
			ls = bl.Diff
		}
		for _, l := range ls {
			fmt.Printf("  [%s/%s] ", l.Kind, l.Style)
			for _, op := range l.Ops {
				switch op.Kind {
				case OpInsert:
					fmt.Printf("{+%s+}", op.Text)
				case OpDelete:
					fmt.Printf("[-%s-]", op.Text)
				default:
					fmt.Print(op.Text)
				}
			}
			fmt.Println()
		}
	}
	fmt.Printf("%+v\n", r.Summary)
}

func TestZZStats(t *testing.T) {
	a, b := os.Getenv("OLD"), os.Getenv("NEW")
	if a == "" {
		t.Skip()
	}
	r := Compare(loadAny(a), loadAny(b))
	m := map[Change]int{}
	for _, bl := range r.Blocks {
		for _, l := range bl.Lines {
			m[l.Kind]++
		}
	}
	fmt.Println(m, r.Summary.Blocks)
}

func countWords(s string) int {
	n := 0
	for _, t := range tokenize(s) {
		if wordRune([]rune(t)[0]) {
			n++
		}
	}
	return n
}

func TestZZWords(t *testing.T) {
	a, b := os.Getenv("OLD"), os.Getenv("NEW")
	if a == "" {
		t.Skip()
	}
	od, nd := loadAny(a), loadAny(b)
	r := Compare(od, nd)
	eq := 0
	for _, bl := range r.Blocks {
		for _, l := range bl.Lines {
			for _, op := range l.Ops {
				if op.Kind == OpEqual {
					eq += countWords(op.Text)
				}
			}
		}
	}
	g := 0
	for _, op := range diffWords(Normalize(od.Text()), Normalize(nd.Text())) {
		if op.Kind == OpEqual {
			g += countWords(op.Text)
		}
	}
	fmt.Printf("equal words: redline %d, global word diff %d, old words %d -> %.2f\n", eq, g, countWords(od.Text()), float64(eq)/float64(g))
}

func TestZZLaw(t *testing.T) {
	files := []string{}
	for _, g := range []string{"../../corpus/sec/documents/*/*.md", "/work/shared/realtext/*/*.*"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	docs := map[string]*legaltext.Doc{}
	for _, f := range files {
		if filepath.Base(f) == "README.md" {
			continue
		}
		docs[f] = loadAny(f)
	}
	n := 0
	for fa, a := range docs {
		for fb, b := range docs {
			if filepath.Dir(fa) != filepath.Dir(fb) {
				continue
			}
			r := Compare(a, b)
			n++
			if Normalize(r.AcceptAll()) != Normalize(CleanText(b.Text())) {
				t.Errorf("accept %s -> %s", fa, fb)
			}
			if Normalize(r.RejectAll()) != Normalize(CleanText(a.Text())) {
				t.Errorf("reject %s -> %s", fa, fb)
			}
		}
	}
	fmt.Println(n, "pairs")
}

func TestZZWrite(t *testing.T) {
	a, b := os.Getenv("OLD"), os.Getenv("NEW")
	if a == "" {
		t.Skip()
	}
	r := Compare(loadAny(a), loadAny(b))
	f, _ := os.Create("/tmp/rl.docx")
	WriteDOCX(f, r, DOCXOptions{})
	f.Close()
	f, _ = os.Create("/tmp/rl.html")
	WriteHTML(f, r, HTMLOptions{Standalone: true})
	f.Close()
	f, _ = os.Create("/tmp/rl.json")
	WriteJSON(f, r)
	f.Close()
	os.WriteFile("/tmp/rl.accept", []byte(r.AcceptAll()), 0o644)
	os.WriteFile("/tmp/rl.reject", []byte(r.RejectAll()), 0o644)
}
