package redline

import (
	"testing"
	"time"

	"codenav/legaltext"
)

func TestZZProf(t *testing.T) {
	old, new := largePair(t, 400<<10, 700<<10, 1)
	od, nd := legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new))
	c := &comparer{old: newSide(od), new: newSide(nd), words: map[string]uint32{}}
	c.oldTo = fill(len(c.old.nodes))
	c.newTo = fill(len(c.new.nodes))
	c.movedOld = make([]bool, len(c.old.nodes))
	st := time.Now()
	c.pairByID()
	t.Log(time.Since(st), len(c.old.nodes), len(c.new.nodes))
	ue, un := 0, 0
	for i, n := range c.old.nodes {
		if n.Explicit && c.oldTo[i] < 0 {
			ue++
		}
	}
	for j, n := range c.new.nodes {
		if n.Explicit && c.newTo[j] < 0 {
			un++
		}
	}
	t.Log("unpaired explicit", ue, un)
	r := Compare(od, nd)
	t.Logf("%+v", r.Summary)
}
