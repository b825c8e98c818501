package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/net/html"

	"codenav/auth"
	"codenav/corpus"
	"codenav/corpus/writer"
	"codenav/legaltext"
	"codenav/legaltext/redline"
	"codenav/server"
)

// draftingSite serves a copy of the sample corpus (a git work tree when git is installed)
// with saving on and one drafter, as codenav serve --save-drafts --users does.
func draftingSite(t *testing.T) (url, dir string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "corpus")
	require.NoError(t, os.CopyFS(dir, os.DirFS("../corpus/sec")))
	if _, err := exec.LookPath("git"); err == nil {
		for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=setup", "-c", "user.email=s@x", "commit", "-q", "-m", "sample"}} {
			out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
			require.NoError(t, err, string(out))
		}
	}
	ctx := context.Background()
	w, err := writer.New(ctx, dir, writer.Options{Store: filepath.Join(t.TempDir(), "drafts"), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse battery"), bcrypt.MinCost)
	require.NoError(t, err)
	users, err := auth.NewUsers([]auth.User{{User: "dora", Hash: string(hash), Roles: []string{"drafter"}}})
	require.NoError(t, err)
	signer, err := auth.NewSigner(bytes.Repeat([]byte("k"), 32), time.Hour, 0, nil)
	require.NoError(t, err)
	var live *server.Live
	live, err = server.NewLive(ctx, slog.New(slog.DiscardHandler), func(ctx context.Context) (http.Handler, io.Closer, error) {
		code, err := corpus.Load(dir)
		if err != nil {
			return nil, nil, err
		}
		s, err := server.New(server.Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return browserToday },
			Auth: users, Signer: signer, Writer: w, Reload: func(ctx context.Context) error { return live.Reload(ctx) }})
		if err != nil {
			return nil, nil, err
		}
		return s.Handler(), nil, nil
	})
	require.NoError(t, err)
	ts := httptest.NewServer(live)
	t.Cleanup(ts.Close)
	return ts.URL, dir
}

// TestBrowserDrafting is issue 15's acceptance: as a drafter, open MP107, see its text (not
// the base), rebase it and meet the H13.1 conflict inline, take "mine", save, reopen (the
// saved text and its history), and download the Word redline, which pandoc reads as the
// draft with every change accepted and as the base with every change rejected, tables as
// tables.
func TestBrowserDrafting(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	execPath := findChromium()
	if execPath == "" {
		t.Skip("browser test skipped: no Chromium found (install the Debian package chromium)")
	}
	gin.SetMode(gin.TestMode)
	base, dir := draftingSite(t)
	ctx := newBrowser(t, execPath)

	open(t, ctx, base+"/login?next=/modifications/MP107")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#user`), "dora"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "correct horse battery")))
	clickAndWait(t, ctx, `form.login button[type=submit]`, "/modifications/MP107")

	// The modification page's drafting link opens MP107's own text.
	clickAndWait(t, ctx, `a[href="/draft?doc=section-h&mod=MP107"]`, "/draft?doc=section-h&mod=MP107")
	text := eval[string](t, ctx, `document.getElementById('d-text').value`)
	assert.Contains(t, text, "monthly User performance reports", "the editor holds MP107's text, not the base")

	// Editor and redline side by side on a wide screen.
	type box struct{ Left, Right, Top, Bottom float64 }
	boxOf := func(id string) box {
		return eval[box](t, ctx, `(() => { const r = document.getElementById('`+id+`').getBoundingClientRect(); return {Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom}; })()`)
	}
	ed, pv := boxOf("d-text"), boxOf("preview-h")
	assert.GreaterOrEqual(t, pv.Left, ed.Right-1, "the redline is beside the editor: editor %+v, redline %+v", ed, pv)
	assert.Less(t, pv.Top, float64(viewportH), "the redline starts above the fold")

	// As you type, the redline and the problems list follow (no Preview press).
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#d-text`), "\n\n**H14.7** See Section H99.4.\n")))
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](
		`(() => { const n = document.querySelector('#preview #draft-notes'); return n && n.textContent.includes('H99.4') && document.querySelector('#preview ins') !== null; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the live preview shows the new clause and the dangling reference")

	// Rebase: the H13.1 conflict, inline, word by word; take mine; save.
	clickAndWait(t, ctx, `#rebase-link`, "/draft/rebase?mod=MP107&doc=section-h")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`fieldset.conflict[data-clause="H13.1"]`))))
	assert.Positive(t, eval[int](t, ctx, `document.querySelectorAll('fieldset.conflict[data-clause="H13.1"] .three-way ins').length`))
	sel := `fieldset.conflict[data-clause="H13.1"] input[value="mine"]`
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))))
	clickAndWait(t, ctx, `#rebase-save`, "")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#draft-notice`))))

	// Reopen: the saved text and its history.
	open(t, ctx, base+"/draft?mod=MP107&doc=section-h")
	saved := eval[string](t, ctx, `document.getElementById('d-text').value`)
	assert.Contains(t, saved, "monthly User performance reports")
	assert.Equal(t, "4.0", eval[string](t, ctx, `document.querySelector('input[name=base]').value`))
	hist := eval[string](t, ctx, `document.getElementById('draft-history').innerText`)
	assert.Contains(t, hist, "dora")
	assert.Contains(t, hist, "rebase onto version 4.0")
	onDisk, err := os.ReadFile(filepath.Join(dir, "modifications/MP107/legal-text/section-h.md"))
	require.NoError(t, err)
	_, body, _, _, _ := legaltext.FrontMatter(onDisk)
	// (A browser drops the newline that opens a textarea's content.)
	assert.True(t, strings.TrimLeft(string(body), "\n") == strings.TrimLeft(saved, "\n"), "the file holds the text saved")

	// On a phone, the redline comes under the editor.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)))
	open(t, ctx, base+"/draft?mod=MP107&doc=section-h")
	ed, pv = boxOf("d-text"), boxOf("preview-h")
	assert.GreaterOrEqual(t, pv.Top, ed.Bottom, "stacked on a phone: editor %+v, redline %+v", ed, pv)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(viewportW, viewportH)))

	// The Word redline, fetched as the download button would.
	type answer struct {
		Status int
		Body   string
	}
	a, err := chromedp.Run(ctx, chromedp.Evaluate[answer](`(async () => {
	  const d = new FormData(document.getElementById('draft')); d.set('action', 'docx');
	  const r = await fetch('/draft', {method: 'POST', body: new URLSearchParams(d), credentials: 'same-origin'});
	  const b = new Uint8Array(await r.arrayBuffer()); let s = ''; for (const x of b) s += String.fromCharCode(x);
	  return {Status: r.status, Body: btoa(s)}; })()`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, 200, a.Status)
	docx, err := base64.StdEncoding.DecodeString(a.Body)
	require.NoError(t, err)
	// Its page header says what it compares and who drafted it; its changes are by her.
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	require.NoError(t, err)
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		parts[f.Name] = string(data)
	}
	// Its body opens with the same statement, before the text; its changes are by her.
	about := aboutLines(parts["word/document.xml"])
	require.Len(t, about, 4, "the statement of what the redline compares, in its body")
	for i, want := range []string{"Section H: DCC Services", "version 4.0 (effective 2027-02-25)", "Modification MP107", "Drafted by dora"} {
		assert.Contains(t, parts["word/header1.xml"], want)
		assert.Contains(t, about[i], want)
	}
	assert.Contains(t, parts["word/document.xml"], `w:author="dora"`)
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not on PATH (install the Debian package pandoc): the Word file is not read back")
	}
	code, err := corpus.Load(dir)
	require.NoError(t, err)
	want := map[string]*legaltext.Doc{"accept": legaltext.Parse(body), "reject": code.Document("section-h").Version("4.0").Tree()}
	for side, doc := range want {
		// pandoc reads the statement apart (docx+styles marks its style), then the text: the
		// draft when every change is accepted, the base when every change is rejected.
		got, tables, gotAbout := pandocHTMLWords(t, pandoc, docx, side)
		assert.Equal(t, about, gotAbout, "pandoc --track-changes=%s: the statement", side)
		assert.Equal(t, strings.Fields(redline.CleanText(doc.Text())), got, "pandoc --track-changes=%s", side)
		assert.Positive(t, tables, "tables stay tables (%s)", side)
	}
}

// pandocHTMLWords reads a Word file through pandoc as HTML, with its changes accepted or
// rejected, and returns the words of its text (a table row read as its cells joined by " | ",
// as the Markdown reads), how many tables it holds, and apart from the text the lines of the
// statement of what it compares (the paragraphs in the style "Redline About").
func pandocHTMLWords(t *testing.T, pandoc string, docx []byte, side string) ([]string, int, []string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "r.docx")
	require.NoError(t, os.WriteFile(f, docx, 0o644))
	out, err := exec.Command(pandoc, "-f", "docx+styles", "-t", "html", "--track-changes="+side, f).Output()
	require.NoError(t, err, "pandoc")
	root, err := html.Parse(bytes.NewReader(out))
	require.NoError(t, err)
	var b strings.Builder
	tables := 0
	var about []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "data-custom-style" && a.Val == "Redline About" {
					about = append(about, strings.Join(strings.Fields(textOf(n)), " "))
					return
				}
			}
			switch n.Data {
			case "table":
				tables++
			case "td", "th":
				for p := n.PrevSibling; p != nil; p = p.PrevSibling {
					if p.Type == html.ElementNode {
						b.WriteString(" | ")
						break
					}
				}
			case "tr":
				if strings.TrimSpace(textOf(n)) == "" {
					return // pandoc keeps a row Word removes (inserted, then rejected) as empty cells
				}
			}
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			b.WriteByte(' ')
		}
	}
	walk(root)
	return strings.Fields(b.String()), tables, about
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// aboutLines are the lines of the statement that opens a Word redline's body (the paragraphs
// in the style RedlineAbout), in order.
func aboutLines(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<w:p><w:pPr><w:pStyle w:val="RedlineAbout"/></w:pPr><w:r>(?:<w:rPr><w:b/></w:rPr>)?<w:t xml:space="preserve">([^<]*)</w:t>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}
