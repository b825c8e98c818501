package server_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/index"
	"codenav/server"
)

// browserSiteWithIndex serves the sample corpus with its search index (built in a temporary
// folder) and returns its base URL.
func browserSiteWithIndex(t *testing.T) string {
	t.Helper()
	code, err := corpus.Load("../corpus/sec")
	require.NoError(t, err, "load the sample corpus")
	quiet := slog.New(slog.DiscardHandler)
	idx, err := index.Open(context.Background(), t.TempDir(), code, index.Options{Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(func() { idx.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.NoError(t, idx.Wait(ctx), "build the search index")
	srv, err := server.New(server.Config{Code: code, Logger: quiet, Index: idx,
		Now: func() time.Time { return browserToday }})
	require.NoError(t, err)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestBrowserSmallSupplier is issue 14's "done when", walked in Chromium as a small supplier:
// home → choose Small Supplier → the dashboard lists its duties with counts by kind → a
// search for "consent" is filtered by the choice and each facet count is what its link
// gives → Section H shows the coming version 4.0 and the open modifications.
func TestBrowserSmallSupplier(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	execPath := findChromium()
	if execPath == "" {
		t.Skip("browser test skipped: no Chromium found (/usr/bin/chromium, or chromium, chromium-browser or google-chrome on PATH)")
	}
	gin.SetMode(gin.TestMode)
	base := browserSiteWithIndex(t)
	ctx := newBrowser(t, execPath)

	// Home → Small Supplier Party → its dashboard.
	open(t, ctx, base+"/")
	clickAndWait(t, ctx, `ul.parties a[href*="party=small-supplier"]`, "/party/small-supplier")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(chromedp.ID("duty-total"))))
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Small Supplier Party", strings.TrimSpace(h1))
	total := eval[int](t, ctx, `parseInt(document.getElementById("duty-total").textContent, 10)`)
	require.Positive(t, total, "the dashboard lists duties")
	kinds := eval[map[string]int](t, ctx, `Object.fromEntries(Array.from(
		document.querySelectorAll('.dashboard-duties .kind-counts li'),
		li => [li.dataset.kind, parseInt(li.querySelector('.n').textContent, 10)]))`)
	t.Logf("Small Supplier Party: %d duties by kind %v", total, kinds)
	require.Contains(t, kinds, "obligation")
	require.Contains(t, kinds, "prohibition")
	require.Contains(t, kinds, "permission")
	sum := 0
	for _, n := range kinds {
		sum += n
	}
	assert.Equal(t, total, sum, "the counts by kind add up to the duties")
	assert.Positive(t, kinds["obligation"])
	assert.True(t, eval[bool](t, ctx, `document.querySelectorAll('table.log tbody tr').length > 0`), "duties by document")
	chip, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("party-chip")))
	require.NoError(t, err)
	assert.Contains(t, chip, "Small Supplier Party", "the party is shown in the header")

	// Search "consent" from the header: filtered by the choice.
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("q"), "consent")))
	clickAndWait(t, ctx, `form.search button[type="submit"]`, "/search?q=consent")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(chromedp.ID("total"))))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("results-h")))
	require.NoError(t, err)
	assert.Contains(t, heading, "that apply to Small Supplier Party", "the search follows the party chosen")
	filtered := eval[int](t, ctx, `parseInt(document.getElementById("total").textContent, 10)`)
	require.Positive(t, filtered)
	// Each facet link leads to as many clauses as its count says.
	type facet struct {
		Label string `json:"label"`
		URL   string `json:"url"`
		Count int    `json:"count"`
	}
	facets := eval[[]facet](t, ctx, `Array.from(document.querySelectorAll('aside.facets li'), li => ({
		label: li.querySelector('a').textContent, url: li.querySelector('a').href,
		count: parseInt(li.querySelector('.count').textContent, 10)}))`)
	require.NotEmpty(t, facets)
	assert.True(t, eval[bool](t, ctx, `!!document.getElementById("facet-all")`), "the clauses for all parties are counted on the page")
	for _, f := range facets {
		open(t, ctx, f.URL)
		got := eval[int](t, ctx, `parseInt(document.getElementById("total").textContent, 10)`)
		assert.Equal(t, f.Count, got, "facet %q says %d, its link gives %d", f.Label, f.Count, got)
	}
	// Without the party (party=, as the "Any party category" link does), more clauses.
	open(t, ctx, base+"/search?q=consent&party=")
	all := eval[int](t, ctx, `parseInt(document.getElementById("total").textContent, 10)`)
	assert.Greater(t, all, filtered, "the cookie narrowed the search: %d of %d", filtered, all)

	// Section H: the coming 4.0 and the open modifications.
	open(t, ctx, base+"/docs/section-h")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("section.coming"))))
	box, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("section.coming")))
	require.NoError(t, err)
	assert.Contains(t, box, "4.0")
	assert.Contains(t, box, "2027-02-25")
	mods := eval[[]string](t, ctx, `Array.from(new Set(Array.from(
		document.querySelectorAll('section.coming a[href^="/modifications/"]'),
		a => a.getAttribute('href').split('#')[0].slice('/modifications/'.length))))`)
	t.Logf("coming changes of Section H: %d modifications %v", len(mods), mods)
	assert.Contains(t, mods, "MP107", "an open modification with legal text")
	assert.True(t, eval[bool](t, ctx, `!!document.querySelector('section.coming a[href="/docs/section-h/compare?from=3.0&to=4.0"]')`),
		"a link to the redline of 3.0 to 4.0")
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("party-status")))
	require.NoError(t, err)
	assert.Contains(t, status, "Small Supplier Party", "the document page follows the party chosen")

	// The × removes the choice.
	clickAndWait(t, ctx, `#party-chip a.remove`, "/docs/section-h")
	assert.False(t, eval[bool](t, ctx, `!!document.getElementById("party-chip")`), "no party chosen any more")
}
