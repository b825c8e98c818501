// Package docimport turns an existing document — Word (.docx), Markdown (.md) or plain text
// (.txt) — into one version of a document in codenav's corpus format, without losing a word.
//
// DOCX is read by our own code: archive/zip and encoding/xml over WordprocessingML. The
// reader takes the paragraphs, runs (bold, italic), tables, heading styles (styles.xml) and
// automatic numbering (numbering.xml, whose number text is rendered as Word shows it, so that
// "H1.1" or "(a)" survive), accepts tracked insertions and drops tracked deletions, keeps the
// result text of fields, and reports what it cannot carry (images, comments, footnotes,
// headers and footers with text, page layout beyond a single section). The input is bounded:
// the archive's entry count, each entry's and the total decompressed size, and XML may carry
// no DOCTYPE.
//
// Every reader produces the same simple model (paragraphs with a heading level, a number and
// formatted runs; tables), and one mapper turns it into our Markdown: part headings
// "## H1 Title {#H1}", clauses "**H1.1** text", sub-paragraphs "- (a) ..." nested by two
// spaces, pipe tables, the definitions table with bold expressions. The mapper escapes
// everything Markdown would otherwise interpret, so the words of the output, parsed by
// legaltext, are the words of the input; Import checks that before it returns.
package docimport

import (
	"fmt"

	"codenav/legaltext"
	"path/filepath"
	"strings"
)

// Options tune an import.
type Options struct {
	// Prefix is the document's clause prefix ("H"): numbers that start with it are clauses
	// and part headings. Empty: detected from the numbers in the text.
	Prefix string
	// Limits bound the reading of a .docx; zero fields take DefaultLimits.
	Limits Limits
	// Scheme is how a Markdown text numbers its clauses; nil: detected (see
	// legaltext.DetectScheme), unless Prefix is given, which is the SEC's convention.
	Scheme *legaltext.Scheme
}

// Result is an imported version.
type Result struct {
	// Markdown is the body of the version file (no front matter).
	Markdown string
	// Title is the text of the document's first heading (its title), if any.
	Title string
	// Prefix is the clause prefix used: Options.Prefix, or the one detected ("" if none).
	Prefix string
	// Report lists what could not be mapped, in document order.
	Report []Finding
	// Source is the text as read from the input (numbers included, markup excluded): the
	// words of Markdown, parsed, are the words of Source.
	Source string
	// Parts and Clauses count the part headings and clauses found.
	Parts, Clauses int
	// Scheme is the numbering scheme the text was read with; Scores what each built-in
	// scheme found when it was detected (nil when it was given).
	Scheme *legaltext.Scheme
	Scores []legaltext.SchemeScore
}

// Finding is one thing of the input that the import could not carry, or carried with a
// change the reader should know of (a tracked change accepted, a field kept as its result).
type Finding struct {
	// Kind is a short tag: "tracked-change", "field", "image", "comment", "footnote",
	// "layout", "structure", "hidden-text", "symbol", "equation", "embedded".
	Kind string
	// Message says what happened.
	Message string
	// Context is the first 60 characters of the paragraph it came from.
	Context string
}

func (f Finding) String() string {
	if f.Context == "" {
		return f.Kind + ": " + f.Message
	}
	return fmt.Sprintf("%s: %s (in %q)", f.Kind, f.Message, f.Context)
}

// Format is the kind of input, chosen by the file's extension.
type Format int

const (
	// FormatDOCX is a WordprocessingML package.
	FormatDOCX Format = iota + 1
	// FormatMarkdown is Markdown, ours or anyone's.
	FormatMarkdown
	// FormatText is plain text.
	FormatText
)

// FormatOf returns the format of a file by its extension.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx":
		return FormatDOCX, nil
	case ".md", ".markdown":
		return FormatMarkdown, nil
	case ".txt", ".text":
		return FormatText, nil
	}
	return 0, inputErrorf("%s: unsupported file type %q (want .docx, .md or .txt)", filepath.Base(name), filepath.Ext(name))
}

// Import reads data as the format its name's extension says and returns the version.
// A *InputError means the input is not what it claims to be or is unsafe to read.
func Import(name string, data []byte, o Options) (*Result, error) {
	f, err := FormatOf(name)
	if err != nil {
		return nil, err
	}
	if err := sniff(f, data); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	if f != FormatDOCX {
		body := data
		if _, b, _, ok, closed := legaltext.FrontMatter(data); ok && closed && f == FormatMarkdown {
			body = b
		}
		if err := legaltext.CheckText(body); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(name), inputErrorf("%v", err))
		}
	}
	var res *Result
	switch f {
	case FormatDOCX:
		res, err = ReadDOCX(data, o)
	case FormatMarkdown:
		res, err = ReadMarkdown(data, o)
	default:
		res, err = ReadText(data, o)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return res, nil
}
