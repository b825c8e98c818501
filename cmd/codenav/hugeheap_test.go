//go:build linux

package main

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

func memStats() runtime.MemStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

func TestGrowHeapHuge(t *testing.T) {
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

	// A heap that holds n already is left as it is: no block allocated.
	if held := int(heapHeld()); held >= 4*hugePage {
		before := memStats().TotalAlloc
		growHeapHuge(held)
		assert.Less(t, memStats().TotalAlloc-before, uint64(1<<20))
	}

	// However large the input, no more than maxHugeHeap is asked for.
	before := memStats().TotalAlloc
	growHeapHuge(1 << 40)
	assert.LessOrEqual(t, memStats().TotalAlloc-before, uint64(maxHugeHeap+1<<20))
}
