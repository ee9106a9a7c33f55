package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	text := "# papayad.conf\n" +
		"PORT 7722\n" +
		"\n" +
		"   \t\n" +
		"  # indented comment\n" +
		"\tmax_clients \t 64 \r\n" +
		"log /var/lib/papaya/chat log.txt  \n" +
		"Allow_Root yes" // no final newline
	got, err := parseConfig(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []configEntry{
		{"port", "7722", 2},
		{"max-clients", "64", 6},
		{"log", "/var/lib/papaya/chat log.txt", 7},
		{"allow-root", "yes", 8},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestParseConfigSettingWithoutValue(t *testing.T) {
	for _, text := range []string{"PORT\n", "PORT   \n", "HISTORY 3\nPORT\t\n"} {
		_, err := parseConfig(text)
		if err == nil || !strings.Contains(err.Error(), "config line") || !strings.Contains(err.Error(), "PORT has no value") {
			t.Errorf("%q: error %v, want one naming the line and PORT", text, err)
		}
	}
}

func TestParseBoolean(t *testing.T) {
	for text, want := range map[string]bool{"true": true, "YES": true, "1": true, "False": false, "no": false, "0": false} {
		if got, ok := parseBoolean(text); !ok || got != want {
			t.Errorf("parseBoolean(%q) = %v, %v", text, got, ok)
		}
	}
	for _, text := range []string{"", "on", "2", "y"} {
		if _, ok := parseBoolean(text); ok {
			t.Errorf("parseBoolean(%q) accepted", text)
		}
	}
}
