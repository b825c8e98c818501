package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"codenav/corpus"
	"codenav/index"
	"codenav/legaltext"
)

// docMeta is what the benchmarks need of a document.yaml.
type docMeta struct {
	ID             string
	Category       string   `yaml:"category"`
	Classification string   `yaml:"classification"`
	Parties        []string `yaml:"parties"`
}

func readDocs(dir string) ([]docMeta, error) {
	ents, err := os.ReadDir(filepath.Join(dir, "documents"))
	if err != nil {
		return nil, err
	}
	var out []docMeta
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "documents", e.Name(), "document.yaml"))
		if err != nil {
			return nil, err
		}
		var m docMeta
		if err := yaml.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		m.ID = e.Name()
		if m.Parties == nil {
			m.Parties = []string{"all"}
		}
		out = append(out, m)
	}
	return out, nil
}

type versionFile struct {
	num, path string
	effective time.Time
}

func versions(dir, doc string) ([]versionFile, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "documents", doc, "*.md"))
	if err != nil {
		return nil, err
	}
	var out []versionFile
	for _, p := range paths {
		out = append(out, versionFile{num: strings.TrimSuffix(filepath.Base(p), ".md"), path: p})
	}
	sort.Slice(out, func(i, j int) bool { return versionLess(out[i].num, out[j].num) })
	return out, nil
}

func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

func dateNum(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// exportCmd writes one CSV row per clause per version — doc, clause, version, valid_from,
// valid_to (yyyymmdd numbers, 99991231 while in force), parties, text — the table a team
// would load into SQLite. The rows are the nodes codenav indexes (every clause and other
// block with text, headings aside), with the same text (the clause number stripped) and the
// same applicability (the node's parties, else the document's).
func exportCmd(args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	dir := fs.String("corpus", "", "corpus folder")
	out := fs.String("o", "", "CSV file to write")
	distinct := fs.Bool("distinct", false, "write the distinct clause texts codenav indexes, with their date ranges, instead of one row per clause per version")
	fs.Parse(args)
	if *distinct {
		return exportDistinct(*dir, *out)
	}
	docs, err := readDocs(*dir)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	rows := 0
	for _, d := range docs {
		vs, err := versions(*dir, d.ID)
		if err != nil {
			return err
		}
		trees := make([]*legaltext.Doc, len(vs))
		for i := range vs {
			src, err := os.ReadFile(vs[i].path)
			if err != nil {
				return err
			}
			fm, body, _, ok, closed := legaltext.FrontMatter(src)
			if !ok || !closed {
				return fmt.Errorf("%s: no front matter", vs[i].path)
			}
			var meta struct {
				Effective string `yaml:"effective"`
			}
			if err := yaml.Unmarshal(fm, &meta); err != nil {
				return fmt.Errorf("%s: %w", vs[i].path, err)
			}
			if vs[i].effective, err = time.Parse("2006-01-02", meta.Effective); err != nil {
				return fmt.Errorf("%s: %w", vs[i].path, err)
			}
			trees[i] = legaltext.Parse(body)
		}
		for i, v := range vs {
			to := 99991231
			if i+1 < len(vs) {
				to = dateNum(vs[i+1].effective.AddDate(0, 0, -1))
			}
			for _, n := range trees[i].Nodes {
				if n.Kind == legaltext.KindHeading || strings.TrimSpace(n.Text) == "" {
					continue
				}
				parties := n.Parties
				if parties == nil {
					parties = d.Parties
				}
				text := strings.TrimSpace(strings.TrimPrefix(n.Text, n.ID))
				if err := w.Write([]string{d.ID, n.ID, v.num, strconv.Itoa(dateNum(v.effective)), strconv.Itoa(to),
					strings.Join(parties, " "), text}); err != nil {
					return err
				}
				rows++
			}
			trees[i] = nil
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "exported %d clause versions to %s\n", rows, *out)
	return nil
}

// exportDistinct writes what codenav indexes, one CSV row per distinct clause text (the
// entries of index.Entries: a clause that reads the same from version 3 to 40 is one row,
// valid from the first version's date to the day before the version that changed it):
// id (1, 2, …: the rowid), doc, clause, version_from, version_to, valid_from, valid_to
// (yyyymmdd, 99991231 while in force), applies (every party category the text applies to,
// "all" spelled out, as codenav's filter term), category, text (the sentences), tbl (the
// rows of its tables) and heading — the three fields codenav searches.
func exportDistinct(dir, out string) error {
	code, err := corpus.Load(dir)
	if err != nil {
		return err
	}
	entries := index.Entries(code)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	for i, e := range entries {
		if err := w.Write([]string{strconv.Itoa(i + 1), e.Doc, e.Clause, e.VersionFrom, e.VersionTo,
			strconv.Itoa(e.From), strconv.Itoa(e.To), strings.Join(e.Applies, " "), e.Category,
			e.Text, e.Table, e.Heading}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "exported %d distinct clause texts to %s\n", len(entries), out)
	return nil
}
