package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startTestServer runs the service in-process on 127.0.0.1 with extra
// options; it is shut down when the test ends.
func startTestServer(t *testing.T, args ...string) (*server, string) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "chat.log")
	o, err := parseOptions(append([]string{"--bind", "127.0.0.1", "--port", "0", "--allow-root", "--log", logPath}, args...))
	if err != nil {
		t.Fatal(err)
	}
	s, err := start(o)
	if err != nil {
		t.Fatal(err)
	}
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		s.acceptLoop()
	}()
	t.Cleanup(s.shutdown)
	return s, logPath
}

type testClient struct {
	conn   net.Conn
	reader *bufio.Reader
}

func dial(t *testing.T, s *server) *testClient {
	t.Helper()
	conn, err := net.Dial("tcp", s.listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &testClient{conn: conn, reader: bufio.NewReader(conn)}
}

func (c *testClient) send(t *testing.T, text string) {
	t.Helper()
	if _, err := io.WriteString(c.conn, text); err != nil {
		t.Fatal(err)
	}
}

func (c *testClient) line(t *testing.T) string {
	t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := c.reader.ReadString('\n')
	if err != nil {
		t.Fatalf("reading a line: %v (got %q)", err, line)
	}
	return strings.TrimSuffix(line, "\n")
}

// joined sends a line and reads up to it: afterwards the client has
// consumed everything appended before.
func (c *testClient) joined(t *testing.T, name string) {
	t.Helper()
	hello := name + ": hello"
	c.send(t, hello+"\n")
	for c.line(t) != hello {
	}
}

func TestBackToBackRecordsReachEveryClientOnceInLogOrder(t *testing.T) {
	s, _ := startTestServer(t)
	clients := []*testClient{dial(t, s), dial(t, s), dial(t, s)}
	for i, c := range clients {
		c.joined(t, fmt.Sprint("c", i))
	}
	last := clients[2]
	last.send(t, "sync\n")
	for _, c := range clients {
		for c.line(t) != "sync" {
		}
	}
	for round := 0; round < 50; round++ {
		a, b := fmt.Sprintf("first %d", round), fmt.Sprintf("second %d", round)
		clients[0].send(t, a+"\n")
		clients[1].send(t, b+"\n")
		var order []string
		for i, c := range clients {
			got := []string{c.line(t), c.line(t)}
			if i == 0 {
				order = got
			} else if got[0] != order[0] || got[1] != order[1] {
				t.Fatalf("round %d: client %d saw %q, client 0 saw %q", round, i, got, order)
			}
		}
	}
}

func TestSlowClientDelaysNobody(t *testing.T) {
	s, _ := startTestServer(t)
	for i := 0; i < 5; i++ {
		dial(t, s) // never reads
	}
	fast := dial(t, s)
	fast.joined(t, "fast")
	line := strings.Repeat("z", 500)
	go func() {
		for i := 0; i < 4000; i++ {
			if _, err := io.WriteString(fast.conn, line+"\n"); err != nil {
				return
			}
		}
	}()
	for i := 0; i < 4000; i++ {
		if got := fast.line(t); got != line {
			t.Fatalf("line %d: %q", i, got)
		}
	}
}

func TestKeyInSegmentsThenLine(t *testing.T) {
	keyPath := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyPath, []byte(testKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, logPath := startTestServer(t, "--key-file", keyPath, "--auth-timeout-ms", "10000")
	c := dial(t, s)
	for _, b := range []byte(testKey) {
		c.send(t, string([]byte{b}))
	}
	c.send(t, "in: yes\n")
	if got := c.line(t); got != "in: yes" {
		t.Fatalf("got %q", got)
	}

	wrong := dial(t, s)
	wrong.send(t, strings.Repeat("x", keySize)+"out: no\n")
	_ = wrong.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := wrong.reader.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("a wrong key got %d bytes, %v", n, err)
	}
	c.send(t, "still: here\n")
	if got := c.line(t); got != "still: here" {
		t.Fatalf("got %q", got)
	}
	text, _ := os.ReadFile(logPath)
	if string(text) != "in: yes\nstill: here\n" {
		t.Errorf("log %q", text)
	}
}

func TestStageTwoSendsHistoryOnly(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "chat.log")
	if err := os.WriteFile(logPath, []byte("a\nb\nc\npartial"), 0o640); err != nil {
		t.Fatal(err)
	}
	s, _ := startTestServer(t, "--stage", "2", "--history", "2", "--log", logPath)
	c := dial(t, s)
	if got := []string{c.line(t), c.line(t)}; got[0] != "b" || got[1] != "c" {
		t.Fatalf("history %q", got)
	}
	c.send(t, "\nmine\n")
	_ = c.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, _ := c.reader.Read(make([]byte, 1)); n != 0 {
		t.Fatal("stage 2 pushed a live line")
	}
}

func TestStageZeroEchoesOneClientAtATime(t *testing.T) {
	s, _ := startTestServer(t, "--stage", "0")
	first, second := dial(t, s), dial(t, s)
	second.send(t, "wait\n")
	first.send(t, "a\x00b\r\n")
	if got := first.line(t); got != "a\x00b\r" {
		t.Fatalf("echo %q", got)
	}
	_ = second.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, _ := second.reader.Read(make([]byte, 1)); n != 0 {
		t.Fatal("stage 0 served a second client at once")
	}
	first.conn.Close()
	if got := second.line(t); got != "wait" {
		t.Fatalf("echo %q", got)
	}
}

func TestMaxClientsClosesTheConnectionOverTheBound(t *testing.T) {
	s, _ := startTestServer(t, "--max-clients", "1")
	first := dial(t, s)
	first.joined(t, "first")
	over := dial(t, s)
	_ = over.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := over.reader.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("over the bound: %d bytes, %v", n, err)
	}
}

func TestShutdownEndsEverySession(t *testing.T) {
	s, logPath := startTestServer(t)
	c := dial(t, s)
	c.joined(t, "c")
	c.send(t, "unfinished")
	s.shutdown()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	// Closed either way: EOF, or a reset when the server closed with the
	// partial line unread.
	if _, err := io.ReadAll(c.reader); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("connection not closed: %v", err)
	}
	text, _ := os.ReadFile(logPath)
	if !bytes.Equal(text, []byte("c: hello\n")) {
		t.Errorf("log %q", text)
	}
}
