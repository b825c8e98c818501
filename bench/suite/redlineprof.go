package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// redlineprofCmd splits what `codenav redline` does into its steps — read and parse both
// versions, compare, write HTML, write DOCX, write JSON — and times each, the median of n repetitions,
// in-process, with an optional CPU profile of the whole.
//
//	suite redlineprof -old A.md -new B.md -n 9 -cpuprofile redline.prof
func redlineprofCmd(args []string) error {
	fs := flag.NewFlagSet("redlineprof", flag.ExitOnError)
	oldPath := fs.String("old", "", "old version (.md with front matter)")
	newPath := fs.String("new", "", "new version")
	n := fs.Int("n", 9, "repetitions")
	prof := fs.String("cpuprofile", "", "CPU profile to write")
	fs.Parse(args)
	read := func(p string) (*legaltext.Doc, error) {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		_, body, _, _, _ := legaltext.FrontMatter(src)
		return legaltext.Parse(body), nil
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	steps := map[string][]float64{}
	order := []string{"read+parse both", "compare", "write HTML", "write DOCX", "write JSON"}
	var htmlBytes, docxBytes, jsonBytes int
	for i := 0; i < *n; i++ {
		t0 := time.Now()
		a, err := read(*oldPath)
		if err != nil {
			return err
		}
		b, err := read(*newPath)
		if err != nil {
			return err
		}
		t1 := time.Now()
		r := redline.Compare(a, b)
		t2 := time.Now()
		var h, d bytes.Buffer
		if err := redline.WriteHTML(&h, r, redline.HTMLOptions{Standalone: true, Title: "redline"}); err != nil {
			return err
		}
		t3 := time.Now()
		if err := redline.WriteDOCX(&d, r, redline.DOCXOptions{Author: "codenav", Date: time.Now().UTC(), Title: "redline"}); err != nil {
			return err
		}
		t4 := time.Now()
		var j bytes.Buffer
		if err := redline.WriteJSON(&j, r); err != nil {
			return err
		}
		t5 := time.Now()
		htmlBytes, docxBytes, jsonBytes = h.Len(), d.Len(), j.Len()
		for k, dt := range []time.Duration{t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4)} {
			steps[order[k]] = append(steps[order[k]], float64(dt.Microseconds())/1000)
		}
	}
	for _, k := range order {
		fmt.Printf("%-16s %8.1f ms (median of %d)\n", k, median(steps[k]), *n)
	}
	fmt.Printf("HTML %d bytes, DOCX %d bytes, JSON %d bytes\n", htmlBytes, docxBytes, jsonBytes)
	return nil
}
