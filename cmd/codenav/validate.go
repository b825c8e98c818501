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
	var dirs corpusList
	fs.Var(&dirs, "corpus", "the corpus folder (default corpus/sec); give it again for each code served with it, to check the references between them too")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	if len(dirs) == 0 {
		dirs = corpusList{"corpus/sec"}
	}
	var codes []*corpus.Code
	for _, dir := range dirs {
		code, err := validateOne(dir, stdout, stderr)
		if err != nil {
			return err
		}
		codes = append(codes, code)
	}
	if len(codes) < 2 {
		return nil
	}
	var probs corpus.Problems
	if err := corpus.CheckSite(codes); errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(stdout, p.String())
		}
		fmt.Fprintf(stderr, "the references between the codes: %d problem(s)\n", len(probs))
		return exitCode(1)
	}
	fmt.Fprintf(stdout, "%d codes: ok: every reference from one to another points at a clause\n", len(codes))
	return nil
}

// validateOne checks one code's folder and prints what it holds.
func validateOne(dir string, stdout, stderr io.Writer) (*corpus.Code, error) {
	code, err := corpus.Load(dir)
	var probs corpus.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(stdout, p.String())
		}
		fmt.Fprintf(stderr, "%s: %d problem(s)\n", dir, len(probs))
		return nil, exitCode(1)
	}
	if err != nil {
		return nil, err
	}
	versions, clauses := 0, 0
	for _, d := range code.Documents {
		versions += len(d.Versions)
		for _, v := range d.Versions {
			clauses += len(v.Tree().Clauses())
		}
	}
	fmt.Fprintf(stdout, "%s: ok: %d documents, %d versions, %d clauses in all versions, %d releases, %d modifications\n",
		dir, len(code.Documents), versions, clauses, len(code.Releases), len(code.Modifications))
	return code, nil
}
