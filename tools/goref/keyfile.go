package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"syscall"
)

// keySize is the length of the key a client sends first (PROTOCOL.md section 3).
const keySize = 128

// loadKey reads the key file of PROTOCOL.md section 10: the first line,
// optionally prefixed with the original papayaChat's "KEY ", must hold exactly
// keySize bytes, and the file must not be accessible by group or others.
func loadKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open key file %s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	mode := uint32(info.Mode().Perm())
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		mode = st.Mode & 0o7777
	}
	if mode&0o077 != 0 {
		return nil, fmt.Errorf("key file %s is accessible by group or others (mode %04o); run: chmod 600 %s", path, mode, path)
	}

	// A key line is short; stop reading soon after a line's worth.
	text, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return nil, fmt.Errorf("read key file %s: %v", path, unwrapPath(err))
	}
	if len(text) == 0 {
		return nil, fmt.Errorf("key file %s is empty", path)
	}
	if end := bytes.IndexByte(text, '\n'); end >= 0 {
		text = text[:end]
	}
	text = bytes.TrimSuffix(text, []byte("\r"))
	text = bytes.TrimPrefix(text, []byte("KEY "))
	if len(text) != keySize {
		return nil, fmt.Errorf("key file %s: the first line must hold exactly %d characters, it holds %d", path, keySize, len(text))
	}
	return text, nil
}

// unwrapPath drops the "op path:" of an *os.PathError when the message names the path anyway.
func unwrapPath(err error) error {
	if pathErr, ok := err.(*os.PathError); ok {
		return pathErr.Err
	}
	return err
}
