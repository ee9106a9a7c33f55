package main

import (
	"fmt"
	"os"
	"strconv"
)

// The service log is stderr: goref runs in the foreground under a supervisor
// (it has no --daemon, hence no syslog).

type logLevel string

const (
	levelInfo    logLevel = "info"
	levelWarning logLevel = "warning"
	levelError   logLevel = "error"
)

var logPrefix = "goref[" + strconv.Itoa(os.Getpid()) + "]: "

// logf writes one line "goref[pid]: level: message" to stderr in one write,
// so lines from concurrent goroutines never interleave.
func logf(level logLevel, format string, args ...any) {
	message := []byte(fmt.Sprintf(format, args...))
	// One message is one line, whatever it contains.
	for i, c := range message {
		if c == '\n' || c == '\r' || c == 0 {
			message[i] = ' '
		}
	}
	line := make([]byte, 0, len(logPrefix)+len(level)+len(message)+3)
	line = append(line, logPrefix...)
	line = append(line, level...)
	line = append(line, ": "...)
	line = append(line, message...)
	line = append(line, '\n')
	_, _ = os.Stderr.Write(line) // a log that cannot be written cannot report it either
}

// announceReady writes the READY line of PROTOCOL.md section 8, in one write.
func announceReady(port int) {
	_, _ = os.Stderr.WriteString("READY port=" + strconv.Itoa(port) + " pid=" + strconv.Itoa(os.Getpid()) + "\n")
}
