package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
)

// listen opens the listening socket. Without an address it is one socket
// for IPv4 and IPv6: for the wildcard address ":port" and network "tcp", Go
// creates an AF_INET6 socket and sets IPV6_V6ONLY to 0 itself, whatever
// net.ipv6.bindv6only says (the original papayaChat relied on that sysctl and
// served IPv6 only where it was 1). On a kernel without IPv6, Go falls back to
// an AF_INET socket. Go also sets SO_REUSEADDR, so a restarted server need not
// wait for old connections in TIME_WAIT.
func listen(bind string, port uint64) (*net.TCPListener, error) {
	host := ""
	if bind != "" {
		// A host name means its first address, as getaddrinfo orders them
		// (RFC 6724); Go's own choice for Listen would prefer IPv4.
		addrs, err := net.DefaultResolver.LookupIPAddr(context.Background(), bind)
		if err != nil {
			return nil, fmt.Errorf("cannot listen on '%s': %v", bind, err)
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("cannot listen on '%s': no address", bind)
		}
		host = addrs[0].String()
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.FormatUint(port, 10)))
	if err != nil {
		return nil, err
	}
	return ln.(*net.TCPListener), nil
}
