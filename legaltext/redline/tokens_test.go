package redline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"The DCC shall", []string{"The", " ", "DCC", " ", "shall"}},
		{"a  \t\n b", []string{"a", " ", "b"}},
		{"Section H14.5(a), 99.5% and 1,000.", []string{"Section", " ", "H14.5", "(", "a", ")", ",", " ", "99.5", "%", " ", "and", " ", "1,000", "."}},
		{"end. Next", []string{"end", ".", " ", "Next"}},
		{"Party's café — naïve", []string{"Party", "'", "s", " ", "café", " ", "—", " ", "naïve"}},
		{"x\u00a0y", []string{"x", " ", "y"}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := tokenize(c.in)
			assert.Equal(t, c.want, got)
			assert.Equal(t, canonicalLine(c.in), strings.Join(got, ""), "tokens rebuild the canonical line")
		})
	}
}

func TestCleanText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"nul\x00 and \x01", "nul\uFFFD and \uFFFD"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"vt\vff\f", "vt ff "},
		{"\uFFFE\uFFFF", "\uFFFD\uFFFD"},
		{"astral 𝔘", "astral 𝔘"},
	}
	for _, c := range cases {
		got := CleanText(c.in)
		assert.Equal(t, c.want, got, "%q", c.in)
		assert.True(t, utf8.ValidString(got))
		for _, r := range got {
			assert.True(t, xmlChar(r), "%q keeps %U", c.in, r)
		}
	}
}

func TestEncoderSkipsSurrogatesAndASCII(t *testing.T) {
	e := newEncoder()
	rs := e.encode([]string{"word", " ", ".", "word", "other"})
	require.Len(t, rs, 5)
	assert.Equal(t, rune(firstPrivate), rs[0], "words start in the private use area")
	assert.Equal(t, ' ', rs[1], "a single ASCII character stands for itself")
	assert.Equal(t, '.', rs[2])
	assert.Equal(t, rs[0], rs[3], "one rune per distinct token")
	assert.NotEqual(t, rs[0], rs[4])

	// Run the allocator to its end: it must wrap round above ASCII and never hand out a
	// surrogate, an ASCII character or the same rune twice.
	e = newEncoder()
	seen := make([]bool, utf8.MaxRune+1)
	n := 0
	for r := e.alloc(); r >= 0; r = e.alloc() {
		if r < utf8.RuneSelf || !utf8.ValidRune(r) || seen[r] {
			t.Fatalf("alloc handed out %U (ASCII, surrogate, invalid or twice)", r)
		}
		seen[r] = true
		n++
	}
	assert.Equal(t, (0x10FFFF-0xE000+1)+(0xD7FF-0x80+1), n)
}

func TestDiffWords(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"same text", "same text", "same text"},
		{"", "new", "{+new+}"},
		{"old", "", "[-old-]"},
		{"The DCC shall reply.", "The DCC must reply.", "The DCC [-shall-]{+must+} reply."},
		{"in Section H8.", "in Section H13.", "in Section [-H8-]{+H13+}."},
		{"a b c d e", "a c d e f", "a [-b -]c d e{+ f+}"},
		{"the big dog barked", "the small cat barked", "the [-big dog-]{+small cat+} barked"},
		{"𝔘 astral and café", "𝔘 astral or café", "𝔘 astral [-and-]{+or+} café"},
	}
	for _, c := range cases {
		t.Run(c.a+"→"+c.b, func(t *testing.T) {
			ops := diffWords(c.a, c.b)
			assert.Equal(t, c.want, opsString([]Line{{Ops: ops}}))
			assert.Equal(t, c.a, spell(ops, OpDelete))
			assert.Equal(t, c.b, spell(ops, OpInsert))
			for k := 1; k < len(ops); k++ {
				assert.NotEqual(t, ops[k-1].Kind, ops[k].Kind, "adjacent ops of one kind are merged")
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	assert.Equal(t, "a b c", Normalize("  a\n\tb \u00a0 c \n"))
	assert.Equal(t, "", Normalize(" \n "))
}

// canonicalLine is a line as the redline carries it: whitespace runs as single spaces, ends
// trimmed.
func canonicalLine(s string) string { return Normalize(s) }

func TestWordsKeepWhitespace(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"The DCC shall", []string{"The", " ", "DCC", " ", "shall"}},
		{"a  \t\n b", []string{"a", "  \t\n ", "b"}},
		{"**H1.1** x\n\n- (a) y\n", []string{"*", "*", "H1.1", "*", "*", " ", "x", "\n\n", "-", " ", "(", "a", ")", " ", "y", "\n"}},
		{"bad \xff byte", []string{"bad", " ", "\xff", " ", "byte"}},
		{"x\u00a0y", []string{"x", "\u00a0", "y"}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := Words(c.in)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.in, strings.Join(got, ""), "tokens join back to the input")
			for _, tok := range got {
				assert.Equal(t, strings.TrimSpace(tok) == "", IsSpace(tok), "%q", tok)
			}
		})
	}
}

func FuzzWords(f *testing.F) {
	f.Add("**H1.1** The DCC shall, within 5 days:\n  - (a) notify")
	f.Add("bad \xff\xfe byte\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		got := Words(s)
		require.Equal(t, s, strings.Join(got, ""))
		var words []string
		for _, tok := range got {
			if IsSpace(tok) {
				tok = " "
			}
			words = append(words, tok)
		}
		assert.Equal(t, tokenize(s), nilIfEmpty(words), "the same tokens as the redline, whitespace aside")
	})
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
