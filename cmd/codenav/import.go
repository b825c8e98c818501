package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"codenav/corpus"
	"codenav/docimport"
	"codenav/legaltext"
)

const importUsage = `Usage: codenav import FILE --doc ID --version V --effective DATE [--corpus DIR] [--release R]
       [--title T] [--category C] [--classification K] [--prefix P] [--numbering SCHEME] [--strict] [--force]

Imports a Word (.docx), Markdown (.md) or plain-text (.txt) file as version V of document ID:
writes documents/ID/V.md (and documents/ID/document.yaml when the document is new), then checks
that the corpus still validates, and takes back what it wrote if it does not. It prints what
it could not carry over (images, comments, fields, tracked changes...), each with the paragraph
it came from. Exit status: 0 imported, 1 not imported (validation, or --strict and a report),
2 bad input or arguments (nothing written).

A new document gets: the title of the file's first heading (or --title), with "Section H: "
made its reference; the prefix detected from its clause numbers (or --prefix); the first
category of code.yaml (or --category); the most restricted classification of code.yaml (or
--classification), so that nobody but an administrator sees it until someone decides.
`

// maxImportSize bounds the file read: the largest Word documents of a code are tens of MB.
const maxImportSize = 100 << 20

var (
	importIDRE      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })
	importVersionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d+(\.\d+)*$`) })
	importPrefixRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z]{1,4}$`) })
	referenceRE     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^((?:Section|Schedule|Appendix|Annex)\s+[A-Z0-9]{1,4})\s*(?:[:–—-]\s*(.+))?$`)
	})
)

type importOpts struct {
	file, doc, version, effective, dir, release string
	title, category, classification, prefix     string
	numbering                                   string
	strict, force                               bool
}

func importCmd(args []string, stdout, stderr io.Writer) error {
	o, err := importFlags(args, stderr)
	if err != nil {
		return err
	}
	fail := func(code int, format string, a ...any) error {
		fmt.Fprintf(stderr, "codenav import: "+format+"\n", a...)
		return exitCode(code)
	}
	before, err := corpus.Load(o.dir)
	var probs corpus.Problems
	if before == nil || (err != nil && !errors.As(err, &probs)) {
		return fail(2, "%s is not a corpus: %v", o.dir, err)
	}
	docDir := filepath.Join(o.dir, "documents", o.doc)
	target := filepath.Join(docDir, o.version+".md")
	previous, err := os.ReadFile(target)
	if err == nil && !o.force {
		return fail(2, "%s exists: give --force to replace it", target)
	}
	existing := before.Document(o.doc)
	if existing == nil {
		if _, err := os.Stat(filepath.Join(docDir, "document.yaml")); err == nil {
			return fail(2, "%s exists but the document does not load; fix it first (codenav validate --corpus %s)", docDir, o.dir)
		}
	}
	prefix := o.prefix
	if existing != nil && existing.Prefix != "" {
		if prefix != "" && prefix != existing.Prefix {
			return fail(2, "document %s has the prefix %s; --prefix %s differs", o.doc, existing.Prefix, prefix)
		}
		prefix = existing.Prefix
	}

	data, err := readLimited(o.file)
	if err != nil {
		return fail(2, "%v", err)
	}
	var scheme *legaltext.Scheme
	if existing != nil {
		scheme = existing.Numbering
		if scheme == nil {
			scheme = legaltext.SEC()
		}
	} else if o.numbering != "" {
		s, ok := legaltext.BuiltinScheme(o.numbering)
		if !ok {
			return fail(2, "--numbering %q: not a built-in scheme (%s)", o.numbering, strings.Join(legaltext.SchemeNames(), ", "))
		}
		scheme = s
	}
	res, err := docimport.Import(o.file, data, docimport.Options{Prefix: prefix, Scheme: scheme})
	if docimport.IsInputError(err) {
		return fail(2, "%v", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d parts, %d clauses, %d words (clause prefix %q)\n", o.file, res.Parts, res.Clauses,
		len(docimport.Words(res.Source)), res.Prefix)
	printScheme(stdout, res, existing != nil)
	printReport(stdout, res.Report)
	if o.strict && len(res.Report) > 0 {
		return fail(1, "not imported: --strict, and the report above has %d item(s)", len(res.Report))
	}

	w := &corpusWrite{}
	var notes []string
	if existing == nil {
		meta, n, err := newDocument(o, before, res)
		if err != nil {
			return fail(2, "%v", err)
		}
		notes = n
		if err := w.create(docDir, "document.yaml", meta); err != nil {
			w.undo()
			return err
		}
	} else if o.title != "" || o.category != "" || o.classification != "" {
		notes = append(notes, fmt.Sprintf("document %s exists: --title, --category and --classification are left to its document.yaml", o.doc))
	}
	if err := w.version(target, previous, versionFile(o, res.Markdown)); err != nil {
		w.undo()
		return err
	}
	after, err := corpus.Load(o.dir)
	if added := newProblems(before, probs, after, err); len(added) > 0 {
		w.undo()
		fmt.Fprintf(stderr, "codenav import: not imported: the corpus would have %d new problem(s):\n", len(added))
		for _, p := range added {
			fmt.Fprintln(stderr, "  "+p.String())
		}
		return exitCode(1)
	}
	for _, f := range w.written {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}
	if len(probs) > 0 {
		fmt.Fprintf(stdout, "%s still has the %d problem(s) it had before (codenav validate --corpus %s)\n", o.dir, len(probs), o.dir)
	}
	return nil
}

func importFlags(args []string, stderr io.Writer) (importOpts, error) {
	var o importOpts
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, importUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.doc, "doc", "", "the document `ID` (lower-case letters, digits, dashes)")
	fs.StringVar(&o.version, "version", "", "the version `V` (2.0, 3.1)")
	fs.StringVar(&o.effective, "effective", "", "the `DATE` it takes effect, YYYY-MM-DD")
	fs.StringVar(&o.dir, "corpus", "corpus/sec", "the corpus `DIR`")
	fs.StringVar(&o.release, "release", "", "the release `R` that implements it")
	fs.StringVar(&o.title, "title", "", "a new document's title (default: its first heading)")
	fs.StringVar(&o.category, "category", "", "a new document's category (default: the first in code.yaml)")
	fs.StringVar(&o.classification, "classification", "", "a new document's classification (default: the most restricted)")
	fs.StringVar(&o.prefix, "prefix", "", "the clause prefix `P` (default: detected from the clause numbers)")
	fs.StringVar(&o.numbering, "numbering", "", "a new document's numbering `SCHEME` (default: detected; "+strings.Join(legaltext.SchemeNames(), ", ")+")")
	fs.BoolVar(&o.strict, "strict", false, "import nothing when anything could not be carried over")
	fs.BoolVar(&o.force, "force", false, "replace an existing version file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return o, err
	}
	bad := func(format string, a ...any) (importOpts, error) {
		fmt.Fprintf(stderr, "codenav import: "+format+"\n", a...)
		return o, exitCode(2)
	}
	switch {
	case len(pos) != 1:
		fmt.Fprintf(stderr, "codenav import: want one FILE, got %d\n\n", len(pos))
		fs.Usage()
		return o, exitCode(2)
	case !importIDRE().MatchString(o.doc):
		return bad("--doc %q: want an id of lower-case letters, digits and dashes", o.doc)
	case !importVersionRE().MatchString(o.version):
		return bad("--version %q: want a version number such as 2.0", o.version)
	case o.release != "" && !importIDRE().MatchString(o.release):
		return bad("--release %q: want a release id such as 2024-02", o.release)
	case o.prefix != "" && !importPrefixRE().MatchString(o.prefix):
		return bad("--prefix %q: want 1 to 4 capital letters", o.prefix)
	case strings.ContainsAny(o.title, "\n\r"):
		return bad("--title: one line, please")
	}
	if _, err := corpus.ParseDate(o.effective); err != nil {
		return bad("--effective: %v", err)
	}
	o.file = pos[0]
	return o, nil
}

// readLimited reads a file of at most maxImportSize bytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxImportSize {
		return nil, fmt.Errorf("%s: larger than %d MB: refused", path, maxImportSize>>20)
	}
	return data, nil
}

func printReport(w io.Writer, report []docimport.Finding) {
	if len(report) == 0 {
		fmt.Fprintln(w, "report: everything was carried over")
		return
	}
	fmt.Fprintf(w, "report: %d item(s) not carried over as they were:\n", len(report))
	for _, f := range report {
		fmt.Fprintln(w, "  "+f.String())
	}
}

// documentMeta is a new document.yaml, fields in the order the corpus writes them.
type documentMeta struct {
	Title          string `yaml:"title"`
	Reference      string `yaml:"reference,omitempty"`
	Prefix         string `yaml:"prefix,omitempty"`
	Category       string `yaml:"category"`
	Classification string `yaml:"classification"`
	Numbering      string `yaml:"numbering,omitempty"`
}

// printScheme says which numbering scheme the text was read with, and why.
func printScheme(w io.Writer, res *docimport.Result, existing bool) {
	if res.Scheme == nil {
		return
	}
	switch {
	case len(res.Scores) > 0:
		var alts []string
		for _, sc := range res.Scores {
			alts = append(alts, fmt.Sprintf("%s %d", sc.Name, sc.Clauses))
		}
		fmt.Fprintf(w, "numbering: %s, detected (clauses found by each scheme: %s)\n", res.Scheme, strings.Join(alts, ", "))
	case existing:
		fmt.Fprintf(w, "numbering: %s, the document's\n", res.Scheme)
	default:
		fmt.Fprintf(w, "numbering: %s, as given\n", res.Scheme)
	}
}

// newDocument settles the document.yaml of a new document, with a note on each default taken.
func newDocument(o importOpts, c *corpus.Code, res *docimport.Result) ([]byte, []string, error) {
	var notes []string
	m := documentMeta{Title: o.title, Category: o.category, Classification: o.classification}
	if m.Title == "" {
		m.Title = strings.TrimSpace(res.Title)
		if mm := referenceRE().FindStringSubmatch(m.Title); mm != nil {
			m.Reference = strings.Join(strings.Fields(mm[1]), " ")
			if mm[2] != "" {
				m.Title = strings.TrimSpace(mm[2])
			}
		}
		if m.Title == "" {
			m.Title = strings.TrimSuffix(filepath.Base(o.file), filepath.Ext(o.file))
			notes = append(notes, fmt.Sprintf("title %q: the file has no heading; change it in document.yaml", m.Title))
		}
	}
	for _, d := range c.Documents {
		if m.Reference != "" && d.Reference == m.Reference {
			notes = append(notes, fmt.Sprintf("no reference: %q is the reference of %s", m.Reference, d.ID))
			m.Reference = ""
		}
	}
	m.Prefix = res.Prefix
	if res.Scheme != nil && !res.Scheme.IsSEC() && res.Scheme.Name != "custom" {
		m.Numbering = res.Scheme.Name
	}
	for _, d := range c.Documents {
		if m.Prefix != "" && d.Prefix == m.Prefix {
			if o.prefix != "" {
				return nil, nil, fmt.Errorf("--prefix %s is already the prefix of %s", o.prefix, d.ID)
			}
			notes = append(notes, fmt.Sprintf("no prefix: the clause numbers start with %s, the prefix of %s", m.Prefix, d.ID))
			m.Prefix = ""
		}
	}
	if m.Category == "" && len(c.Categories) > 0 {
		m.Category = c.Categories[0].ID
		notes = append(notes, fmt.Sprintf("category %s: the first category in code.yaml (give --category to choose)", m.Category))
	}
	if m.Classification == "" && len(c.Classifications) > 0 {
		m.Classification = c.Classifications[len(c.Classifications)-1].ID
		notes = append(notes, fmt.Sprintf("classification %s: the most restricted in code.yaml, so that only administrators see it until it is changed in document.yaml (or give --classification)", m.Classification))
	}
	out, err := yaml.Marshal(m)
	if err != nil {
		return nil, nil, fmt.Errorf("document.yaml: %w", err)
	}
	return out, notes, nil
}

// versionFile is the version file: front matter, then the imported body.
func versionFile(o importOpts, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nversion: %q\neffective: %s\n", o.version, o.effective)
	if o.release != "" {
		fmt.Fprintf(&b, "release: %s\n", o.release)
	}
	b.WriteString("---\n\n")
	b.WriteString(body)
	return []byte(b.String())
}

// corpusWrite writes files into the corpus and can take them back.
type corpusWrite struct {
	written  []string
	undoFns  []func()
	madeDirs []string
}

// create writes a new file (and its folder if need be).
func (w *corpusWrite) create(dir, name string, data []byte) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
		w.madeDirs = append(w.madeDirs, dir)
	}
	path := filepath.Join(dir, name)
	if err := writeAtomic(path, data); err != nil {
		return err
	}
	w.written = append(w.written, path)
	w.undoFns = append(w.undoFns, func() { _ = os.Remove(path) })
	return nil
}

// version writes the version file, remembering what it replaces (nil: nothing).
func (w *corpusWrite) version(path string, previous, data []byte) error {
	if err := w.create(filepath.Dir(path), filepath.Base(path), data); err != nil {
		return err
	}
	if previous != nil {
		w.undoFns[len(w.undoFns)-1] = func() { _ = writeAtomic(path, previous) }
	}
	return nil
}

func (w *corpusWrite) undo() {
	for i := len(w.undoFns) - 1; i >= 0; i-- {
		w.undoFns[i]()
	}
	for i := len(w.madeDirs) - 1; i >= 0; i-- {
		_ = os.Remove(w.madeDirs[i])
	}
	w.written = nil
}

// writeAtomic writes a file through a temporary file in the documents folder (never read
// as part of a document) and a rename, so that a reader never sees half of it.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(filepath.Dir(path)), ".import-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// newProblems are the problems of the corpus after the import that it did not have before.
func newProblems(beforeCode *corpus.Code, before corpus.Problems, after *corpus.Code, err error) corpus.Problems {
	var now corpus.Problems
	if err != nil && !errors.As(err, &now) {
		return corpus.Problems{{Path: beforeCode.Dir, Msg: err.Error()}}
	}
	if after == nil {
		return now
	}
	had := map[corpus.Problem]bool{}
	for _, p := range before {
		had[p] = true
	}
	var out corpus.Problems
	for _, p := range now {
		if !had[p] {
			out = append(out, p)
		}
	}
	return out
}
