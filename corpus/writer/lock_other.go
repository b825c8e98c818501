//go:build !unix

package writer

// lockDir is a no-op where there is no flock: the process lock still holds.
func lockDir(string) (func(), error) { return func() {}, nil }
