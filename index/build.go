package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"codenav/corpus"
	"codenav/legaltext"
)

// openTo marks a clause text still in force: no later version changed it.
const openTo = 99991231

// Entry is one indexed document: a distinct text of one clause, with the interval of dates
// (and versions) in which the clause read so.
type Entry struct {
	// Code is the code's id in an index of several codes (OpenSite), where Doc is then
	// "<code>/<doc>"; empty in the index of one code.
	Code           string   `json:"code,omitempty"`
	Doc            string   `json:"doc"`
	Category       string   `json:"category"`
	Classification string   `json:"classification"`
	Parties        []string `json:"parties"`
	Clause         string   `json:"clause"`
	Heading        string   `json:"heading"`
	Text           string   `json:"text"`
	Table          string   `json:"table"`
	From           int      `json:"from"`
	To             int      `json:"to"`
	VersionFrom    string   `json:"version_from"`
	VersionTo      string   `json:"version_to"`
	Title          string   `json:"title"`
	// Applies lists every party category the text applies to, "all" spelled out, so that a
	// party filter is one term.
	Applies []string `json:"applies"`
	// Facet is the document and the party categories in one value, so that a search reads
	// one field of each match for its facets instead of two (see facets).
	Facet string `json:"facet"`
}

// ID names the entry: its document, clause and first day in force (entries are in this order).
func (e *Entry) ID() string { return e.Doc + "/" + e.Clause + "@" + strconv.Itoa(e.From) }

// DateNum turns a date into the number the index stores (20191107): any year fits, and
// numbers compare as the dates do.
func DateNum(d corpus.Date) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(string(d), "-", ""))
	return n
}

// NumDate turns a stored number back into a date; "" for an open end.
func NumDate(n int) corpus.Date {
	if n <= 0 || n >= openTo {
		return ""
	}
	s := strconv.Itoa(n)
	if len(s) != 8 {
		return ""
	}
	return corpus.Date(s[:4] + "-" + s[4:6] + "-" + s[6:])
}

// Entries returns the distinct clause texts of the code: a clause that reads the same (and
// applies to the same parties) in versions 3 to 40 is one entry, from the first version's
// effective date to the day before the version that changed it.
func Entries(c *corpus.Code) []*Entry { return entriesOf(c, nil) }

// entriesOf returns the entries of the documents in docs (every document when docs is
// nil): an index of some documents is then the same whatever the other documents hold.
func entriesOf(c *corpus.Code, docs map[string]bool) []*Entry {
	var out []*Entry
	every := append(c.PartyIDs(), "all")
	for _, d := range c.Documents {
		if docs != nil && !docs[d.ID] {
			continue
		}
		open := map[string]*Entry{}
		sig := map[string]string{}
		for _, v := range d.Versions {
			seen := map[string]bool{}
			for _, n := range v.Tree().Nodes {
				if n.Kind == legaltext.KindHeading || strings.TrimSpace(n.Text) == "" {
					continue
				}
				// Nothing an entry keeps may point into the version's text (node texts and
				// attributes are slices of it): the entries of a code would then hold every
				// version's whole text in memory while the index is built.
				parties := cloneAll(v.Parties(n))
				s := n.Text + "\x00" + strings.Join(parties, " ") + "\x00" + strings.Join(n.Path, "\x00")
				seen[n.ID] = true
				if e := open[n.ID]; e != nil && sig[n.ID] == s {
					e.VersionTo = v.Number
					continue
				}
				if e := open[n.ID]; e != nil {
					e.To = dayBefore(v.Effective)
				}
				text := strings.TrimSpace(strings.TrimPrefix(n.Text, n.ID))
				prose, table := splitTable(text)
				prose, table = strings.Clone(prose), strings.Clone(table)
				e := &Entry{Table: table, Doc: d.ID, Category: d.Category, Classification: d.Classification,
					Parties: parties, Clause: strings.Clone(n.ID), Heading: strings.Clone(strings.Join(n.Path, " › ")), Text: prose,
					From: DateNum(v.Effective), To: openTo, VersionFrom: v.Number, VersionTo: v.Number,
					Title: d.Title, Applies: applies(parties, every), Facet: facetKey(d.ID, parties)}
				open[n.ID], sig[n.ID] = e, s
				out = append(out, e)
			}
			for id, e := range open {
				if !seen[id] {
					e.To = dayBefore(v.Effective)
					delete(open, id)
				}
			}
		}
	}
	return out
}

// cloneAll copies the strings of ss.
func cloneAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, x := range ss {
		out[i] = strings.Clone(x)
	}
	return out
}

// facetKey joins a document id and party categories with a separator neither may contain
// (ids and categories are names of letters, digits, '.', '_' and '-').
func facetKey(doc string, parties []string) string {
	return doc + " " + strings.Join(parties, " ")
}

func applies(parties, every []string) []string {
	for _, p := range parties {
		if p == "all" {
			return every
		}
	}
	return append([]string(nil), parties...)
}

// Periods returns the days on which the texts in force change (a text starts, or the day
// after one ends), in order. Between two of them the same texts are in force, so a date
// stands for its period: the number of these days on or before it (see periodOf).
func Periods(entries []*Entry) []int {
	seen := map[int]bool{}
	for _, e := range entries {
		seen[e.From] = true
		if e.To < openTo {
			seen[dayAfter(e.To)] = true
		}
	}
	out := make([]int, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Ints(out)
	return out
}

func dayAfter(n int) int {
	t := time.Date(n/10000, time.Month((n/100)%100), n%100, 12, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

func dayBefore(d corpus.Date) int {
	n := DateNum(d)
	// Compute with the calendar: the day before 2020-03-01 is 2020-02-29.
	y, m, day := n/10000, (n/100)%100, n%100
	if day > 1 {
		return n - 1
	}
	m--
	if m == 0 {
		m, y = 12, y-1
	}
	days := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 29
	}
	return y*10000 + m*100 + days
}

// Fingerprint identifies the corpus on disk and the index format: an index built from the
// same fingerprint can be reused.
func Fingerprint(dir string) (string, error) {
	fp, err := corpus.Fingerprint(dir, "")
	if err != nil {
		return "", err
	}
	return withFormat(fp), nil
}

// withFormat combines the fingerprint of a corpus's files with the index format.
func withFormat(corpusFP string) string {
	h := sha256.Sum256([]byte(Format + "\n" + corpusFP))
	return hex.EncodeToString(h[:])
}

// Progress is told how far a build has gone.
type Progress func(done, total int)

// build writes the segment of entries into path.
func build(ctx context.Context, entries []*Entry, path string, an analysers, progress Progress) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if progress != nil {
		progress(0, len(entries))
	}
	if err := writeSegment(ctx, path, entries, an); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if progress != nil {
		progress(len(entries), len(entries))
	}
	return nil
}

// splitTable parts a clause's text into its sentences and the rows of its tables (lines
// starting with "|").
func splitTable(text string) (prose, table string) {
	var p, t []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			t = append(t, l)
		} else {
			p = append(p, l)
		}
	}
	return strings.Join(p, "\n"), strings.Join(t, "\n")
}
