package main

import (
	"crypto/subtle"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"papaya-lab/goref/internal/chatlog"
	"papaya-lab/goref/internal/lineframer"
)

// One client's session. The goroutine that accept started is the RECV role:
// it authenticates, then reads the client's lines and appends them. At stage
// 3 and later it starts the SEND role, a second goroutine that pushes the log
// to the client. Neither ever waits for the other or for any other client.

const readBufferSize = 16 << 10

// serve runs a session to its end.
func (s *server) serve(conn *net.TCPConn, accepted time.Time) {
	if s.features.echo {
		echo(conn)
		return
	}
	if s.features.authenticate && s.key != nil && !s.authenticate(conn, accepted) {
		return
	}
	s.chat(conn)
}

// echo sends back every byte until the client ends its stream, then ends
// ours. It reads and writes explicitly, as papayad does: io.Copy would splice
// socket to socket, different work from what is compared.
func echo(conn *net.TCPConn) {
	buf := make([]byte, readBufferSize)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, err := conn.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			break
		}
	}
	_ = conn.CloseWrite() // half-close: the peer finished sending; so have we
}

// authenticate reads exactly keySize bytes, however segmented, within one
// deadline counted from the accept (not per read: a client sending a byte a
// second must not hold its session for 128 seconds), and compares them in
// constant time. Nothing is sent either way; a failure is logged and the
// caller closes the connection.
func (s *server) authenticate(conn *net.TCPConn, accepted time.Time) bool {
	if err := conn.SetReadDeadline(accepted.Add(s.authTimeout)); err != nil {
		return false
	}
	received := make([]byte, keySize)
	// ReadFull asks for no more than is missing: byte 129 stays in the
	// socket for the line reader, even when it came in the same segment.
	_, err := io.ReadFull(conn, received)
	var reason string
	switch {
	case errors.Is(err, net.ErrClosed):
		return false // the service is stopping
	case err == nil && subtle.ConstantTimeCompare(received, s.key) == 1:
		return conn.SetReadDeadline(time.Time{}) == nil
	case err == nil:
		reason = "wrong key"
	case errors.Is(err, os.ErrDeadlineExceeded):
		reason = "no key before the timeout"
	default:
		reason = "closed before sending the whole key"
	}
	logf(levelWarning, "authentication failed from %s: %s", conn.RemoteAddr(), reason)
	return false
}

// chat is the RECV role after authentication.
func (s *server) chat(conn *net.TCPConn) {
	logFile, err := chatlog.OpenWriter(s.logPath) // this session's own open file description
	if err != nil {
		logf(levelError, "%v", err)
		return
	}
	defer logFile.Close()

	if s.features.multicast {
		// Subscribed before SEND reads the log for the first time: a record
		// appended before that read is in it, one appended after leaves a token.
		wake := s.wakeups.subscribe()
		done := make(chan struct{})
		sent := make(chan struct{})
		go func() {
			defer close(sent)
			s.send(conn, wake, done)
		}()
		defer func() {
			close(done)
			_ = conn.Close() // a SEND goroutine blocked writing to a slow client returns
			<-sent
			s.wakeups.unsubscribe(wake)
		}()
	} else if !s.sendHistory(conn) {
		return
	}
	s.receive(conn, logFile)
}

// receive appends the client's lines until it ends its stream (a partial line
// is then discarded), sends an overlong line, or the connection fails.
func (s *server) receive(conn *net.TCPConn, logFile *chatlog.Writer) {
	framer := lineframer.New(s.maxLine)
	buf := make([]byte, readBufferSize)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			records := framer.Feed(buf[:n])
			for _, record := range records {
				if err := logFile.Append(record); err != nil {
					logf(levelError, "append to the chat log: %v", err)
					return
				}
			}
			if len(records) > 0 && s.features.multicast {
				s.wakeups.notify()
			}
			if framer.Overlong() {
				logf(levelWarning, "closing connection from %s: line longer than %d bytes", conn.RemoteAddr(), s.maxLine)
				return
			}
		}
		if err != nil {
			if !peerGone(err) {
				logf(levelWarning, "reading from %s: %v", conn.RemoteAddr(), err)
			}
			return
		}
	}
}

// send is the SEND role: the log from the history offset onward, whole lines
// only, for as long as the session lasts. Like papayad's SEND process it has
// its own open file description and its own offset; a slow client only makes
// its own SEND goroutine fall behind in the file.
func (s *server) send(conn *net.TCPConn, wake <-chan struct{}, done <-chan struct{}) {
	logFile, err := chatlog.OpenReader(s.logPath)
	if err != nil {
		logf(levelError, "sender: %v", err)
		_ = conn.Close()
		return
	}
	defer logFile.Close()
	offset, err := logFile.TailOffset(s.history)
	if err != nil {
		logf(levelError, "sender: %v", err)
		_ = conn.Close()
		return
	}
	var batch []byte
	for {
		// Everything up to the end of the log, however many notifications it took.
		for {
			batch, offset, err = logFile.ReadLinesFrom(offset, batch[:0])
			if err != nil {
				logf(levelError, "sender: %v", err)
				_ = conn.Close()
				return
			}
			if len(batch) == 0 {
				break
			}
			if _, err := conn.Write(batch); err != nil {
				// The client is gone (or RECV closed the connection): end the session.
				_ = conn.Close()
				return
			}
			if cap(batch) > 256<<10 {
				batch = nil // a catch-up's buffer is not kept for an idle client
			}
		}
		select {
		case <-wake:
		case <-done:
			return
		}
	}
}

// sendHistory is the whole push before stage 3: the log from the history
// offset to its end at this moment, then nothing more.
func (s *server) sendHistory(conn *net.TCPConn) bool {
	logFile, err := chatlog.OpenReader(s.logPath)
	if err != nil {
		logf(levelError, "%v", err)
		return false
	}
	defer logFile.Close()
	offset, err := logFile.TailOffset(s.history)
	if err != nil {
		logf(levelError, "%v", err)
		return false
	}
	end, err := logFile.Size()
	if err != nil {
		logf(levelError, "%v", err)
		return false
	}
	var batch []byte
	for offset < end {
		if batch, offset, err = logFile.ReadLinesFrom(offset, batch[:0]); err != nil {
			logf(levelError, "%v", err)
			return false
		}
		if len(batch) == 0 {
			break // only a partial last line is left
		}
		if _, err := conn.Write(batch); err != nil {
			return false
		}
	}
	return true
}

// peerGone reports the errors that mean the client went away or the service
// is stopping, which are not worth a log line.
func peerGone(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.EPIPE)
}
