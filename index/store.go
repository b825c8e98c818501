package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"codenav/corpus"
)

// The data folder holds one folder per built index and a CURRENT file naming the one in use:
//
//	data/index/CURRENT             "codenav-index-3-<fingerprint>"
//	data/index/<name>/meta.json    format, fingerprint, entries, built
//	data/index/<name>/bleve/       the bleve index
//
// A new index is built beside the old one under a temporary name, renamed into place, and
// then CURRENT is replaced with a rename: a crash at any point leaves a usable CURRENT.

type meta struct {
	Format      string    `json:"format"`
	Fingerprint string    `json:"fingerprint"`
	Entries     int       `json:"entries"`
	Built       time.Time `json:"built"`
	// Periods are the days on which the texts in force change (see Periods): a date
	// filter needs the ones of the index it runs on, which during a rebuild is the index of
	// the previous corpus.
	Periods []int `json:"periods"`
}

// live is an open index and what it was built from.
type live struct {
	idx  bleve.Index
	name string
	meta meta
}

// Manager keeps the index of one code in a data folder: it reuses a matching index, rebuilds
// a missing, old or damaged one in the background, and swaps the new one in atomically.
// Searches during a rebuild are answered by the previous index when there is one.
type Manager struct {
	dir  string
	want string // the name of an index built from the corpus as it is now
	code *corpus.Code
	log  *slog.Logger

	mu       sync.RWMutex // guards cur; searches hold it for reading
	cur      *live
	ready    atomic.Bool
	done     chan struct{} // closed when the first usable index is in place or building failed
	buildErr error
	cancel   context.CancelFunc // stops a build in progress (on Close)
}

// Options configure a Manager.
type Options struct {
	Logger *slog.Logger
	// Progress, when set, is told how the build goes.
	Progress Progress
}

// Open starts the index of code in dataDir: a matching index is opened at once; otherwise
// one is built in the background (ctx bounds the build). Use Ready or Wait to know when
// searches can be answered.
func Open(ctx context.Context, dataDir string, code *corpus.Code, opt Options) (*Manager, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(ctx)
	m := &Manager{dir: filepath.Join(dataDir, "index"), code: code, log: opt.Logger, done: make(chan struct{}), cancel: cancel}
	if err := os.MkdirAll(m.dir, 0o755); err != nil {
		return nil, fmt.Errorf("index folder: %w", err)
	}
	fp, err := Fingerprint(code.Dir)
	if err != nil {
		return nil, err
	}
	want := Format + "-" + fp[:20]
	m.want = want
	// A build that was killed (kill -9, a crash) leaves its temporary folder: one process owns a
	// data folder, so any such folder now is dead and goes.
	if entries, err := os.ReadDir(m.dir); err == nil {
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), ".build-") {
				m.log.Info("removing an unfinished index build", "folder", e.Name())
				_ = os.RemoveAll(filepath.Join(m.dir, e.Name()))
			}
		}
	}
	if cur, err := m.openCurrent(); err == nil {
		m.cur = cur
		m.ready.Store(true)
		if cur.name == want {
			m.log.Info("index reused", "index", cur.name, "entries", cur.meta.Entries)
			close(m.done)
			return m, nil
		}
		m.log.Info("index out of date: serving it while a new one is built", "index", cur.name, "want", want)
	} else if !errors.Is(err, os.ErrNotExist) {
		m.log.Warn("index unusable: rebuilding", "error", err)
	}
	go m.rebuild(ctx, want, fp, opt.Progress)
	return m, nil
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

// openCurrent opens the index named by CURRENT and checks that it answers a query.
func (m *Manager) openCurrent() (*live, error) {
	b, err := os.ReadFile(filepath.Join(m.dir, "CURRENT"))
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(string(b))
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("CURRENT names no index")
	}
	md, err := readMeta(filepath.Join(m.dir, name))
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", name, err)
	}
	if md.Format != Format {
		return nil, fmt.Errorf("index %s has format %q, not %q", name, md.Format, Format)
	}
	idx, err := bleve.OpenUsing(filepath.Join(m.dir, name, "bleve"), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", name, err)
	}
	n, err := idx.DocCount()
	if err == nil && int(n) != md.Entries {
		err = fmt.Errorf("holds %d entries, meta.json says %d", n, md.Entries)
	}
	if err == nil {
		_, err = idx.Search(bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false))
	}
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("index %s is damaged: %w", name, err)
	}
	return &live{idx: idx, name: name, meta: md}, nil
}

func (m *Manager) rebuild(ctx context.Context, name, fp string, progress Progress) {
	start := time.Now()
	err := m.buildAndSwap(ctx, name, fp, progress)
	if err != nil {
		m.log.Error("index build failed", "error", err)
		m.buildErr = err
	} else {
		m.log.Info("index built", "index", name, "took", time.Since(start).String())
	}
	select {
	case <-m.done:
	default:
		close(m.done)
	}
}

func (m *Manager) buildAndSwap(ctx context.Context, name, fp string, progress Progress) error {
	tmp := filepath.Join(m.dir, ".build-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	entries := Entries(m.code)
	if err := build(ctx, entries, filepath.Join(tmp, "bleve"), progress); err != nil {
		return err
	}
	md, _ := json.Marshal(meta{Format: Format, Fingerprint: fp, Entries: len(entries), Built: time.Now().UTC(), Periods: Periods(entries)})
	if err := os.WriteFile(filepath.Join(tmp, "meta.json"), md, 0o644); err != nil {
		return err
	}
	final := filepath.Join(m.dir, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.cur
	if old != nil && old.name == name {
		// The folder we replace is the one being served: close it first.
		old.idx.Close()
		m.cur = nil
	}
	if err := os.RemoveAll(final); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	cur := filepath.Join(m.dir, "CURRENT")
	if err := os.WriteFile(cur+".tmp", []byte(name+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.Rename(cur+".tmp", cur); err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	nl, err := m.openCurrent()
	if err != nil {
		return err
	}
	m.cur = nl
	m.ready.Store(true)
	if old != nil && old.name != name {
		old.idx.Close()
	}
	m.cleanup(name)
	return nil
}

// cleanup removes index folders other than keep.
func (m *Manager) cleanup(keep string) {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != keep && !strings.HasPrefix(e.Name(), ".build-") {
			if err := os.RemoveAll(filepath.Join(m.dir, e.Name())); err != nil {
				m.log.Warn("remove old index", "index", e.Name(), "error", err)
			}
		}
	}
}

// Ready reports whether searches can be answered.
func (m *Manager) Ready() bool { return m.ready.Load() }

// Wait blocks until an index is ready or the first build failed.
func (m *Manager) Wait(ctx context.Context) error {
	select {
	case <-m.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if !m.Ready() {
		return fmt.Errorf("no index: %w", m.buildErr)
	}
	return nil
}

// Close stops a build in progress and closes the index in use.
func (m *Manager) Close() error {
	m.cancel()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil {
		return nil
	}
	err := m.cur.idx.Close()
	m.cur = nil
	return err
}

// Name returns the name of the index in use ("" when none).
func (m *Manager) Name() string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.cur == nil {
		return ""
	}
	return m.cur.name
}

// Current reports whether the index in use was built from the corpus as it is now.
func (m *Manager) Current() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.cur != nil && m.cur.name == m.want
}
