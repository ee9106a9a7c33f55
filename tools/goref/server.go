package main

import (
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// features is what --stage changes (PROTOCOL.md section 1); labs/stages.json
// says which stage has which.
type features struct {
	concurrent   bool // a goroutine per client; else one client at a time in the accept loop
	echo         bool // bytes are echoed back instead of logged
	multicast    bool // a SEND goroutine per client pushes live lines
	authenticate bool // the key, when one is configured
}

// How long SIGTERM waits for sessions to end before exiting anyway (the
// contract allows 2 s for the whole service).
const stopGrace = 1500 * time.Millisecond

// server is the running service: the acceptor and its sessions.
type server struct {
	features    features
	logPath     string
	key         []byte // nil: no authentication
	authTimeout time.Duration
	history     int
	maxLine     int
	maxClients  int

	listener *net.TCPListener
	pidfile  *pidfile
	wakeups  *hub

	// descriptors is held for reading by every goroutine that opens a
	// descriptor, and for writing while shedOne has the spare closed: the
	// goroutines share one descriptor table, so without it a session could
	// take the spare's slot and leave the acceptor no way to shed.
	descriptors sync.RWMutex

	mu       sync.Mutex
	sessions map[*net.TCPConn]struct{} // admitted, from accept until both roles ended
	stopping bool
	running  sync.WaitGroup
}

// serveUntil announces READY, serves until a signal arrives on stop, then
// stops the whole service and returns the exit status.
func (s *server) serveUntil(stop <-chan os.Signal) int {
	announceReady(s.listener.Addr().(*net.TCPAddr).Port)
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		s.acceptLoop()
	}()
	<-stop
	s.shutdown()
	return 0
}

// acceptLoop accepts until the listener is closed. An accept error never ends
// the service (stage 6). Out of descriptors (EMFILE, ENFILE), the pending
// connection is accepted with a spare descriptor and closed, and that is
// logged once per connection, as papayad does; any other error is logged
// and retried after a growing pause, the way net/http's server does.
func (s *server) acceptLoop() {
	spare := openSpare()
	defer func() { _ = spare.Close() }()
	var pause time.Duration
	for {
		conn, err := s.listener.AcceptTCP()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				if spare == nil {
					spare = openSpare() // a session may have closed a descriptor since
				}
				if spare != nil {
					spare = s.shedOne(spare)
					continue
				}
			}
			if pause == 0 {
				pause = 5 * time.Millisecond
			} else if pause *= 2; pause > time.Second {
				pause = time.Second
			}
			logf(levelWarning, "accept: %v; retrying in %v", err, pause)
			time.Sleep(pause)
			continue
		}
		pause = 0
		accepted := time.Now()
		if !s.admit(conn) {
			continue
		}
		if s.features.concurrent {
			go s.run(conn, accepted)
		} else {
			s.run(conn, accepted) // stage 0: the next client waits in the listen queue
		}
	}
}

// openSpare opens the descriptor kept in reserve for shedOne; nil when even
// that fails (then EMFILE is retried with the pause, like any error).
func openSpare() *os.File {
	f, err := os.Open(os.DevNull)
	if err != nil {
		return nil
	}
	return f
}

// shedOne frees the spare descriptor, accepts the connection that EMFILE left
// in the queue (else it would be reported again at once) and closes it, then
// takes the spare again. This is libev's and nginx's technique, and papayad's.
func (s *server) shedOne(spare *os.File) *os.File {
	s.descriptors.Lock()
	defer s.descriptors.Unlock()
	_ = spare.Close()
	if conn, err := s.listener.AcceptTCP(); err == nil {
		_ = conn.Close()
		logf(levelWarning, "out of file descriptors: a connection was dropped")
	}
	return openSpare()
}

// admit counts conn against --max-clients, or closes it at once without a reply.
func (s *server) admit(conn *net.TCPConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		_ = conn.Close()
		return false
	}
	if len(s.sessions) >= s.maxClients {
		_ = conn.Close()
		logf(levelWarning, "max-clients (%d) reached: a connection was closed", s.maxClients)
		return false
	}
	s.sessions[conn] = struct{}{}
	s.running.Add(1)
	return true
}

// run serves one admitted connection and releases it.
func (s *server) run(conn *net.TCPConn, accepted time.Time) {
	defer func() {
		_ = conn.Close()
		s.mu.Lock()
		delete(s.sessions, conn)
		s.mu.Unlock()
		s.running.Done()
	}()
	s.serve(conn, accepted)
}

// shutdown stops the whole service: no more accepts, every connection closed
// (partial lines are discarded; appended records stay), then a bounded wait
// for the sessions' goroutines and the pidfile removed.
func (s *server) shutdown() {
	_ = s.listener.Close()
	s.mu.Lock()
	s.stopping = true
	for conn := range s.sessions {
		_ = conn.Close()
	}
	s.mu.Unlock()

	ended := make(chan struct{})
	go func() {
		s.running.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(stopGrace):
		logf(levelWarning, "some sessions did not end within %v; exiting anyway", stopGrace)
	}
	if s.pidfile != nil {
		s.pidfile.remove()
	}
}
