package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
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
	Postings  [2]uint64
	Positions [2]uint64
	SumLen    [segFields]uint64 // total tokens of each field over all entries
	CRC       uint32
}

// analysers are the analysers of the indexed fields.
type analysers struct {
	legal, exact analysis.Analyzer
}

// posting is one entry's occurrences of a term while a segment is built.
type posting struct {
	entry uint32
	pos   []uint32
}

// writeSegment writes the segment of entries (in any order) to path.
func writeSegment(ctx context.Context, path string, entries []*Entry, an analysers) (err error) {
	entries = slices.Clone(entries)
	ids := make(map[*Entry]string, len(entries))
	for _, e := range entries {
		ids[e] = e.ID()
	}
	slices.SortFunc(entries, func(a, b *Entry) int { return strings.Compare(ids[a], ids[b]) })
	var (
		docs      []segDoc
		docIdx    = map[string]uint32{}
		facets    []string
		facetIdx  = map[string]uint32{}
		parties   []string
		partyBit  = map[string]int{}
		dicts     [segFields]map[string][]posting
		sumLen    [segFields]uint64
		columns   = make([]byte, 0, len(entries)*colWidth)
		records   bytes.Buffer
		scratch   []byte
		fieldText [segFields]string
	)
	for i := range dicts {
		dicts[i] = map[string][]posting{}
	}
	for n, e := range entries {
		if n > math.MaxUint32-1 {
			return errors.New("too many entries for one segment")
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, ok := docIdx[e.Doc]
		if !ok {
			d = uint32(len(docs))
			docIdx[e.Doc] = d
			docs = append(docs, segDoc{Key: e.Doc, Code: e.Code, Title: e.Title, Category: e.Category, Classification: e.Classification})
		}
		f, ok := facetIdx[e.Facet]
		if !ok {
			f = uint32(len(facets))
			facetIdx[e.Facet] = f
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
		col := make([]byte, colWidth)
		binary.LittleEndian.PutUint32(col[colFrom:], uint32(e.From))
		binary.LittleEndian.PutUint32(col[colTo:], uint32(e.To))
		binary.LittleEndian.PutUint32(col[colDoc:], d)
		binary.LittleEndian.PutUint32(col[colFacet:], f)
		binary.LittleEndian.PutUint64(col[colApplies:], mask)
		fieldText = [segFields]string{e.Text, e.Table, e.Heading, e.Exact}
		for fi, txt := range fieldText {
			a := an.legal
			if fi == segExact {
				a = an.exact
			}
			toks := a.Analyze([]byte(txt))
			sumLen[fi] += uint64(len(toks))
			binary.LittleEndian.PutUint32(col[colLens+4*fi:], uint32(len(toks)))
			for _, t := range toks {
				ps := dicts[fi][string(t.Term)]
				if len(ps) == 0 || ps[len(ps)-1].entry != uint32(n) {
					ps = append(ps, posting{entry: uint32(n)})
				}
				ps[len(ps)-1].pos = append(ps[len(ps)-1].pos, uint32(t.Position))
				dicts[fi][string(t.Term)] = ps
			}
		}
		binary.LittleEndian.PutUint32(col[colRecord:], uint32(records.Len()))
		group := clauseKey(ids[e])
		if n > 0 && clauseKey(ids[entries[n-1]]) == group {
			binary.LittleEndian.PutUint32(col[colGroup:], binary.LittleEndian.Uint32(columns[(n-1)*colWidth+colGroup:]))
		} else {
			binary.LittleEndian.PutUint32(col[colGroup:], uint32(n))
		}
		columns = append(columns, col...)
		scratch = appendRecord(scratch[:0], e)
		records.Write(scratch)
	}

	var out bytes.Buffer
	out.WriteString(segMagic)
	var ft footer
	ft.Entries = uint32(len(entries))
	section := func(b []byte) [2]uint64 {
		at := uint64(out.Len())
		out.Write(b)
		return [2]uint64{at, uint64(len(b))}
	}
	ft.Columns = section(columns)
	ft.Records = section(records.Bytes())
	var db []byte
	for _, d := range docs {
		db = appendStrings(db, d.Key, d.Code, d.Title, d.Category, d.Classification)
	}
	ft.Docs = section(db)
	ft.Facets = section(appendStrings(nil, facets...))
	ft.Parties = section(appendStrings(nil, parties...))
	var postings, positions []byte
	for fi := range dicts {
		terms := make([]string, 0, len(dicts[fi]))
		for t := range dicts[fi] {
			terms = append(terms, t)
		}
		sort.Strings(terms)
		var names, table []byte
		for _, t := range terms {
			ps := dicts[fi][t]
			table = binary.LittleEndian.AppendUint32(table, uint32(len(names)))
			table = binary.LittleEndian.AppendUint32(table, uint32(len(postings)))
			table = binary.LittleEndian.AppendUint32(table, uint32(len(positions)))
			table = binary.LittleEndian.AppendUint32(table, uint32(len(ps)))
			names = binary.AppendUvarint(names, uint64(len(t)))
			names = append(names, t...)
			prev := uint32(0)
			for i, p := range ps {
				delta := p.entry - prev
				if i == 0 {
					delta = p.entry
				}
				prev = p.entry
				postings = binary.AppendUvarint(postings, uint64(delta))
				postings = binary.AppendUvarint(postings, uint64(len(p.pos)))
				if fi == segExact {
					continue // pattern terms match words, not phrases
				}
				last := uint32(0)
				for _, x := range p.pos {
					positions = binary.AppendUvarint(positions, uint64(x-last))
					last = x
				}
			}
			if len(postings) > math.MaxUint32 || len(positions) > math.MaxUint32 || len(names) > math.MaxUint32 {
				return errors.New("segment over 4 GB")
			}
		}
		ft.Dict[fi] = section(names)
		ft.TermTable[fi] = section(table)
	}
	ft.Postings = section(postings)
	ft.Positions = section(positions)
	ft.SumLen = sumLen
	ft.CRC = crc32.ChecksumIEEE(out.Bytes())
	var fbuf bytes.Buffer
	if err := binary.Write(&fbuf, binary.LittleEndian, &ft); err != nil {
		return err
	}
	fb := fbuf.Bytes()
	out.Write(fb)
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(fb))))
	out.WriteString(segMagic)

	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := out.WriteTo(f); err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	return f.Sync()
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
	post    []byte
	pos     []byte
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
		s.table[i] = get(s.ft.TermTable[i])
		if len(s.table[i])%16 != 0 {
			ok = false
		}
		if s.n > 0 {
			s.avgLen[i] = float64(s.ft.SumLen[i]) / float64(s.n)
		}
	}
	s.post = get(s.ft.Postings)
	s.pos = get(s.ft.Positions)
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
