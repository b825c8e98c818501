//go:build linux

package main

import (
	"runtime/metrics"
	"testing"

	"github.com/stretchr/testify/assert"
)

func heapMetric(t *testing.T, name string) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func TestGrowHeapHuge(t *testing.T) {
	for _, n := range []int{0, 1 << 20, 4*hugePage - 1} {
		assert.Zero(t, testing.AllocsPerRun(3, func() { growHeapHuge(n) }), "below the threshold: %d", n)
	}

	// A heap smaller than n grows to n and keeps the block free for what comes next (the
	// heap of this test process, which other tests have used, is normally far below the cap).
	if n := int(heapHeld()) + 64<<20; n <= maxHugeHeap {
		growHeapHuge(n)
		assert.Less(t, heapMetric(t, "/memory/classes/heap/objects:bytes"), uint64(n/2), "the block is not kept")
		assert.GreaterOrEqual(t, heapHeld()+heapMetric(t, "/memory/classes/heap/released:bytes"), uint64(n), "the heap grew")
	}

	// A heap that holds n already is left as it is: no block allocated.
	if held := int(heapHeld()); held >= 4*hugePage {
		before := heapMetric(t, "/gc/heap/allocs:bytes")
		growHeapHuge(held)
		assert.Less(t, heapMetric(t, "/gc/heap/allocs:bytes")-before, uint64(1<<20))
	}

	// However large the input, no more than maxHugeHeap is asked for.
	before := heapMetric(t, "/gc/heap/allocs:bytes")
	growHeapHuge(1 << 40)
	assert.LessOrEqual(t, heapMetric(t, "/gc/heap/allocs:bytes")-before, uint64(maxHugeHeap+1<<20))
}
