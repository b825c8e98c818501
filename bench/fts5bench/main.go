// Command fts5bench runs bench/run's query mix against SQLite FTS5 in-process, through the
// cgo driver github.com/mattn/go-sqlite3 (built with -tags sqlite_fts5), on a database that
// bench/run builds with the sqlite3 command-line tool, in one of two shapes (-schema):
//
//   - weak: one row per clause per version (doc, clause, version, valid_from, valid_to,
//     parties, text) and an external-content FTS5 table on the text with the porter stemmer:
//     what a team would build first, and the peer of the first runs of bench/run.
//   - strong: what codenav indexes, built the way SQLite's documentation advises. One row per
//     distinct clause text with the dates it was in force (`suite export -distinct`:
//     index.Entries), an external-content FTS5 table over the same three fields codenav
//     searches (text, table rows, heading) keyed by the content table's INTEGER PRIMARY KEY,
//     their weights set once as the table's rank function (bm25(1.0, 0.5, 0.3), codenav's
//     heading and table boosts), optimized into one segment. The connection maps the file
//     (PRAGMA mmap_size). The total is counted in the same pass as the ranking (a window
//     function, count(*) OVER ()), and snippets are made for the 20 rows shown only.
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
	// PerQuery is each query's median time over every run and round.
	PerQuery []float64 `json:"per_query_median_ms"`
	// Samples holds every time of each query (runs x rounds), so that runs made by several
	// invocations (-append) give exact medians.
	Samples [][]float64 `json:"per_query_ms"`
	Setup   float64     `json:"setup_s"`
	SQLite  string      `json:"sqlite_version"`
	Schema  string      `json:"schema"`
}

func main() {
	dbPath := flag.String("db", "", "SQLite database built by bench/run")
	mixPath := flag.String("mix", "", "query mix")
	runs := flag.Int("runs", 5, "runs")
	rounds := flag.Int("rounds", 4, "times the mix is run in each run")
	out := flag.String("o", "", "JSON file to write")
	schema := flag.String("schema", "weak", "database shape: weak (a row per clause per version) or strong (distinct texts with date ranges)")
	plans := flag.String("plans", "", "write the query plan (EXPLAIN QUERY PLAN) of every statement to this file")
	appendRuns := flag.Bool("append", false, "add the runs to those already in the -o file (bench/run interleaves one run of each engine at a time)")
	flag.Parse()
	if *schema != "weak" && *schema != "strong" {
		fmt.Fprintln(os.Stderr, "fts5bench: -schema is weak or strong")
		os.Exit(2)
	}
	if err := run(*dbPath, *mixPath, *schema, *plans, *runs, *rounds, *out, *appendRuns); err != nil {
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
	strong     bool
	sqls       []string // the statements, for -plans
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
	p := &prepared{args: args, all: q.All, match: q.FTS, sqls: []string{"(weak peer: not recorded)"}}
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

// prepareStrong prepares q against the strong schema (see the package comment): one
// statement ranks the matches that pass the filters, keeps the best 20 and counts them all
// in the same pass; a second makes the snippets of those 20 and reads what a hit shows.
func prepareStrong(db *sql.DB, m *Mix, q Query) (*prepared, error) {
	where := "text_fts MATCH ?"
	args := []any{q.FTS}
	if !q.All {
		at := q.At
		if at == "" {
			at = m.Today
		}
		where += " AND c.valid_from <= ? AND c.valid_to >= ?"
		args = append(args, dateNum(at), dateNum(at))
	}
	if q.Party != "" {
		// applies lists every category the text applies to, "all" spelled out (as codenav's
		// applies term): one test per row.
		where += " AND instr(' ' || c.applies || ' ', ?) > 0"
		args = append(args, " "+q.Party+" ")
	}
	if len(m.Hidden) > 0 {
		where += " AND c.doc NOT IN (" + strings.TrimSuffix(strings.Repeat("?,", len(m.Hidden)), ",") + ")"
		for _, id := range m.Hidden {
			args = append(args, id)
		}
	}
	if q.Category != "" {
		where += " AND c.category = ?"
		args = append(args, q.Category)
	}
	from := " FROM text_fts JOIN clause_meta c ON c.id = text_fts.rowid WHERE " + where
	var top string
	if q.All {
		// Every version, as codenav: the best 2,000 texts, grouped by clause (each clause
		// keeps its best text), counted, the best 20 groups shown.
		top = "SELECT id, best, count(*) OVER () FROM (SELECT id, min(score) AS best FROM (" +
			"SELECT text_fts.rowid AS id, c.doc AS doc, c.clause AS clause, text_fts.rank AS score" + from +
			" ORDER BY text_fts.rank LIMIT 2000) GROUP BY doc, clause) ORDER BY best LIMIT 20"
	} else {
		top = "SELECT id, score, total FROM (SELECT text_fts.rowid AS id, text_fts.rank AS score, count(*) OVER () AS total" +
			from + ") ORDER BY score LIMIT 20"
	}
	details := "SELECT c.doc, c.clause, c.version_from, c.version_to, c.valid_from, c.valid_to, c.applies, " +
		"snippet(text_fts, 0, '<mark>', '</mark>', '…', 24) FROM text_fts JOIN clause_meta c ON c.id = text_fts.rowid " +
		"WHERE text_fts MATCH ? AND text_fts.rowid IN (SELECT value FROM json_each(?))"
	p := &prepared{args: args, all: q.All, match: q.FTS, strong: true, sqls: []string{top, details}}
	var err error
	if p.top, err = db.Prepare(top); err != nil {
		return nil, err
	}
	p.count, err = db.Prepare(details)
	return p, err
}

// searchStrong runs one query on the strong schema and returns its total.
func (p *prepared) searchStrong() (int, error) {
	rows, err := p.top.Query(p.args...)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, 0, 20)
	total := 0
	for rows.Next() {
		var id int64
		var score float64
		if err := rows.Scan(&id, &score, &total); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	b, _ := json.Marshal(ids)
	rows, err = p.count.Query(p.match, string(b))
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		var doc, clause, vfrom, vto, applies, snip string
		var from, to int
		if err := rows.Scan(&doc, &clause, &vfrom, &vto, &from, &to, &applies, &snip); err != nil {
			rows.Close()
			return 0, err
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n != len(ids) {
		return 0, fmt.Errorf("%d details for %d hits", n, len(ids))
	}
	return total, nil
}

// search runs one query and returns its total.
func (p *prepared) search() (int, error) {
	if p.strong {
		return p.searchStrong()
	}
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

func run(dbPath, mixPath, schema, plans string, runs, rounds int, out string, appendRuns bool) error {
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
	db.SetMaxIdleConns(1)
	engine := "fts5"
	if schema == "strong" {
		engine = "fts5_strong"
		// Map the database file instead of reading it through SQLite's page cache; the
		// connection is kept (one, never closed while idle), so the pragma holds.
		if _, err := db.Exec("PRAGMA mmap_size = 8589934592"); err != nil {
			return err
		}
		var mm int64
		if err := db.QueryRow("PRAGMA mmap_size").Scan(&mm); err != nil || mm == 0 {
			return fmt.Errorf("mmap_size not set (%d): %v", mm, err)
		}
	}
	res := Result{Engine: engine, Schema: schema, Queries: len(m.Queries), Rounds: rounds}
	if appendRuns {
		if b, err := os.ReadFile(out); err == nil {
			var prev Result
			if err := json.Unmarshal(b, &prev); err != nil {
				return fmt.Errorf("%s: %w", out, err)
			}
			if prev.Engine != engine || prev.Queries != len(m.Queries) || prev.Rounds != rounds {
				return fmt.Errorf("%s holds runs of another engine or mix", out)
			}
			res.P50ms, res.P99ms, res.Samples = prev.P50ms, prev.P99ms, prev.Samples
		} else if !os.IsNotExist(err) {
			return err
		}
	}
	if len(res.Samples) != len(m.Queries) {
		res.Samples = make([][]float64, len(m.Queries))
	}
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&res.SQLite); err != nil {
		return err
	}
	ps := make([]*prepared, len(m.Queries))
	for i, q := range m.Queries {
		if schema == "strong" {
			ps[i], err = prepareStrong(db, &m, q)
		} else {
			ps[i], err = prepare(db, &m, q)
		}
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q.FTS, err)
		}
	}
	if plans != "" {
		if err := writePlans(db, ps, plans); err != nil {
			return err
		}
	}
	res.Setup = time.Since(t0).Seconds()
	for i, p := range ps { // warm-up round
		if _, err := p.search(); err != nil {
			return fmt.Errorf("%q: %w", m.Queries[i].FTS, err)
		}
	}
	res.Hits = make([]int, len(ps))
	perQuery := res.Samples
	for r := 0; r < runs; r++ {
		var lat []float64
		for round := 0; round < rounds; round++ {
			for i, p := range ps {
				start := time.Now()
				n, err := p.search()
				if err != nil {
					return fmt.Errorf("%q: %w", m.Queries[i].FTS, err)
				}
				ms := float64(time.Since(start).Nanoseconds()) / 1e6
				lat = append(lat, ms)
				perQuery[i] = append(perQuery[i], ms)
				res.Hits[i] = n
			}
		}
		p50, p99 := percentiles(lat)
		res.P50ms = append(res.P50ms, p50)
		res.P99ms = append(res.P99ms, p99)
		fmt.Fprintf(os.Stderr, "%s search run %d: p50 %.2f ms, p99 %.2f ms\n", engine, r+1, p50, p99)
	}
	res.P50, res.P99 = median(res.P50ms), median(res.P99ms)
	res.Samples = perQuery
	for _, xs := range perQuery {
		res.PerQuery = append(res.PerQuery, median(xs))
	}
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

// writePlans writes each distinct statement with SQLite's plan for it, to check that the
// full-text index drives every query (SCAN text_fts VIRTUAL TABLE INDEX 0:M…) and the
// content rows are found by rowid (SEARCH c USING INTEGER PRIMARY KEY).
func writePlans(db *sql.DB, ps []*prepared, path string) error {
	var b strings.Builder
	seen := map[string]bool{}
	for _, p := range ps {
		for i, q := range p.sqls {
			if seen[q] || !p.strong {
				continue
			}
			seen[q] = true
			args := p.args
			if i == 1 {
				args = []any{p.match, "[1]"}
			}
			rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				return fmt.Errorf("plan of %s: %w", q, err)
			}
			fmt.Fprintf(&b, "%s\n", q)
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					rows.Close()
					return err
				}
				fmt.Fprintf(&b, "  %d %d %s\n", id, parent, detail)
			}
			rows.Close()
			b.WriteString("\n")
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
