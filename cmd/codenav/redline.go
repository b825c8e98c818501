package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"codenav/legaltext"
	"codenav/legaltext/redline"
)

const redlineUsage = `Usage: codenav redline OLD NEW [--format html|docx|json] [--changes-only] [--context N] [-o FILE] [--corpus DIR] [--author NAME]

OLD and NEW are Markdown files (.md, front matter removed), plain-text files (.txt), or
DOC@VERSION from the corpus (documents/DOC/VERSION.md under --corpus). The redline goes to
standard output unless -o names a file.
`

// versionNameRE is what a document id or version may look like in DOC@VERSION: a name, never
// a path.
var versionNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`) })

func redlineCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("redline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, redlineUsage)
		fs.PrintDefaults()
	}
	format := fs.String("format", "html", "output format: html, docx or json")
	changesOnly := fs.Bool("changes-only", false, "html: show only the changes, with --context unchanged blocks around each")
	context := fs.Int("context", 1, "with --changes-only: unchanged blocks shown before and after each change")
	out := fs.String("o", "", "write the redline to `FILE` instead of standard output")
	dir := fs.String("corpus", "corpus/sec", "the corpus `DIR` for DOC@VERSION arguments")
	author := fs.String("author", "codenav", "docx: the author of the tracked changes")
	// Flags may come before, between or after the two paths.
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "codenav redline: want OLD and NEW, got %d argument(s)\n\n", len(pos))
		fs.Usage()
		return exitCode(2)
	}
	switch *format {
	case "html", "docx", "json":
	default:
		fmt.Fprintf(stderr, "codenav redline: unknown format %q (want html, docx or json)\n", *format)
		return exitCode(2)
	}
	if *context < 0 {
		fmt.Fprintf(stderr, "codenav redline: --context must not be negative\n")
		return exitCode(2)
	}

	// The two versions are found, read, then parsed side by side.
	var srcs [2]source
	var errs [2]error
	var paths [2]string
	size := 0
	for k, arg := range pos {
		var n int64
		paths[k], n, errs[k] = versionPath(arg, *dir)
		size += int(n)
	}
	// A large pair allocates about twenty times its size, nearly all of it before the
	// collector runs (see main): on huge pages it is faulted in 512 times less often. The
	// files are read into them too.
	if errs[0] == nil && errs[1] == nil {
		growHeapHuge(24 * size)
	}
	for k := range pos {
		if errs[k] == nil {
			srcs[k], errs[k] = readVersion(paths[k])
		}
	}
	for k, err := range errs {
		var bad *invalidUTF8Error
		if errors.As(err, &bad) {
			fmt.Fprintf(stderr, "codenav redline: %s: %v\n", pos[k], err)
			return exitCode(2)
		}
		var notText *notTextError
		if errors.As(err, &notText) {
			fmt.Fprintf(stderr, "codenav redline: %v\n", err)
			return exitCode(2)
		}
		if err != nil {
			return err
		}
	}

	// Both versions are read in the numbering the old one is written in. While the old one
	// decides it, the new one is read in the SEC's, which it nearly always is.
	var scheme *legaltext.Scheme
	var docs [2]*legaltext.Doc
	var wg sync.WaitGroup
	wg.Go(func() { docs[1] = srcs[1].parse(nil) })
	if strings.EqualFold(filepath.Ext(srcs[0].path), ".txt") {
		docs[0] = srcs[0].parse(nil)
	} else {
		scheme, docs[0] = legaltext.PickSchemeWith(srcs[0].body, compareParse())
	}
	wg.Wait()
	if scheme != nil && !scheme.IsSEC() {
		docs[1] = srcs[1].parse(scheme)
	}

	r := redline.Compare(docs[0], docs[1])
	title := fmt.Sprintf("Redline: %s → %s", pos[0], pos[1])
	// The writers buffer what they write: the redline goes straight to its destination
	// rather than through a copy of the whole of it in memory.
	dst := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); err != nil {
			return fmt.Errorf("write redline: %w", err)
		}
		defer f.Close()
		dst = f
	}
	switch *format {
	case "html":
		err = redline.WriteHTML(dst, r, redline.HTMLOptions{ChangesOnly: *changesOnly, Context: *context, Standalone: true, Title: title})
	case "docx":
		now := time.Now().UTC().Truncate(time.Second)
		// The body opens with what the file compares (the two arguments), by whom and when.
		about := []string{title, fmt.Sprintf("Accept every change for %s, reject every change for %s", pos[1], pos[0]),
			fmt.Sprintf("Changes by %s; redline made %s", *author, now.Format("2006-01-02 15:04 UTC"))}
		err = redline.WriteDOCX(dst, r, redline.DOCXOptions{Author: *author, Date: now, Title: title, About: about})
	case "json":
		err = redline.WriteJSON(dst, r)
	}
	if err != nil {
		return fmt.Errorf("write redline: %w", err)
	}
	if f == nil {
		return nil
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write redline: %w", err)
	}
	// Counted as the redline lists its changes: each changed definition (table row) on its own.
	s := r.Summary.Changes
	fmt.Fprintf(stderr, "%s: %d added, %d deleted, %d changed, %d moved, %d renumbered, %d unchanged\n",
		*out, s.Added, s.Deleted, s.Changed, s.Moved, s.Renumbered, s.Unchanged)
	return nil
}

// invalidUTF8Error reports where a version stops being UTF-8: the command refuses it rather
// than guess its encoding.
type invalidUTF8Error struct {
	offset, line int
}

func (e *invalidUTF8Error) Error() string {
	return fmt.Sprintf("not valid UTF-8 (first bad byte at offset %d, line %d); convert it to UTF-8 first", e.offset, e.line)
}

// notTextError is an input that is not a text to compare (XML, HTML, binary, empty).
type notTextError struct {
	path string
	err  error
}

func (e *notTextError) Error() string { return e.path + ": " + e.err.Error() }

// source is one side of the comparison, read: its path and its text without front matter.
type source struct {
	path string
	body []byte
}

// versionPath finds one side of the comparison, a file or DOC@VERSION from the corpus, and
// its size.
func versionPath(arg, corpusDir string) (string, int64, error) {
	st, err := os.Stat(arg)
	if err == nil {
		return arg, st.Size(), nil
	}
	doc, version, ok := strings.Cut(arg, "@")
	if !ok || !errors.Is(err, fs.ErrNotExist) {
		return "", 0, fmt.Errorf("read %s: %w", arg, err)
	}
	if !versionNameRE().MatchString(doc) || !versionNameRE().MatchString(version) || strings.Contains(arg, "..") {
		return "", 0, fmt.Errorf("%s: not a file, and not DOC@VERSION (names of letters, digits, '.', '_' and '-')", arg)
	}
	path := filepath.Join(corpusDir, "documents", doc, version+".md")
	if st, err = os.Stat(path); err != nil {
		return "", 0, fmt.Errorf("%s: no version %s of document %s in %s: %w", arg, version, doc, corpusDir, err)
	}
	return path, st.Size(), nil
}

// readVersion reads one side of the comparison from its file.
func readVersion(path string) (source, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return source{}, fmt.Errorf("read %s: %w", path, err)
	}
	if bytes.IndexByte(src, 0) < 0 && !utf8.Valid(src) {
		return source{}, badUTF8(src)
	}
	body := src
	if !strings.EqualFold(filepath.Ext(path), ".txt") {
		var closed bool
		_, body, _, _, closed = legaltext.FrontMatter(src)
		if body == nil && !closed {
			return source{}, fmt.Errorf("%s: front matter is not closed by a --- line", path)
		}
	}
	if err := legaltext.CheckText(body); err != nil {
		return source{}, &notTextError{path: path, err: err}
	}
	return source{path: path, body: body}, nil
}

// compareParse is what a comparison reads of a parse: not the references (redline.Compare
// does not look at them).
func compareParse() legaltext.ParseOptions { return legaltext.ParseOptions{NoRefs: true} }

// parse parses the version: plain text for .txt, Markdown otherwise.
func (s source) parse(scheme *legaltext.Scheme) *legaltext.Doc {
	if strings.EqualFold(filepath.Ext(s.path), ".txt") {
		return legaltext.ParseText(s.body)
	}
	return legaltext.ParseSchemeWith(s.body, scheme, compareParse())
}

func badUTF8(src []byte) *invalidUTF8Error {
	off := 0
	for off < len(src) {
		r, w := utf8.DecodeRune(src[off:])
		if r == utf8.RuneError && w <= 1 {
			break
		}
		off += w
	}
	return &invalidUTF8Error{offset: off, line: bytes.Count(src[:off], []byte("\n")) + 1}
}
