package legaltext

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContainerDepth(t *testing.T) {
	cases := []struct {
		line string
		want int
	}{
		{"plain text", 0},
		{"> quoted", 1},
		{"> - 1. deep", 3},
		{">>>x", 3},
		{"- - - ", 3},
		{"-not a list", 0},
		{"  * item", 1},
		{"12. item", 1},
		{"12.5 per cent", 0},
		{"1) item", 1},
		{"12345678901. too long a number", 0},
		{"+ - * x", 3},
		{"**H1.1** A Party", 0},
		{strings.Repeat("> ", 100) + "x", 100},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, containerDepth([]byte(c.line)), c.line)
	}
}

// The shapes of Markdown whose parse cost grows with the square of their size are refused
// when they are large, with the line and the reason.
func TestCheckInputRefusesBombs(t *testing.T) {
	lim := DefaultInputLimits()
	cases := []struct {
		name, src, want string
	}{
		{"dashes", strings.Repeat("- ", 80000) + "y", "nested 80000 deep"},
		{"quotes", strings.Repeat(">", 160000) + "y", "nested 160000 deep"},
		{"links", strings.Repeat("[a](", 40000), "too much inline markup"},
		{"link paragraphs", strings.Repeat(strings.Repeat("[a](", 400)+"\n\n", 500), "too much inline markup"},
		{"emphasis", strings.Repeat("_a*", 200000), "too much inline markup"},
		{"strikethrough", strings.Repeat("~~a", 40000), "too much inline markup"},
		{"lines", strings.Repeat("x\n", 400000), "400001 lines"},
		{"size", strings.Repeat("word ", 1<<20), "bytes; at most"},
		{"deep later", "# Title\n\nText.\n\n" + strings.Repeat("> ", 20) + "x\n", "line 5: block quotes"},
	}
	for _, c := range cases {
		err := CheckInput([]byte(c.src), lim)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
		var in *InputError
		assert.ErrorAs(t, err, &in, c.name)
	}
	assert.NoError(t, CheckInput(nil, lim))
	assert.NoError(t, CheckInput([]byte(strings.Repeat("> - x [a](b)\n", 1000)), lim))
}

// Every version of the sample corpus, and every real text, is well within the limits: they
// are for posted text that no real document looks like.
func TestCheckInputAcceptsRealText(t *testing.T) {
	lim := DefaultInputLimits()
	var files []string
	for _, glob := range []string{"../corpus/sec/documents/*/*.md", "../corpus/sec/modifications/*/legal-text/*.md"} {
		m, err := filepath.Glob(glob)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.NotEmpty(t, files)
	if m, _ := filepath.Glob("../../shared/realtext/*/*"); len(m) > 0 {
		files = append(files, m...)
	} else {
		t.Log("../../shared/realtext not found: checking the sample corpus only")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NoError(t, CheckInput(b, lim), f)
	}
}

// allocated is the memory f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// What the limits let through costs memory in proportion to its size: four times the input,
// about four times the work (a quadratic path would give sixteen).
func TestAcceptedInputGrowsLinearly(t *testing.T) {
	shapes := map[string]func(n int) string{
		"nested containers":   func(n int) string { return strings.Repeat(strings.Repeat("> ", 5)+"- x\n", n) },
		"links in paragraphs": func(n int) string { return strings.Repeat(strings.Repeat("[a](", 20)+"\n\n", n) },
		"clauses":             func(n int) string { return strings.Repeat("**H1.1** A Party shall act.\n\n", n) },
		"one long paragraph":  func(n int) string { return strings.Repeat("x\n", 4*n) },
	}
	lim := DefaultInputLimits()
	for name, f := range shapes {
		small, large := f(500), f(2000)
		require.NoError(t, CheckInput([]byte(large), lim), name)
		a := allocated(func() { Parse([]byte(small)) })
		b := allocated(func() { Parse([]byte(large)) })
		ratio := float64(b) / float64(a)
		assert.Less(t, ratio, 8.0, "%s: 4x the input allocated %.1fx the memory", name, ratio)
	}
}

func FuzzCheckInput(f *testing.F) {
	f.Add([]byte("> - 1. x\n\n[a](b)"))
	f.Add([]byte(strings.Repeat("- ", 30)))
	f.Fuzz(func(t *testing.T, src []byte) {
		err := CheckInput(src, InputLimits{MaxBytes: 1 << 16, MaxLines: 1000, MaxDepth: 8, MaxInlineWork: 1 << 16})
		if err == nil {
			Parse(src) // what is accepted parses without a panic
		}
	})
}
