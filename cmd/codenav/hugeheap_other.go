//go:build !linux

package main

// growHeapHuge does nothing where there is no madvise(MADV_HUGEPAGE); see hugeheap_linux.go.
func growHeapHuge(int) {}
