package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/alerts"
	"codenav/corpus"
	"codenav/index"
)

// Alerts: a signed-in reader saves a search or a party and document filter (/alerts), and
// receives an e-mail digest of what is new for it (digest.go). The alerts live in an
// alerts.Store shared by the replicas; see docs/operations.md, "Alerts".

func (s *Server) registerAlertRoutes(e *gin.Engine) {
	e.GET("/alerts", s.alertsPage)
	e.POST("/alerts", s.alertSave)
	e.POST("/alerts/:id/delete", s.alertDelete)
	e.GET("/alerts/unsubscribe", s.unsubscribePage)
	e.POST("/alerts/unsubscribe", s.unsubscribe)
}

// alertsOn reports whether readers may save alerts: sign-in and an alerts folder are needed.
func (s *Server) alertsOn() bool { return s.alerts != nil && s.auth != nil && s.signer != nil }

// alertReader guards the alert routes of a signed-in reader: 404 when alerts are off, to
// the sign-in page (GET) or 401 (POST) when not signed in, 403 for a POST without a good
// CSRF token.
func (s *Server) alertReader(c *gin.Context) (corpus.Reader, bool) {
	c.Header("Cache-Control", "no-store")
	if !s.alertsOn() {
		s.fail(c, http.StatusNotFound, "alerts are not configured on this server")
		return corpus.Reader{}, false
	}
	r := reader(c)
	if !r.SignedIn {
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, s.u("/login?next="+url.QueryEscape(s.u(c.Request.URL.RequestURI()))))
			return r, false
		}
		s.fail(c, http.StatusUnauthorized, "Alerts need sign-in.")
		return r, false
	}
	if c.Request.Method == http.MethodPost {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
		if err := c.Request.ParseForm(); err != nil {
			s.fail(c, http.StatusBadRequest, "malformed form")
			return r, false
		}
		if !s.csrfOK(c) {
			s.fail(c, http.StatusForbidden, "the form has expired or did not come from this site; reload the page and try again")
			return r, false
		}
	}
	return r, true
}

// alertView is an alert as the /alerts page lists it.
type alertView struct {
	alerts.Alert
	Label string
	URL   string // the search or changes page the alert stands for
}

type alertsBody struct {
	Alerts []alertView
	Email  string
	Saved  bool
}

// alertLabel describes an alert in words, as the page and the digest name it.
func (s *Server) alertLabel(a alerts.Alert) string {
	pd := pageData{Code: s.code}
	var b strings.Builder
	if a.Kind == alerts.KindSearch {
		fmt.Fprintf(&b, "Search %q", a.Query)
	} else {
		b.WriteString("Changes")
	}
	if a.Party != "" {
		b.WriteString(" for " + pd.PartyName(a.Party))
	}
	if a.Role != "" {
		b.WriteString(" in the User Role " + pd.RoleName(a.Role))
	}
	if a.Doc != "" {
		if d := s.code.Document(a.Doc); d != nil {
			b.WriteString(" in " + docTitle(d))
		}
	}
	return b.String()
}

// alertURL is the page an alert stands for.
func alertURL(a alerts.Alert) string {
	q := url.Values{}
	for k, v := range map[string]string{"party": a.Party, "role": a.Role, "doc": a.Doc} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if a.Kind == alerts.KindSearch {
		q.Del("role")
		q.Set("q", a.Query)
		return "/search?" + q.Encode()
	}
	if len(q) == 0 {
		return "/changes"
	}
	return "/changes?" + q.Encode()
}

func (s *Server) alertsPage(c *gin.Context) {
	r, ok := s.alertReader(c)
	if !ok {
		return
	}
	list, err := s.alerts.List(r.User)
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "alerts: list", slog.String("user", r.User), slog.Any("error", err))
		s.fail(c, http.StatusInternalServerError, "the alerts could not be read")
		return
	}
	b := alertsBody{Saved: c.Query("saved") != ""}
	if id, ok := s.auth.Lookup(r.User); ok {
		b.Email = id.Email
	}
	for _, a := range list {
		b.Alerts = append(b.Alerts, alertView{Alert: a, Label: s.alertLabel(a), URL: alertURL(a)})
	}
	s.page(c, http.StatusOK, "alerts", pageData{Title: "Alerts", Body: b})
}

// alertSave saves the search or filter of the form. Party, role and document are checked
// as the pages check them; a document the reader may not see is refused as unknown.
func (s *Server) alertSave(c *gin.Context) {
	r, ok := s.alertReader(c)
	if !ok {
		return
	}
	a := alerts.Alert{Kind: c.PostForm("kind"), Query: strings.TrimSpace(c.PostForm("q")), Party: c.PostForm("party"),
		Role: c.PostForm("role"), Doc: c.PostForm("doc"), Created: s.now().UTC(), Since: string(s.today())}
	if err := a.Validate(); err != nil {
		s.fail(c, http.StatusBadRequest, err.Error())
		return
	}
	if _, ok := s.code.Party(a.Party); a.Party != "" && !ok {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("no party category %q", a.Party))
		return
	}
	if _, ok := s.code.Role(a.Role); a.Role != "" && !ok {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("no User Role %q", a.Role))
		return
	}
	if a.Doc != "" && s.view(c).Document(a.Doc) == nil {
		s.fail(c, http.StatusBadRequest, fmt.Sprintf("no document %q", a.Doc))
		return
	}
	if a.Kind == alerts.KindSearch {
		// The hits there now are not news: the first digest reports only later ones.
		if seen, err := s.searchKeys(c.Request.Context(), s.view(c), a, s.today()); err == nil {
			a.Seen, a.Primed = seen, true
		}
	}
	if _, err := s.alerts.Add(r.User, a); err != nil {
		if errors.Is(err, alerts.ErrTooMany) {
			s.fail(c, http.StatusConflict, err.Error())
			return
		}
		s.log.ErrorContext(c.Request.Context(), "alerts: save", slog.String("user", r.User), slog.Any("error", err))
		s.fail(c, http.StatusInternalServerError, "the alert could not be saved")
		return
	}
	s.log.InfoContext(c.Request.Context(), "alert saved", slog.String("user", r.User), slog.String("kind", a.Kind))
	c.Redirect(http.StatusSeeOther, s.u("/alerts?saved=1"))
}

func (s *Server) alertDelete(c *gin.Context) {
	r, ok := s.alertReader(c)
	if !ok {
		return
	}
	// The alert is looked for among the reader's own alerts only: another reader's id is
	// simply not found.
	if err := s.alerts.Delete(r.User, c.Param("id")); err != nil {
		if errors.Is(err, alerts.ErrNotFound) {
			s.fail(c, http.StatusNotFound, "no such alert")
			return
		}
		s.log.ErrorContext(c.Request.Context(), "alerts: delete", slog.String("user", r.User), slog.Any("error", err))
		s.fail(c, http.StatusInternalServerError, "the alert could not be deleted")
		return
	}
	c.Redirect(http.StatusSeeOther, s.u("/alerts"))
}

// unsubscribeToken signs the unsubscribe link of one alert: it works without a session,
// on any replica (the session key is shared).
func (s *Server) unsubscribeToken(user, id string) string {
	return s.signer.Token("unsubscribe", user, id)
}

type unsubscribeBody struct {
	User, ID, Token, Label string
	Done                   bool
}

func (s *Server) unsubscribeArgs(c *gin.Context) (unsubscribeBody, bool) {
	c.Header("Cache-Control", "no-store")
	b := unsubscribeBody{User: c.Query("u"), ID: c.Query("a"), Token: c.Query("t")}
	if !s.alertsOn() {
		s.fail(c, http.StatusNotFound, "alerts are not configured on this server")
		return b, false
	}
	if !s.signer.CheckToken(b.Token, "unsubscribe", b.User, b.ID) {
		s.fail(c, http.StatusForbidden, "this unsubscribe link is not valid; sign in and delete the alert on the Alerts page")
		return b, false
	}
	return b, true
}

// unsubscribePage asks to confirm: a GET changes nothing, since mail scanners follow links.
func (s *Server) unsubscribePage(c *gin.Context) {
	b, ok := s.unsubscribeArgs(c)
	if !ok {
		return
	}
	list, err := s.alerts.List(b.User)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "the alerts could not be read")
		return
	}
	i := slices.IndexFunc(list, func(a alerts.Alert) bool { return a.ID == b.ID })
	if i < 0 {
		b.Done = true
	} else {
		b.Label = s.alertLabel(list[i])
	}
	s.page(c, http.StatusOK, "unsubscribe", pageData{Title: "Unsubscribe", Body: b})
}

// unsubscribe deletes the alert of a signed link: from the confirmation page, or from a
// mail client's one-click unsubscribe (RFC 8058), which posts to the same address. The
// signed link stands in for the CSRF token.
func (s *Server) unsubscribe(c *gin.Context) {
	b, ok := s.unsubscribeArgs(c)
	if !ok {
		return
	}
	if err := s.alerts.Delete(b.User, b.ID); err != nil && !errors.Is(err, alerts.ErrNotFound) {
		s.log.ErrorContext(c.Request.Context(), "alerts: unsubscribe", slog.String("user", b.User), slog.Any("error", err))
		s.fail(c, http.StatusInternalServerError, "the alert could not be deleted")
		return
	}
	b.Done = true
	s.page(c, http.StatusOK, "unsubscribe", pageData{Title: "Unsubscribed", Body: b})
}

// searchKeys runs a saved search as the reader of v would, and returns its hits as
// "doc#clause@version" (the first index.MaxPageSize).
func (s *Server) searchKeys(ctx context.Context, v *corpus.View, a alerts.Alert, today corpus.Date) ([]string, error) {
	hits, err := s.alertHits(ctx, v, a, today)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = hitKey(h)
	}
	return out, nil
}

func hitKey(h index.Hit) string { return h.Doc + "#" + h.Clause + "@" + h.Version }

func (s *Server) alertHits(ctx context.Context, v *corpus.View, a alerts.Alert, today corpus.Date) ([]index.Hit, error) {
	if s.index == nil {
		return nil, index.ErrNotReady
	}
	visible := []string{}
	for _, d := range v.Documents() {
		visible = append(visible, d.ID)
	}
	res, err := s.index.Search(ctx, index.Request{Code: s.code.ID, Query: a.Query, Party: a.Party, Doc: a.Doc, Today: today,
		Page: 1, Size: index.MaxPageSize, Visible: visible})
	if err != nil {
		return nil, err
	}
	for i := range res.Hits {
		h := &res.Hits[i]
		if d := v.Document(h.Doc); d != nil {
			if x := d.At(today); x != nil {
				h.Version = x.Number
			}
		}
	}
	return res.Hits, nil
}
