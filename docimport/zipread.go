package docimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits bound what reading one archive may cost.
type Limits struct {
	// MaxEntries is the most entries the archive may hold.
	MaxEntries int
	// MaxEntrySize is the most bytes one entry may decompress to.
	MaxEntrySize int64
	// MaxTotalSize is the most bytes all entries together may decompress to (as declared,
	// and as actually read).
	MaxTotalSize int64
}

// DefaultLimits returns the limits ReadDOCX applies unless told otherwise: generous for any
// real document (the largest industry codes are a few MB of XML) and small enough for a
// server.
func DefaultLimits() Limits {
	return Limits{MaxEntries: 10000, MaxEntrySize: 100 << 20, MaxTotalSize: 100 << 20}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxEntrySize <= 0 {
		l.MaxEntrySize = d.MaxEntrySize
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = d.MaxTotalSize
	}
	return l
}

// archive is an opened, checked zip archive.
type archive struct {
	files  map[string]*zip.File // by name, without a leading "/"
	limits Limits
	read   int64 // bytes decompressed so far
}

func openArchive(data []byte, lim Limits) (*archive, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, wrapInput(err, "not a valid .docx: the zip archive is corrupt")
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, inputErrorf("refused: the archive holds %d entries (at most %d)", len(zr.File), lim.MaxEntries)
	}
	a := &archive{files: make(map[string]*zip.File, len(zr.File)), limits: lim}
	var total uint64
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		if _, dup := a.files[name]; dup {
			return nil, inputErrorf("not a valid .docx: the archive holds %q twice", name)
		}
		if f.UncompressedSize64 > uint64(lim.MaxEntrySize) {
			return nil, inputErrorf("refused: %s would decompress to %d bytes (at most %d): a zip bomb?", name, f.UncompressedSize64, lim.MaxEntrySize)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotalSize) {
			return nil, inputErrorf("refused: the archive would decompress to more than %d bytes: a zip bomb?", lim.MaxTotalSize)
		}
		a.files[name] = f
	}
	return a, nil
}

// has reports whether the archive holds an entry of that name.
func (a *archive) has(name string) bool {
	_, ok := a.files[name]
	return ok
}

// errNoEntry is returned by entry for a missing part.
var errNoEntry = errors.New("no such entry")

// entry decompresses one entry, never more than the limits allow whatever its header says.
func (a *archive) entry(name string) ([]byte, error) {
	f, ok := a.files[name]
	if !ok {
		return nil, errNoEntry
	}
	rc, err := f.Open()
	if err != nil {
		return nil, wrapInput(err, "not a valid .docx: cannot open %s", name)
	}
	defer rc.Close()
	budget := min(a.limits.MaxEntrySize, a.limits.MaxTotalSize-a.read)
	data, err := io.ReadAll(io.LimitReader(rc, budget+1))
	if err != nil {
		return nil, wrapInput(err, "not a valid .docx: %s is corrupt", name)
	}
	if int64(len(data)) > budget {
		return nil, inputErrorf("refused: %s decompresses to more than its header says, past the limit of %d bytes: a zip bomb?", name, budget)
	}
	a.read += int64(len(data))
	return data, nil
}

// resolve turns a relationship target into an entry name, relative to the part that holds
// the relationship ("word/document.xml" + "styles.xml" = "word/styles.xml").
func resolve(from, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(path.Dir(from), target)), "/")
}

// relsName is the relationships part of a part: word/document.xml -> word/_rels/document.xml.rels.
func relsName(part string) string {
	dir, file := path.Split(part)
	return fmt.Sprintf("%s_rels/%s.rels", dir, file)
}
