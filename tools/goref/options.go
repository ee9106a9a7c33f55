package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// options is the command line of PROTOCOL.md section 8.
type options struct {
	port          uint64
	bind          string
	logPath       string
	keyFile       string
	history       uint64
	user          string
	allowRoot     bool
	pidfile       string
	maxClients    uint64
	authTimeoutMs uint64
	maxLine       uint64
	daemon        bool
	config        string
	stage         uint64
}

func defaultOptions() options {
	return options{
		port:          7722,
		logPath:       "chat.log",
		history:       7,
		maxClients:    1024,
		authTimeoutMs: 1000,
		maxLine:       4096,
		stage:         defaultStage,
	}
}

// usageError is a problem with the command line or config file: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// decimalValue is a number in [min, max] written in plain decimal digits:
// strconv with base 0 (what flag.Uint uses) would read 010 as octal and 0x10
// as hexadecimal, a surprise in a config file.
type decimalValue struct {
	p        *uint64
	min, max uint64
}

func (d decimalValue) Set(text string) error {
	if text == "" || strings.Trim(text, "0123456789") != "" {
		return fmt.Errorf("%q is not a decimal number in %d..%d", text, d.min, d.max)
	}
	v, err := strconv.ParseUint(text, 10, 64)
	if err != nil || v < d.min || v > d.max {
		return fmt.Errorf("%s is not in %d..%d", text, d.min, d.max)
	}
	*d.p = v
	return nil
}

func (d decimalValue) String() string {
	if d.p == nil {
		return ""
	}
	return strconv.FormatUint(*d.p, 10)
}

// boolValue is a switch: `--allow-root` alone, or true/false/yes/no/1/0.
type boolValue struct{ p *bool }

func (b boolValue) IsBoolFlag() bool { return true }

func (b boolValue) Set(text string) error {
	v, ok := parseBoolean(text)
	if !ok {
		return fmt.Errorf("must be true, false, yes, no, 1 or 0, not %q", text)
	}
	*b.p = v
	return nil
}

func (b boolValue) String() string {
	if b.p == nil {
		return ""
	}
	return strconv.FormatBool(*b.p)
}

type stringValue struct{ p *string }

func (s stringValue) Set(text string) error { *s.p = text; return nil }

func (s stringValue) String() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// An optionSpec declares one option; bind ties it to a field of options.
type optionSpec struct {
	name    string
	arg     string // "" for a switch
	usage   string
	bind    func(*options) flag.Value
	fileToo bool // may be set in a config file
}

const maxUnsigned = 1<<32 - 1

var optionSpecs = []optionSpec{
	{"port", "N", "TCP port to listen on, 0..65535; 0 picks a free one (see the READY line) (default 7722)",
		func(o *options) flag.Value { return decimalValue{&o.port, 0, 65535} }, true},
	{"bind", "ADDR", "listen only on this IPv4 or IPv6 address, or host name (its first address) (default: every IPv4 and IPv6 address)",
		func(o *options) flag.Value { return stringValue{&o.bind} }, true},
	{"log", "FILE", "the chat log file, created when missing (default chat.log)",
		func(o *options) flag.Value { return stringValue{&o.logPath} }, true},
	{"key-file", "FILE", "require clients to send the 128-character key held in FILE (stages " + authenticatingStages() + "); FILE must not be accessible to group or others (default: no key, no authentication)",
		func(o *options) flag.Value { return stringValue{&o.keyFile} }, true},
	{"history", "N", "lines of history sent to a client when it joins, 0..10000 (default 7)",
		func(o *options) flag.Value { return decimalValue{&o.history, 0, 10000} }, true},
	{"user", "NAME", "when started as root: run as this system user, after opening the log and key and binding (default: none)",
		func(o *options) flag.Value { return stringValue{&o.user} }, true},
	{"allow-root", "", "allow running as root without --user (default: off; a root service refuses to start)",
		func(o *options) flag.Value { return boolValue{&o.allowRoot} }, true},
	{"pidfile", "FILE", "write the server's pid to FILE, removed at a clean stop (default: no pidfile)",
		func(o *options) flag.Value { return stringValue{&o.pidfile} }, true},
	{"max-clients", "N", "most clients connected at once, at least 1; further clients are closed at once (default 1024)",
		func(o *options) flag.Value { return decimalValue{&o.maxClients, 1, maxUnsigned} }, true},
	{"auth-timeout-ms", "N", "milliseconds a client has, in total, to send the whole key, at least 1 (default 1000)",
		func(o *options) flag.Value { return decimalValue{&o.authTimeoutMs, 1, maxUnsigned} }, true},
	{"max-line", "N", "longest accepted line in bytes, without its newline, 1..1048576; a longer line closes the connection (default 4096)",
		func(o *options) flag.Value { return decimalValue{&o.maxLine, 1, 1 << 20} }, true},
	{"daemon", "", "not supported: a Go program cannot fork; run goref under a supervisor (systemd, runit, ...) instead",
		func(o *options) flag.Value { return boolValue{&o.daemon} }, true},
	{"config", "FILE", "read settings from FILE: one `NAME value` per line, e.g. `PORT 7722`; # starts a comment; options given on the command line win (default: no config file)",
		func(o *options) flag.Value { return stringValue{&o.config} }, false},
	{"stage", "N", fmt.Sprintf("behave as the server of lab N, 0..%d: %s (default %d)", lastStage(), describeStageChoices(), defaultStage),
		func(o *options) flag.Value { return decimalValue{&o.stage, 0, lastStage()} }, true},
}

func findSpec(name string) *optionSpec {
	for i := range optionSpecs {
		if optionSpecs[i].name == name {
			return &optionSpecs[i]
		}
	}
	return nil
}

// newFlagSet declares every option on a flag.FlagSet bound to o. The flag
// package takes both -name and --name; errors are returned, not printed.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("goref", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, spec := range optionSpecs {
		fs.Var(spec.bind(o), spec.name, spec.usage)
	}
	return fs
}

// parseOptions parses the command line (without the program name) and the
// config file it names. It returns flag.ErrHelp for --help, and a
// *usageError for everything that must exit with status 2.
func parseOptions(args []string) (options, error) {
	// First pass: report command-line errors and find --config.
	probe := defaultOptions()
	fs := newFlagSet(&probe)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return probe, err
		}
		return probe, usagef("%s", longForm(err.Error()))
	}
	if fs.NArg() > 0 {
		return probe, usagef("unexpected argument %q (options start with --)", fs.Arg(0))
	}
	setOnCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { setOnCommandLine[f.Name] = true })

	// Second pass: config file first, then the command line over it.
	o := defaultOptions()
	var fileLines map[string]int
	if probe.config != "" {
		var err error
		if fileLines, err = applyConfigFile(&o, probe.config); err != nil {
			return o, err
		}
	}
	if err := newFlagSet(&o).Parse(args); err != nil {
		return o, usagef("%v", err) // cannot happen: the first pass parsed the same arguments
	}

	if o.daemon {
		const why = "goref cannot run as a daemon (a Go program cannot fork); run it under a supervisor such as systemd instead"
		if setOnCommandLine["daemon"] {
			return o, usagef("--daemon: %s", why)
		}
		return o, usagef("--config %s: config line %d: DAEMON: %s", o.config, fileLines["daemon"], why)
	}
	return o, nil
}

// The flag package names options "-port" in its messages; we document "--port".
var shortOption = regexp.MustCompile(`(^|[ :])-([a-z][a-z-]*)`)

func longForm(message string) string {
	return shortOption.ReplaceAllString(message, "$1--$2")
}

// applyConfigFile sets o from the config file at path. It returns the line of
// every option it set.
func applyConfigFile(o *options, path string) (map[string]int, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return nil, usagef("--config: cannot read %s: %v", path, err)
	}
	entries, err := parseConfig(string(text))
	if err != nil {
		return nil, usagef("--config %s: %v", path, err)
	}
	lines := map[string]int{}
	for _, entry := range entries {
		where := fmt.Sprintf("--config %s: config line %d: ", path, entry.line)
		spec := findSpec(entry.option)
		if spec == nil || !spec.fileToo {
			return nil, usagef("%sunknown setting %s", where, configName(entry.option))
		}
		if first, seen := lines[entry.option]; seen {
			return nil, usagef("%s%s is already set on line %d", where, configName(entry.option), first)
		}
		lines[entry.option] = entry.line
		if err := spec.bind(o).Set(entry.value); err != nil {
			return nil, usagef("%s%s: %v", where, configName(entry.option), err)
		}
	}
	return lines, nil
}

// printUsage writes the --help text.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "Usage: goref [options]\n\n"+
		"The Go reference papaya chat server: one RECV and one SEND goroutine per client\n"+
		"(see chatserver/PROTOCOL.md and tools/goref/README.md).\n\nOptions:\n")
	for _, spec := range optionSpecs {
		left := "--" + spec.name
		if spec.arg != "" {
			left += " " + spec.arg
		}
		fmt.Fprintf(w, "  %-22s %s\n", left, spec.usage)
	}
	fmt.Fprintf(w, "  %-22s %s\n", "--help", "print this help and exit")
}
