package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies says where a request's client address comes from. With no Header, it is the
// address of the connection. With a Header (X-Forwarded-For, X-Real-IP), it is read from
// that header only when the connection comes from a trusted proxy, and then it is the
// right-most address in the header that is not itself a trusted proxy: every proxy appends
// the address it was reached from, so the entries to the left of the last untrusted one are
// whatever the client chose to send and must not be believed.
type Proxies struct {
	Header  string
	Trusted []netip.Prefix
}

// ParseProxies reads a comma-separated list of addresses or CIDR prefixes of trusted proxies.
func ParseProxies(header, list string) (Proxies, error) {
	p := Proxies{Header: http.CanonicalHeaderKey(strings.TrimSpace(header))}
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return Proxies{}, fmt.Errorf("trusted proxy %q: not an address or CIDR prefix", s)
			}
			p.Trusted = append(p.Trusted, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		pr, err := netip.ParsePrefix(s)
		if err != nil {
			return Proxies{}, fmt.Errorf("trusted proxy %q: not an address or CIDR prefix", s)
		}
		if pr.Addr().Is4In6() {
			pr = netip.PrefixFrom(pr.Addr().Unmap(), max(0, pr.Bits()-96))
		}
		p.Trusted = append(p.Trusted, pr.Masked())
	}
	if p.Header != "" && len(p.Trusted) == 0 {
		return Proxies{}, fmt.Errorf("a client address header (%s) needs the trusted proxies' addresses", p.Header)
	}
	if p.Header == "" && len(p.Trusted) > 0 {
		return Proxies{}, fmt.Errorf("trusted proxies are given but no header to read the client address from")
	}
	return p, nil
}

func (p Proxies) trusted(a netip.Addr) bool {
	for _, pr := range p.Trusted {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr is the address of the client that made r (invalid if the connection's address
// cannot be read, which net/http never gives).
func (p Proxies) ClientAddr(r *http.Request) netip.Addr {
	peer := remoteAddr(r.RemoteAddr)
	if p.Header == "" || !peer.IsValid() || !p.trusted(peer) {
		return peer
	}
	client := peer
	values := r.Header.Values(p.Header)
	for i := len(values) - 1; i >= 0; i-- {
		parts := strings.Split(values[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				// Written by the client, not by a proxy: the trusted hop to its right is the
				// last address known to be true.
				return client
			}
			client = a.Unmap().WithZone("")
			if !p.trusted(client) {
				return client
			}
		}
	}
	return client
}

func remoteAddr(s string) netip.Addr {
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// ClientKey is the key a client address is limited by: the address for IPv4, its /64 for
// IPv6, since one subscriber is given a whole /64 and could otherwise take a fresh address
// for every attempt.
func ClientKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}
