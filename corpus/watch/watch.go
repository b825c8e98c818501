// Package watch notices that a corpus folder changed on disk and reloads the site from it,
// so that read replicas serving the same folder pick up a save made through another replica
// (or a git pull, or an edit) without a signal.
//
// Noticing is cheap: each tick stats the files of the folder (names, sizes, modification
// times, inode numbers) and hashes those, never their content. A save through the corpus
// writer replaces a file by renaming a new one over it, which gives it a new inode and a new
// modification time; an editor, a copy or a git checkout gives it a new modification time.
package watch

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultInterval is how often the corpus folder is looked at by default: a save through one
// replica is served by the others within about this long.
const DefaultInterval = 2 * time.Second

// Fingerprint sums up the state of the files under dir: their paths, sizes, modification
// times and inode numbers. Files and folders whose names start with a dot are left out: .git (a commit does not
// change the corpus files), and the writer's temporary files before they are renamed into
// place. So are the folders skip (written by the server itself: a data folder or drafts
// store put inside the corpus folder would otherwise reload the site at every write), given
// as paths of the same form as dir (both absolute, or both relative to the same folder).
func Fingerprint(dir string, skip ...string) (uint64, error) {
	h := fnv.New64a()
	var buf []byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != dir && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we looked: the next look sees it gone
			}
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			for _, x := range skip {
				if p == x {
					return filepath.SkipDir
				}
			}
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		buf = append(buf[:0], p...)
		buf = append(buf, 0)
		buf = strconv.AppendInt(buf, info.Size(), 10)
		buf = append(buf, 0)
		buf = strconv.AppendInt(buf, info.ModTime().UnixNano(), 10)
		buf = append(buf, 0)
		buf = strconv.AppendUint(buf, inode(info), 10)
		buf = append(buf, '\n')
		h.Write(buf)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("watch %s: %w", dir, err)
	}
	return h.Sum64(), nil
}

// Watcher reloads the site when its corpus folder changes. Every reload (a signal, a save,
// a change seen on disk) should go through Reload, so that the watcher knows which state of
// the folder is loaded and does not load it twice.
type Watcher struct {
	dir    string
	skip   []string
	reload func(context.Context) error
	log    *slog.Logger

	mu     sync.Mutex             // one reload at a time; guards loaded
	loaded uint64                 // the fingerprint of the folder as last loaded (or last found broken)
	look   func() (uint64, error) // replaces Fingerprint in tests
}

// New returns a watcher of dir that reloads with reload, leaving out the folders skip (see
// Fingerprint). The folder as it is now is taken to be loaded.
func New(dir string, reload func(context.Context) error, log *slog.Logger, skip ...string) *Watcher {
	if log == nil {
		log = slog.Default()
	}
	w := &Watcher{dir: dir, reload: reload, log: log}
	if abs, err := filepath.Abs(dir); err == nil {
		w.dir = abs
		for _, x := range skip {
			if x == "" {
				continue
			}
			if a, err := filepath.Abs(x); err == nil && a != abs {
				w.skip = append(w.skip, a)
			}
		}
	}
	if fp, err := w.fingerprint(); err == nil {
		w.loaded = fp
	}
	return w
}

func (w *Watcher) fingerprint() (uint64, error) {
	if w.look != nil {
		return w.look()
	}
	return Fingerprint(w.dir, w.skip...)
}

// Reload loads the folder as it is now. The state it loaded is remembered even when the
// load fails (a broken corpus, whose problems the reload has reported), so that the same
// broken state is not loaded, and reported, again at every tick.
func (w *Watcher) Reload(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.reloadLocked(ctx)
}

func (w *Watcher) reloadLocked(ctx context.Context) error {
	fp, ferr := w.fingerprint()
	err := w.reload(ctx)
	if ferr == nil {
		w.loaded = fp
	}
	return err
}

// Check reloads when the folder changed since it was last loaded and is still for settle
// (a git pull or a copy writes many files: wait until it is done). It reports whether it
// reloaded, and the reload's error.
func (w *Watcher) Check(ctx context.Context, settle time.Duration) (bool, error) {
	fp, err := w.fingerprint()
	if err != nil {
		return false, err
	}
	w.mu.Lock()
	same := fp == w.loaded
	w.mu.Unlock()
	if same {
		return false, nil
	}
	if settle > 0 {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(settle):
		}
		if again, err := w.fingerprint(); err != nil || again != fp {
			return false, err // still changing: the next tick looks again
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if fp2, err := w.fingerprint(); err == nil && fp2 == w.loaded {
		return false, nil // a reload from elsewhere (a save, a signal) has loaded it meanwhile
	}
	return true, w.reloadLocked(ctx)
}

// lookShare bounds the time spent looking at the folder: after a look that took d, the
// next comes no sooner than lookShare x d (a look at 40,000 files, 150 ms, then runs every
// 7.5 s instead of every 2: at most 2% of a core, however long the history).
const lookShare = 50

// Run looks at the folder every interval (or, for a folder so large that a look is slow,
// every lookShare times what the last look took) until ctx ends, reloading when it changed.
// A reload that fails leaves the previous generation serving; it is logged once for each
// state of the folder.
func (w *Watcher) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		return
	}
	settle := min(interval/2, 500*time.Millisecond)
	failedLook := false
	wait := interval
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		start := time.Now()
		reloaded, err := w.Check(ctx, settle)
		if !reloaded {
			wait = max(interval, lookShare*time.Since(start))
		}
		switch {
		case ctx.Err() != nil:
			return
		case !reloaded && err != nil:
			if !failedLook { // an unreadable folder is said once, not every tick
				w.log.Error("cannot look at the corpus folder for changes", "corpus", w.dir, "error", err)
				failedLook = true
			}
		case reloaded && err != nil:
			failedLook = false
			w.log.Error("the corpus changed on disk but does not load: still serving the previous one", "corpus", w.dir, "error", err)
		case reloaded:
			failedLook = false
			w.log.Info("reloaded: the corpus changed on disk", "corpus", w.dir, "took", time.Since(start).String())
		default:
			failedLook = false
		}
	}
}
