package filelock

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Holders of the lock on one file or folder never overlap.
func TestLockExcludes(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "x.lock"), dir} {
		var inside, most atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				unlock, err := Lock(path)
				require.NoError(t, err)
				n := inside.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				inside.Add(-1)
				unlock()
			})
		}
		wg.Wait()
		assert.Equal(t, int32(1), most.Load(), path)
	}
	_, err := Lock(filepath.Join(dir, "missing", "x.lock"))
	assert.Error(t, err)
}
