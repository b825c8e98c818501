package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codenav/corpus"
)

// The data folder holds one folder per generation (the corpus it was built from) and a
// CURRENT file naming the generation in use:
//
//	data/index/CURRENT                       "codenav-index-7-<fingerprint>"
//	data/index/<gen>/lock                    held (shared) by every Manager using the generation
//	data/index/<gen>/views/<view>/meta.json  format, fingerprint, documents, entries, periods
//	data/index/<gen>/views/<view>/segment    the index of those documents only (segment.go)
//	data/index/.build-<random>/              a view being built (its lock held exclusively)
//
// A view is the index of one set of documents: exactly those a reader may see. Term
// statistics (document counts, document frequencies, the terms a pattern expands to) are
// those of the view's documents alone, so a reader's hits, their order and their scores are
// what an index of their visible documents gives: a document they may not see cannot move a
// score by a hair. The public view is built first (it is what readiness waits for); the
// views of other readers are built when first asked for (see Options.Warm) and kept.
//
// A view is built beside the others under a temporary name and renamed into place; CURRENT
// is replaced with a rename once the generation's public view is in place. A crash at any
// point leaves a usable CURRENT, and locks (flock) tell a folder in use from a dead one.

type meta struct {
	Format      string    `json:"format"`
	Fingerprint string    `json:"fingerprint"`
	Docs        []string  `json:"docs"`
	Entries     int       `json:"entries"`
	Built       time.Time `json:"built"`
	// Periods are the days on which the texts in force of the view's documents change
	// (see Periods): a date filter needs the ones of the view it runs on.
	Periods []int `json:"periods"`
}

// view is an open index of one set of documents.
type view struct {
	key  string
	gen  string
	seg  *segment
	meta meta
	docs map[string]bool

	fxOnce sync.Once
	fx     *facetIndex
}

// Manager keeps the index of one code in a data folder: it reuses matching views, builds
// missing, old or damaged ones in the background, and swaps new ones in atomically.
// Searches during a rebuild are answered by the previous generation when it may answer
// them (see fallback).
type Manager struct {
	dir    string
	want   string // the generation built from the corpus as it is now
	fp     string
	code   *corpus.Code   // the code of an index of one code (Open)
	site   []*corpus.Code // the codes of an index of several (OpenSite); nil otherwise
	log    *slog.Logger
	opt    Options
	public []string // the documents an anonymous reader sees: the first view built
	pubKey string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the build goroutines; Close waits for them
	build  sync.Mutex     // one view build at a time

	mu       sync.RWMutex // guards the fields below; searches hold it for reading
	views    map[string]*view
	old      []*view // views of the previous generation, answering during a rebuild
	oldGen   string
	building map[string]chan struct{} // views being built; closed when done
	failed   map[string]error
	locks    map[string]*os.File // shared locks on the generations this manager uses
	closed   bool

	ready    atomic.Bool
	name     atomic.Value  // string: the generation answering public searches (see Name)
	done     chan struct{} // closed when the public view is in place or its build failed
	buildErr error

	patterns chan struct{} // slots for searches with pattern terms
	analyse  analyser      // the legal analyser, to leave stop words out of required words
	an       analysers     // the analysers of the indexed fields
	scratch  sync.Pool     // *slabs: the scratch memory of searches, kept between them
}

// Options configure a Manager.
type Options struct {
	Logger *slog.Logger
	// Progress, when set, is told how the build of the public view goes.
	Progress Progress
	// Warm lists readers whose views are built right after the public one (for example a
	// signed-in member with no groups) instead of on their first search.
	Warm []corpus.Reader
	// ViewWait is how long a search waits for its reader's view to be built before it
	// answers ErrNotReady (default 10 s).
	ViewWait time.Duration
	// Budget is the wall time a search may take (default Budget).
	Budget time.Duration
	// MaxPatternSearches is how many searches with wildcard, regexp or fuzzy terms run at
	// once; beyond it a search answers ErrBusy (default: the number of CPUs, at least 2).
	MaxPatternSearches int
	// PatternWait is how long a pattern search waits for a slot before it answers ErrBusy
	// (default 250 ms).
	PatternWait time.Duration
}

// ErrBusy means too many expensive searches are running: try again shortly.
var ErrBusy = errors.New("too many pattern searches are running")

// Open starts the index of code in dataDir: a matching public view is opened at once;
// otherwise one is built in the background (ctx bounds the build). Use Ready or Wait to
// know when searches can be answered.
func Open(ctx context.Context, dataDir string, code *corpus.Code, opt Options) (*Manager, error) {
	fp, err := codeFingerprint(code)
	if err != nil {
		return nil, err
	}
	return open(ctx, dataDir, code, nil, fp, opt)
}

// codeFingerprint is the fingerprint of code's files and the index format. A code opened
// with a cache folder has its fingerprint already (and computing it again would read every
// file of a large corpus).
func codeFingerprint(code *corpus.Code) (string, error) {
	if fp := code.Fingerprint(); fp != "" {
		return withFormat(fp), nil
	}
	return Fingerprint(code.Dir)
}

func open(ctx context.Context, dataDir string, code *corpus.Code, site []*corpus.Code, fp string, opt Options) (*Manager, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.ViewWait <= 0 {
		opt.ViewWait = 10 * time.Second
	}
	if opt.Budget <= 0 {
		opt.Budget = Budget
	}
	if opt.PatternWait <= 0 {
		opt.PatternWait = 250 * time.Millisecond
	}
	if opt.MaxPatternSearches <= 0 {
		opt.MaxPatternSearches = max(2, runtime.NumCPU())
	}
	analyse, err := newAnalyser()
	if err != nil {
		return nil, err
	}
	an, err := newAnalysers()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	m := &Manager{dir: filepath.Join(dataDir, "index"), want: Format + "-" + fp[:20], fp: fp, code: code, site: site,
		log: opt.Logger, opt: opt, ctx: ctx, cancel: cancel, views: map[string]*view{},
		building: map[string]chan struct{}{}, failed: map[string]error{}, locks: map[string]*os.File{},
		done: make(chan struct{}), patterns: make(chan struct{}, opt.MaxPatternSearches), analyse: analyse, an: an}
	m.scratch.New = func() any { return &slabs{} }
	m.public = m.docsOf(corpus.Reader{})
	m.pubKey = viewKey(m.public)
	if err := os.MkdirAll(m.dir, 0o755); err != nil {
		cancel()
		return nil, fmt.Errorf("index folder: %w", err)
	}
	m.sweepBuilds()
	if err := m.lockGen(m.want); err != nil {
		cancel()
		return nil, err
	}
	pub := m.pubKey
	if v, err := m.openView(m.want, pub); err == nil {
		m.views[pub] = v
		m.ready.Store(true)
		m.name.Store(m.want)
		close(m.done)
		m.log.Info("index reused", "index", m.want, "entries", v.meta.Entries)
		if err := m.setCurrent(); err != nil {
			m.log.Warn("index: write CURRENT", "error", err)
		}
		m.cleanup()
		m.warm()
		return m, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		m.log.Warn("index unusable: rebuilding", "index", m.want, "error", err)
	}
	m.openPrevious()
	m.startBuild(pub, m.public, opt.Progress, true)
	return m, nil
}

// viewKey names the view of a set of documents (sorted ids).
func viewKey(docs []string) string {
	h := sha256.Sum256([]byte(strings.Join(docs, "\n")))
	return hex.EncodeToString(h[:12])
}

// validName reports whether a generation name read from disk is one of ours.
func validName(name string) bool {
	return name != "" && !strings.ContainsAny(name, `/\`) && !strings.HasPrefix(name, ".")
}

func readMeta(dir string) (meta, error) {
	var md meta
	mb, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return md, err
	}
	if err := json.Unmarshal(mb, &md); err != nil {
		return md, fmt.Errorf("meta.json: %w", err)
	}
	return md, nil
}

// lockGen holds a shared lock on a generation folder for as long as the manager uses it,
// so that no other manager removes it meanwhile (see cleanup).
func (m *Manager) lockGen(gen string) error {
	if _, ok := m.locks[gen]; ok {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(m.dir, gen), 0o755); err != nil {
		return fmt.Errorf("index folder: %w", err)
	}
	f, _, err := lockFile(filepath.Join(m.dir, gen, "lock"), false, true)
	if err != nil {
		return fmt.Errorf("lock index %s: %w", gen, err)
	}
	m.locks[gen] = f
	return nil
}

func (m *Manager) unlockGen(gen string) {
	if f, ok := m.locks[gen]; ok {
		f.Close()
		delete(m.locks, gen)
	}
}

// openView opens a built view and checks that it answers a query.
func (m *Manager) openView(gen, key string) (*view, error) {
	dir := filepath.Join(m.dir, gen, "views", key)
	md, err := readMeta(dir)
	if err != nil {
		return nil, fmt.Errorf("index %s view %s: %w", gen, key, err)
	}
	if md.Format != Format {
		return nil, fmt.Errorf("index %s has format %q, not %q", gen, md.Format, Format)
	}
	seg, err := openSegment(filepath.Join(dir, "segment"))
	if err != nil {
		return nil, fmt.Errorf("open index %s view %s: %w", gen, key, err)
	}
	if seg.n != md.Entries {
		seg.close()
		return nil, fmt.Errorf("index %s view %s is damaged: holds %d entries, meta.json says %d", gen, key, seg.n, md.Entries)
	}
	v := &view{key: key, gen: gen, seg: seg, meta: md, docs: map[string]bool{}}
	for _, d := range md.Docs {
		v.docs[d] = true
	}
	return v, nil
}

// openPrevious opens the views of the generation named by CURRENT when it is not the one
// wanted: they answer searches while the wanted one is built.
func (m *Manager) openPrevious() {
	b, err := os.ReadFile(filepath.Join(m.dir, "CURRENT"))
	if err != nil {
		return
	}
	gen := strings.TrimSpace(string(b))
	if !validName(gen) || gen == m.want {
		return
	}
	if err := m.lockGen(gen); err != nil {
		return
	}
	entries, _ := os.ReadDir(filepath.Join(m.dir, gen, "views"))
	for _, e := range entries {
		if v, err := m.openView(gen, e.Name()); err == nil {
			m.old = append(m.old, v)
		} else {
			m.log.Warn("previous index unusable", "error", err)
		}
	}
	if len(m.old) == 0 {
		m.unlockGen(gen)
		return
	}
	m.oldGen = gen
	m.ready.Store(true)
	m.name.Store(gen)
	m.log.Info("index out of date: serving it while a new one is built", "index", gen, "want", m.want)
}

// startBuild builds the view of docs in the background unless it is being built already.
// Call it without m.mu held.
func (m *Manager) startBuild(key string, docs []string, progress Progress, first bool) chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ch, ok := m.building[key]; ok {
		return ch
	}
	ch := make(chan struct{})
	if m.closed {
		close(ch)
		return ch
	}
	m.building[key] = ch
	delete(m.failed, key)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		start := time.Now()
		err := m.buildView(m.ctx, key, docs, progress)
		m.mu.Lock()
		delete(m.building, key)
		if err != nil {
			m.failed[key] = err
		}
		m.mu.Unlock()
		close(ch)
		if err != nil {
			m.log.Error("index build failed", "index", m.want, "view", key, "error", err)
		} else {
			m.log.Info("index built", "index", m.want, "view", key, "documents", len(docs), "took", time.Since(start).String())
		}
		if first {
			m.firstBuilt(err)
		}
	}()
	return ch
}

// firstBuilt finishes the build of the public view: the generation becomes CURRENT, the
// previous one is let go, and the views to warm are built.
func (m *Manager) firstBuilt(err error) {
	if err != nil {
		m.buildErr = err
		close(m.done)
		return
	}
	if err := m.setCurrent(); err != nil {
		m.log.Warn("index: write CURRENT", "error", err)
	}
	m.mu.Lock()
	old, gen := m.old, m.oldGen
	m.old, m.oldGen = nil, ""
	for _, v := range old {
		v.seg.close()
	}
	if gen != "" {
		m.unlockGen(gen)
	}
	m.mu.Unlock()
	m.cleanup()
	// Current (and Name, which keys the page cache) change last, once the swap is complete.
	m.name.Store(m.want)
	m.ready.Store(true)
	close(m.done)
	m.warm()
}

func (m *Manager) warm() {
	for _, docs := range m.warmSets() {
		if len(docs) == 0 {
			continue
		}
		key := viewKey(docs)
		m.mu.RLock()
		_, have := m.views[key]
		m.mu.RUnlock()
		if !have {
			m.startBuild(key, docs, nil, false)
		}
	}
}

// docsOf is the sorted set of the documents r may see (of every code, in a site's index).
func (m *Manager) docsOf(r corpus.Reader) []string {
	var docs []string
	for _, c := range m.codes() {
		for _, d := range c.For(r).Documents() {
			docs = append(docs, m.key(c, d))
		}
	}
	slices.Sort(docs)
	return docs
}

// buildView builds the view of docs into a temporary folder and renames it into place.
func (m *Manager) buildView(ctx context.Context, key string, docs []string, progress Progress) error {
	m.build.Lock()
	defer m.build.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	// Another manager of the same generation (a reload of an unchanged corpus) may have
	// built it meanwhile.
	if v, err := m.openView(m.want, key); err == nil {
		return m.addView(v)
	}
	tmp, err := os.MkdirTemp(m.dir, ".build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	lock, _, err := lockFile(filepath.Join(tmp, "lock"), true, true)
	if err != nil {
		return err
	}
	defer lock.Close()
	set := map[string]bool{}
	for _, d := range docs {
		set[d] = true
	}
	entries := m.entries(set)
	if err := build(ctx, entries, filepath.Join(tmp, "segment"), m.an, progress); err != nil {
		return err
	}
	md, _ := json.Marshal(meta{Format: Format, Fingerprint: m.fp, Docs: docs, Entries: len(entries),
		Built: time.Now().UTC(), Periods: Periods(entries)})
	if err := os.WriteFile(filepath.Join(tmp, "meta.json"), md, 0o644); err != nil {
		return err
	}
	views := filepath.Join(m.dir, m.want, "views")
	if err := os.MkdirAll(views, 0o755); err != nil {
		return err
	}
	final := filepath.Join(views, key)
	if err := os.RemoveAll(final); err != nil { // a damaged copy: it failed openView above
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	v, err := m.openView(m.want, key)
	if err != nil {
		return err
	}
	return m.addView(v)
}

func (m *Manager) addView(v *view) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		v.seg.close()
		return errors.New("index closed")
	}
	if prev := m.views[v.key]; prev != nil {
		prev.seg.close()
	}
	m.views[v.key] = v
	return nil
}

// setCurrent names the wanted generation in CURRENT (with a rename, so that a crash leaves
// the old name or the new one).
func (m *Manager) setCurrent() error {
	cur := filepath.Join(m.dir, "CURRENT")
	tmp, err := os.CreateTemp(m.dir, ".CURRENT-")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(m.want + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), cur)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// sweepBuilds removes temporary folders whose builder is gone (killed, crashed): a live
// builder holds the lock in its folder.
func (m *Manager) sweepBuilds() {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".build-") && !strings.HasPrefix(e.Name(), ".CURRENT-") {
			continue
		}
		p := filepath.Join(m.dir, e.Name())
		if !e.IsDir() {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Minute {
				os.Remove(p)
			}
			continue
		}
		if _, err := os.Stat(filepath.Join(p, "lock")); errors.Is(err, os.ErrNotExist) {
			// The lock is taken right after the folder is made: a folder without one is dead
			// unless it is that new.
			if fi, err := e.Info(); err != nil || time.Since(fi.ModTime()) < time.Minute {
				continue
			}
		} else if !m.tryRemoveLocked(p) {
			continue
		}
		m.log.Info("removing an unfinished index build", "folder", e.Name())
		_ = os.RemoveAll(p)
	}
}

// tryRemoveLocked reports whether nobody holds the lock of folder p (and keeps it until
// return, so the caller removes a folder no one uses).
func (m *Manager) tryRemoveLocked(p string) bool {
	f, ok, err := lockFile(filepath.Join(p, "lock"), true, false)
	if err != nil || !ok {
		return false
	}
	f.Close()
	return true
}

// cleanup removes generations that are neither CURRENT nor used by any manager.
func (m *Manager) cleanup() {
	b, _ := os.ReadFile(filepath.Join(m.dir, "CURRENT"))
	current := strings.TrimSpace(string(b))
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == current {
			continue
		}
		p := filepath.Join(m.dir, e.Name())
		f, ok, err := lockFile(filepath.Join(p, "lock"), true, false)
		if err != nil || !ok {
			continue // in use by another manager: it removes it when it closes
		}
		if err := os.RemoveAll(p); err != nil {
			m.log.Warn("remove old index", "index", e.Name(), "error", err)
		}
		f.Close()
	}
}

// Ready reports whether searches can be answered.
func (m *Manager) Ready() bool { return m.ready.Load() }

// Wait blocks until the public view is ready or its build failed.
func (m *Manager) Wait(ctx context.Context) error {
	select {
	case <-m.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if !m.Current() {
		return fmt.Errorf("no index: %w", m.buildErr)
	}
	return nil
}

// Close stops the builds in progress, waits for them, closes the views and removes the
// generations no one uses any more.
func (m *Manager) Close() error {
	m.cancel()
	m.wg.Wait()
	m.mu.Lock()
	var err error
	for _, v := range m.views {
		err = errors.Join(err, v.seg.close())
	}
	for _, v := range m.old {
		err = errors.Join(err, v.seg.close())
	}
	m.views, m.old = map[string]*view{}, nil
	m.closed = true
	for gen := range m.locks {
		m.unlockGen(gen)
	}
	m.name.Store("")
	m.mu.Unlock()
	m.ready.Store(false)
	m.cleanup()
	return err
}

// Name returns the name of the generation answering public searches ("" when none). It
// takes no lock: the page cache asks on every request.
func (m *Manager) Name() string {
	n, _ := m.name.Load().(string)
	return n
}

// Current reports whether the public view in use was built from the corpus as it is now
// (and the previous generation let go).
func (m *Manager) Current() bool { return m.Name() == m.want }
