package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
)

// pidfile holds the server's pid and an fcntl(2) write lock on it
// (PROTOCOL.md section 10). Unlike a flock lock, an fcntl lock belongs to the
// process and dies with it, even after SIGKILL: it says "this server is
// alive". It also dies when the process closes *any* descriptor of the file,
// so the file stays open (and referenced, or a finalizer would close it) until
// the server stops, and nothing else in the process may open it.
type pidfile struct {
	path string
	f    *os.File
}

func createPidfile(path string) (*pidfile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if err := fcntlLock(f, &lock); err != nil {
		if err == syscall.EAGAIN || err == syscall.EACCES {
			running, _ := io.ReadAll(io.LimitReader(f, 32))
			f.Close()
			return nil, fmt.Errorf("pidfile %s is locked by running process %s; is the server already running?",
				path, bytes.TrimSpace(running))
		}
		f.Close()
		return nil, fmt.Errorf("fcntl(F_SETLK) %s: %v", path, err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		f.Close()
		return nil, err
	}
	return &pidfile{path: path, f: f}, nil
}

// remove deletes the file, if the server still may (after dropping root it
// may not: the stale file is harmless, its lock is gone with us), and lets
// the lock go.
func (p *pidfile) remove() {
	_ = os.Remove(p.path)
	_ = p.f.Close()
}

func fcntlLock(f *os.File, lock *syscall.Flock_t) error {
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var lockErr error
	if err := raw.Control(func(fd uintptr) { lockErr = syscall.FcntlFlock(fd, syscall.F_SETLK, lock) }); err != nil {
		return err
	}
	return lockErr
}
