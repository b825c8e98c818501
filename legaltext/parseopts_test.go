package legaltext

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withoutRefs is d's nodes with their references taken out.
func withoutRefs(d *Doc) []Node {
	out := make([]Node, len(d.Nodes))
	for i, n := range d.Nodes {
		out[i] = *n
		out[i].Refs = nil
	}
	return out
}

// TestParseNoRefs: a parse without references is the full parse with every node's Refs
// empty, nothing else changed, in every scheme and through PickScheme.
func TestParseNoRefs(t *testing.T) {
	srcs := map[string][]byte{}
	for _, f := range versionFiles(t) {
		srcs[filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f)] = readBody(t, f)
	}
	// Inputs off the fast path and in the other schemes.
	srcs["goldmark only"] = []byte("# T\n\n**H1.1** See Section G and H2.3 `code` <b>x</b>.\n\n> quoted H3.4\n")
	srcs["numbered"] = []byte("# Gesetz\n\n## § 1 Zweck\n\n(1) Nach § 2 Absatz 1 gilt dies.\n\n## § 2 Begriffe\n\n(1) Siehe § 1.\n")
	refs := 0
	for name, src := range srcs {
		for _, scheme := range append([]string{""}, builtinNames...) {
			var s *Scheme
			if scheme != "" {
				var ok bool
				s, ok = BuiltinScheme(scheme)
				require.True(t, ok, scheme)
			}
			full, lean := ParseScheme(src, s), ParseSchemeWith(src, s, ParseOptions{NoRefs: true})
			for _, n := range lean.Nodes {
				assert.Empty(t, n.Refs, "%s (%s) %s", name, scheme, n.ID)
			}
			for _, n := range full.Nodes {
				refs += len(n.Refs)
			}
			assert.Equal(t, withoutRefs(full), withoutRefs(lean), "%s (%s)", name, scheme)
			assert.Equal(t, full.Definitions, lean.Definitions, "%s (%s)", name, scheme)
			assert.Equal(t, full.Problems, lean.Problems, "%s (%s)", name, scheme)
			assert.Equal(t, full.Title, lean.Title, "%s (%s)", name, scheme)
		}
		fs, fd := PickScheme(src)
		ls, ld := PickSchemeWith(src, ParseOptions{NoRefs: true})
		assert.Equal(t, fs, ls, name)
		assert.Equal(t, withoutRefs(fd), withoutRefs(ld), name)
	}
	assert.Greater(t, refs, 100, "the inputs have references to leave out")
}
