// Command goref is the Go reference papaya chat server: one goroutine per
// client for each role (RECV and SEND) where papayad has one process. It
// follows chatserver/PROTOCOL.md except section 12 (process structure) and
// --daemon, which it rejects; see README.md for the design.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"papaya-lab/goref/internal/chatlog"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	opts, err := parseOptions(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(os.Stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "goref: %v\nRun 'goref --help' for the options.\n", err)
		return 2
	}

	// Asked for before start-up, so that a SIGTERM that arrives meanwhile is
	// kept and stops the service as soon as it runs.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	// SIGUSR1 is internal to papayad; SIGPIPE must not kill us when stderr's
	// reader goes away (sockets get EPIPE anyway); as in papayad, a write
	// past RLIMIT_FSIZE fails with EFBIG, which Append undoes.
	signal.Ignore(syscall.SIGUSR1, syscall.SIGPIPE, syscall.SIGXFSZ)

	srv, err := start(opts)
	if err != nil {
		logf(levelError, "%v", err)
		return 1
	}
	return srv.serveUntil(stop)
}

// start does every start-up step that can fail, in papayad's order:
// everything that needs root first (open or create the log and give it to
// the service user, read the key, bind, write the pidfile), then drop root.
func start(o options) (*server, error) {
	ids, err := serviceUser(o)
	if err != nil {
		return nil, err
	}
	logPath, err := filepath.Abs(o.logPath)
	if err != nil {
		return nil, err
	}
	if err := prepareLog(logPath, ids); err != nil {
		return nil, err
	}
	// What a crash left: the first record must start at a line boundary.
	if torn, err := chatlog.CutTornTail(logPath); err != nil {
		return nil, err
	} else if torn.Bytes > 0 {
		logf(levelWarning, "%v", torn)
	}
	var key []byte
	if o.keyFile != "" {
		if key, err = loadKey(o.keyFile); err != nil {
			return nil, err
		}
	}
	listener, err := listen(o.bind, o.port)
	if err != nil {
		return nil, err
	}
	var pid *pidfile
	if o.pidfile != "" {
		path, err := filepath.Abs(o.pidfile)
		if err != nil {
			return nil, err
		}
		if pid, err = createPidfile(path); err != nil {
			return nil, err
		}
	}
	if ids != nil {
		if err := dropPrivileges(ids); err != nil {
			if pid != nil {
				pid.remove()
			}
			return nil, err
		}
	}

	f := featuresFor(o.stage)
	if !f.authenticate {
		key = nil // checked at start-up, not used before stage 4
	}
	return &server{
		features:    f,
		logPath:     logPath,
		key:         key,
		authTimeout: time.Duration(o.authTimeoutMs) * time.Millisecond,
		history:     int(o.history),
		maxLine:     int(o.maxLine),
		maxClients:  int(o.maxClients),
		listener:    listener,
		pidfile:     pid,
		wakeups:     newHub(),
		sessions:    map[*net.TCPConn]struct{}{},
	}, nil
}
