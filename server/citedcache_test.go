package server

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"codenav/auth"
	"codenav/corpus"
)

// The "Cited by" lines are made once for readers who are not signed in: such a reader never
// sees a restricted framework's citations, whoever asked before, and a signed-in member's
// page is the same whether or not a reader who is not signed in asked first.
func TestCitedByAnonymousCacheKeepsViewsApart(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../corpus/sec")))
	yml := filepath.Join(dir, "documents", "agreed-interpretations", "document.yaml")
	data, err := os.ReadFile(yml)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(yml, bytes.Replace(data, []byte("classification: white"), []byte("classification: amber\ngroups: [ssc]"), 1), 0o644))
	code, err := corpus.Load(dir)
	require.NoError(t, err)
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	require.NoError(t, err)
	newServer := func() *Server {
		users, err := auth.NewUsers([]auth.User{{User: "ssc-member", Hash: string(h), Party: "small-supplier", Groups: []string{"ssc"}}})
		require.NoError(t, err)
		signer, err := auth.NewSigner([]byte(strings.Repeat("k", 32)), time.Hour, 30*time.Minute, func() time.Time { return fixedNow })
		require.NoError(t, err)
		s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow },
			Auth: users, Signer: signer})
		require.NoError(t, err)
		return s
	}
	csrf := regexp.MustCompile(`name="csrf" value="[^"]*"`)
	memberPage := func(s *Server) string {
		member, w := login(t, s, "ssc-member", testPassword)
		require.NotNil(t, member, w.Body.String())
		return csrf.ReplaceAllString(get(t, s, "/docs/section-g", member).Body.String(), "")
	}
	const restricted = "agreed-interpretations"
	const public = `<p class="cited-by">Cited by <a href="/docs/scf#SCF3.2"`

	fresh := memberPage(newServer())
	freshAnon := get(t, newServer(), "/docs/section-g").Body.String()
	s := newServer()
	for i := range 3 {
		// The second and third pages are made from the lines kept from the first.
		page := get(t, s, "/docs/section-g").Body.String()
		assert.NotContains(t, page, restricted, "request %d, not signed in", i)
		assert.Equal(t, freshAnon, page, "request %d, not signed in", i)
		assert.Equal(t, fresh, memberPage(s), "request %d, signed in", i)
	}
	assert.Contains(t, freshAnon, public)
	assert.Contains(t, fresh, public)
}
