package main

import (
	"fmt"
	"os"

	"codenav/legaltext"
)

func main() {
	if os.Args[1] == "imp" {
		for _, a := range os.Args[2:] {
			imp(a)
		}
		return
	}
	s, _ := legaltext.BuiltinScheme(os.Args[1])
	data, _ := os.ReadFile(os.Args[2])
	_, body, _, _, _ := legaltext.FrontMatter(data)
	if body == nil {
		body = data
	}
	d := legaltext.ParseScheme(body, s)
	fmt.Println("clauses", len(d.Clauses()), "problems", len(d.Problems))
	for _, p := range d.Problems {
		fmt.Println("  P", p.Line, p.Msg)
	}
	verbose := len(os.Args) > 3
	for _, n := range d.Nodes {
		if n.Kind == legaltext.KindClause || n.Explicit || verbose {
			fmt.Printf("%s %q %q units=%d\n", n.Kind, n.ID, n.Number, len(n.Units))
			if verbose {
				for _, u := range n.Units {
					fmt.Printf("   %s | %s | %s\n", u.ID, u.Label, u.Lead)
				}
			}
		}
	}
}
