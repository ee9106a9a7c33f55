package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testKey = strings.Repeat("0123456789abcdef", keySize/16)

func keyFile(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // not subject to the umask
		t.Fatal(err)
	}
	return path
}

func TestLoadKeyAcceptsTheContractsForms(t *testing.T) {
	for _, text := range []string{
		testKey,
		testKey + "\n",
		testKey + "\r\n",
		"KEY " + testKey + "\n",
		testKey + "\nsecond line ignored\n",
	} {
		key, err := loadKey(keyFile(t, text, 0o600))
		if err != nil || string(key) != testKey {
			t.Errorf("%q: got %q, %v", text, key, err)
		}
	}
	if _, err := loadKey(keyFile(t, testKey, 0o400)); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
}

func TestLoadKeyRefusesWrongLengths(t *testing.T) {
	for _, text := range []string{"", "\n", testKey[1:], testKey + "x", "KEY  " + testKey, "key " + testKey, testKey + "\r\r\n"} {
		if _, err := loadKey(keyFile(t, text, 0o600)); err == nil {
			t.Errorf("%q accepted", text)
		}
	}
}

func TestLoadKeyRefusesAFileOthersCanAccess(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602, 0o610, 0o601} {
		path := keyFile(t, testKey, mode)
		_, err := loadKey(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: %v", mode, err)
		}
	}
}

func TestLoadKeyNamesAMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none")
	if _, err := loadKey(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("%v", err)
	}
}
