package writer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// The drafts store keeps every save of a file as <store>/<path>/NNNNNN.md and NNNNNN.json.

func (w *Writer) storeDir(rel string) string {
	return filepath.Join(w.store, filepath.FromSlash(rel))
}

var storeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{6}$`) })

// storeIDs lists the saves of a file, oldest first.
func (w *Writer) storeIDs(rel string) ([]string, error) {
	entries, err := os.ReadDir(w.storeDir(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("corpus writer: drafts store: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok && storeRE().MatchString(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// storeFirst records the file as found in the corpus, before its first save.
func (w *Writer) storeFirst(rel string, content []byte) error {
	ids, err := w.storeIDs(rel)
	if err != nil || len(ids) > 0 {
		return err
	}
	_, err = w.storeAdd(rel, content, Revision{Author: "corpus", When: time.Now().UTC(), Message: "as found in the corpus before the first save"})
	return err
}

// storeAdd adds a save: the content first, then the record that makes it part of the history.
func (w *Writer) storeAdd(rel string, content []byte, r Revision) (Revision, error) {
	ids, err := w.storeIDs(rel)
	if err != nil {
		return Revision{}, err
	}
	n := 1
	if len(ids) > 0 {
		fmt.Sscanf(ids[len(ids)-1], "%d", &n)
		n++
	}
	dir := w.storeDir(rel)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Revision{}, fmt.Errorf("corpus writer: drafts store: %w", err)
	}
	r.ID = fmt.Sprintf("%06d", n)
	r.Hash = RevisionOf(content, true)
	meta, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return Revision{}, fmt.Errorf("corpus writer: drafts store: %w", err)
	}
	if err := writeAtomic(filepath.Join(dir, r.ID+".md"), content); err != nil {
		return Revision{}, err
	}
	if err := writeAtomic(filepath.Join(dir, r.ID+".json"), meta); err != nil {
		return Revision{}, err
	}
	return r, nil
}

func (w *Writer) storeList(rel string, limit int) ([]Revision, error) {
	ids, err := w.storeIDs(rel)
	if err != nil {
		return nil, err
	}
	var out []Revision
	for i := len(ids) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		data, err := os.ReadFile(filepath.Join(w.storeDir(rel), ids[i]+".json"))
		if err != nil {
			return nil, fmt.Errorf("corpus writer: drafts store: %w", err)
		}
		var r Revision
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("corpus writer: drafts store %s/%s.json: %w", rel, ids[i], err)
		}
		r.ID = ids[i]
		out = append(out, r)
	}
	return out, nil
}

func (w *Writer) storeRead(rel, id string) ([]byte, error) {
	if !storeRE().MatchString(id) {
		return nil, fmt.Errorf("corpus writer: %q is not a revision", id)
	}
	data, err := os.ReadFile(filepath.Join(w.storeDir(rel), id+".md"))
	if err != nil {
		return nil, fmt.Errorf("corpus writer: drafts store: %w", err)
	}
	return data, nil
}
