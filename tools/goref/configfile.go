package main

import (
	"fmt"
	"strings"
)

// configEntry is one `NAME value` setting of a config file.
type configEntry struct {
	option string // the long option it sets: MAX_CLIENTS -> max-clients
	value  string
	line   int
}

const configBlanks = " \t\r\v\f"

// parseConfig reads the `NAME value` format of PROTOCOL.md section 10: one
// setting per line, # starts a comment line, blank lines are skipped, and the
// value is everything after the blanks that follow the name, trailing blanks
// removed. Names map to long options (case-insensitive, '_' for '-'); which
// names exist and which values they take is the caller's business.
func parseConfig(text string) ([]configEntry, error) {
	var entries []configEntry
	for i, raw := range strings.Split(text, "\n") {
		line := strings.Trim(raw, configBlanks)
		if line == "" || line[0] == '#' {
			continue
		}
		name := line
		if end := strings.IndexAny(line, configBlanks); end >= 0 {
			name = line[:end]
		}
		value := strings.Trim(line[len(name):], configBlanks)
		if value == "" {
			return nil, fmt.Errorf("config line %d: %s has no value", i+1, name)
		}
		option := strings.ReplaceAll(strings.ToLower(name), "_", "-")
		entries = append(entries, configEntry{option: option, value: value, line: i + 1})
	}
	return entries, nil
}

// configName is how a long option is written in a config file: max-clients -> MAX_CLIENTS.
func configName(option string) string {
	return strings.ReplaceAll(strings.ToUpper(option), "-", "_")
}

// parseBoolean accepts the spellings of a boolean setting, in any case.
func parseBoolean(text string) (value, ok bool) {
	switch strings.ToLower(text) {
	case "true", "yes", "1":
		return true, true
	case "false", "no", "0":
		return false, true
	}
	return false, false
}
