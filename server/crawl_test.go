package server

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// crawlLinks returns the site addresses (starting with /) that follow any of prefixes in
// text, each running up to the first byte of stop. It does what the regular expression
// (?:prefix1|prefix2...)(/[^stop]*) does with FindAllStringSubmatch, an order of magnitude
// faster: the crawls of TestLeaks and TestAnonymousCrawl spent a fifth of the package's CPU
// in that expression.
func crawlLinks(text, stop string, prefixes ...string) []string {
	var out []string
	for i := 0; i < len(text); {
		at, plen := -1, 0
		for _, p := range prefixes {
			if j := strings.Index(text[i:], p); j >= 0 && (at < 0 || j < at || (j == at && len(p) > plen)) {
				at, plen = j, len(p)
			}
		}
		if at < 0 {
			break
		}
		// Like the expression, take the first prefix (in the order given) that matches here
		// and is followed by "/".
		start := i + at
		matched := false
		for _, p := range prefixes {
			if strings.HasPrefix(text[start:], p) && strings.HasPrefix(text[start+len(p):], "/") {
				from := start + len(p)
				end := strings.IndexAny(text[from:], stop)
				if end < 0 {
					end = len(text) - from
				}
				out = append(out, text[from:from+end])
				i, matched = from+end, true
				break
			}
		}
		if !matched {
			i = start + 1
		}
	}
	return out
}

// The law: crawlLinks finds what the regular expression finds, on random texts made of the
// pieces that matter.
func TestCrawlLinksIsTheRegexp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stop     string
		prefixes []string
		re       *regexp.Regexp
	}{
		{`"#<`, []string{`href="`, `"url":"`, `<loc>http://example.com`}, regexp.MustCompile(`(?:href="|"url":"|<loc>http://example.com)(/[^"#<]*)`)},
		{`"#`, []string{`href="`, `"url":"`}, regexp.MustCompile(`(?:href="|"url":")(/[^"#]*)`)},
	}
	pieces := []string{`href="`, `"url":"`, `<loc>http://example.com`, "/", "/docs/a", `"`, "#", "<", "x", " ", "href=", `url":`, "\n", "é"}
	rng := rand.New(rand.NewPCG(3, 5))
	for _, tt := range tests {
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			text := b.String()
			var want []string
			for _, m := range tt.re.FindAllStringSubmatch(text, -1) {
				want = append(want, m[1])
			}
			if !assert.Equal(t, want, crawlLinks(text, tt.stop, tt.prefixes...), "%q", text) {
				return
			}
		}
	}
}
