//go:build unix

package watch

import (
	"io/fs"
	"syscall"
)

// inode is the file's inode number: a save renames a new file into place, which changes it
// even where modification times are coarse (a second on some file systems) and the size is
// the same.
func inode(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
