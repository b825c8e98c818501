//go:build !unix

package index

import "os"

// lockFile opens the file without a lock where the system has no flock. An exclusive
// try (the check before removing a folder) then never succeeds, so folders are never
// removed from under another user; they are removed by the next start instead.
func lockFile(path string, exclusive, wait bool) (*os.File, bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, err
	}
	if exclusive && !wait {
		f.Close()
		return nil, false, nil
	}
	return f, true, nil
}
