//go:build linux

package main

import (
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func memStats() runtime.MemStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// TestGrowHeapHuge runs its checks in a process of their own: they read the whole heap's
// figures, which the package's other tests, running at the same time, would move.
func TestGrowHeapHuge(t *testing.T) {
	if os.Getenv("CODENAV_HUGEHEAP_CHILD") == "1" {
		growHeapHugeChecks(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestGrowHeapHuge$", "-test.count", "1")
	cmd.Env = append(os.Environ(), "CODENAV_HUGEHEAP_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

func growHeapHugeChecks(t *testing.T) {
	for _, n := range []int{0, 1 << 20, 4*hugePage - 1} {
		assert.Zero(t, testing.AllocsPerRun(3, func() { growHeapHuge(n) }), "below the threshold: %d", n)
	}

	// A heap smaller than n grows to n and keeps the block free for what comes next (the
	// heap of this test process, which other tests have used, is normally far below the cap).
	if n := int(heapHeld()) + 64<<20; n <= maxHugeHeap {
		growHeapHuge(n)
		assert.Less(t, memStats().HeapAlloc, uint64(n/2), "the block is not kept")
		assert.GreaterOrEqual(t, memStats().HeapSys, uint64(n), "the heap grew")
	}

	// A heap that holds n already is left as it is: no block allocated. (What the heap holds
	// is given: the runtime's scavenger gives memory back at any moment, so the real figure
	// cannot be pinned for a test.)
	before := memStats().TotalAlloc
	growHeapHugeWith(64<<20, func() uint64 { return 64 << 20 })
	assert.Less(t, memStats().TotalAlloc-before, uint64(1<<20))
	before = memStats().TotalAlloc
	growHeapHugeWith(64<<20, func() uint64 { return 64<<20 - 1 })
	assert.GreaterOrEqual(t, memStats().TotalAlloc-before, uint64(64<<20), "a heap holding less grows")

	// However large the input, no more than maxHugeHeap is asked for.
	before = memStats().TotalAlloc
	growHeapHuge(1 << 40)
	assert.LessOrEqual(t, memStats().TotalAlloc-before, uint64(maxHugeHeap+1<<20))
}
