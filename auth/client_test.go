package auth

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientAddr(t *testing.T) {
	nginx, err := ParseProxies("x-forwarded-for", "127.0.0.1, 10.0.0.0/8, ::1")
	require.NoError(t, err)
	assert.Equal(t, "X-Forwarded-For", nginx.Header)
	for _, tc := range []struct {
		name    string
		p       Proxies
		remote  string
		headers []string
		want    string
	}{
		{"no header configured: the connection", Proxies{}, "192.0.2.7:5000", []string{"203.0.113.9"}, "192.0.2.7"},
		{"behind nginx", nginx, "127.0.0.1:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a forged entry on the left is ignored", nginx, "127.0.0.1:5000", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"two trusted hops", nginx, "127.0.0.1:5000", []string{"1.2.3.4, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"header lines read right to left", nginx, "127.0.0.1:5000", []string{"1.2.3.4", "203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"from an untrusted peer the header is not believed", nginx, "198.51.100.1:5000", []string{"203.0.113.9"}, "198.51.100.1"},
		{"no header from the proxy: the proxy", nginx, "127.0.0.1:5000", nil, "127.0.0.1"},
		{"garbage left of a trusted hop: that hop", nginx, "127.0.0.1:5000", []string{"not-an-ip, 10.1.2.3"}, "10.1.2.3"},
		{"garbage alone: the proxy", nginx, "127.0.0.1:5000", []string{"unknown"}, "127.0.0.1"},
		{"all trusted: the left-most", nginx, "127.0.0.1:5000", []string{"10.9.9.9, 10.1.2.3"}, "10.9.9.9"},
		{"IPv6 peer", nginx, "[::1]:5000", []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv4-mapped", nginx, "[::ffff:127.0.0.1]:5000", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"zone dropped", Proxies{}, "[fe80::1%eth0]:5000", nil, "fe80::1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, h := range tc.headers {
			r.Header.Add("X-Forwarded-For", h)
		}
		assert.Equal(t, tc.want, tc.p.ClientAddr(r).String(), tc.name)
	}
	for _, bad := range []struct{ header, list string }{
		{"X-Forwarded-For", ""}, {"", "10.0.0.0/8"}, {"X-Forwarded-For", "10.0.0.0/99"}, {"X-Forwarded-For", "nginx"},
	} {
		_, err := ParseProxies(bad.header, bad.list)
		assert.Error(t, err, "%+v", bad)
	}
	p, err := ParseProxies("X-Real-IP", "::ffff:10.0.0.0/104")
	require.NoError(t, err)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, p.Trusted)
}

// A client is limited by its IPv4 address or by its IPv6 /64 (a subscriber's whole network).
func TestClientKey(t *testing.T) {
	assert.Equal(t, "203.0.113.9", ClientKey(netip.MustParseAddr("203.0.113.9")))
	assert.Equal(t, "2001:db8:1:2::/64", ClientKey(netip.MustParseAddr("2001:db8:1:2:aaaa::1")))
	assert.Equal(t, ClientKey(netip.MustParseAddr("2001:db8:1:2::5")), ClientKey(netip.MustParseAddr("2001:db8:1:2:ffff::9")))
	assert.Equal(t, "unknown", ClientKey(netip.Addr{}))
}
