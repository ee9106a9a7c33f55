// Package chatlog reads and appends the chat log, the service's only state
// (chatserver/PROTOCOL.md section 7). It does, system call for system call,
// what papayad's solutions/server/chat_log.cpp does, so that goref and papayad
// do the same I/O per message and differ only in how they wait.
//
// Two facts make the file safe to share:
//   - O_APPEND moves the offset to the end and writes in one step, so two
//     appenders never overwrite each other;
//   - flock(2) locks belong to an open file description. Every Writer and
//     Reader therefore opens the file itself: one *os.File shared by all
//     goroutines would share one lock, which excludes nobody (the original
//     papayaChat's bug, there with fork instead of goroutines).
package chatlog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

const (
	chunkSize = 64 << 10
	// A reader that fell far behind catches up in pieces of about this size,
	// so a slow client's backlog stays in the file, not in memory.
	catchUpBytes = 1 << 20
)

// Writer appends records through its own open file description.
type Writer struct{ f *os.File }

// OpenWriter opens (creating with mode 0640 when missing) the log at path for appending.
func OpenWriter(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	return &Writer{f: f}, nil
}

// Close closes the writer's file.
func (w *Writer) Close() error { return w.f.Close() }

// Append writes one record (a line ending in '\n') under flock(LOCK_EX) with a
// single write(2); only the unwritten rest is retried after a short write.
func (w *Writer) Append(record []byte) error {
	return withLock(w.f, syscall.LOCK_EX, func() error {
		n, err := w.f.Write(record) // loops on short writes and EINTR
		if err != nil && n > 0 {
			// The disk filled up mid-record: cut the piece off again, so that
			// it cannot glue itself to the next record.
			if info, statErr := w.f.Stat(); statErr == nil {
				_ = w.f.Truncate(info.Size() - int64(n))
			}
		}
		return err
	})
}

// Reader reads whole records through its own open file description.
type Reader struct{ f *os.File }

// OpenReader opens the log at path for reading.
func OpenReader(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &Reader{f: f}, nil
}

// Close closes the reader's file.
func (r *Reader) Close() error { return r.f.Close() }

// Size returns the log's current size, taken under flock(LOCK_SH).
func (r *Reader) Size() (int64, error) {
	var size int64
	err := withLock(r.f, syscall.LOCK_SH, func() error {
		var err error
		size, err = r.size()
		return err
	})
	return size, err
}

// TailOffset returns where the last n complete lines start: 0 when the log
// holds fewer, the end of the last complete line when n is 0. It reads
// backwards from the end, so its cost grows with n, not with the log.
func (r *Reader) TailOffset(n int) (int64, error) {
	var offset int64
	err := withLock(r.f, syscall.LOCK_SH, func() error {
		position, err := r.size()
		if err != nil {
			return err
		}
		block := make([]byte, chunkSize)
		seenLastNewline := false // the one that ends the last complete line
		newlines := 0
		for position > 0 {
			size := int64(chunkSize)
			if position < size {
				size = position
			}
			position -= size
			if err := r.readAt(block[:size], position); err != nil {
				return err
			}
			for i := size - 1; i >= 0; i-- {
				if block[i] != '\n' {
					continue
				}
				if !seenLastNewline {
					seenLastNewline = true
					if n == 0 {
						offset = position + i + 1
						return nil
					}
					continue
				}
				// This newline ends the line before the ones we want.
				if newlines++; newlines == n {
					offset = position + i + 1
					return nil
				}
			}
		}
		offset = 0 // fewer lines than asked for: all of them
		return nil
	})
	return offset, err
}

// ReadLinesFrom appends to buf the complete lines that start at offset, up to
// the end of the log or, when far behind, up to about 1 MiB, and returns buf
// and the offset after the last byte appended. Only whole lines are appended:
// a record being written, or a partial line left by a writer that did not
// lock, stays for the next call. The lock is released before it returns, so a
// caller never holds it while writing to a socket.
func (r *Reader) ReadLinesFrom(offset int64, buf []byte) ([]byte, int64, error) {
	start := len(buf)
	whole := 0 // bytes appended up to and including the last '\n'
	err := withLock(r.f, syscall.LOCK_SH, func() error {
		end, err := r.size()
		if err != nil {
			return err
		}
		position := offset
		for position < end {
			if position-offset >= catchUpBytes && whole > 0 {
				break
			}
			size := int64(chunkSize)
			if end-position < size {
				size = end - position
			}
			old := len(buf)
			buf = grow(buf, int(size))
			if err := r.readAt(buf[old:], position); err != nil {
				buf = buf[:old]
				return err
			}
			for i := len(buf) - 1; i >= old; i-- {
				if buf[i] == '\n' {
					whole = i + 1 - start
					break
				}
			}
			position += size
		}
		return nil
	})
	buf = buf[:start+whole]
	return buf, offset + int64(whole), err
}

func (r *Reader) size() (int64, error) {
	info, err := r.f.Stat() // fstat(2)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// readAt fills p with pread(2) from offset. The caller holds the lock and has
// checked the size, so a short read means someone truncated the log.
func (r *Reader) readAt(p []byte, offset int64) error {
	_, err := r.f.ReadAt(p, offset) // loops on short reads and EINTR
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s at %d: the chat log shrank (it must only grow)", r.f.Name(), offset)
	}
	return err
}

// grow extends buf by n bytes, reallocating only when its capacity is short.
func grow(buf []byte, n int) []byte {
	if cap(buf)-len(buf) >= n {
		return buf[:len(buf)+n]
	}
	bigger := make([]byte, len(buf)+n, 2*cap(buf)+n)
	copy(bigger, buf)
	return bigger
}

// withLock runs fn holding a flock(2) lock of kind how on f's open file description.
func withLock(f *os.File, how int, fn func() error) error {
	if err := flock(f, how); err != nil {
		return err
	}
	defer func() { _ = flock(f, syscall.LOCK_UN) }()
	return fn()
}

func flock(f *os.File, how int) error {
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var lockErr error
	// Control keeps the descriptor from being closed under us; unlike Fd(),
	// it leaves the file's mode alone.
	err = raw.Control(func(fd uintptr) {
		for {
			lockErr = syscall.Flock(int(fd), how)
			if lockErr != syscall.EINTR {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	if lockErr != nil {
		return &os.PathError{Op: "flock", Path: f.Name(), Err: lockErr}
	}
	return nil
}
