// Command fts5bench runs bench/run's query mix against SQLite FTS5 in-process, through the
// cgo driver github.com/mattn/go-sqlite3 (built with -tags sqlite_fts5), on the database that
// bench/run builds with the sqlite3 command-line tool: one row per clause per version
// (doc, clause, version, valid_from, valid_to, parties, text) and an external-content FTS5
// table on the text with the porter stemmer.
//
// Each search asks what codenav's search answers: the 20 best clauses (bm25) in force on the
// date with a highlighted snippet, and how many there are, under the same filters (party
// category or "all", the date, a category's documents, the documents an anonymous reader may
// see). An every-version search groups the versions of a clause and keeps its best text, as
// codenav does. FTS5 computes no facets; codenav does (three of them).
//
// It is a module of its own so that the cgo driver stays out of codenav's go.mod.
//
//	go build -tags sqlite_fts5 -o fts5bench . && ./fts5bench -db clauses.db -mix mix.json -o out.json
package main

import (
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// Query and Mix are the JSON written by `suite mix` (bench/suite/mix.go).
type Query struct {
	Label    string   `json:"label"`
	Q        string   `json:"q"`
	FTS      string   `json:"fts"`
	Party    string   `json:"party,omitempty"`
	At       string   `json:"at,omitempty"`
	All      bool     `json:"all,omitempty"`
	Category string   `json:"category,omitempty"`
	Docs     []string `json:"docs,omitempty"`
}

type Mix struct {
	Today   string   `json:"today"`
	Visible []string `json:"visible"`
	Hidden  []string `json:"hidden"`
	Queries []Query  `json:"queries"`
}

type Result struct {
	Engine  string    `json:"engine"`
	Queries int       `json:"queries"`
	Rounds  int       `json:"rounds"`
	P50ms   []float64 `json:"p50_ms"`
	P99ms   []float64 `json:"p99_ms"`
	P50     float64   `json:"p50_median_ms"`
	P99     float64   `json:"p99_median_ms"`
	Hits    []int     `json:"hits"`
	Setup   float64   `json:"setup_s"`
	SQLite  string    `json:"sqlite_version"`
}

func main() {
	dbPath := flag.String("db", "", "SQLite database built by bench/run")
	mixPath := flag.String("mix", "", "query mix")
	runs := flag.Int("runs", 5, "runs")
	rounds := flag.Int("rounds", 4, "times the mix is run in each run")
	out := flag.String("o", "", "JSON file to write")
	flag.Parse()
	if err := run(*dbPath, *mixPath, *runs, *rounds, *out); err != nil {
		fmt.Fprintln(os.Stderr, "fts5bench:", err)
		os.Exit(1)
	}
}

func dateNum(d string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(d, "-", ""))
	return n
}

type prepared struct {
	top, count *sql.Stmt
	args       []any
	all        bool
	match      string
}

func prepare(db *sql.DB, m *Mix, q Query) (*prepared, error) {
	where := "clause_fts MATCH ?"
	args := []any{q.FTS}
	if !q.All {
		at := q.At
		if at == "" {
			at = m.Today
		}
		where += " AND v.valid_from <= ? AND v.valid_to >= ?"
		args = append(args, dateNum(at), dateNum(at))
	}
	if q.Party != "" {
		where += " AND (instr(' ' || v.parties || ' ', ?) > 0 OR instr(' ' || v.parties || ' ', ' all ') > 0)"
		args = append(args, " "+q.Party+" ")
	}
	in := func(ids []string) string {
		for _, id := range ids {
			args = append(args, id)
		}
		return strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	}
	if len(m.Hidden) > 0 {
		where += " AND v.doc NOT IN (" + in(m.Hidden) + ")"
	}
	if q.Category != "" {
		where += " AND v.doc IN (" + in(q.Docs) + ")"
	}
	from := " FROM clause_fts JOIN clause_versions v ON v.rowid = clause_fts.rowid WHERE " + where
	p := &prepared{args: args, all: q.All, match: q.FTS}
	var err error
	if q.All {
		// Every version: the best text of each clause, at most 2,000 clauses (codenav groups
		// a window of 2,000 hits), then the snippets of the 20 shown.
		p.top, err = db.Prepare("SELECT rid, min(score) FROM (SELECT clause_fts.rowid AS rid, v.doc AS doc, v.clause AS clause, clause_fts.rank AS score" +
			from + ") GROUP BY doc, clause ORDER BY 2 LIMIT 2000")
		if err != nil {
			return nil, err
		}
		p.count, err = db.Prepare("SELECT v.doc, v.clause, v.version, snippet(clause_fts, 0, '<mark>', '</mark>', '…', 24) FROM clause_fts JOIN clause_versions v ON v.rowid = clause_fts.rowid WHERE clause_fts MATCH ? AND clause_fts.rowid IN (SELECT value FROM json_each(?))")
		return p, err
	}
	p.top, err = db.Prepare("SELECT v.doc, v.clause, v.version, snippet(clause_fts, 0, '<mark>', '</mark>', '…', 24)" + from + " ORDER BY clause_fts.rank LIMIT 20")
	if err != nil {
		return nil, err
	}
	p.count, err = db.Prepare("SELECT count(*)" + from)
	return p, err
}

// search runs one query and returns its total.
func (p *prepared) search() (int, error) {
	rows, err := p.top.Query(p.args...)
	if err != nil {
		return 0, err
	}
	var ids []int64
	n := 0
	for rows.Next() {
		if p.all {
			var id int64
			var score float64
			if err := rows.Scan(&id, &score); err != nil {
				rows.Close()
				return 0, err
			}
			if len(ids) < 20 {
				ids = append(ids, id)
			}
		} else {
			var doc, clause, version, snip string
			if err := rows.Scan(&doc, &clause, &version, &snip); err != nil {
				rows.Close()
				return 0, err
			}
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if p.all {
		if len(ids) == 0 {
			return 0, nil
		}
		b, _ := json.Marshal(ids)
		rows, err := p.count.Query(p.match, string(b))
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var doc, clause, version, snip string
			if err := rows.Scan(&doc, &clause, &version, &snip); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		return n, rows.Err()
	}
	var total int
	if err := p.count.QueryRow(p.args...).Scan(&total); err != nil {
		return 0, err
	}
	return total, nil
}

func run(dbPath, mixPath string, runs, rounds int, out string) error {
	var m Mix
	b, err := os.ReadFile(mixPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := os.Stat(dbPath); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&immutable=1")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	res := Result{Engine: "fts5", Queries: len(m.Queries), Rounds: rounds}
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&res.SQLite); err != nil {
		return err
	}
	ps := make([]*prepared, len(m.Queries))
	for i, q := range m.Queries {
		if ps[i], err = prepare(db, &m, q); err != nil {
			return fmt.Errorf("prepare %q: %w", q.FTS, err)
		}
	}
	res.Setup = time.Since(t0).Seconds()
	for i, p := range ps { // warm-up round
		if _, err := p.search(); err != nil {
			return fmt.Errorf("%q: %w", m.Queries[i].FTS, err)
		}
	}
	res.Hits = make([]int, len(ps))
	for r := 0; r < runs; r++ {
		var lat []float64
		for round := 0; round < rounds; round++ {
			for i, p := range ps {
				start := time.Now()
				n, err := p.search()
				if err != nil {
					return fmt.Errorf("%q: %w", m.Queries[i].FTS, err)
				}
				lat = append(lat, float64(time.Since(start).Nanoseconds())/1e6)
				res.Hits[i] = n
			}
		}
		p50, p99 := percentiles(lat)
		res.P50ms = append(res.P50ms, p50)
		res.P99ms = append(res.P99ms, p99)
		fmt.Fprintf(os.Stderr, "fts5 search run %d: p50 %.2f ms, p99 %.2f ms\n", r+1, p50, p99)
	}
	res.P50, res.P99 = median(res.P50ms), median(res.P99ms)
	b, _ = json.MarshalIndent(res, "", "  ")
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func percentiles(xs []float64) (float64, float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	at := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return at(0.50), at(0.99)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
