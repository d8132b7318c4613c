package server

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddress(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"no proxies trusted: the peer, whatever it forwards", nil, "203.0.113.9:5555", []string{"198.51.100.1"}, "203.0.113.9"},
		{"no proxies trusted, a proxy's address as peer", nil, "10.0.0.5:5555", []string{"198.51.100.1"}, "10.0.0.5"},
		{"untrusted peer spoofing X-Forwarded-For", proxies, "203.0.113.9:5555", []string{"10.0.0.1, 198.51.100.1"}, "203.0.113.9"},
		{"trusted proxy: the address it saw", proxies, "10.0.0.5:5555", []string{"198.51.100.1"}, "198.51.100.1"},
		{"trusted proxy: the client's own entries on the left are ignored", proxies, "10.0.0.5:5555", []string{"6.6.6.6, 1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted hops", proxies, "10.0.0.5:5555", []string{"198.51.100.1, 10.2.3.4"}, "198.51.100.1"},
		{"several headers read as one list", proxies, "10.0.0.5:5555", []string{"6.6.6.6", "198.51.100.1, 10.2.3.4"}, "198.51.100.1"},
		{"client spoofing a trusted address on the left", proxies, "10.0.0.5:5555", []string{"10.9.9.9, 198.51.100.1"}, "198.51.100.1"},
		{"every hop trusted: the farthest", proxies, "10.0.0.5:5555", []string{"10.0.0.1, 10.0.0.2"}, "10.0.0.1"},
		{"trusted proxy without the header", proxies, "10.0.0.5:5555", nil, "10.0.0.5"},
		{"unreadable hop written by a trusted proxy", proxies, "10.0.0.5:5555", []string{"198.51.100.1, garbage"}, "10.0.0.5"},
		{"unreadable hop beyond the client", proxies, "10.0.0.5:5555", []string{"garbage, 198.51.100.1"}, "198.51.100.1"},
		{"hops with ports", proxies, "10.0.0.5:5555", []string{"198.51.100.1:4711, 10.0.0.7:80"}, "198.51.100.1"},
		{"IPv6 peer and hops", proxies, "[2001:db8:ffff::1]:443", []string{"[2001:db8:1::9]:1234, 2001:db8:ffff::2"}, "2001:db8:1::9"},
		{"IPv4-mapped IPv6", proxies, "[::ffff:10.0.0.5]:443", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
	} {
		r := httptest.NewRequest("POST", "/sign-in", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientAddress(r, tc.trusted); got.String() != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
