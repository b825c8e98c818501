package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/corpus/watch"
)

// Two servers on one corpus folder, as two replicas: a save through the one that writes is
// served by the other, which only watches the folder, without a signal.
func TestReplicaSeesSave(t *testing.T) {
	site := newDraftSite(t)
	var replica *Live
	build := func(ctx context.Context) (http.Handler, io.Closer, error) {
		code, err := corpus.Load(site.dir)
		if err != nil {
			return nil, nil, err
		}
		s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow }, OpenDrafting: true})
		if err != nil {
			return nil, nil, err
		}
		return s.Handler(), nil, nil
	}
	w := watch.New(site.dir, func(ctx context.Context) error { return replica.Reload(ctx) }, slog.New(slog.DiscardHandler))
	var err error
	replica, err = NewLive(context.Background(), slog.New(slog.DiscardHandler), build)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx, 20*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	other := &draftSite{h: replica, dir: site.dir}

	const words = "Lapwing reports shall be published quarterly."
	// The modification's page shows its legal text as the site loaded it.
	read := func(s *draftSite, c *http.Cookie) string {
		return s.do(t, "GET", "/modifications/MP107", nil, c).Body.String()
	}
	require.Contains(t, read(other, nil), "monthly User performance reports", "the replica shows MP107's text")
	require.NotContains(t, read(other, nil), "Lapwing")

	drafter := site.login(t, "drafter")
	page := site.do(t, "GET", "/draft?mod=MP107&doc=section-h", nil, drafter).Body.String()
	text := html2text(field(t, textareaRE, page))
	form := url.Values{"mod": {"MP107"}, "doc": {"section-h"}, "base": {field(t, regexp.MustCompile(`name="base" value="([^"]+)"`), page)},
		"rev": {field(t, revRE, page)}, "csrf": {field(t, csrfRE, page)}, "text": {text + "\n**H99.1** " + words + "\n"},
		"message": {"lapwing"}, "action": {"save"}}
	r := site.do(t, "POST", "/draft", form, drafter)
	require.Equal(t, http.StatusSeeOther, r.Code, r.Body.String())
	saved, err := os.ReadFile(filepath.Join(site.dir, "modifications/MP107/legal-text/section-h.md"))
	require.NoError(t, err)
	require.Contains(t, string(saved), words)

	assert.Contains(t, read(site, nil), "Lapwing", "the replica that saved serves it at once")
	assert.Eventually(t, func() bool { return strings.Contains(read(other, nil), "Lapwing") }, 30*time.Second, 10*time.Millisecond,
		"the other replica serves the save without a signal")
}

// html2text undoes the escaping of a textarea's content.
func html2text(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#39;", "'").Replace(s)
}
