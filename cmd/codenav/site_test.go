package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var recCorpus = filepath.Join("..", "..", "corpus", "testdata", "rec")

// serve with two --corpus folders serves both codes under their ids, the site's home and
// search at the root; SIGHUP reloads every code, and a broken one keeps the last good site.
func TestServeSiteAndReload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the index of two codes and reloads it (-short)")
	}
	root := t.TempDir()
	sec, rec := filepath.Join(root, "sec"), filepath.Join(root, "rec")
	copyDir(t, sampleCorpus, sec)
	copyDir(t, recCorpus, rec)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	data := t.TempDir()
	go func() {
		done <- run(ctx, []string{"serve", "--corpus", sec, "--corpus", rec, "--addr", addr, "--data", data}, &out, &errOut)
	}()
	base := "http://" + addr
	get := func(p string) (int, string) {
		r, err := http.Get(base + p)
		if err != nil {
			return 0, ""
		}
		defer r.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		return r.StatusCode, b.String()
	}
	require.Eventually(t, func() bool { c, _ := get("/readyz"); return c == 200 }, 60*time.Second, 50*time.Millisecond, errOut.String())
	for p, want := range map[string]string{"/": "Retail Energy Code", "/sec/docs/section-h": "H1.1", "/rec/docs/main-body": "M1.1",
		"/api/v1/search?q=meter&code=rec": `"code":"rec"`} {
		c, b := get(p)
		assert.Equal(t, 200, c, p)
		assert.Contains(t, b, want, p)
	}
	assert.Contains(t, out.String(), "serving 2 codes")
	marks, _ := filepath.Glob(filepath.Join(data, "site-checked-*"))
	assert.Len(t, marks, 1, "the references between the codes are checked once per state of their files")

	v := filepath.Join(rec, "documents", "main-body", "1.0.md")
	orig, err := os.ReadFile(v)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(v, append(append([]byte{}, orig...), []byte("\n**M2.3** Zebrafinch provision for the reload test.\n")...), 0o644))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { _, b := get("/rec/docs/main-body"); return strings.Contains(b, "Zebrafinch") }, 60*time.Second, 50*time.Millisecond)
	require.Eventually(t, func() bool {
		_, b := get("/api/v1/search?q=zebrafinch")
		return strings.Contains(b, `"clause":"M2.3"`)
	}, 60*time.Second, 50*time.Millisecond, "the site's index is rebuilt")

	require.NoError(t, os.WriteFile(v, []byte("---\nversion: [\n---\n"), 0o644))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return strings.Contains(errOut.String(), "reload failed") }, 60*time.Second, 50*time.Millisecond)
	c, b := get("/rec/docs/main-body")
	assert.Equal(t, 200, c)
	assert.Contains(t, b, "Zebrafinch", "the last good site keeps serving")
	cancel()
	assert.Equal(t, 0, <-done)
}

func TestServeSiteRefusesDraftsAndAlerts(t *testing.T) {
	code, _, errOut := runCmd(t, "serve", "--corpus", sampleCorpus, "--corpus", recCorpus, "--save-drafts", "--addr", "127.0.0.1:0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give one --corpus")
}

// validate with several codes checks each and the references between them.
func TestValidateSite(t *testing.T) {
	code, out, _ := runCmd(t, "validate", "--corpus", sampleCorpus, "--corpus", recCorpus)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "2 codes: ok")
	dir := filepath.Join(t.TempDir(), "rec")
	copyDir(t, recCorpus, dir)
	p := filepath.Join(dir, "documents", "main-body", "1.0.md")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), "H1.1 of the Smart", "H1.99 of the Smart", 1)), 0o644))
	code, _, _ = runCmd(t, "validate", "--corpus", dir)
	assert.Equal(t, 0, code, "alone, rec's references into sec are not checked")
	code, out, _ = runCmd(t, "validate", "--corpus", sampleCorpus, "--corpus", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, p+`:28: cross-reference "H1.99 of the Smart Energy Code": sec has no "H1.99"`)
}
