package redline

import (
	"testing"
	"time"
)

func TestZZProf(t *testing.T) {
	a := parseFile(t, realText+"/cc-by/cc-by@v3.0.txt")
	b := parseFile(t, realText+"/cc-by/cc-by@v4.0.txt")
	x, y := Normalize(a.Text()), Normalize(b.Text())
	t.Log(len(tokenize(x)), len(tokenize(y)))
	st := time.Now()
	diffWords(x, y)
	t.Log(time.Since(st))
}
