//go:build unix

package index

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes a lock on the file at path (created if missing): shared or exclusive,
// waiting for it or not. The lock lasts until the file is closed or the process ends, so a
// killed process never leaves a folder locked. ok is false when wait is false and another
// holder has a conflicting lock.
func lockFile(path string, exclusive, wait bool) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, false, nil
	}
	if err != nil {
		f.Close()
		return nil, false, err
	}
	return f, true, nil
}
