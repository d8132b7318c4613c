package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddress is the address a request came from, for the sign-in limits
// and the logs. It is the connection's peer unless that peer is a trusted
// proxy (TRUSTED_PROXIES): then X-Forwarded-For is read from the right, each
// proxy having added the address it was reached from, through trusted hops
// only, and the first address that is not a trusted proxy is the client's.
// Anything left of it was written by the client and proves nothing. A hop a
// trusted proxy wrote that cannot be read ends the walk at that proxy.
func clientAddress(r *http.Request, trusted []netip.Prefix) netip.Addr {
	addr := parseHop(r.RemoteAddr)
	if !isTrusted(addr, trusted) {
		return addr
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := parseHop(strings.TrimSpace(hops[i]))
		if !hop.IsValid() {
			return addr
		}
		addr = hop
		if !isTrusted(addr, trusted) {
			return addr
		}
	}
	return addr
}

// parseHop reads an address with or without a port ("192.0.2.1",
// "192.0.2.1:443", "2001:db8::1", "[2001:db8::1]:443"); the zero Addr if it
// is not one.
func parseHop(s string) netip.Addr {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	return netip.Addr{}
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
