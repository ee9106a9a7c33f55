package chatlog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func writeLog(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chat.log")
	if err := os.WriteFile(path, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

func openReader(t *testing.T, path string) *Reader {
	t.Helper()
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// readAll reads every whole line from offset, the way a SEND goroutine does.
func readAll(t *testing.T, r *Reader, offset int64) (string, int64) {
	t.Helper()
	var out []byte
	for {
		var batch []byte
		var err error
		batch, offset, err = r.ReadLinesFrom(offset, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			return string(out), offset
		}
		out = append(out, batch...)
	}
}

func TestTailOffset(t *testing.T) {
	// Lines longer than the 64 KiB read-back chunk, and a partial last line.
	lines := []string{"a", strings.Repeat("b", 70000), "c", strings.Repeat("d", 200000), "e", "f"}
	complete := strings.Join(lines, "\n") + "\n"
	for _, text := range []string{complete, complete + "partial"} {
		path := writeLog(t, text)
		r := openReader(t, path)
		for h := 0; h <= len(lines)+2; h++ {
			offset, err := r.TailOffset(h)
			if err != nil {
				t.Fatal(err)
			}
			first := len(lines) - h
			if first < 0 {
				first = 0
			}
			want := strings.Join(lines[first:], "\n")
			if want != "" {
				want += "\n"
			}
			if got, _ := readAll(t, r, offset); got != want {
				t.Errorf("partial=%v H=%d: history starts at %d and reads %d bytes, want %d",
					text != complete, h, offset, len(got), len(want))
			}
		}
	}
}

func TestTailOffsetOfEmptyAndLineless(t *testing.T) {
	for _, text := range []string{"", "no newline at all"} {
		r := openReader(t, writeLog(t, text))
		for _, h := range []int{0, 1, 7} {
			offset, err := r.TailOffset(h)
			if err != nil {
				t.Fatal(err)
			}
			if h > 0 && offset != 0 {
				t.Errorf("log %q H=%d: offset %d, want 0", text, h, offset)
			}
			if got, _ := readAll(t, r, offset); got != "" {
				t.Errorf("log %q H=%d: read %q, want nothing", text, h, got)
			}
		}
	}
}

func TestReadLinesFromKeepsBackAPartialLine(t *testing.T) {
	path := writeLog(t, "one\ntwo\nthr")
	r := openReader(t, path)
	got, offset := readAll(t, r, 0)
	if got != "one\ntwo\n" || offset != 8 {
		t.Fatalf("read %q up to %d, want two lines up to 8", got, offset)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("ee\n"); err != nil {
		t.Fatal(err)
	}
	if got, offset = readAll(t, r, offset); got != "three\n" || offset != 14 {
		t.Fatalf("then read %q up to %d, want the completed line", got, offset)
	}
}

// A reader far behind catches up in bounded batches, each of whole lines.
func TestReadLinesFromBoundsOneBatch(t *testing.T) {
	line := strings.Repeat("x", 999) + "\n"
	text := strings.Repeat(line, 5000) // about 5 MB
	r := openReader(t, writeLog(t, text))
	var offset int64
	batches := 0
	for offset < int64(len(text)) {
		batch, next, err := r.ReadLinesFrom(offset, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 || len(batch) > catchUpBytes+chunkSize || batch[len(batch)-1] != '\n' {
			t.Fatalf("batch of %d bytes at %d", len(batch), offset)
		}
		if next != offset+int64(len(batch)) || string(batch) != text[offset:next] {
			t.Fatalf("batch at %d does not match the file", offset)
		}
		offset = next
		batches++
	}
	if batches < 4 {
		t.Errorf("%d batches for 5 MB: not bounded", batches)
	}
}

func TestReadLinesFromAppendsToBuf(t *testing.T) {
	r := openReader(t, writeLog(t, "a\nb\n"))
	buf := []byte("prefix:")
	buf, offset, err := r.ReadLinesFrom(2, buf)
	if err != nil || string(buf) != "prefix:b\n" || offset != 4 {
		t.Fatalf("got %q, %d, %v", buf, offset, err)
	}
}

func TestWriterCreatesTheLogWithMode0640(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "new.log")
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
}

// Many writers, each with its own open file description as every RECV
// goroutine has, appending at once while readers follow: every record lands
// whole, once, and every reader sees exactly the file.
func TestConcurrentWritersAndReaders(t *testing.T) {
	path := writeLog(t, "")
	const writers, records = 8, 300
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			log, err := OpenWriter(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer log.Close()
			for i := 0; i < records; i++ {
				record := fmt.Sprintf("w%d-%d: %s\n", w, i, bytes.Repeat([]byte{'a' + byte(w)}, 1+i%200))
				if _, err := log.Append([]byte(record)); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	seen := make([]string, 3)
	var readers sync.WaitGroup
	done := make(chan struct{})
	for i := range seen {
		readers.Add(1)
		go func(i int) {
			defer readers.Done()
			r, err := OpenReader(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer r.Close()
			var got []byte
			var offset int64
			for finished := false; ; {
				select {
				case <-done:
					finished = true
				default:
				}
				for {
					var batch []byte
					batch, offset, err = r.ReadLinesFrom(offset, nil)
					if err != nil {
						t.Error(err)
						return
					}
					if len(batch) == 0 {
						break
					}
					if batch[len(batch)-1] != '\n' {
						t.Error("a batch ended mid-line")
					}
					got = append(got, batch...)
				}
				if finished {
					seen[i] = string(got)
					return
				}
			}
		}(i)
	}
	wg.Wait()
	close(done)
	readers.Wait()

	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	if len(lines) != writers*records {
		t.Fatalf("%d records in the log, want %d", len(lines), writers*records)
	}
	next := make([]int, writers)
	for _, line := range lines {
		var w, i int
		var body string
		if _, err := fmt.Sscanf(line, "w%d-%d: %s", &w, &i, &body); err != nil || i != next[w] ||
			body != string(bytes.Repeat([]byte{'a' + byte(w)}, 1+i%200)) {
			t.Fatalf("damaged or out-of-order record %q", line)
		}
		next[w]++
	}
	for i, got := range seen {
		if got != string(text) {
			t.Errorf("reader %d saw %d bytes, the log has %d", i, len(got), len(text))
		}
	}
}

func openWriter(t *testing.T, path string) *Writer {
	t.Helper()
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCutTornTailAtStartUp(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"a: one\nb: two\nc: partial-without-newline", "a: one\nb: two\n"},
		{"a: one\nb: two\n", "a: one\nb: two\n"},
		{"", ""},
		{"partial", ""},
		{strings.Repeat("w", 70000) + "\n" + strings.Repeat("p", 200000), strings.Repeat("w", 70000) + "\n"},
	} {
		path := writeLog(t, c.text)
		torn, err := CutTornTail(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, path); got != c.want {
			t.Errorf("log %.20q: after CutTornTail %.20q, want %.20q", c.text, got, c.want)
		}
		if want := (TornTail{Offset: int64(len(c.want)), Bytes: int64(len(c.text) - len(c.want))}); torn != want {
			t.Errorf("log %.20q: CutTornTail = %+v, want %+v", c.text, torn, want)
		}
	}
}

func TestAppendCutsATornRecordFirst(t *testing.T) {
	path := writeLog(t, "a: one\nb: two\n")
	w := openWriter(t, path)
	// Appended after the writer opened the log: what a writer that died
	// mid-record leaves while the server runs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("c: partial-without-newline"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	torn, err := w.Append([]byte("d: after\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (TornTail{Offset: 14, Bytes: 26}); torn != want {
		t.Errorf("Append reported %+v, want %+v", torn, want)
	}
	if got := readFile(t, path); got != "a: one\nb: two\nd: after\n" {
		t.Errorf("log %q", got)
	}
	if torn, err := w.Append([]byte("e: next\n")); err != nil || torn.Bytes != 0 {
		t.Errorf("second Append: %+v, %v; want nothing cut", torn, err)
	}
}

// A full disk without root: RLIMIT_FSIZE cuts the write short and fails the
// next one with EFBIG (the Go runtime ignores SIGXFSZ unless asked for it).
// The limit is the whole test process's, so it is lifted again at once.
func TestAppendCutShortLeavesNothingBehind(t *testing.T) {
	old := "a: one\nb: two\n"
	path := writeLog(t, old)
	w := openWriter(t, path)
	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Fatal(err)
	}
	limit := syscall.Rlimit{Cur: uint64(len(old) + 10), Max: saved.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Fatal(err)
	}
	_, appendErr := w.Append([]byte("c: a line longer than the ten bytes left\n"))
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(appendErr, syscall.EFBIG) {
		t.Fatalf("Append past RLIMIT_FSIZE: %v, want EFBIG", appendErr)
	}
	if got := readFile(t, path); got != old {
		t.Fatalf("after the failed Append the log is %q, want %q", got, old)
	}
}
