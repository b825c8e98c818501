// Command bombs sends the costly requests of issue 13 to a running codenav server and
// reports, for each, the status, the wall time and the server's CPU time and peak memory
// (read from /proc of the server's process); then it sends eight at once and times a normal
// page and search while they run.
//
//	go run ./bench/bombs -addr 127.0.0.1:18081 -pid $(pgrep -f 'codenav serve')
//
// bench/bombs.sh starts a server and runs it.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

type bomb struct {
	name   string
	method string
	path   string
	body   []byte
	ctype  string
}

func redlineBomb(name, old, new string) bomb {
	b, _ := json.Marshal(map[string]string{"old": old, "new": new})
	return bomb{name: name, method: http.MethodPost, path: "/api/v1/redline", body: b, ctype: "application/json"}
}

func searchBomb(name, q string) bomb {
	return bomb{name: name, method: http.MethodGet, path: "/api/v1/search?q=" + url.QueryEscape(q)}
}

func bombs() []bomb {
	rep := strings.Repeat
	// The largest texts the limits let through, of the shapes that cost the most per byte.
	var words strings.Builder
	for i := 0; words.Len() < 1<<20; i++ {
		fmt.Fprintf(&words, "w%d ", i)
	}
	nested := rep(rep("- ", 6)+"x\n", 45000)
	return []bomb{
		redlineBomb(`"- " x80k`, rep("- ", 80000), rep("- ", 80000)+"y"),
		redlineBomb(`">" x160k`, rep(">", 160000), rep(">", 160000)+"y"),
		redlineBomb(`"[a](" x40k`, rep("[a](", 40000), rep("[a](", 40000)+"y"),
		redlineBomb(`"x\n" x400k`, rep("x\n", 400000), rep("x\n", 400000)+"y"),
		redlineBomb(`2.9 MB of changed words`, rep("a b ", 360000), rep("c d ", 360000)),
		redlineBomb(`accepted: 45k lines nested 6 deep`, nested, nested+"y"),
		redlineBomb(`accepted: 1 MB of distinct words, all changed`, words.String(), strings.ReplaceAll(words.String(), "w", "v")),
		searchBomb(`search "a*" x500`, rep("a*", 500)),
		searchBomb(`search "*a" x500`, rep("*a", 500)),
		searchBomb(`search /.*a.{100}/`, "/.*a.{100}/"),
	}
}

// proc reads the CPU time (user+system) and the peak resident memory of a process.
func proc(pid int) (cpu time.Duration, peakKB int) {
	if pid == 0 {
		return 0, 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err == nil {
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
		ut, _ := strconv.Atoi(f[11])
		st, _ := strconv.Atoi(f[12])
		cpu = time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				peakKB, _ = strconv.Atoi(strings.Fields(l)[1])
			}
		}
	}
	return cpu, peakKB
}

func send(client *http.Client, base string, b bomb) (int, int, time.Duration, string) {
	var body io.Reader
	if b.body != nil {
		body = bytes.NewReader(b.body)
	}
	req, _ := http.NewRequest(b.method, base+b.path, body)
	if b.ctype != "" {
		req.Header.Set("Content-Type", b.ctype)
	}
	t := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, time.Since(t), err.Error()
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	msg := ""
	if resp.StatusCode >= 400 {
		msg = string(out)
		if len(msg) > 110 {
			msg = msg[:110] + "..."
		}
	}
	return resp.StatusCode, len(out), time.Since(t), strings.TrimSpace(msg)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "server address")
	pid := flag.Int("pid", 0, "the server's process id, for its CPU time and peak memory")
	flag.Parse()
	base := "http://" + *addr
	client := &http.Client{Timeout: 120 * time.Second}
	fmt.Println("| request | status | response bytes | wall | server CPU | server peak RSS | answer |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, b := range bombs() {
		cpu0, _ := proc(*pid)
		status, n, wall, msg := send(client, base, b)
		cpu1, peak := proc(*pid)
		fmt.Printf("| %s | %d | %d | %.2f s | %.2f s | %d MB | %s |\n", b.name, status, n, wall.Seconds(), (cpu1 - cpu0).Seconds(), peak>>10, msg)
	}

	// Eight costly requests at once (the accepted shapes, and pattern searches), and a page
	// and a search from another reader meanwhile.
	all := bombs()
	heavy := []bomb{all[5], all[6], all[5], all[6], all[7], all[8], all[9], all[5]}
	var wg sync.WaitGroup
	results := make([]string, len(heavy))
	cpu0, _ := proc(*pid)
	t0 := time.Now()
	for i, b := range heavy {
		wg.Go(func() {
			status, _, wall, _ := send(client, base, b)
			results[i] = fmt.Sprintf("%s: %d in %.2f s", b.name, status, wall.Seconds())
		})
	}
	time.Sleep(200 * time.Millisecond)
	for _, p := range []string{"/docs/section-h", "/api/v1/search?q=party+shall", "/docs/section-g?party=dcc", "/search?q=consent"} {
		status, _, wall, _ := send(client, base, bomb{method: http.MethodGet, path: p})
		fmt.Printf("while 8 run: GET %s: %d in %.3f s\n", p, status, wall.Seconds())
	}
	wg.Wait()
	cpu1, peak := proc(*pid)
	for _, r := range results {
		fmt.Println("  ", r)
	}
	fmt.Printf("eight at once: %.2f s wall, %.2f s server CPU, server peak RSS %d MB\n", time.Since(t0).Seconds(), (cpu1 - cpu0).Seconds(), peak>>10)
}
