package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"codenav/corpus"
	"codenav/index"
)

// loadCorpus loads a corpus and prints its problems the way validate does.
func loadCorpus(dir string, stderr io.Writer) (*corpus.Code, error) {
	code, err := corpus.Load(dir)
	var probs corpus.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(stderr, p.String())
		}
		fmt.Fprintf(stderr, "%s: %d problem(s)\n", dir, len(probs))
		return nil, exitCode(1)
	}
	return code, err
}

// isTerminal reports whether w is a terminal (a character device), for the progress bar.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func progressPrinter(w io.Writer) index.Progress {
	tty := isTerminal(w)
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		pct := done * 100 / total
		if tty {
			bar := strings.Repeat("█", pct/4) + strings.Repeat("░", 25-pct/4)
			fmt.Fprintf(w, "\rindexing %s %3d%% %d/%d", bar, pct, done, total)
			if done == total {
				fmt.Fprintln(w)
			}
			return
		}
		if pct/10 != last/10 || done == total {
			fmt.Fprintf(w, "indexed %d of %d clause texts (%d%%)\n", done, total, pct)
			last = pct
		}
	}
}

func indexCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("corpus", "corpus/sec", "the corpus folder")
	data := fs.String("data", "data", "folder for the index")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	code, err := loadCorpus(*dir, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := index.Open(ctx, *data, code, index.Options{Logger: slog.New(slog.DiscardHandler), Progress: progressPrinter(stdout)})
	if err != nil {
		return err
	}
	defer m.Close()
	// An out-of-date index is served while the new one builds; wait for the new one.
	for {
		if err := m.Wait(ctx); err != nil {
			return err
		}
		if m.Current() {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	fmt.Fprintf(stdout, "index %s ready in %s (%d clause texts)\n", m.Name(), time.Since(start).Round(time.Millisecond), len(index.Entries(code)))
	return nil
}

func searchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("corpus", "corpus/sec", "the corpus folder")
	data := fs.String("data", "data", "folder for the index")
	party := fs.String("party", "", "only clauses that apply to this party category")
	at := fs.String("at", "", "date searched (YYYY-MM-DD, default today), or all for every version")
	size := fs.Int("size", 10, "how many hits")
	asJSON := fs.Bool("json", false, "print JSON")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		fmt.Fprintln(stderr, "usage: codenav search QUERY [--party P] [--at DATE|all] [--json]")
		return exitCode(2)
	}
	code, err := loadCorpus(*dir, stderr)
	if err != nil {
		return err
	}
	req := index.Request{Query: strings.Join(words, " "), Party: *party, Today: corpus.DateOf(time.Now()), Size: *size}
	if *party != "" {
		if _, ok := code.Party(*party); !ok {
			fmt.Fprintf(stderr, "codenav search: unknown party category %q (one of: %s)\n", *party, strings.Join(code.PartyIDs(), ", "))
			return exitCode(2)
		}
	}
	switch *at {
	case "":
	case "all":
		req.AllVersions = true
	default:
		d, err := corpus.ParseDate(*at)
		if err != nil {
			fmt.Fprintf(stderr, "codenav search: --at: %v\n", err)
			return exitCode(2)
		}
		req.At = d
	}
	// The command line reads as an anonymous reader: public documents only.
	for _, d := range code.For(corpus.Reader{}).Documents() {
		req.Visible = append(req.Visible, d.ID)
	}
	m, err := index.Open(ctx, *data, code, index.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Wait(ctx); err != nil {
		return err
	}
	res, err := m.Search(ctx, req)
	if errors.Is(err, index.ErrBadQuery) {
		fmt.Fprintf(stderr, "codenav search: %v\n", err)
		return exitCode(2)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%d clauses (%s)\n", res.Total, res.Took.Round(time.Microsecond))
	for _, h := range res.Hits {
		snippet := strings.NewReplacer("<mark>", "[", "</mark>", "]", "&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(h.Snippet)
		fmt.Fprintf(stdout, "\n%s %s (%s, from %s)\n  %s\n", h.Doc, h.Clause, h.Heading, h.From, strings.Join(strings.Fields(snippet), " "))
	}
	return nil
}
