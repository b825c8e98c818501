package main

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the platforms Go runs Linux on most.
const hugePage = 2 << 20

// maxHugeHeap bounds what growHeapHuge allocates, whatever the size of the input.
const maxHugeHeap = 256 << 20

// growHeapHuge readies about n bytes of the Go heap for a short-lived process that is about
// to allocate them: it allocates them in one block, asks the kernel to back that address range
// with transparent huge pages (MADV_HUGEPAGE; the runtime itself leaves that to the system,
// whose default is often "madvise", i.e. never for the Go heap), and frees the block, so that
// the allocations that follow reuse the range. Touching fresh memory 4 KiB at a time costs a
// page fault each: on a virtual machine 10-15 µs, which made 40-60% of a large redline's time.
// Where the kernel has no transparent huge pages the call does nothing but the allocation. It
// does nothing for less than 8 MiB, or when the heap already holds n bytes (a process that has
// worked before, such as a test or a benchmark, reuses what it has). It readies at most
// maxHugeHeap.
func growHeapHuge(n int) { growHeapHugeWith(n, heapHeld) }

// growHeapHugeWith is growHeapHuge with what the heap holds read by held.
func growHeapHugeWith(n int, held func() uint64) {
	n = min(n, maxHugeHeap)
	if n < 4*hugePage || held() >= uint64(n) {
		return
	}
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (p+hugePage-1)&^(hugePage-1) - p
	end := (p+uintptr(n))&^(hugePage-1) - p
	if beg < end {
		// Best effort: an error (no THP in this kernel) leaves ordinary pages.
		_ = syscall.Madvise(b[beg:end], syscall.MADV_HUGEPAGE)
	}
	runtime.KeepAlive(b)
	b = nil
	runtime.GC()
}

// heapHeld is the memory the heap holds from the system and has not returned: in objects,
// in spans' unused space, and free. (runtime.ReadMemStats rather than runtime/metrics, whose
// package initialisation costs every start of the binary a millisecond.)
func heapHeld() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapSys - m.HeapReleased
}
