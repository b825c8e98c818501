//go:build !unix

package alerts

// lockFile is a no-op where flock does not exist: writers of an alerts file are not
// serialised there.
func lockFile(string) (func(), error) { return func() {}, nil }
