package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/auth"
)

func userRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := userCmd(args, strings.NewReader(stdin), &out, &errOut)
	code := 0
	if err != nil {
		var ec exitCode
		require.ErrorAs(t, err, &ec)
		code = int(ec)
	}
	return code, out.String(), errOut.String()
}

// codenav user logout ends a user's sessions by writing sessions_after; a new password does too.
func TestUserLogout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	code, _, errOut := userRun(t, "a long passphrase\n", "add", "alice", "--users", path, "--party", "dcc")
	require.Equal(t, 0, code, errOut)
	u, err := auth.LoadUsers(path)
	require.NoError(t, err)
	id, _ := u.Lookup("alice")
	assert.True(t, id.SessionsAfter.IsZero())

	before := time.Now()
	code, out, _ := userRun(t, "", "logout", "alice", "--users", path)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "every session of alice")
	u, _ = auth.LoadUsers(path)
	id, _ = u.Lookup("alice")
	assert.False(t, id.SessionsAfter.Before(before), "sessions_after is now")

	code, _, errOut = userRun(t, "", "logout", "bob", "--users", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no user "bob"`)
	code, _, errOut = userRun(t, "", "logout", "--users", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "one user name")
	code, _, errOut = userRun(t, "", "remove", "alice")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "codenav user logout NAME")
}

func TestServeRefusesProxyFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--trusted-proxy-header", "X-Forwarded-For"},
		{"--trusted-proxies", "10.0.0.0/8"},
		{"--trusted-proxy-header", "X-Forwarded-For", "--trusted-proxies", "10.0.0.0/99"},
	} {
		code, _, errOut := runCmd(t, append([]string{"serve", "--corpus", sampleCorpus, "--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...)...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errOut, "codenav serve:", args)
	}
}

// End to end: a cookie saved before `codenav user logout` (run as another process would, on
// the shared users file) stops reading a green document within a couple of seconds, with no
// reload of the server.
func TestServeUserLogoutEndsSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server with a cost-12 users file: not under -short")
	}
	dir := t.TempDir()
	users := filepath.Join(dir, "users.yaml")
	code, _, errOut := userRun(t, "a long passphrase\n", "add", "alice", "--users", users, "--party", "large-supplier")
	require.Equal(t, 0, code, errOut)
	key := filepath.Join(dir, "session.key")
	require.NoError(t, os.WriteFile(key, []byte(strings.Repeat("k", 48)), 0o600))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, serr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--corpus", sampleCorpus, "--addr", addr, "--data", t.TempDir(), "--users", users,
			"--session-key", key, "--hsts", "8760h", "--secure-cookies=false"}, &out, &serr)
	}()
	defer func() {
		cancel()
		<-done
	}()
	base := "http://" + addr
	require.Eventually(t, func() bool {
		r, err := http.Get(base + "/healthz")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && r.StatusCode == 200
	}, 30*time.Second, 20*time.Millisecond, serr.String())

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	r, err := client.Get(base + "/login")
	require.NoError(t, err)
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	assert.Equal(t, "max-age=31536000", r.Header.Get("Strict-Transport-Security"))
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	require.NotNil(t, m)
	r, err = client.PostForm(base+"/login", url.Values{"user": {"alice"}, "password": {"a long passphrase"}, "csrf": {string(m[1])}})
	require.NoError(t, err)
	r.Body.Close()
	u, _ := url.Parse(base)
	var saved *http.Cookie
	for _, c := range jar.Cookies(u) {
		if c.Name == "codenav_session" {
			saved = c
		}
	}
	require.NotNil(t, saved, "signed in")
	status := func() int {
		req, _ := http.NewRequest(http.MethodGet, base+"/docs/panel-meeting-digest", nil)
		req.AddCookie(saved)
		r, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		r.Body.Close()
		return r.StatusCode
	}
	require.Equal(t, 200, status())
	time.Sleep(10 * time.Millisecond) // sessions_after is later than the sign-in
	code, _, errOut = userRun(t, "", "logout", "alice", "--users", users)
	require.Equal(t, 0, code, errOut)
	assert.Eventually(t, func() bool { return status() == 404 }, 5*time.Second, 50*time.Millisecond,
		fmt.Sprintf("the server reads the users file again within a second\n%s", serr.String()))
}
