package main

import (
	"fmt"
	"os"

	"codenav/docimport"
)

func imp(path string) {
	data, _ := os.ReadFile(path)
	res, err := docimport.Import(path, data, docimport.Options{})
	if err != nil {
		fmt.Println("ERR", err)
		return
	}
	fmt.Printf("%s: parts %d clauses %d prefix %q\n", path, res.Parts, res.Clauses, res.Prefix)
	if os.Getenv("MD") != "" {
		fmt.Println(res.Markdown)
	}
}
