package redline

import (
	"testing"
	"time"

	"codenav/legaltext"
)

func TestZZProf(t *testing.T) {
	a := []byte("**H1.1** A Party shall.\n\n**H1.2** The DCC shall.\n")
	b := []byte("**H1.1** A Party may.\n\n**H1.3** The DCC shall.\n")
	st := time.Now()
	for i := 0; i < 100; i++ {
		checkLaw(t, "x", legaltext.Parse(a), legaltext.Parse(b))
	}
	t.Log(time.Since(st) / 100)
}
