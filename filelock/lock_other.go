//go:build !unix

// Package filelock takes exclusive advisory locks (flock) on files and folders, so that
// processes writing the same file (several replicas, a command beside the server) take turns.
package filelock

// Lock is a no-op where flock does not exist: writers in other processes are not serialised
// there (a process's own locks still are).
func Lock(string) (unlock func(), err error) { return func() {}, nil }
