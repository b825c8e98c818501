package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"codenav/corpus"
)

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("corpus", "corpus/sec", "the corpus folder")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	code, err := corpus.Load(*dir)
	var probs corpus.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(stdout, p.String())
		}
		fmt.Fprintf(stderr, "%s: %d problem(s)\n", *dir, len(probs))
		return exitCode(1)
	}
	if err != nil {
		return err
	}
	versions, clauses := 0, 0
	for _, d := range code.Documents {
		versions += len(d.Versions)
		for _, v := range d.Versions {
			clauses += len(v.Tree().Clauses())
		}
	}
	fmt.Fprintf(stdout, "%s: ok: %d documents, %d versions, %d clauses in all versions, %d releases, %d modifications\n",
		*dir, len(code.Documents), versions, clauses, len(code.Releases), len(code.Modifications))
	return nil
}
