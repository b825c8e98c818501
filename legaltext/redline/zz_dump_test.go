package redline

import (
	"fmt"
	"os"
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
