package main

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// features is what --stage changes (PROTOCOL.md section 1).
type features struct {
	concurrent   bool // a goroutine per client; stage 0 serves one client at a time in the accept loop
	echo         bool // stages 0 and 1
	multicast    bool // a SEND goroutine per client pushes live lines (stage 3 and later)
	authenticate bool // the key, when one is configured (stage 4 and later)
}

func featuresFor(stage uint64) features {
	return features{
		concurrent:   stage >= 1,
		echo:         stage <= 1,
		multicast:    stage >= 3,
		authenticate: stage >= 4,
	}
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
// the service (stage 6): it is logged and retried after a growing pause, the
// way net/http's server does, so that EMFILE does not spin.
func (s *server) acceptLoop() {
	var pause time.Duration
	for {
		conn, err := s.listener.AcceptTCP()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
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
