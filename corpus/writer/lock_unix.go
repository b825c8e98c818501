//go:build unix

package writer

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on a folder, so that two processes writing the same corpus
// (a writer and an import, say) take turns.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
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
