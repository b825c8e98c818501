package redline

import (
	"os"
	"testing"
	"time"

	"codenav/legaltext"
)

func TestZZPhases(t *testing.T) {
	a, _ := os.ReadFile("/tmp/large-old.md")
	b, _ := os.ReadFile("/tmp/large-new.md")
	od := legaltext.Parse(a)
	nd := legaltext.Parse(b)
	for i := 0; i < 3; i++ {
		s := time.Now()
		c := &comparer{words: map[string]uint32{}}
		c.old = newSide(od)
		c.new = newSide(nd)
		t1 := time.Since(s)
		c.oldTo = fill(len(c.old.nodes))
		c.newTo = fill(len(c.new.nodes))
		c.movedOld = make([]bool, len(c.old.nodes))
		c.pairByID()
		t2 := time.Since(s)
		c.anchors = c.backbone()
		t3 := time.Since(s)
		c.build()
		t4 := time.Since(s)
		t.Log(t1, t2-t1, t3-t2, t4-t3)
	}
}
