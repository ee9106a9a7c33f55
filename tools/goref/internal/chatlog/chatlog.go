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
	"bytes"
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

// OpenWriter opens (creating with mode 0640 when missing) the log at path for
// appending, and for reading its last bytes: a record must start at a line boundary.
func OpenWriter(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	return &Writer{f: f}, nil
}

// Close closes the writer's file.
func (w *Writer) Close() error { return w.f.Close() }

// Append writes one record (a line ending in '\n') under flock(LOCK_EX) with a
// single write(2); only the unwritten rest is retried after a short write.
// A torn last record is cut off first (the returned TornTail says what was
// dropped, if anything). When the write fails (ENOSPC, EFBIG), the part
// already written is cut off again before the lock is released: the log
// holds the whole record or none of it.
func (w *Writer) Append(record []byte) (TornTail, error) {
	var torn TornTail
	err := withLock(w.f, syscall.LOCK_EX, func() error {
		var err error
		if torn, err = cutTornTail(w.f); err != nil {
			return err
		}
		end := torn.Offset
		n, err := w.f.Write(record) // loops on short writes and EINTR
		if err != nil && n > 0 {
			// Still under the lock, so no reader ever sees the piece. Should
			// even this fail, the next Append cuts it off.
			_ = w.f.Truncate(end)
		}
		return err
	})
	return torn, err
}

// TornTail is what cutTornTail found: the log's size afterwards, where the
// next record starts, and the bytes it cut off after the last '\n'.
type TornTail struct{ Offset, Bytes int64 }

func (t TornTail) String() string {
	return fmt.Sprintf("chat log: dropped a torn last record: %d bytes after the last newline (offset %d)", t.Bytes, t.Offset)
}

// CutTornTail cuts off a torn last record of the log at path, at start-up,
// under flock(LOCK_EX).
func CutTornTail(path string) (TornTail, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return TornTail{}, err
	}
	defer f.Close()
	var torn TornTail
	err = withLock(f, syscall.LOCK_EX, func() error {
		torn, err = cutTornTail(f)
		return err
	})
	return torn, err
}

// cutTornTail cuts off the bytes after the log's last '\n', if any: what is
// left of a record whose writer was cut short (a crash mid-write, a full disk
// when even the undo failed) or a hand edit. No reader ever consumed them
// (readers stop at the last '\n'); appending after them would glue them to
// the next record. The caller holds LOCK_EX; f is open for reading and writing.
func cutTornTail(f *os.File) (TornTail, error) {
	info, err := f.Stat() // fstat(2)
	if err != nil {
		return TornTail{}, err
	}
	size := info.Size()
	last := []byte{'\n'}
	// The common case costs one pread(2) of one byte.
	if size == 0 {
		return TornTail{}, nil
	}
	if _, err := f.ReadAt(last, size-1); err != nil && !errors.Is(err, io.EOF) {
		return TornTail{}, err
	}
	if last[0] == '\n' {
		return TornTail{Offset: size}, nil
	}
	end, err := endOfLastLine(f, size)
	if err != nil {
		return TornTail{}, err
	}
	if err := f.Truncate(end); err != nil {
		return TornTail{}, err
	}
	return TornTail{Offset: end, Bytes: size - end}, nil
}

// endOfLastLine returns the offset just after the last '\n' before end (0 when there is none).
func endOfLastLine(f *os.File, end int64) (int64, error) {
	block := make([]byte, chunkSize)
	for end > 0 {
		size := int64(chunkSize)
		if end < size {
			size = end
		}
		start := end - size
		n, err := f.ReadAt(block[:size], start)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		// Bytes not read (something truncated the log, ignoring the lock) count as torn.
		if i := bytes.LastIndexByte(block[:n], '\n'); i >= 0 {
			return start + int64(i) + 1, nil
		}
		end = start
	}
	return 0, nil
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
