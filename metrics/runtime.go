package metrics

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// RegisterRuntime adds the Go runtime's and the process's own figures, under the names the
// Prometheus Go client uses (go_*, process_*), so that existing dashboards read them.
// They are read when scraped: runtime.ReadMemStats stops the world for well under a
// millisecond, which a scrape every few seconds does not notice; one reading serves every
// go_memstats figure of a scrape (it is kept for a second).
func RegisterRuntime(r *Registry) {
	start := float64(time.Now().UnixNano()) / 1e9
	var (
		mu   sync.Mutex
		last time.Time
		ms   runtime.MemStats
	)
	mem := func(pick func(*runtime.MemStats) float64) func(emit func(float64, ...string)) {
		return func(emit func(float64, ...string)) {
			mu.Lock()
			defer mu.Unlock()
			if time.Since(last) > time.Second {
				runtime.ReadMemStats(&ms)
				last = time.Now()
			}
			emit(pick(&ms))
		}
	}
	r.CollectFunc("go_goroutines", "Number of goroutines that currently exist.", false, nil,
		func(emit func(float64, ...string)) { emit(float64(runtime.NumGoroutine())) })
	r.CollectFunc("go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects (live and not yet swept).", false, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.HeapAlloc) }))
	r.CollectFunc("go_memstats_heap_inuse_bytes", "Bytes in in-use heap spans.", false, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.HeapInuse) }))
	r.CollectFunc("go_memstats_heap_objects", "Number of allocated heap objects.", false, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.HeapObjects) }))
	r.CollectFunc("go_memstats_sys_bytes", "Bytes of memory obtained from the OS by the Go runtime.", false, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.Sys) }))
	r.CollectFunc("go_memstats_next_gc_bytes", "Heap size at which the next garbage collection starts.", false, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.NextGC) }))
	r.CollectFunc("go_gc_cycles_total", "Completed garbage collection cycles.", true, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.NumGC) }))
	r.CollectFunc("go_gc_pause_seconds_total", "Total time the world was stopped for garbage collection.", true, nil,
		mem(func(m *runtime.MemStats) float64 { return float64(m.PauseTotalNs) / 1e9 }))
	r.CollectFunc("go_gomaxprocs", "GOMAXPROCS: how many threads run Go code at once.", false, nil,
		func(emit func(float64, ...string)) { emit(float64(runtime.GOMAXPROCS(0))) })
	r.CollectFunc("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", false, nil,
		func(emit func(float64, ...string)) { emit(start) })
	r.CollectFunc("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", true, nil,
		func(emit func(float64, ...string)) {
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				emit(float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9)
			}
		})
	r.CollectFunc("process_resident_memory_bytes", "Resident memory size, in bytes (Linux: /proc/self/statm).", false, nil,
		func(emit func(float64, ...string)) {
			if rss, ok := residentBytes(); ok {
				emit(rss)
			}
		})
}

// residentBytes reads the resident set size from /proc (Linux only; elsewhere there is none).
func residentBytes() (float64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(pages) * float64(os.Getpagesize()), true
}

// RegisterBuildInfo adds prefix_build_info, always 1, labelled with the module version, the
// VCS revision the binary was built from and the Go version (from runtime/debug).
func RegisterBuildInfo(r *Registry, prefix string) {
	version, revision, goVersion := "unknown", "unknown", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified {
			revision += "-modified"
		}
	}
	r.CollectFunc(prefix+"_build_info", "Always 1; the labels say which build is running.", false,
		[]string{"version", "revision", "goversion"},
		func(emit func(float64, ...string)) { emit(1, version, revision, goVersion) })
}
