package index

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// A segment is the index of one view, in one file that is mapped into memory and read in
// place: nothing of it is decoded at open beyond its header, so a view costs address space,
// not heap, and the pages the searches touch are the ones the kernel keeps.
//
// Entries are numbered in the order of their ids (the order of ties in score). What a
// search needs of an entry to filter, count and score it is in fixed-width columns; what a
// hit shows is in a record read only for the hits of the page. Each analysed field (text,
// table rows, heading, and the unstemmed copy for pattern terms) has a sorted dictionary;
// a term's postings are the entries holding it with the term's frequency, and, apart, its
// positions (read only by phrases). No text is stored twice: the snippet is cut from the
// record's text, analysed again for the few hits shown.
//
// Layout (little endian):
//
//	magic "CNSEG\x01\x00\x00"
//	sections, each found through the footer
//	footer: offsets and lengths of the sections, counts, CRC-32 of everything before it
//	trailer: footer length uint32, magic
const segMagic = "CNSEG\x01\x00\x00"

// Fields of the segment's dictionaries.
const (
	segText = iota
	segTable
	segHeading
	segExact
	segFields
)

var segFieldNames = [segFields]string{fText, fTable, fHeading, fExact}

func segField(name string) int {
	for i, n := range segFieldNames {
		if n == name {
			return i
		}
	}
	return -1
}

// Offsets, in bytes, in an entry's fixed-width columns: from, to, doc, facet, applies (8),
// the lengths of the four fields, the offset of its record, its clause's first entry.
const (
	colFrom    = 0
	colTo      = 4
	colDoc     = 8
	colFacet   = 12
	colApplies = 16
	colLens    = 24
	colRecord  = colLens + 4*segFields
	colGroup   = colRecord + 4 // the first entry of the same clause (entries are in id order)
	colWidth   = colGroup + 4
)

// segDoc is a document of a segment.
type segDoc struct {
	Key, Code, Title, Category, Classification string
}

// footer locates the sections.
type footer struct {
	Entries   uint32
	Columns   [2]uint64 // offset, length
	Records   [2]uint64
	Docs      [2]uint64
	Facets    [2]uint64
	Parties   [2]uint64
	Dict      [segFields][2]uint64 // the terms, each uint32 length-prefixed... see writeDict
	TermTable [segFields][2]uint64 // per term: name offset, postings offset, positions offset, df (4 x uint32)
	Postings  [segFields][2]uint64 // per field: entry deltas and frequencies (varints)
	Positions [segFields][2]uint64 // per field: position deltas (varints), apart
	SumLen    [segFields]uint64    // total tokens of each field over all entries
	CRC       uint32
}

// analysers are the analysers of the indexed fields.
type analysers struct {
	legal, exact analysis.Analyzer
}

// segWriter writes a segment's sections to a file, checksumming as it goes.
type segWriter struct {
	w   *bufio.Writer
	crc hash.Hash32
	at  uint64
	err error
}

func (sw *segWriter) write(b []byte) {
	if sw.err != nil {
		return
	}
	_, sw.err = sw.w.Write(b)
	sw.crc.Write(b)
	sw.at += uint64(len(b))
}

// section writes b and returns where it is.
func (sw *segWriter) section(b []byte) [2]uint64 {
	at := sw.at
	sw.write(b)
	return [2]uint64{at, uint64(len(b))}
}

// fieldText is the text of an entry's field f: the unstemmed copy is the sentences and the
// table rows together.
func fieldText(e *Entry, f int) string {
	switch f {
	case segText:
		return e.Text
	case segTable:
		return e.Table
	case segHeading:
		return e.Heading
	}
	if e.Table == "" {
		return e.Text
	}
	return e.Text + "\n" + e.Table
}

// writeSegment writes the segment of entries (in any order) to path. It holds the entries
// and, one field at a time, that field's tokens as flat arrays of numbers (a term and a
// position per token): nothing the collector has to walk, whatever the size of the code.
func writeSegment(ctx context.Context, path string, entries []*Entry, an analysers) (err error) {
	entries = slices.Clone(entries)
	ids := make(map[*Entry]string, len(entries))
	for _, e := range entries {
		ids[e] = e.ID()
	}
	slices.SortFunc(entries, func(a, b *Entry) int { return strings.Compare(ids[a], ids[b]) })
	if len(entries) >= math.MaxUint32 {
		return errors.New("too many entries for one segment")
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	sw := &segWriter{w: bufio.NewWriterSize(f, 1<<20), crc: crc32.NewIEEE()}
	sw.write([]byte(segMagic))

	var (
		docs     []segDoc
		docIdx   = map[string]uint32{}
		facets   []string
		facetIdx = map[string]uint32{}
		parties  []string
		partyBit = map[string]int{}
		columns  = make([]byte, len(entries)*colWidth)
		ft       footer
	)
	ft.Entries = uint32(len(entries))
	// The records, and the columns but for the fields' lengths.
	var rec []byte
	recStart := sw.at
	for n, e := range entries {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, ok := docIdx[e.Doc]
		if !ok {
			d = uint32(len(docs))
			docIdx[e.Doc] = d
			docs = append(docs, segDoc{Key: e.Doc, Code: e.Code, Title: e.Title, Category: e.Category, Classification: e.Classification})
		}
		fc, ok := facetIdx[e.Facet]
		if !ok {
			fc = uint32(len(facets))
			facetIdx[e.Facet] = fc
			facets = append(facets, e.Facet)
		}
		var mask uint64
		for _, p := range e.Applies {
			b, ok := partyBit[p]
			if !ok {
				if len(parties) == 64 {
					return errors.New("more than 64 party categories")
				}
				b = len(parties)
				partyBit[p] = b
				parties = append(parties, p)
			}
			mask |= 1 << b
		}
		col := columns[n*colWidth : (n+1)*colWidth]
		binary.LittleEndian.PutUint32(col[colFrom:], uint32(e.From))
		binary.LittleEndian.PutUint32(col[colTo:], uint32(e.To))
		binary.LittleEndian.PutUint32(col[colDoc:], d)
		binary.LittleEndian.PutUint32(col[colFacet:], fc)
		binary.LittleEndian.PutUint64(col[colApplies:], mask)
		if sw.at-recStart > math.MaxUint32 {
			return errors.New("records over 4 GB")
		}
		binary.LittleEndian.PutUint32(col[colRecord:], uint32(sw.at-recStart))
		group := uint32(n)
		if n > 0 && clauseKey(ids[entries[n-1]]) == clauseKey(ids[e]) {
			group = binary.LittleEndian.Uint32(columns[(n-1)*colWidth+colGroup:])
		}
		binary.LittleEndian.PutUint32(col[colGroup:], group)
		rec = appendRecord(rec[:0], e)
		sw.write(rec)
	}
	ft.Records = [2]uint64{recStart, sw.at - recStart}
	var db []byte
	for _, d := range docs {
		db = appendStrings(db, d.Key, d.Code, d.Title, d.Category, d.Classification)
	}
	ft.Docs = sw.section(db)
	ft.Facets = sw.section(appendStrings(nil, facets...))
	ft.Parties = sw.section(appendStrings(nil, parties...))
	for fi := range segFields {
		if err := writeField(ctx, sw, &ft, fi, entries, columns, an); err != nil {
			return err
		}
	}
	ft.Columns = sw.section(columns)
	ft.CRC = sw.crc.Sum32()
	var fb bytes.Buffer
	if err := binary.Write(&fb, binary.LittleEndian, &ft); err != nil {
		return err
	}
	sw.write(fb.Bytes())
	sw.write(binary.LittleEndian.AppendUint32(nil, uint32(fb.Len())))
	sw.write([]byte(segMagic))
	if sw.err == nil {
		sw.err = sw.w.Flush()
	}
	if sw.err != nil {
		return fmt.Errorf("segment: %w", sw.err)
	}
	return f.Sync()
}

// writeField analyses field fi of every entry, sets the entries' lengths of it in columns,
// and writes its dictionary, term table, postings and positions.
func writeField(ctx context.Context, sw *segWriter, ft *footer, fi int, entries []*Entry, columns []byte, an analysers) error {
	a := an.legal
	if fi == segExact {
		a = an.exact
	}
	termID := map[string]uint32{}
	var terms []string
	var toks []uint64 // term id << 32 | position, entry after entry
	starts := make([]uint32, len(entries)+1)
	for n, e := range entries {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for _, t := range a.Analyze([]byte(fieldText(e, fi))) {
			id, ok := termID[string(t.Term)]
			if !ok {
				id = uint32(len(terms))
				terms = append(terms, string(t.Term))
				termID[terms[id]] = id
			}
			toks = append(toks, uint64(id)<<32|uint64(uint32(t.Position)))
		}
		if len(toks) > math.MaxUint32 {
			return errors.New("too many words for one segment")
		}
		starts[n+1] = uint32(len(toks))
		binary.LittleEndian.PutUint32(columns[n*colWidth+colLens+4*fi:], starts[n+1]-starts[n])
		ft.SumLen[fi] += uint64(starts[n+1] - starts[n])
	}
	termID = nil
	// A stable counting sort by term: each term's tokens stay in entry and position order.
	at := make([]uint32, len(terms)+1)
	for _, t := range toks {
		at[t>>32+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	byTerm := make([]uint64, len(toks)) // entry << 32 | position
	next := slices.Clone(at)
	for n := range entries {
		for _, t := range toks[starts[n]:starts[n+1]] {
			id := t >> 32
			byTerm[next[id]] = uint64(n)<<32 | t&0xffffffff
			next[id]++
		}
	}
	toks, next = nil, nil
	order := make([]uint32, len(terms))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return strings.Compare(terms[x], terms[y]) })
	var names, table, postings, positions []byte
	for _, id := range order {
		occ := byTerm[at[id]:at[id+1]]
		df := 0
		table = binary.LittleEndian.AppendUint32(table, uint32(len(names)))
		table = binary.LittleEndian.AppendUint32(table, uint32(len(postings)))
		table = binary.LittleEndian.AppendUint32(table, uint32(len(positions)))
		dfAt := len(table)
		table = binary.LittleEndian.AppendUint32(table, 0)
		names = binary.AppendUvarint(names, uint64(len(terms[id])))
		names = append(names, terms[id]...)
		prev := uint64(0)
		for k := 0; k < len(occ); {
			entry := occ[k] >> 32
			j := k
			for j < len(occ) && occ[j]>>32 == entry {
				j++
			}
			postings = binary.AppendUvarint(postings, entry-prev)
			postings = binary.AppendUvarint(postings, uint64(j-k))
			prev = entry
			df++
			if fi != segExact { // pattern terms match words, not phrases
				last := uint64(0)
				for _, o := range occ[k:j] {
					p := o & 0xffffffff
					positions = binary.AppendUvarint(positions, p-last)
					last = p
				}
			}
			k = j
		}
		binary.LittleEndian.PutUint32(table[dfAt:], uint32(df))
		if len(postings) > math.MaxUint32 || len(positions) > math.MaxUint32 || len(names) > math.MaxUint32 {
			return errors.New("segment over 4 GB")
		}
	}
	ft.Dict[fi] = sw.section(names)
	ft.TermTable[fi] = sw.section(table)
	ft.Postings[fi] = sw.section(postings)
	ft.Positions[fi] = sw.section(positions)
	return nil
}

// clauseKey is an entry id without its date: the clause whose text it is.
func clauseKey(id string) string {
	if i := strings.LastIndexByte(id, '@'); i >= 0 {
		return id[:i]
	}
	return id
}

// appendRecord writes what a hit shows of e: its clause, heading, text, versions and
// parties.
func appendRecord(b []byte, e *Entry) []byte {
	return appendStrings(b, e.Clause, e.Heading, e.Text, e.VersionFrom, e.VersionTo, strings.Join(e.Parties, " "))
}

func appendStrings(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// readStrings reads n length-prefixed strings from b; ok is false when b is too short.
func readStrings(b []byte, n int) (out []string, rest []byte, ok bool) {
	out = make([]string, n)
	for i := range out {
		l, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < l {
			return nil, nil, false
		}
		out[i] = string(b[k : k+int(l)])
		b = b[k+int(l):]
	}
	return out, b, true
}

// segment is an open segment.
type segment struct {
	data    []byte // the whole file, mapped
	release func() error
	ft      footer
	n       int
	cols    []byte
	records []byte
	docs    []segDoc
	facets  []string
	parties []string
	dict    [segFields][]byte
	table   [segFields][]byte
	post    [segFields][]byte
	pos     [segFields][]byte
	avgLen  [segFields]float64
}

var errDamaged = errors.New("segment damaged")

// openSegment maps the segment at path and checks its frame and checksum.
func openSegment(path string) (*segment, error) {
	data, release, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	// The checksum is read through the file, not the mapping: reading every page of the
	// mapping would make the whole segment resident in this process at once.
	s, err := parseSegment(data, func(n int) (uint32, error) {
		f, err := os.Open(path)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		h := crc32.NewIEEE()
		if _, err := io.CopyN(h, f, int64(n)); err != nil {
			return 0, err
		}
		return h.Sum32(), nil
	})
	if err != nil {
		_ = release()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.release = release
	return s, nil
}

// parseSegment reads the frame of a segment; checksum returns the CRC-32 of its first n
// bytes (nil: computed over data).
func parseSegment(data []byte, checksum func(n int) (uint32, error)) (*segment, error) {
	const tail = 4 + len(segMagic)
	if len(data) < len(segMagic)+tail || string(data[:len(segMagic)]) != segMagic || string(data[len(data)-len(segMagic):]) != segMagic {
		return nil, fmt.Errorf("%w: not a segment of this format", errDamaged)
	}
	fl := int(binary.LittleEndian.Uint32(data[len(data)-tail:]))
	if fl <= 0 || fl > len(data)-tail-len(segMagic) {
		return nil, fmt.Errorf("%w: bad footer", errDamaged)
	}
	body := data[:len(data)-tail-fl]
	s := &segment{data: data}
	if err := binary.Read(bytes.NewReader(data[len(body):len(data)-tail]), binary.LittleEndian, &s.ft); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: footer: %v", errDamaged, err)
	}
	if checksum == nil {
		checksum = func(n int) (uint32, error) { return crc32.ChecksumIEEE(data[:n]), nil }
	}
	if sum, err := checksum(len(body)); err != nil {
		return nil, fmt.Errorf("segment checksum: %w", err)
	} else if sum != s.ft.CRC {
		return nil, fmt.Errorf("%w: checksum", errDamaged)
	}
	sec := func(r [2]uint64) ([]byte, bool) {
		if r[0] > uint64(len(body)) || r[1] > uint64(len(body))-r[0] {
			return nil, false
		}
		return body[r[0] : r[0]+r[1] : r[0]+r[1]], true
	}
	ok := true
	get := func(r [2]uint64) []byte {
		b, good := sec(r)
		ok = ok && good
		return b
	}
	s.n = int(s.ft.Entries)
	s.cols = get(s.ft.Columns)
	s.records = get(s.ft.Records)
	docs := get(s.ft.Docs)
	facets := get(s.ft.Facets)
	parties := get(s.ft.Parties)
	for i := range segFields {
		s.dict[i] = get(s.ft.Dict[i])
		s.post[i] = get(s.ft.Postings[i])
		s.pos[i] = get(s.ft.Positions[i])
		s.table[i] = get(s.ft.TermTable[i])
		if len(s.table[i])%16 != 0 {
			ok = false
		}
		if s.n > 0 {
			s.avgLen[i] = float64(s.ft.SumLen[i]) / float64(s.n)
		}
	}

	if !ok || len(s.cols) != s.n*colWidth {
		return nil, fmt.Errorf("%w: sections out of range", errDamaged)
	}
	for len(docs) > 0 {
		f, rest, good := readStrings(docs, 5)
		if !good {
			return nil, fmt.Errorf("%w: documents", errDamaged)
		}
		s.docs = append(s.docs, segDoc{Key: f[0], Code: f[1], Title: f[2], Category: f[3], Classification: f[4]})
		docs = rest
	}
	for len(facets) > 0 {
		f, rest, good := readStrings(facets, 1)
		if !good {
			return nil, fmt.Errorf("%w: facets", errDamaged)
		}
		s.facets, facets = append(s.facets, f[0]), rest
	}
	for len(parties) > 0 {
		f, rest, good := readStrings(parties, 1)
		if !good {
			return nil, fmt.Errorf("%w: parties", errDamaged)
		}
		s.parties, parties = append(s.parties, f[0]), rest
	}
	// Every column's references are checked once here, so that a search never reads out
	// of range.
	for e := 0; e < s.n; e++ {
		if int(s.col32(e, colDoc)) >= len(s.docs) || int(s.col32(e, colFacet)) >= len(s.facets) ||
			int(s.col32(e, colRecord)) > len(s.records) || int(s.col32(e, colGroup)) > e {
			return nil, fmt.Errorf("%w: entry %d", errDamaged, e)
		}
	}
	return s, nil
}

func (s *segment) close() error {
	if s.release == nil {
		return nil
	}
	err := s.release()
	s.release = nil
	return err
}

func (s *segment) col32(e, off int) uint32 {
	return binary.LittleEndian.Uint32(s.cols[e*colWidth+off:])
}

func (s *segment) applies(e int) uint64 {
	return binary.LittleEndian.Uint64(s.cols[e*colWidth+colApplies:])
}

func (s *segment) fieldLen(e, field int) uint32 { return s.col32(e, colLens+4*field) }

// record reads what a hit shows of entry e.
func (s *segment) record(e int) (clause, heading, text, vFrom, vTo string, parties []string) {
	b := s.records[s.col32(e, colRecord):]
	f, _, ok := readStrings(b, 6)
	if !ok {
		return "", "", "", "", "", nil
	}
	return f[0], f[1], f[2], f[3], f[4], strings.Fields(f[5])
}

// numTerms is how many terms a field's dictionary holds.
func (s *segment) numTerms(field int) int { return len(s.table[field]) / 16 }

// termAt returns the i-th term of a field's dictionary and where its postings are.
func (s *segment) termAt(field, i int) (term []byte, post, pos, df uint32) {
	t := s.table[field][i*16:]
	name := binary.LittleEndian.Uint32(t)
	post, pos, df = binary.LittleEndian.Uint32(t[4:]), binary.LittleEndian.Uint32(t[8:]), binary.LittleEndian.Uint32(t[12:])
	d := s.dict[field]
	if int(name) >= len(d) {
		return nil, 0, 0, 0
	}
	l, k := binary.Uvarint(d[name:])
	if k <= 0 || uint64(len(d)-int(name)-k) < l {
		return nil, 0, 0, 0
	}
	return d[int(name)+k : int(name)+k+int(l)], post, pos, df
}

// lookup finds a term in a field's dictionary: its index, or -1.
func (s *segment) lookup(field int, term string) int {
	n := s.numTerms(field)
	i := sort.Search(n, func(i int) bool {
		t, _, _, _ := s.termAt(field, i)
		return string(t) >= term
	})
	if i < n {
		if t, _, _, _ := s.termAt(field, i); string(t) == term {
			return i
		}
	}
	return -1
}

// termRange is the first index of the terms with the prefix p, and the index after the last.
func (s *segment) termRange(field int, p string) (int, int) {
	n := s.numTerms(field)
	lo := sort.Search(n, func(i int) bool {
		t, _, _, _ := s.termAt(field, i)
		return string(t) >= p
	})
	hi := lo
	for hi < n {
		t, _, _, _ := s.termAt(field, hi)
		if !bytes.HasPrefix(t, []byte(p)) {
			break
		}
		hi++
	}
	return lo, hi
}
