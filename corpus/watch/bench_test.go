package watch

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLook is one look at the sample corpus: the stat fingerprint the watcher takes at
// every tick, against hashing every file's content (what it avoids), measured side by side.
func BenchmarkLook(b *testing.B) {
	const dir = "../sec"
	b.Run("stat", func(b *testing.B) {
		for b.Loop() {
			if _, err := Fingerprint(dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("content", func(b *testing.B) {
		for b.Loop() {
			h := sha256.New()
			err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(p)
				h.Write(data)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
