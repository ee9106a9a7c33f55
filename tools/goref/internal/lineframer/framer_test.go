package lineframer

import (
	"bytes"
	"fmt"
	"testing"
)

// feedAll feeds the chunks one after another and returns every record, copied.
func feedAll(f *Framer, chunks ...string) []string {
	var records []string
	for _, chunk := range chunks {
		for _, r := range f.Feed([]byte(chunk)) {
			records = append(records, string(r))
		}
	}
	return records
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The table of PROTOCOL.md section 5.
func TestLineRules(t *testing.T) {
	cases := []struct {
		name  string
		input string
		want  []string
	}{
		{"ordinary", "ana: hi\n", []string{"ana: hi\n"}},
		{"crlf", "ana: hi\r\n", []string{"ana: hi\n"}},
		{"two trailing cr", "ana: hi\r\r\n", []string{"ana: hi\r\n"}},
		{"cr inside", "a\rb\n", []string{"a\rb\n"}},
		{"empty", "\n\r\nx\n", []string{"x\n"}},
		{"nul dropped", "a\x00b\nc\n", []string{"c\n"}},
		{"several in one segment", "a\nb\n", []string{"a\n", "b\n"}},
		{"partial at end is kept back", "a\nbc", []string{"a\n"}},
		{"utf-8 untouched", "é: ☕\n", []string{"é: ☕\n"}},
		{"lone cr line is empty", "\r\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := New(4096)
			if got := feedAll(f, c.input); !equal(got, c.want) {
				t.Errorf("Feed(%q) = %q, want %q", c.input, got, c.want)
			}
			if f.Overlong() {
				t.Errorf("Feed(%q) set overlong", c.input)
			}
		})
	}
}

// However the stream is cut, the records are the same.
func TestEverySegmentationGivesTheSameRecords(t *testing.T) {
	input := "ana: hi\r\nbob: yo\n\n\r\nx\x00y\nlong line with \r inside\r\r\ntail"
	want := feedAll(New(64), input)
	for cut := 0; cut <= len(input); cut++ {
		if got := feedAll(New(64), input[:cut], input[cut:]); !equal(got, want) {
			t.Fatalf("cut at %d: got %q, want %q", cut, got, want)
		}
	}
	var bytewise []string
	f := New(64)
	for i := 0; i < len(input); i++ {
		bytewise = append(bytewise, feedAll(f, input[i:i+1])...)
	}
	if !equal(bytewise, want) {
		t.Fatalf("one byte at a time: got %q, want %q", bytewise, want)
	}
}

func TestContentOfExactlyMaxLineIsAccepted(t *testing.T) {
	const max = 10
	line := string(bytes.Repeat([]byte("m"), max))
	for _, ending := range []string{"\n", "\r\n"} {
		for cut := 0; cut <= max+len(ending); cut++ {
			in := line + ending
			f := New(max)
			got := feedAll(f, in[:cut], in[cut:])
			if !equal(got, []string{line + "\n"}) || f.Overlong() {
				t.Fatalf("ending %q cut %d: got %q overlong=%v", ending, cut, got, f.Overlong())
			}
		}
	}
}

func TestOverlongLineAppendsNothingOfItNorAfterIt(t *testing.T) {
	const max = 10
	long := string(bytes.Repeat([]byte("o"), max+1))
	f := New(max)
	got := feedAll(f, "before\n"+long+"\nafter\n", "more\n")
	if !equal(got, []string{"before\n"}) {
		t.Errorf("got %q, want only the line before", got)
	}
	if !f.Overlong() {
		t.Error("overlong not reported")
	}
}

func TestOverlongWithCrlfCountsTheContentOnly(t *testing.T) {
	const max = 10
	f := New(max)
	got := feedAll(f, string(bytes.Repeat([]byte("o"), max+1))+"\r\n")
	if len(got) != 0 || !f.Overlong() {
		t.Errorf("got %q overlong=%v, want nothing and overlong", got, f.Overlong())
	}
}

// Without '\n' the framer gives up as soon as no ending can make the line
// short enough, so its memory stays bounded.
func TestUnterminatedLineIsOverlongEarly(t *testing.T) {
	const max = 10
	cases := []struct {
		pending  string
		overlong bool
	}{
		{string(bytes.Repeat([]byte("x"), max)), false},
		{string(bytes.Repeat([]byte("x"), max)) + "\r", false}, // the \r may be the stripped one
		{string(bytes.Repeat([]byte("x"), max)) + "y", true},
		{string(bytes.Repeat([]byte("x"), max)) + "\r\r", true},
		{string(bytes.Repeat([]byte("x"), max+1)) + "\r", true},
	}
	for _, c := range cases {
		f := New(max)
		feedAll(f, c.pending)
		if f.Overlong() != c.overlong {
			t.Errorf("pending %q: overlong=%v, want %v", c.pending, f.Overlong(), c.overlong)
		}
		if c.overlong && len(f.partial) != 0 {
			t.Errorf("pending %q: %d bytes still buffered", c.pending, len(f.partial))
		}
	}
	f := New(max)
	for i := 0; i < 1000 && !f.Overlong(); i++ {
		f.Feed([]byte("x"))
		if len(f.partial) > max+1 {
			t.Fatalf("buffered %d bytes for max-line %d", len(f.partial), max)
		}
	}
	if !f.Overlong() {
		t.Fatal("a line that never ends was never reported")
	}
}

func TestRecordsStayIntactWithinOneFeed(t *testing.T) {
	f := New(4096)
	var in bytes.Buffer
	var want []string
	for i := 0; i < 500; i++ {
		line := fmt.Sprintf("line %d %s", i, bytes.Repeat([]byte("z"), i%37))
		in.WriteString(line + "\r\n")
		want = append(want, line+"\n")
	}
	var got []string
	for _, r := range f.Feed(in.Bytes()) {
		got = append(got, string(r))
	}
	if !equal(got, want) {
		t.Fatal("records of one large Feed were corrupted")
	}
}
