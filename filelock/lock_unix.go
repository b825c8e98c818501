//go:build unix

// Package filelock takes exclusive advisory locks (flock) on files and folders, so that
// processes writing the same file (several replicas, a command beside the server) take turns.
package filelock

import (
	"errors"
	"os"
	"syscall"
)

// Lock waits for an exclusive lock on path: a folder as it is, a file created (mode 0600) if
// missing. The lock lasts until unlock is called or the process ends.
func Lock(path string) (unlock func(), err error) {
	var f *os.File
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		f, err = os.Open(path)
	} else {
		f, err = os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	}
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
