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
	s.descriptors.RLock()                         // see server.descriptors
	logFile, err := chatlog.OpenWriter(s.logPath) // this session's own open file description
	s.descriptors.RUnlock()
	if err != nil {
		logf(levelError, "%v", err)
		return
	}
	defer logFile.Close()

	if s.features.multicast {
		// The history offset is picked here, by RECV, before it reads any line
		// of this client (PROTOCOL.md section 4): every line the client sends is
		// appended after it and comes back. Picked by SEND, it could come after
		// this client's own line once more than s.history lines got in first.
		reader, offset, err := s.openHistory()
		if err != nil {
			logf(levelError, "sender: %v", err)
			return
		}
		// Subscribed before SEND reads the log for the first time: a record
		// appended before that read is in it, one appended after leaves a token.
		wake := s.wakeups.subscribe()
		done := make(chan struct{})
		sent := make(chan struct{})
		go func() {
			defer close(sent)
			s.send(conn, reader, offset, wake, done)
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
			stored := appendRecords(conn, logFile, records)
			if len(records) > 0 && s.features.multicast {
				s.wakeups.notify()
			}
			if !stored {
				return
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

// appendRecords appends records in order. It returns false, once logged, when
// one could not be stored because the log is full (ENOSPC, EFBIG): Append left
// nothing of it behind, and the lines after it are not appended either, so the
// log holds what the client sent up to a point, never with a gap (PROTOCOL.md
// section 7). The caller then closes the connection.
func appendRecords(conn *net.TCPConn, logFile *chatlog.Writer, records [][]byte) bool {
	for _, record := range records {
		torn, err := logFile.Append(record)
		if torn.Bytes > 0 {
			logf(levelWarning, "%v", torn)
		}
		if err != nil {
			logf(levelError, "closing connection from %s: its line could not be stored in the chat log: %v", conn.RemoteAddr(), err)
			return false
		}
	}
	return true
}

// send is the SEND role: the log from the history offset that RECV picked
// onward, whole lines only, for as long as the session lasts. Like papayad's
// SEND process it has its own open file description (logFile, which it
// closes) and its own offset; a slow client only makes its own SEND
// goroutine fall behind in the file.
func (s *server) send(conn *net.TCPConn, logFile *chatlog.Reader, offset int64, wake <-chan struct{}, done <-chan struct{}) {
	defer logFile.Close()
	var err error
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

// sendHistory is the whole push before stage 3: the log's complete lines
// from the history offset on, read until a read finds no more (as papayad's
// send_history does), then nothing more.
func (s *server) sendHistory(conn *net.TCPConn) bool {
	logFile, offset, err := s.openHistory()
	if err != nil {
		logf(levelError, "%v", err)
		return false
	}
	defer logFile.Close()
	var batch []byte
	for {
		if batch, offset, err = logFile.ReadLinesFrom(offset, batch[:0]); err != nil {
			logf(levelError, "%v", err)
			return false
		}
		if len(batch) == 0 {
			return true // the end of the log, or only a partial last line
		}
		if _, err := conn.Write(batch); err != nil {
			return false
		}
	}
}

// openHistory opens a reader of the chat log (its own open file description)
// and picks the history offset O: where the last s.history complete lines
// start at this moment.
func (s *server) openHistory() (*chatlog.Reader, int64, error) {
	s.descriptors.RLock() // see server.descriptors
	logFile, err := chatlog.OpenReader(s.logPath)
	s.descriptors.RUnlock()
	if err != nil {
		return nil, 0, err
	}
	offset, err := logFile.TailOffset(s.history)
	if err != nil {
		_ = logFile.Close()
		return nil, 0, err
	}
	return logFile, offset, nil
}

// peerGone reports the errors that mean the client went away or the service
// is stopping, which are not worth a log line.
func peerGone(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.EPIPE)
}
