// Package lineframer splits a client's byte stream into chat records, by the
// line rules of chatserver/PROTOCOL.md section 5. It is the Go twin of
// papaya::LineFramer (chatserver/lib/line_framer.cpp).
package lineframer

import "bytes"

// Framer turns bytes, however segmented, into records: each complete line's
// content (one trailing '\r' removed) followed by '\n'. Empty lines and lines
// holding a NUL byte are dropped. A line whose content exceeds the limit makes
// the framer overlong: it then accepts nothing more.
type Framer struct {
	maxLine  int
	partial  []byte // the unterminated line so far, at most maxLine+1 bytes
	overlong bool

	out  []byte   // the records of the last Feed, back to back
	ends []int    // where each record of the last Feed ends in out
	recs [][]byte // the slices returned by the last Feed
}

// New returns a framer for lines of at most maxLine content bytes.
func New(maxLine int) *Framer {
	return &Framer{maxLine: maxLine}
}

// Overlong reports whether a line longer than the limit was seen. The
// connection must then be closed; the overlong line and everything after it
// are never returned.
func (f *Framer) Overlong() bool { return f.overlong }

// Feed consumes data and returns the records it completes, in order. The
// returned slices share the framer's buffers: they are valid until the next
// call to Feed.
func (f *Framer) Feed(data []byte) [][]byte {
	f.out = f.out[:0]
	f.ends = f.ends[:0]
	for !f.overlong && len(data) > 0 {
		newline := bytes.IndexByte(data, '\n')
		if newline < 0 {
			f.partial = append(f.partial, data...)
			// Give up as soon as no ending can make the line short enough, so a
			// client that never sends '\n' cannot make us buffer without bound:
			// at most maxLine bytes plus the '\r' that will be stripped.
			if excess := len(f.partial) - f.maxLine; excess > 1 || (excess == 1 && f.partial[len(f.partial)-1] != '\r') {
				f.overlong = true
				f.partial = nil
			}
			break
		}

		line := data[:newline]
		if len(f.partial) > 0 {
			f.partial = append(f.partial, line...)
			line = f.partial
		}
		data = data[newline+1:]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) > f.maxLine {
			f.overlong = true
			f.partial = nil
			break
		}
		if len(line) > 0 && bytes.IndexByte(line, 0) < 0 {
			f.out = append(f.out, line...)
			f.out = append(f.out, '\n')
			f.ends = append(f.ends, len(f.out))
		}
		f.partial = f.partial[:0]
	}

	// Sliced only now: appending to out may have moved it.
	f.recs = f.recs[:0]
	start := 0
	for _, end := range f.ends {
		f.recs = append(f.recs, f.out[start:end:end])
		start = end
	}
	return f.recs
}
