package index

import (
	"context"
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzQuery feeds any query string through parsing, the fallbacks and a real search of the
// sample: it must answer or refuse with ErrBadQuery / ErrTooSlow, never fail otherwise or panic.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"user entry", `"security sub-committee"`, "+dcc -gateway", "assess*", "G3.20",
		"/[a-z]+/", "x~2", "heading:panel", "doc:section-h", "((((", `"`, "title:x^3", "*", "a AND b OR NOT c", "\xff",
		"a*a*a*a*a*", "*a", "/.*a.{100}/", "/(ab+)+/", "/a.*a........../", "tamper~1", "tamp?r", "(?i)/abc/"} {
		f.Add(s, "dcc", true)
	}
	c, m := sample(f)
	vis := public(c)
	f.Fuzz(func(t *testing.T, q, party string, all bool) {
		if !utf8.ValidString(party) || len(party) > 40 {
			party = ""
		}
		res, err := m.Search(context.Background(), Request{Query: q, Party: party, AllVersions: all, Visible: vis, Today: today, Size: 5})
		if err != nil {
			if !errors.Is(err, ErrBadQuery) && !errors.Is(err, ErrTooSlow) {
				t.Fatalf("query %q: unexpected error %v", q, err)
			}
			return
		}
		if len(res.Hits) > 5 || res.Total < len(res.Hits) {
			t.Fatalf("query %q: %d hits of %d", q, len(res.Hits), res.Total)
		}
		for _, h := range res.Hits {
			if c.Document(h.Doc) == nil || !c.Public(c.Document(h.Doc)) {
				t.Fatalf("query %q found %s, which the reader may not see", q, h.Doc)
			}
		}
	})
}
