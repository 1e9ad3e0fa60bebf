package main

import (
	"net"
	"net/url"
	"sync"
	"time"
)

// rttProxy stands for the network between a client and Astra: it forwards
// TCP connections to the local server and delays every byte by half the
// round-trip time in each direction, so that a request and its answer cost
// one round trip whatever the client does above TCP. A new connection's
// first bytes wait one more round trip, the TCP handshake a real client pays
// before it can send. Bandwidth is not limited: on loopback it is not what
// the round trip is measured against.
//
// Every client of the benchmark (astrasql, the TypeScript client, the bare
// Go baseline) reaches the server through the same proxy.
type rttProxy struct {
	ln     net.Listener
	target string
	rtt    time.Duration
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// startRTTProxy listens on a loopback port in front of base (an http URL).
func startRTTProxy(base string, rtt time.Duration) (*rttProxy, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &rttProxy{ln: ln, target: u.Host, rtt: rtt, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// URL is the proxy's http URL, to be used in place of the server's.
func (p *rttProxy) URL() string { return "http://" + p.ln.Addr().String() }

// Close stops accepting, closes every forwarded connection and waits for
// the proxy's goroutines.
func (p *rttProxy) Close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.ln.Close()
	p.wg.Wait()
}

func (p *rttProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *rttProxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *rttProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(c)
		}()
	}
}

func (p *rttProxy) serve(client net.Conn) {
	defer p.untrack(client)
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	if !p.track(server) {
		return
	}
	defer p.untrack(server)
	half := p.rtt / 2
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); delayCopy(server, client, half, p.rtt) }()
	go func() { defer wg.Done(); delayCopy(client, server, half, 0) }()
	wg.Wait()
}

// chunk is data read at one instant, to be written at due.
type chunk struct {
	data []byte
	due  time.Time
}

// delayCopy copies src to dst, each read delivered delay after it was read
// (first, extra for the first read). Order is kept; reading never waits for
// writing, as bytes in flight on a network do not.
func delayCopy(dst, src net.Conn, delay, first time.Duration) {
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		extra := first
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				q <- chunk{append([]byte(nil), buf[:n]...), time.Now().Add(delay + extra)}
				extra = 0
			}
			if err != nil {
				return
			}
		}
	}()
	failed := false
	for c := range q {
		if failed {
			continue // drain so the reader can finish
		}
		time.Sleep(time.Until(c.due))
		if _, err := dst.Write(c.data); err != nil {
			failed = true
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite() // pass the end of the stream on
	}
}
