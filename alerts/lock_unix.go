//go:build unix

package alerts

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on path (created if missing), for writers of an
// alerts file of a user on this machine or on a shared file system that supports flock.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
