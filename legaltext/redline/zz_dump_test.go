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
