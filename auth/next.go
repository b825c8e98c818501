package auth

import (
	"net/url"
	"strings"
)

// maxNext is the longest redirect target kept (an address of this site is far shorter).
const maxNext = 2048

// SafeNext returns next if it is a path of this site, and "/" otherwise: the only place a
// redirect after signing in (or choosing a party) may go. A browser reads `/\host`, `//host`,
// `/<tab>/host` and `https:host` as another site, and a proxy or a browser may decode the
// value once more before reading it; so next must begin with one slash not followed by a
// slash or backslash, and neither it nor any decoding of it may hold a backslash, a control
// character or a byte outside ASCII, or fail to decode.
func SafeNext(next string) string {
	if len(next) > maxNext || !plainPath(next) {
		return "/"
	}
	// Decoded until nothing changes; no address of this site is encoded three times over.
	for d, i := next, 0; ; i++ {
		u, err := url.PathUnescape(d)
		if err != nil || !plainPath(u) || (u != d && i == 3) {
			return "/"
		}
		if u == d {
			break
		}
		d = u
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}

func plainPath(p string) bool {
	if p == "" || p[0] != '/' || (len(p) > 1 && (p[1] == '/' || p[1] == '\\')) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b := p[i]; b < 0x20 || b >= 0x7f || b == '\\' {
			return false
		}
	}
	return true
}
