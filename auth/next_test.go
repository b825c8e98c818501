package auth

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSafeNext(t *testing.T) {
	kept := []string{
		"/", "/docs", "/docs/section-h?version=2.0#H1.1", "/search?q=a+b&at=all", "/search?q=a%20b",
		"/docs/section-h/compare?from=1.0&to=2.0", "/draft?doc=section-h&base=2.0", "/a/b//c", "/.well-known",
	}
	for _, n := range kept {
		assert.Equal(t, n, SafeNext(n), n)
	}
	attacks := []string{
		"", "docs", "evil.example", "//evil.example", "///evil.example", "/\\evil.example/x", "\\\\evil.example",
		"/\\/evil.example", "\\/evil.example", "https://evil.example/", "http:evil.example", "javascript:alert(1)",
		"JavaScript:alert(1)", "data:text/html,x", " /docs", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
		"/%5Cevil.example/x", "/%5cevil.example", "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example",
		"/%252F%252Fevil.example", "/%255Cevil.example", "/%25255Cevil.example", "/%252525", "/%2525252525", "/%09/evil.example", "/%0d%0aSet-Cookie:x=y",
		"/%00", "/docs%5C..%5C..", "/\x00", "/\x7f", "/\u3002evil.example", "/ｅｖｉｌ", "/%zz", "/docs?q=%5C",
		"/" + strings.Repeat("a", 3000), "/@evil.example", // kept below: a path of this site
	}
	for _, n := range attacks[:len(attacks)-1] {
		assert.Equal(t, "/", SafeNext(n), "%q", n)
	}
	assert.Equal(t, "/@evil.example", SafeNext("/@evil.example"), "an @ in a path is still a path of this site")
}

// Whatever next is, the answer, as a browser resolves it against this site, stays on this
// site, and so does every decoding of it.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/docs", "/\\evil", "//x", "/%5Cx", "/%09/x", "/%252F%252Fx", "http://x", "/a?b=c#d"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://codenav.example/docs/x")
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got != "/" && got != next {
			t.Fatalf("SafeNext(%q) = %q: neither the input nor /", next, got)
		}
		for d, i := got, 0; i < 5; i++ {
			u, err := base.Parse(strings.ReplaceAll(d, "\\", "/")) // as a browser reads a backslash
			if err != nil || u.Host != "codenav.example" || u.Scheme != "https" {
				t.Fatalf("SafeNext(%q) = %q leaves the site at decoding %d: %v", next, got, i, u)
			}
			u2, err := url.PathUnescape(d)
			if err != nil {
				t.Fatalf("SafeNext(%q) = %q does not decode", next, got)
			}
			if u2 == d {
				break
			}
			d = u2
		}
	})
}
