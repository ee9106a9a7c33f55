package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func configFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "goref.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaults(t *testing.T) {
	o, err := parseOptions(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o != defaultOptions() || o.port != 7722 || o.logPath != "chat.log" || o.history != 7 || o.maxClients != 1024 ||
		o.authTimeoutMs != 1000 || o.maxLine != 4096 || o.stage != defaultStage {
		t.Errorf("defaults: %+v", o)
	}
}

func TestLongOptions(t *testing.T) {
	o, err := parseOptions([]string{"--port", "0", "--bind=::1", "--log", "x.log", "--key-file", "k", "--history", "010",
		"--user", "nobody", "--allow-root", "--pidfile", "p", "--max-clients", "2", "--auth-timeout-ms", "4294967295",
		"--max-line", "1048576", "--stage", "3"})
	if err != nil {
		t.Fatal(err)
	}
	want := options{port: 0, bind: "::1", logPath: "x.log", keyFile: "k", history: 10, user: "nobody", allowRoot: true,
		pidfile: "p", maxClients: 2, authTimeoutMs: 4294967295, maxLine: 1 << 20, stage: 3}
	if o != want {
		t.Errorf("got %+v\nwant %+v", o, want)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--port", "65536"}, {"--port", "0x10"}, {"--port", "-1"}, {"--port", "+1"}, {"--port", ""}, {"--port"},
		{"--history", "10001"}, {"--max-clients", "0"}, {"--max-clients", "4294967296"}, {"--auth-timeout-ms", "0"},
		{"--max-line", "0"}, {"--max-line", "1048577"}, {"--stage", fmt.Sprint(lastStage() + 1)}, {"--allow-root=maybe"},
		{"--unknown"}, {"positional"}, {"--daemon"}, {"--daemon=yes"},
	} {
		_, err := parseOptions(args)
		var usage *usageError
		if !errors.As(err, &usage) {
			t.Errorf("%q: error %v, want a usage error", args, err)
		}
	}
}

func TestMessagesNameTheLongOption(t *testing.T) {
	_, err := parseOptions([]string{"--port", "x"})
	if err == nil || !strings.Contains(err.Error(), "--port") {
		t.Errorf("message %v does not name --port", err)
	}
	_, err = parseOptions([]string{"--daemon"})
	if err == nil || !strings.Contains(err.Error(), "supervisor") {
		t.Errorf("message %v does not say to use a supervisor", err)
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		if _, err := parseOptions([]string{arg}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: %v", arg, err)
		}
	}
	var out strings.Builder
	printUsage(&out)
	for _, spec := range optionSpecs {
		if !strings.Contains(out.String(), "--"+spec.name) {
			t.Errorf("usage lacks --%s", spec.name)
		}
	}
}

func TestConfigFileAndCommandLineOverride(t *testing.T) {
	path := configFile(t, "PORT 1234\nhistory 3\nMAX_CLIENTS 64\nALLOW_ROOT yes\nDAEMON no\nSTAGE 2\nLOG /var/chat.log\n")
	o, err := parseOptions([]string{"--config", path, "--port", "0", "--stage=5"})
	if err != nil {
		t.Fatal(err)
	}
	if o.port != 0 || o.stage != 5 {
		t.Errorf("the command line did not win: port %d stage %d", o.port, o.stage)
	}
	if o.history != 3 || o.maxClients != 64 || !o.allowRoot || o.daemon || o.logPath != "/var/chat.log" || o.config != path {
		t.Errorf("config not applied: %+v", o)
	}
	// The command line wins wherever it appears relative to --config.
	o, err = parseOptions([]string{"--history", "9", "--config", path})
	if err != nil || o.history != 9 {
		t.Errorf("history %d, %v", o.history, err)
	}
}

func TestConfigFileErrorsNameTheLine(t *testing.T) {
	cases := map[string]string{
		"PORT 1\nport 2\n":          "config line 2: PORT is already set on line 1",
		"# c\nFOO 1\n":              "config line 2: unknown setting FOO",
		"CONFIG other\n":            "config line 1: unknown setting CONFIG",
		"HELP yes\n":                "config line 1: unknown setting HELP",
		"PORT 0x1\n":                "config line 1: PORT",
		"HISTORY 10001\n":           "config line 1: HISTORY",
		"ALLOW_ROOT maybe\n":        "config line 1: ALLOW_ROOT",
		"PORT\n":                    "config line 1: PORT has no value",
		"PORT 1\n\nDAEMON true\n":   "config line 3: DAEMON",
		"STAGE 4\nMAX_LINE 0\n":     "config line 2: MAX_LINE",
		"MAX_CLIENTS 99999999999\n": "config line 1: MAX_CLIENTS",
	}
	for text, want := range cases {
		path := configFile(t, text)
		_, err := parseOptions([]string{"--config", path})
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%q: error %v, want a usage error with %q and the file name", text, err, want)
		}
	}
}

// A value the command line overrides is still checked, as papayad does.
func TestOverriddenConfigValueIsStillChecked(t *testing.T) {
	path := configFile(t, "PORT nope\n")
	if _, err := parseOptions([]string{"--config", path, "--port", "0"}); err == nil {
		t.Error("a bad PORT in the config file was accepted")
	}
}

func TestDaemonInConfigMayBeOverridden(t *testing.T) {
	path := configFile(t, "DAEMON yes\n")
	if _, err := parseOptions([]string{"--config", path, "--daemon=false"}); err != nil {
		t.Errorf("--daemon=false did not override DAEMON yes: %v", err)
	}
}

func TestUnreadableConfigIsAUsageError(t *testing.T) {
	for _, path := range []string{filepath.Join(t.TempDir(), "missing"), t.TempDir()} {
		_, err := parseOptions([]string{"--config", path})
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestFeaturesForStage(t *testing.T) {
	want := []features{
		{concurrent: false, echo: true},
		{concurrent: true, echo: true},
		{concurrent: true},
		{concurrent: true, multicast: true},
		{concurrent: true, multicast: true, authenticate: true},
		{concurrent: true, multicast: true, authenticate: true},
		{concurrent: true, multicast: true, authenticate: true},
		{concurrent: true, multicast: true, authenticate: true}, // stages 7 and 8 change papayad's engine, not goref's
		{concurrent: true, multicast: true, authenticate: true},
	}
	if len(stages) != len(want) {
		t.Fatalf("%d stages, want %d", len(stages), len(want))
	}
	for stage, w := range want {
		if got := featuresFor(uint64(stage)); got != w {
			t.Errorf("stage %d: %+v, want %+v", stage, got, w)
		}
	}
	// --stage's help says what papayad's says (tests/unit/stage_test.cpp),
	// but for the engine, which is always goroutines here.
	if got, w := describeStageChoices(), "0 echo one client at a time, 1 echo concurrently, 2 chat log and history, "+
		"3 live multicast, 4 to 8 key authentication"; got != w {
		t.Errorf("stage choices %q, want %q", got, w)
	}
	if got := authenticatingStages(); got != "4 to 8" {
		t.Errorf("authenticating stages %q, want 4 to 8", got)
	}
}
