package pgwire

import (
	"net"
)

// pump reads the client's bytes on its own goroutine, so that a client
// that goes away is noticed while a statement runs (not only at the next
// write): the statement is then cancelled and its Data API requests
// abandoned. Up to pumpChunks chunks of what a client sends ahead are
// held; beyond that the goroutine waits for the session to read.
type pump struct {
	ch  chan []byte
	cur []byte
	err error
}

const (
	pumpChunks    = 32
	pumpChunkSize = 32 << 10
)

func newPump(nc net.Conn, onDrop func()) *pump {
	p := &pump{ch: make(chan []byte, pumpChunks)}
	go func() {
		for {
			buf := make([]byte, pumpChunkSize)
			n, err := nc.Read(buf)
			if n > 0 {
				p.ch <- buf[:n]
			}
			if err != nil {
				p.err = err
				close(p.ch) // publishes p.err to Read
				onDrop()
				return
			}
		}
	}()
	return p
}

// Read gives the bytes read so far, waiting for more if there are none.
func (p *pump) Read(b []byte) (int, error) {
	if len(p.cur) == 0 {
		chunk, ok := <-p.ch
		if !ok {
			return 0, p.err
		}
		p.cur = chunk
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}
