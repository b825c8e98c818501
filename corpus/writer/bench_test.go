package writer

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSave is one save of a 60 KB legal text: atomic write and history (a git commit,
// or the drafts store), without the site's reload.
func BenchmarkSave(b *testing.B) {
	ctx := context.Background()
	text := make([]byte, 60<<10)
	for i := range text {
		text[i] = 'a' + byte(i%26)
	}
	for name, w := range writers(b) {
		b.Run(name, func(b *testing.B) {
			rev := ""
			for i := 0; b.Loop(); i++ {
				content := append([]byte(fmt.Sprintf("save %d\n", i)), text...)
				r, err := w.Save(ctx, Save{Path: fmt.Sprintf("modifications/B%s/legal-text/x.md", name), Content: content, Expect: rev, Author: Author{Name: "bench"}})
				if err != nil {
					b.Fatal(err)
				}
				_ = r
				rev = RevisionOf(content, true)
			}
		})
	}
}
