package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"codenav/auth"
	"codenav/corpus"
	"codenav/corpus/writer"
	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// draftSite is the sample corpus copied into a temporary folder (a git work tree when git is
// installed), served by a Live site whose saves reload it, with one user per role.
type draftSite struct {
	h   http.Handler
	dir string
	git bool
}

func newDraftSite(t *testing.T) *draftSite {
	t.Helper()
	gin.SetMode(gin.TestMode)
	dir := filepath.Join(t.TempDir(), "corpus")
	require.NoError(t, os.CopyFS(dir, os.DirFS("../corpus/sec")))
	ctx := context.Background()
	_, err := exec.LookPath("git")
	hasGit := err == nil
	if hasGit {
		for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=setup", "-c", "user.email=s@x", "commit", "-q", "-m", "sample"}} {
			out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
			require.NoError(t, err, string(out))
		}
	} else {
		t.Log("git is not installed: saves go to the drafts store")
	}
	w, err := writer.New(ctx, dir, writer.Options{Store: filepath.Join(t.TempDir(), "drafts"), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	require.NoError(t, err)
	users, err := auth.NewUsers([]auth.User{
		{User: "member", Hash: string(h), Party: "large-supplier"},
		{User: "drafter", Hash: string(h), Roles: []string{"drafter"}},
		{User: "alice", Hash: string(h), Roles: []string{"drafter"}},
	})
	require.NoError(t, err)
	signer, err := auth.NewSigner([]byte(strings.Repeat("k", 32)), time.Hour, 0, func() time.Time { return fixedNow })
	require.NoError(t, err)
	var live *Live
	build := func(ctx context.Context) (http.Handler, io.Closer, error) {
		code, err := corpus.Load(dir)
		if err != nil {
			return nil, nil, err
		}
		s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow },
			Auth: users, Signer: signer, Writer: w, Reload: func(ctx context.Context) error { return live.Reload(ctx) }})
		if err != nil {
			return nil, nil, err
		}
		return s.Handler(), nil, nil
	}
	live, err = NewLive(ctx, slog.New(slog.DiscardHandler), build)
	require.NoError(t, err)
	return &draftSite{h: live, dir: dir, git: hasGit}
}

func (d *draftSite) do(t *testing.T, method, target string, form url.Values, c *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.RemoteAddr = "192.0.2.9:1234"
	if c != nil {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	d.h.ServeHTTP(w, req)
	return w
}

func (d *draftSite) login(t *testing.T, user string) *http.Cookie {
	t.Helper()
	w := d.do(t, "GET", "/login", nil, nil)
	m := csrfRE.FindStringSubmatch(w.Body.String())
	require.NotNil(t, m)
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"user": {user}, "password": {testPassword}, "csrf": {m[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range w.Result().Cookies() {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	d.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign-in of %s failed: %d %s", user, rec.Code, rec.Body.String())
	return nil
}

var (
	revRE      = regexp.MustCompile(`name="rev" value="([0-9a-f]*)"`)
	textareaRE = regexp.MustCompile(`(?s)<textarea id="d-text" name="text"[^>]*>(.*?)</textarea>`)
)

// field reads a value of the page's form.
func field(t *testing.T, re *regexp.Regexp, page string) string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	require.NotNil(t, m, "%s not in the page", re)
	return m[1]
}

func TestSavedDraftFlow(t *testing.T) {
	site := newDraftSite(t)
	drafter := site.login(t, "drafter")

	// The modification's own text opens, drafted against its base, with a rebase link.
	w := site.do(t, "GET", "/draft?mod=MP107&doc=section-h&base=3.0", nil, drafter)
	require.Equal(t, 200, w.Code, w.Body.String())
	page := w.Body.String()
	assert.Contains(t, page, "monthly User performance reports", "MP107's text, not the base")
	assert.Contains(t, page, `name="base" value="3.0"`)
	assert.Contains(t, page, `href="/draft/rebase?mod=MP107&amp;doc=section-h"`)
	rev0 := field(t, revRE, page)
	require.NotEmpty(t, rev0)
	csrf := field(t, csrfRE, page)

	// The rebase shows the H13.1 conflict inline, word by word.
	w = site.do(t, "GET", "/draft/rebase?mod=MP107&doc=section-h", nil, drafter)
	require.Equal(t, 200, w.Code, w.Body.String())
	page = w.Body.String()
	assert.Contains(t, page, `data-clause="H13.1"`)
	assert.Contains(t, page, `<ins>`)
	assert.Contains(t, page, `value="mine"`)

	// Take mine and save.
	form := url.Values{"mod": {"MP107"}, "doc": {"section-h"}, "onto": {"4.0"}, "rev": {rev0}, "csrf": {csrf},
		"choice-0": {"mine"}, "action": {"save"}}
	w = site.do(t, "POST", "/draft/rebase", form, drafter)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	loc := w.Header().Get("Location")
	assert.True(t, strings.HasPrefix(loc, "/draft?doc=section-h&mod=MP107&saved="), loc)

	// Reopen: the saved text, now against 4.0, and its history.
	w = site.do(t, "GET", loc, nil, drafter)
	require.Equal(t, 200, w.Code)
	page = w.Body.String()
	assert.Contains(t, page, `name="base" value="4.0"`)
	assert.Contains(t, page, "monthly User performance reports")
	assert.Contains(t, page, `id="draft-history"`)
	assert.Contains(t, page, "rebase onto version 4.0")
	assert.NotContains(t, page, `id="rebase-link"`, "now drafted against the latest")
	rev1 := field(t, revRE, page)
	assert.NotEqual(t, rev0, rev1)
	text := field(t, textareaRE, page)

	// The site serves it: the modification page reads the new base.
	w = site.do(t, "GET", "/modifications/MP107", nil, nil)
	assert.Contains(t, w.Body.String(), "Drafted against version 4.0")
	saved, err := os.ReadFile(filepath.Join(site.dir, "modifications/MP107/legal-text/section-h.md"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(saved), "---\nbase: \"4.0\"\ntitle: \"MP107 draft legal text"), string(saved[:80]))
	if site.git {
		out, err := exec.Command("git", "-C", site.dir, "log", "-1", "--format=%an|%s").Output()
		require.NoError(t, err)
		assert.Equal(t, "drafter|MP107: rebase onto version 4.0\n", string(out))
	}

	// Alice opened the draft before; the drafter saves again; Alice's save is a conflict.
	alice := site.login(t, "alice")
	aliceCSRF := field(t, csrfRE, site.do(t, "GET", "/draft?mod=MP107&doc=section-h", nil, alice).Body.String())
	edit := func(s string) string { return strings.Replace(s, "further report", "further monthly report", 1) }
	body := strings.ReplaceAll(text, "&#34;", `"`)
	body = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#39;", "'").Replace(body)
	require.NotEqual(t, body, edit(body))
	save := func(c *http.Cookie, csrf, rev, text, msg string) *httptest.ResponseRecorder {
		return site.do(t, "POST", "/draft", url.Values{"mod": {"MP107"}, "doc": {"section-h"}, "base": {"4.0"}, "rev": {rev},
			"csrf": {csrf}, "text": {text}, "message": {msg}, "action": {"save"}}, c)
	}
	w = save(drafter, csrf, rev1, edit(body), "monthly report")
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	w = save(alice, aliceCSRF, rev1, strings.Replace(body, "further report", "second report", 1), "alice's words")
	require.Equal(t, http.StatusConflict, w.Code)
	assert.Contains(t, w.Body.String(), "Not saved")
	assert.Contains(t, w.Body.String(), "drafter")
	assert.Contains(t, w.Body.String(), "second report", "alice's text stays in the editor")
	now, _ := os.ReadFile(filepath.Join(site.dir, "modifications/MP107/legal-text/section-h.md"))
	assert.Contains(t, string(now), "further monthly report", "no silent overwrite")
	over := field(t, regexp.MustCompile(`name="over" value="([0-9a-f]+)"`), w.Body.String())
	assert.Equal(t, writer.RevisionOf(now, true), over, "the conflict names the revision saved")

	// Having seen it, Alice saves over it deliberately: checked against the revision shown.
	aliceText := strings.Replace(body, "further report", "second report", 1)
	overForm := url.Values{"mod": {"MP107"}, "doc": {"section-h"}, "base": {"4.0"}, "rev": {rev1}, "over": {rev1},
		"csrf": {aliceCSRF}, "text": {aliceText}, "message": {"over"}, "action": {"save-over"}}
	w = site.do(t, "POST", "/draft", overForm, alice)
	assert.Equal(t, http.StatusConflict, w.Code, "save-over checks the revision the conflict showed, not any")
	overForm.Set("over", over)
	w = site.do(t, "POST", "/draft", overForm, alice)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	now, _ = os.ReadFile(filepath.Join(site.dir, "modifications/MP107/legal-text/section-h.md"))
	assert.Contains(t, string(now), "second report")

	// The history: the two saves, newest first (in git, then the commit that brought the
	// file into the corpus); compare the two saves.
	w = site.do(t, "GET", "/draft?mod=MP107&doc=section-h", nil, drafter)
	page = w.Body.String()
	ids := regexp.MustCompile(`from=base&amp;to=([0-9a-f]+)"`).FindAllStringSubmatch(page, -1)
	require.Len(t, ids, 4, "three saves and the file as it was")
	w = site.do(t, "GET", "/draft/compare?mod=MP107&doc=section-h&from="+ids[2][1]+"&to="+ids[1][1], nil, drafter)
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `</span> monthly<span class="rl-sr">]</span></ins> report`)
	w = site.do(t, "GET", "/draft/compare?mod=MP107&doc=section-h&from=base&to="+ids[0][1]+"&format=docx", nil, drafter)
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Header().Get("Content-Disposition"), "MP107-section-h")
	// The Word file opens with what it compares: the base and its date, the save, who saved
	// it and when, the modification, and who made the file; its changes are by the drafter.
	docBody := assertDOCX(t, w.Body.Bytes())
	about := aboutLines(docBody)
	require.Len(t, about, 4)
	assert.Equal(t, "Section H: DCC Services", about[0])
	assert.Regexp(t, `^Compares version [0-9.]+ \(effective [0-9-]+\) with save [0-9a-f]+, saved by [a-z]+ on [0-9-]+ [0-9:]+ UTC: accept`, about[1])
	assert.Regexp(t, `^Modification MP107: .+`, about[2])
	assert.Equal(t, "Redline made by drafter, "+fixedNow.UTC().Format("2006-01-02 15:04 UTC"), about[3])
	assert.Contains(t, docBody, `w:author="drafter"`)
}

func TestSaveRefused(t *testing.T) {
	site := newDraftSite(t)
	drafter := site.login(t, "drafter")
	member := site.login(t, "member")
	page := site.do(t, "GET", "/draft?mod=MP107&doc=section-h", nil, drafter).Body.String()
	rev, csrf := field(t, revRE, page), field(t, csrfRE, page)
	file := filepath.Join(site.dir, "modifications/MP107/legal-text/section-h.md")
	before, _ := os.ReadFile(file)
	base := "**H1.1** A clause.\n"
	for name, tc := range map[string]struct {
		c      *http.Cookie
		form   url.Values
		status int
		says   string
	}{
		"anonymous":       {nil, url.Values{"csrf": {csrf}}, 401, "sign-in"},
		"not a drafter":   {member, url.Values{"csrf": {csrf}}, 403, "drafter role"},
		"no csrf":         {drafter, url.Values{}, 403, "expired"},
		"unknown mod":     {drafter, url.Values{"csrf": {csrf}, "mod": {"MP999"}}, 400, "no modification"},
		"doc not listed":  {drafter, url.Values{"csrf": {csrf}, "mod": {"MP115"}}, 400, "does not list"},
		"duplicate ids":   {drafter, url.Values{"csrf": {csrf}, "text": {base + "\n" + base}}, 400, "duplicate"},
		"unknown version": {drafter, url.Values{"csrf": {csrf}, "base": {"9.9"}}, 404, ""},
	} {
		t.Run(name, func(t *testing.T) {
			f := url.Values{"mod": {"MP107"}, "doc": {"section-h"}, "base": {"3.0"}, "rev": {rev}, "text": {base}, "action": {"save"}}
			for k, v := range tc.form {
				f[k] = v
			}
			w := site.do(t, "POST", "/draft", f, tc.c)
			assert.Equal(t, tc.status, w.Code, w.Body.String())
			assert.Contains(t, w.Body.String(), tc.says)
			after, _ := os.ReadFile(file)
			assert.Equal(t, string(before), string(after), "nothing written")
		})
	}
}

// Every id on a page that holds several redlines is unique (issue 15: the release redline had
// id="rl-c1" six times), and every change link finds its own target.
func TestCombinedRedlineIDsUnique(t *testing.T) {
	s := testServer(t)
	idRE := regexp.MustCompile(` id="([^"]+)"`)
	hrefRE := regexp.MustCompile(` href="#([^"]+)"`)
	for _, path := range []string{"/releases/2020-06/redline", "/modifications/MP107"} {
		w := get(t, s, path)
		require.Equal(t, 200, w.Code, path)
		seen := map[string]int{}
		for _, m := range idRE.FindAllStringSubmatch(w.Body.String(), -1) {
			seen[m[1]]++
		}
		for id, n := range seen {
			assert.Equal(t, 1, n, "%s: id %q", path, id)
		}
		links := hrefRE.FindAllStringSubmatch(w.Body.String(), -1)
		for _, m := range links {
			if strings.Contains(m[1], "rl-c") {
				assert.Contains(t, seen, m[1], "%s: link #%s has a target", path, m[1])
			}
		}
	}
}

// The checks as the draft is typed: a misspelt party, a dangling reference, a skipped clause
// number, and a change of applicability alone shown as a change.
func TestDraftChecks(t *testing.T) {
	s := testServer(t)
	base := s.code.Document("section-h").Version("3.0").Tree().Source()
	for name, tc := range map[string]struct {
		edit func(string) string
		want string
	}{
		"unknown party": {func(b string) string {
			return strings.Replace(b, `**H1.7** {parties="large-supplier small-supplier"}`, `**H1.7** {parties="large-supplier small-suplier"}`, 1)
		}, `H1.7: unknown party category &#34;small-suplier&#34;`},
		"dangling reference": {func(b string) string {
			return strings.Replace(b, "under Section H1.4, provide", "under Section H99.4, provide", 1)
		}, `cross-reference &#34;Section H99.4&#34; points nowhere: this draft has no H99.4`},
		"skipped number": {func(b string) string {
			return strings.Replace(b, "**H1.17**", "**H1.18**", 1)
		}, "H1.18: clause number H1.17 is skipped"},
		"undefined term": {func(b string) string {
			return strings.Replace(b, "under Section H1.4, provide", "under Section H1.4 and the Quantum Flux Register, provide", 1)
		}, `&#34;Quantum Flux Register&#34; reads like a defined term but is not defined`},
		"applicability only": {func(b string) string {
			return strings.Replace(b, `**H1.7** {parties="large-supplier small-supplier"}`, `**H1.7** {parties="large-supplier small-supplier dcc"}`, 1)
		}, "H1.7: applies to large-supplier, small-supplier, dcc (was large-supplier, small-supplier)"},
	} {
		t.Run(name, func(t *testing.T) {
			edited := tc.edit(base)
			require.NotEqual(t, base, edited)
			form := url.Values{"doc": {"section-h"}, "base": {"3.0"}, "text": {edited}}
			for _, action := range []string{"fragment", "preview"} {
				form.Set("action", action)
				w := post(t, s, "/draft", form)
				require.Equal(t, 200, w.Code, w.Body.String())
				assert.Contains(t, w.Body.String(), tc.want, action)
			}
		})
	}
	w := post(t, s, "/draft", url.Values{"doc": {"section-h"}, "base": {"3.0"}, "text": {base}, "action": {"fragment"}})
	assert.NotContains(t, w.Body.String(), "draft-notes", "the base itself has nothing to report")
	// Defined terms, party and role names, and phrases after an opener are not reported.
	edited := strings.Replace(base, "under Section H1.4, provide", "under Section H1.4 and each Large Supplier Party and any Service Request, provide", 1)
	w = post(t, s, "/draft", url.Values{"doc": {"section-h"}, "base": {"3.0"}, "text": {edited}, "action": {"fragment"}})
	assert.NotContains(t, w.Body.String(), "reads like a defined term", "known names are not reported")
}

func TestCapitalisedPhrases(t *testing.T) {
	cases := map[string][]string{
		"The DCC shall send a Service Request to each User.":             {"Service Request"},
		"Subject to Section H1.4, the Smart Metering Inventory is kept.": {"Smart Metering Inventory"},
		"Where SMKI Recovery Procedure applies. Each Party shall act.":   {"SMKI Recovery Procedure"},
		"A Party shall.": nil,
		"the Panel, the Code Administrator and the Change Board": {"Code Administrator", "Change Board"},
		"Große Änderung Liste ist da":                            {"Große Änderung Liste"},
		"two  Spaces Between":                                    {"Spaces Between"},
	}
	for text, want := range cases {
		assert.Equal(t, want, capitalisedPhrases(text), text)
	}
}

// A Word file uploaded against a base opens in the editor, with the import's report.
func TestDraftUpload(t *testing.T) {
	s := testServer(t)
	base := s.code.Document("section-h").Version("3.0")
	edited := legaltext.Parse([]byte(strings.Replace(base.Tree().Source(), "within three Working Days", "within four Working Days", 1)))
	var docx bytes.Buffer
	require.NoError(t, redline.WriteDOCX(&docx, redline.Compare(edited, edited), redline.DOCXOptions{}))
	upload := func(name string, data []byte) *httptest.ResponseRecorder {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"doc": "section-h", "base": "3.0", "mod": "MP107"} {
			require.NoError(t, mw.WriteField(k, v))
		}
		fw, err := mw.CreateFormFile("file", name)
		require.NoError(t, err)
		_, err = fw.Write(data)
		require.NoError(t, err)
		require.NoError(t, mw.Close())
		req := httptest.NewRequest("POST", "/draft/upload", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		return w
	}
	w := upload("Section H draft.docx", docx.Bytes())
	require.Equal(t, 200, w.Code, w.Body.String())
	page := w.Body.String()
	assert.Contains(t, page, "Imported Section H draft.docx")
	assert.Contains(t, page, `id="import-h"`)
	text := field(t, textareaRE, page)
	assert.Contains(t, text, "within four Working Days")
	assert.Contains(t, text, "**H1.5**", "clause numbers come back as clauses")
	assert.Contains(t, page, `name="base" value="3.0"`)

	for name, tc := range map[string]struct {
		file string
		data []byte
	}{"not a zip": {"x.docx", []byte("plain text")}, "unknown type": {"x.pdf", []byte("%PDF")}} {
		w := upload(tc.file, tc.data)
		assert.Equal(t, http.StatusBadRequest, w.Code, name)
	}
}

// The modification page shows each rebase conflict word by word, tables as tables.
func TestModificationConflictsWordByWord(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/modifications/MP107")
	require.Equal(t, 200, w.Code)
	page := w.Body.String()
	assert.Contains(t, page, `<div class="conflict" data-clause="H13.1">`)
	assert.Contains(t, page, `<table class="diff-table">`)
	assert.Contains(t, page, `href="/draft/rebase?doc=section-h&amp;mod=MP107"`)
	assert.Contains(t, page, `href="/draft?doc=section-h&amp;mod=MP107">open this text`)
}
