package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"codenav/legaltext"
)

// Options configure Open.
type Options struct {
	// CacheDir keeps what makes the next start fast: the hashes of the corpus files and a
	// snapshot of every version's facts. "" keeps nothing: every start parses every version.
	CacheDir string
	// Trees is the cache of parsed versions to read through, shared with other codes; nil
	// makes one of TreeCacheBytes (0: DefaultTreeCacheBytes) for this code.
	Trees          *TreeCache
	TreeCacheBytes int64
}

// snapshotFormat changes when the facts kept in a snapshot change.
const snapshotFormat = 1

// snapshot is what a full load learnt of each version's text (its facts), kept in the cache
// folder under the fingerprint of the files it was learnt from. A start that finds the
// snapshot of the corpus as it is on disk reads only metadata (YAML files and the front
// matter of each version) and no text: the texts were validated when the snapshot was made.
type snapshot struct {
	Format      int
	Fingerprint string
	Docs        map[string]snapDoc
}

type snapDoc struct {
	Versions []string                 // version numbers, in order
	Anchors  map[string][]uint64      // see Document.anchors
	Defs     [][]legaltext.Definition // per version
}

// errStale means the snapshot does not describe the files read.
var errStale = errors.New("snapshot does not match the corpus")

// Load reads and validates the code in dir, parsing every version (see Open).
func Load(dir string) (*Code, error) { return Open(dir, Options{}) }

// Open reads the code in dir. With a cache folder, a start on files seen before (same
// fingerprint) reads the snapshot of their facts instead of parsing every version; otherwise
// every version is parsed and validated, and a snapshot is written for the next start when the
// corpus has no problem and did not change while it was read. Either way versions are kept as
// metadata and read from their files into a bounded cache when needed.
func Open(dir string, opt Options) (*Code, error) {
	if opt.CacheDir == "" {
		return load(dir, opt, nil)
	}
	if err := os.MkdirAll(opt.CacheDir, 0o755); err != nil {
		return nil, fmt.Errorf("corpus cache folder: %w", err)
	}
	key := dirKey(dir)
	files := filepath.Join(opt.CacheDir, "files-"+key+".gob")
	fp, err := Fingerprint(dir, files)
	if err != nil {
		return load(dir, opt, nil) // reports why the folder cannot be read
	}
	snapPath := filepath.Join(opt.CacheDir, "snapshot-"+key+"-"+fp[:24]+".gob")
	if snap, err := readSnapshot(snapPath, fp); err == nil {
		c, err := load(dir, opt, snap)
		if err == nil {
			c.fingerprint, c.fromSnapshot = fp, true
			return c, nil
		}
		// The files changed since they were fingerprinted, or the snapshot is wrong: read
		// everything.
	}
	c, err := load(dir, opt, nil)
	if err != nil {
		return c, err
	}
	if again, err := Fingerprint(dir, files); err == nil && again == fp {
		c.fingerprint = fp
		if err := writeSnapshot(snapPath, c, fp); err == nil {
			removeOtherSnapshots(opt.CacheDir, key, snapPath)
		}
	}
	return c, nil
}

// Fingerprint returns the fingerprint of the files of the corpus folder, when Open computed
// it ("" otherwise).
func (c *Code) Fingerprint() string { return c.fingerprint }

// FromSnapshot reports whether the code was opened from a snapshot (no text parsed).
func (c *Code) FromSnapshot() bool { return c.fromSnapshot }

// dirKey names a corpus folder in the cache folder: several corpora may share one.
func dirKey(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	h := sha256.Sum256([]byte(abs))
	return hex.EncodeToString(h[:6])
}

func load(dir string, opt Options, snap *snapshot) (*Code, error) {
	l := &loader{dir: dir, unreadable: map[string]bool{}, snap: snap}
	c := &Code{Dir: dir, docs: map[string]*Document{}, prefixes: map[string]*Document{},
		labels: map[string]*Document{}, releases: map[string]*Release{}, mods: map[string]*Modification{},
		trees: opt.Trees}
	if c.trees == nil {
		c.trees = NewTreeCache(opt.TreeCacheBytes)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, Problems{{Path: dir, Msg: "not a corpus folder (it should hold code.yaml, documents/, releases/, modifications/)"}}
	}
	l.code(c)
	l.releases(c)
	l.modifications(c)
	l.documents(c)
	if snap != nil && !snap.apply(c) {
		return nil, errStale
	}
	l.legalTexts(c) // after documents: a legal text names a document and one of its versions
	validate(l, c)
	if len(l.probs) > 0 {
		if snap != nil {
			return nil, errStale // a validated corpus has none: read it all and say what they are
		}
		sort.SliceStable(l.probs, func(i, j int) bool {
			if l.probs[i].Path != l.probs[j].Path {
				return l.probs[i].Path < l.probs[j].Path
			}
			return l.probs[i].Line < l.probs[j].Line
		})
		// The same problem twice on a line (two identical references) is reported once.
		var probs Problems
		seen := map[Problem]bool{}
		for _, p := range l.probs {
			if !seen[p] {
				seen[p] = true
				probs = append(probs, p)
			}
		}
		return c, probs
	}
	return c, nil
}

// apply gives every version its facts from the snapshot; false when the snapshot does not
// describe exactly these documents and versions.
func (s *snapshot) apply(c *Code) bool {
	if len(s.Docs) != len(c.Documents) {
		return false
	}
	for _, d := range c.Documents {
		sd, ok := s.Docs[d.ID]
		if !ok || len(sd.Versions) != len(d.Versions) || len(sd.Defs) != len(d.Versions) {
			return false
		}
		for i, v := range d.Versions {
			if sd.Versions[i] != v.Number {
				return false
			}
			v.index, v.defs = i, sd.Defs[i]
		}
		d.anchors = sd.Anchors
		if d.anchors == nil {
			d.anchors = map[string][]uint64{}
		}
	}
	return true
}

func readSnapshot(path, fp string) (*snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var s snapshot
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&s); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if s.Format != snapshotFormat || s.Fingerprint != fp {
		return nil, errStale
	}
	return &s, nil
}

func writeSnapshot(path string, c *Code, fp string) error {
	s := snapshot{Format: snapshotFormat, Fingerprint: fp, Docs: map[string]snapDoc{}}
	for _, d := range c.Documents {
		sd := snapDoc{Anchors: d.anchors}
		for _, v := range d.Versions {
			sd.Versions = append(sd.Versions, v.Number)
			sd.Defs = append(sd.Defs, v.defs)
		}
		s.Docs[d.ID] = sd
	}
	return writeGob(path, &s)
}

// writeGob writes v to path atomically: readers (another replica starting) see the old file
// or the new one.
func writeGob(path string, v any) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil { // as the index: readable by a replica's user
		tmp.Close()
		return err
	}
	w := bufio.NewWriter(tmp)
	if err := gob.NewEncoder(w).Encode(v); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// removeOtherSnapshots removes the snapshots of earlier states of the same corpus.
func removeOtherSnapshots(cacheDir, key, keep string) {
	old, _ := filepath.Glob(filepath.Join(cacheDir, "snapshot-"+key+"-*.gob"))
	for _, p := range old {
		if p != keep {
			os.Remove(p)
		}
	}
}

// fileHash is what the fingerprint cache keeps of a file.
type fileHash struct {
	Size    int64
	ModTime int64 // nanoseconds
	Mode    fs.FileMode
	Sum     [sha256.Size]byte
}

// racyWindow is how recent a file's modification time may be for its hash to be kept: a
// file changed again within the same tick of the file system's clock would keep its time
// and size, so a recent one is hashed again on the next run (as git does).
const racyWindow = 2 * time.Second

// Fingerprint hashes the files of a corpus folder: their paths and contents. A link inside the
// folder counts as the file it points to (as the loader reads it); a linked folder is not
// followed. With cachePath, the hash of each file is kept with its size and modification time,
// so that a later call reads only the files that changed.
func Fingerprint(dir, cachePath string) (string, error) {
	// WalkDir does not follow a symbolic link, not even the root's: a corpus given as a link
	// would be "walked" as one file, and reading a folder fails with "is a directory".
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("fingerprint %s: %w", dir, err)
	}
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type().IsRegular():
			files = append(files, p)
		case d.Type()&fs.ModeSymlink != 0:
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("fingerprint %s: %w", dir, err)
	}
	sort.Strings(files)
	cache := map[string]fileHash{}
	if cachePath != "" {
		if f, err := os.Open(cachePath); err == nil {
			_ = gob.NewDecoder(bufio.NewReader(f)).Decode(&cache) // a damaged cache is rebuilt
			f.Close()
		}
	}
	fresh := make(map[string]fileHash, len(files))
	now := time.Now()
	h := sha256.New()
	for _, p := range files {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		st, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("fingerprint: %w", err)
		}
		fh, ok := cache[rel]
		if !ok || fh.Size != st.Size() || fh.ModTime != st.ModTime().UnixNano() || fh.Mode != st.Mode() {
			sum, err := hashFile(p)
			if err != nil {
				return "", fmt.Errorf("fingerprint %s: %w", p, err)
			}
			fh = fileHash{Size: st.Size(), ModTime: st.ModTime().UnixNano(), Mode: st.Mode(), Sum: sum}
		}
		if now.Sub(st.ModTime()) > racyWindow {
			fresh[rel] = fh
		}
		fmt.Fprintf(h, "%s\n%x\n", rel, fh.Sum)
	}
	if cachePath != "" && !sameHashes(cache, fresh) {
		_ = writeGob(cachePath, fresh) // only a speed-up: a failure is not an error
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sameHashes(a, b map[string]fileHash) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func hashFile(p string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(p)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// readHead reads the start of a version file, up to and including its closing front matter
// line: what a start from a snapshot needs of it.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 4096)
	var out bytes.Buffer
	for n := 0; out.Len() < 1<<16; n++ {
		line, err := r.ReadSlice('\n')
		out.Write(line)
		t := strings.TrimRight(strings.TrimPrefix(string(line), "\ufeff"), "\r\n")
		if n > 0 && t == "---" {
			break
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
				if errors.Is(err, bufio.ErrBufferFull) {
					continue
				}
				break
			}
			return nil, err
		}
	}
	return out.Bytes(), nil
}
