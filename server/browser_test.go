package server_test

// A real browser test: a headless Chromium, driven by chromedp, walks the site the way a
// reader does. It is skipped under -short and when no Chromium is installed.
//
// To regenerate the README screenshot:
//
//	CODENAV_SCREENSHOT=docs/document-page.png go test ./server -run Browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/server"
)

const (
	viewportW = 1280
	viewportH = 900

	// Clauses of Section H 3.0 (corpus/sec/documents/section-h/3.0.md), the version in force
	// on browserToday.
	dccOnlyClause      = "H1.5"  // {parties="dcc"}
	supplierOnlyClause = "H1.7"  // {parties="large-supplier small-supplier"}
	allPartiesClause   = "H1.2"  // {parties="all"}
	inheritsDCCClause  = "H13.1" // no attribute of its own; part H13 is {parties="dcc"}
	inheritsPartClause = "H1.1"  // no attribute of its own; part H1 lists every category but DCC
)

// browserToday pins the date so that the test does not change when Section H 4.0
// (effective 2027-02-25) comes into force.
var browserToday = time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC)

// findChromium returns the path of a Chromium or Chrome binary, or "".
func findChromium() string {
	if st, err := os.Stat("/usr/bin/chromium"); err == nil && !st.IsDir() {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserSite serves the sample corpus and returns its base URL.
func browserSite(t *testing.T) string {
	t.Helper()
	code, err := corpus.Load("../corpus/sec")
	require.NoError(t, err, "load the sample corpus")
	srv, err := server.New(server.Config{
		Code:   code,
		Logger: slog.New(slog.DiscardHandler),
		Now:    func() time.Time { return browserToday },
	})
	require.NoError(t, err)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// newBrowser starts a headless Chromium with a fresh profile and returns a tab context
// that ends after 60 seconds.
func newBrowser(t *testing.T, execPath string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(viewportW, viewportH),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab) // runs before cancelAlloc: close the tab, then the browser
	require.NoError(t, chromedp.Do(tab, chromedp.EmulateViewport(viewportW, viewportH)), "start Chromium")
	return tab
}

// clickAndWait clicks the element sel matches and waits for the page it leads to, which
// must answer 200 at a path that ends with wantPath.
func clickAndWait(t *testing.T, ctx context.Context, sel string, wantPath string) {
	t.Helper()
	var resp *network.Response
	var err error
	// A node found just before the DOM is replaced (the page finishing its load) is gone by
	// the time of the click: find it again.
	for attempt := 0; attempt < 3; attempt++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))))
		resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
		if err == nil || !strings.Contains(err.Error(), "Could not find node") {
			break
		}
	}
	require.NoError(t, err, "click %s", sel)
	require.NotNil(t, resp, "click %s: no navigation", sel)
	assert.EqualValues(t, 200, resp.Status, "click %s: status of %s", sel, resp.URL)
	require.True(t, strings.HasSuffix(strings.SplitN(resp.URL, "#", 2)[0], wantPath),
		"click %s: landed on %s, want …%s", sel, resp.URL, wantPath)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("main#main"))))
}

// open navigates to url and checks the answer is 200.
func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	require.NoError(t, err, "open %s", url)
	require.NotNil(t, resp, "open %s: no response", url)
	require.EqualValues(t, 200, resp.Status, "open %s", url)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(t, err, "evaluate %s", js)
	return v
}

// naClauses lists the ids of the clauses the page marks as not applying, in page order.
func naClauses(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.clause.na'), e => e.id)`)
}

type rect struct {
	Top         float64 `json:"top"`
	Bottom      float64 `json:"bottom"`
	Height      float64 `json:"height"`
	InnerHeight float64 `json:"innerHeight"`
}

const rectJS = `(() => { const r = document.getElementById(%q).getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, height: r.height, innerHeight: window.innerHeight}; })()`

// inViewport waits (briefly: a fragment scroll may land just after load) until the top of
// the element with id is inside the viewport, and returns where it is.
func inViewport(t *testing.T, ctx context.Context, id string) rect {
	t.Helper()
	js := fmt.Sprintf(rectJS, id)
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](
		`(r => r.top >= 0 && r.top < r.innerHeight)(`+js+`)`,
		chromedp.WithPollingTimeout(5*time.Second)))
	r := eval[rect](t, ctx, js)
	if errors.Is(err, chromedp.ErrPollingTimeout) {
		t.Errorf("#%s is not in the viewport: top %.0f, viewport height %.0f", id, r.Top, r.InnerHeight)
	} else {
		require.NoError(t, err)
	}
	return r
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	execPath := findChromium()
	if execPath == "" {
		t.Skip("browser test skipped: no Chromium found (/usr/bin/chromium, or chromium, chromium-browser or google-chrome on PATH)")
	}
	gin.SetMode(gin.TestMode) // no route listing in the test output
	base := browserSite(t)
	ctx := newBrowser(t, execPath)
	docURL := base + "/docs/section-h"

	// Home page → Document Log → Section H.
	open(t, ctx, base+"/")
	title, err := chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err)
	assert.Contains(t, title, "codenav")

	const navLink = `header.site nav a[href="/docs"]`
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(navLink)))
	require.NoError(t, err)
	require.Equal(t, "Document Log", strings.TrimSpace(text))
	clickAndWait(t, ctx, navLink, "/docs")
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Document Log", strings.TrimSpace(h1))

	clickAndWait(t, ctx, `table.log a[href="/docs/section-h"]`, "/docs/section-h")
	title, err = chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err)
	assert.Contains(t, title, "DCC Services")
	h1, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Contains(t, h1, "DCC Services")
	assert.Contains(t, h1, "Section H")
	version := eval[string](t, ctx, `document.querySelector('article.text').dataset.version`)
	assert.Equal(t, "3.0", version, "the version in force on %s", browserToday.Format(time.DateOnly))

	// The permalink of clause H1.1, reached in two ways. The id has a dot, so a CSS id
	// selector must escape it (chromedp.ID("H1.1") would look for #H1 with class 1).
	permalink := []struct {
		name  string
		reach func(t *testing.T)
	}{
		{"click the clause number", func(t *testing.T) {
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a.num[href="#H1.1"]`))))
		}},
		{"open the permalink address", func(t *testing.T) {
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
			open(t, ctx, docURL+"#H1.1")
		}},
	}
	for _, tc := range permalink {
		t.Run("permalink/"+tc.name, func(t *testing.T) {
			tc.reach(t)
			require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#H1\.1`))))
			loc, err := chromedp.Run(ctx, chromedp.Location())
			require.NoError(t, err)
			assert.Equal(t, docURL+"#H1.1", loc)
			r := inViewport(t, ctx, "H1.1")
			assert.GreaterOrEqual(t, r.Top, 0.0)
			assert.Less(t, r.Top, r.InnerHeight)
			assert.Greater(t, r.Height, 0.0)
			// At 1280x900 H1.1 is in view even at the top of the page, so check also that the
			// browser scrolled to it: it sits near the top (scroll-margin-top is 1rem).
			assert.Positive(t, eval[float64](t, ctx, `window.scrollY`), "the page scrolled to H1.1")
			assert.Less(t, r.Top, 0.25*r.InnerHeight, "H1.1 is near the top of the viewport")
			assert.True(t, eval[bool](t, ctx, `document.getElementById("H1.1").matches(":target")`),
				"H1.1 is the :target of the page")
		})
	}

	// With no party category chosen, no clause is marked as not applying.
	before := naClauses(t, ctx)
	assert.Empty(t, before, "clauses marked .na with no party chosen")
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("party-status")))
	require.NoError(t, err)
	assert.Contains(t, status, "Choose a party category")
	total := eval[int](t, ctx, `document.querySelectorAll('.clause').length`)
	require.Positive(t, total)

	// Choose DCC in the header and apply.
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("party-select"), "dcc")))
	clickAndWait(t, ctx, `form.party button[type="submit"]`, "/docs/section-h")
	// The response has arrived, but the old page may still be in the DOM: wait for the new one.
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`#party-status strong`))))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, docURL, loc, "the party form goes back to the page it came from")
	selected, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("party-select")))
	require.NoError(t, err)
	assert.Equal(t, "dcc", selected, "the header select shows the chosen party")

	after := naClauses(t, ctx)
	t.Logf("%d of %d clauses of Section H 3.0 marked as not applying to DCC: %v", len(after), total, after)
	require.NotEmpty(t, after, "clauses marked .na with DCC chosen")
	assert.NotEqual(t, before, after, "choosing DCC changes the marked clauses")
	assert.Less(t, len(after), total, "some clauses apply to DCC")
	for _, c := range []struct {
		id   string
		want bool // marked as not applying
	}{
		{dccOnlyClause, false},
		{inheritsDCCClause, false},
		{allPartiesClause, false},
		{supplierOnlyClause, true},
		{inheritsPartClause, true},
	} {
		assert.Equal(t, c.want, slices.Contains(after, c.id), "clause %s marked .na", c.id)
	}
	label, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[id="`+supplierOnlyClause+`"] .na-label`)))
	require.NoError(t, err)
	assert.Contains(t, label, "DCC")

	status, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("party-status")))
	require.NoError(t, err)
	assert.Contains(t, status, "DCC")
	assert.Contains(t, status, "of "+strconv.Itoa(total)+" clauses apply")

	// The choice is kept in a cookie: the page opened again marks the same clauses.
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{docURL}})
	require.NoError(t, err)
	var party *network.Cookie
	for _, c := range cookies.Cookies {
		if c.Name == "party" {
			party = c
		}
	}
	require.NotNil(t, party, "party cookie")
	assert.Equal(t, "dcc", party.Value)
	assert.True(t, party.HTTPOnly, "party cookie is HttpOnly")

	open(t, ctx, base+"/")
	open(t, ctx, docURL)
	assert.Equal(t, after, naClauses(t, ctx), "the .na clauses after opening the page again")

	// The screenshot of the README: Section H with DCC chosen, H1 in view.
	screenshot(t, ctx)
}

func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	// At the top of the page when H1 is in view there (the header shows the chosen party);
	// otherwise scrolled to H1.
	r := eval[rect](t, ctx, fmt.Sprintf(rectJS, "H1"))
	if r.Top < 0 || r.Bottom > r.InnerHeight {
		require.NoError(t, chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.ID("H1"))))
	}
	inViewport(t, ctx, "H1")
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(png), "\x89PNG"), "a PNG")
	out := os.Getenv("CODENAV_SCREENSHOT")
	if out == "" {
		return
	}
	if !filepath.IsAbs(out) {
		// go test runs in the package folder; a relative path is relative to the module.
		out = filepath.Join("..", out)
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(out), 0o755))
	require.NoError(t, os.WriteFile(out, png, 0o644))
	t.Logf("wrote %s (%d bytes)", out, len(png))
}
