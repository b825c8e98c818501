// Package writer is the one way files are written into a corpus folder: atomically (a
// temporary file in the same folder, synced, then renamed over the old one), one writer at a
// time, with optimistic concurrency (a write names the revision of the file it started from
// and is refused when the file has moved on), and with a history of every write.
//
// The history is git's when the corpus folder is inside a git work tree and the git binary
// is on the PATH: each write is a commit of that one file by the person who made it, so the
// corpus stays docs-as-code (reviewed, pushed and backed up like any repository). Otherwise
// each write is kept in a drafts store, a folder outside the corpus (normally under the data
// folder): <store>/<path of the file>/NNNNNN.md with NNNNNN.json beside it (who, when, message).
//
// A file's revision, the token of optimistic concurrency, is a hash of its content: it is the
// same in every process and after a restart, and needs no state beyond the file itself.
package writer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"codenav/filelock"
)

// Author is who makes a write.
type Author struct {
	Name  string // shown in the history and as the commit's author
	Email string // the commit's author e-mail; "<user>@users.codenav.invalid" when empty
}

// Revision is one write kept in the history.
type Revision struct {
	ID      string    `json:"id"` // a git commit hash, or the number of the write in the drafts store
	Author  string    `json:"author"`
	Email   string    `json:"email,omitempty"`
	When    time.Time `json:"when"`
	Message string    `json:"message"`
	// Hash is the revision (content hash) of the file after this write; empty in git
	// history, where the content is read from the commit when needed.
	Hash string `json:"hash,omitempty"`
}

// ErrConflict is returned by Save when the file is not at the revision the write started
// from: someone else saved it in between.
type ErrConflict struct {
	Path     string
	Expected string   // the revision the write started from
	Current  string   // the revision the file is at
	Last     Revision // the write that made it so, when the history knows it
}

func (e *ErrConflict) Error() string {
	who := ""
	if e.Last.Author != "" {
		who = fmt.Sprintf(" by %s at %s (%q)", e.Last.Author, e.Last.When.UTC().Format("2006-01-02 15:04 UTC"), e.Last.Message)
	}
	return fmt.Sprintf("%s was saved%s after you opened it (you started from revision %s, it is now at %s)",
		e.Path, who, short(e.Expected), short(e.Current))
}

// ErrUnchanged is returned by Save when the content is what the file already holds.
var ErrUnchanged = errors.New("nothing to save: the text is the same as the saved one")

func short(rev string) string {
	if rev == "" {
		return "none (no file)"
	}
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// RevisionOf is the revision of a file with this content; "" for no file.
func RevisionOf(content []byte, exists bool) string {
	if !exists {
		return ""
	}
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// Writer writes into one corpus folder.
type Writer struct {
	dir   string // the corpus folder, absolute
	store string // the drafts store, used when there is no git
	git   string // the git binary, when the corpus is a git work tree
	log   *slog.Logger
	mu    sync.Mutex // one write at a time in this process (a file lock covers other processes)
}

// Options configure a Writer.
type Options struct {
	// Store is the drafts store folder (used when the corpus is not a git work tree).
	Store string
	// NoGit keeps the history in the drafts store even in a git work tree.
	NoGit  bool
	Logger *slog.Logger
}

// New returns a writer for the corpus folder dir.
func New(ctx context.Context, dir string, o Options) (*Writer, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus writer: %w", err)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	w := &Writer{dir: abs, log: o.Logger}
	if o.Store != "" {
		if w.store, err = filepath.Abs(o.Store); err != nil {
			return nil, fmt.Errorf("corpus writer: %w", err)
		}
	}
	if !o.NoGit {
		if bin, err := exec.LookPath("git"); err == nil {
			out, err := exec.CommandContext(ctx, bin, "-C", abs, "rev-parse", "--is-inside-work-tree").Output()
			if err == nil && strings.TrimSpace(string(out)) == "true" {
				w.git = bin
			}
		} else if insideGit(abs) {
			o.Logger.Warn("the corpus is a git work tree but git is not on the PATH: saves are kept in the drafts store, not committed", "corpus", abs)
		}
	}
	if w.git == "" && w.store == "" {
		return nil, errors.New("corpus writer: the corpus is not a git work tree and no drafts store folder was given")
	}
	return w, nil
}

// insideGit reports whether dir or a parent holds .git.
func insideGit(dir string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// Git reports whether writes are git commits.
func (w *Writer) Git() bool { return w.git != "" }

// Where says where the history is kept, for people.
func (w *Writer) Where() string {
	if w.git != "" {
		return "git commits in " + w.dir
	}
	return "the drafts store " + w.store
}

// LegalTextPath is the path, in the corpus folder, of a modification's legal text for a
// document.
func LegalTextPath(mod, doc string) string {
	return filepath.ToSlash(filepath.Join("modifications", mod, "legal-text", doc+".md"))
}

// abs resolves a corpus-relative path, refusing one that leaves the corpus.
func (w *Writer) abs(rel string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	if rel == "" || filepath.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || clean == ".." {
		return "", fmt.Errorf("corpus writer: %q is not a path inside the corpus", rel)
	}
	return filepath.Join(w.dir, clean), nil
}

// Current reads a file of the corpus and its revision ("" and no error when it does not exist).
func (w *Writer) Current(rel string) ([]byte, string, error) {
	p, err := w.abs(rel)
	if err != nil {
		return nil, "", err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("corpus writer: %w", err)
	}
	return data, RevisionOf(data, true), nil
}

// Save is one write.
type Save struct {
	Path    string // corpus-relative, with forward slashes
	Content []byte
	// Expect is the revision the writer started from ("" for a file that did not exist).
	Expect  string
	Author  Author
	Message string
	// Check, when set, runs after the file is in place and before it is recorded: a reload
	// of the site. When it fails, the file is put back as it was and the save fails with its
	// error, so the corpus never keeps a text the site cannot load.
	Check func(ctx context.Context) error
}

// Save writes s.Content to s.Path when the file is still at s.Expect, checks it and records
// it in the history. It returns the revision recorded.
func (w *Writer) Save(ctx context.Context, s Save) (Revision, error) {
	p, err := w.abs(s.Path)
	if err != nil {
		return Revision{}, err
	}
	if strings.TrimSpace(s.Author.Name) == "" {
		return Revision{}, errors.New("corpus writer: a save needs an author")
	}
	if s.Author.Email == "" {
		s.Author.Email = s.Author.Name + "@users.codenav.invalid"
	}
	if strings.TrimSpace(s.Message) == "" {
		s.Message = "Save " + s.Path
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return Revision{}, fmt.Errorf("corpus writer: %w", err)
	}
	unlock, err := filelock.Lock(filepath.Dir(p))
	if err != nil {
		return Revision{}, fmt.Errorf("corpus writer: lock: %w", err)
	}
	defer unlock()

	old, err := os.ReadFile(p)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Revision{}, fmt.Errorf("corpus writer: %w", err)
	}
	cur := RevisionOf(old, existed)
	if cur != s.Expect {
		c := &ErrConflict{Path: s.Path, Expected: s.Expect, Current: cur}
		if h, err := w.history(ctx, s.Path, 1); err == nil && len(h) > 0 {
			c.Last = h[0]
		}
		return Revision{}, c
	}
	if existed && string(old) == string(s.Content) {
		return Revision{}, ErrUnchanged
	}
	if w.git == "" && existed {
		// The first save into the drafts store keeps the text as it was found, so that
		// every save can be compared with it.
		if err := w.storeFirst(s.Path, old); err != nil {
			return Revision{}, err
		}
	}
	if err := writeAtomic(p, s.Content); err != nil {
		return Revision{}, err
	}
	restore := func() {
		var err error
		if existed {
			err = writeAtomic(p, old)
		} else {
			err = os.Remove(p)
		}
		if err != nil {
			w.log.Error("corpus writer: could not put a file back after a failed save", "path", p, "error", err)
		}
	}
	if s.Check != nil {
		if err := s.Check(ctx); err != nil {
			restore()
			return Revision{}, err
		}
	}
	var rev Revision
	if w.git != "" {
		rev, err = w.commit(ctx, s)
	} else {
		rev, err = w.storeAdd(s.Path, s.Content, Revision{Author: s.Author.Name, Email: s.Author.Email, When: time.Now().UTC(), Message: s.Message})
	}
	if err != nil {
		restore()
		if s.Check != nil {
			// The site was reloaded with the new text: load the old one again.
			if cerr := s.Check(ctx); cerr != nil {
				w.log.Error("corpus writer: reload after putting a file back", "error", cerr)
			}
		}
		return Revision{}, err
	}
	return rev, nil
}

// History lists the saves of a file, newest first.
func (w *Writer) History(ctx context.Context, rel string) ([]Revision, error) {
	if _, err := w.abs(rel); err != nil {
		return nil, err
	}
	return w.history(ctx, rel, 0)
}

func (w *Writer) history(ctx context.Context, rel string, limit int) ([]Revision, error) {
	if w.git != "" {
		return w.gitLog(ctx, rel, limit)
	}
	return w.storeList(rel, limit)
}

// At returns the content of a file as a revision of its history left it.
func (w *Writer) At(ctx context.Context, rel, id string) ([]byte, error) {
	if _, err := w.abs(rel); err != nil {
		return nil, err
	}
	if w.git != "" {
		return w.gitShow(ctx, rel, id)
	}
	return w.storeRead(rel, id)
}

// writeAtomic replaces the file at p by data: a reader sees the old file or the new one,
// never a part, and after a crash one of the two is on disk.
func writeAtomic(p string, data []byte) error {
	dir := filepath.Dir(p)
	f, err := os.CreateTemp(dir, "."+filepath.Base(p)+".*.tmp")
	if err != nil {
		return fmt.Errorf("corpus writer: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("corpus writer: write %s: %w", p, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("corpus writer: write %s: %w", p, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("corpus writer: write %s: %w", p, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename itself is durable once the folder is synced
		d.Close()
	}
	return nil
}
