package docimport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "title, part headings, clauses, lettered sub-paragraphs",
			in: "Section H: DCC Services\n\nH1 User Entry Process\n\nH1.1 A Party shall not send\n  any Service Request.\nH1.2 An Applicant shall:\n" +
				"(a) satisfy the Requirements; and\n(b) demonstrate that its systems:\n(i) have completed Tests; and\n(ii) comply with Section G3.20.\n(c) pay.\n",
			want: "# Section H: DCC Services\n\n## H1 User Entry Process {#H1}\n\n**H1.1** A Party shall not send any Service Request.\n\n**H1.2** An Applicant shall:\n\n" +
				"- (a) satisfy the Requirements; and\n- (b) demonstrate that its systems:\n  - (i) have completed Tests; and\n  - (ii) comply with Section G3.20.\n- (c) pay.\n",
		},
		{
			name: "a long first paragraph is no title; dotted labels; (h) then (i) are letters",
			in: "This licence is granted on the terms below, which the Licensee accepts by using the Work.\n\n1. Definitions\n\n a. \"Work\" means the work.\n" +
				"    It continues here.\n b. \"You\" means you.\n\n(g) seven\n(h) eight\n(i) nine\n",
			// The outline's top-level number is a paragraph of its own (a clause of the
			// outline numbering), its items a list.
			want: "This licence is granted on the terms below, which the Licensee accepts by using the Work.\n\n1\\. Definitions\n\n- a. \"Work\" means the work. It continues here.\n" +
				"- b. \"You\" means you.\n  - (g) seven\n  - (h) eight\n  - (i) nine\n",
		},
		{
			name: "Markdown characters in plain text stay text",
			in:   "# 1 * 2 = 2 <b> [x](y) & &amp; _a_ `c` ~d~\n\n> quoted\n\n---\n",
			want: "\\# 1 \\* 2 = 2 \\<b> [x\\](y) & \\&amp; \\_a\\_ \\`c\\` \\~d\\~\n\n\\> quoted\n\n\\---\n",
		},
		{
			name: "CRLF line ends and a byte order mark",
			in:   "\ufeffTitle\r\n\r\nH2.1 Text\r\nmore text\r\n",
			want: "# Title\n\n**H2.1** Text more text\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadText([]byte(tt.in), Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Markdown)
			requireSameWords(t, Words(tt.in), wordsOf([]byte(res.Markdown)), tt.name)
		})
	}
}

func TestPrefixOption(t *testing.T) {
	in := "G1.1 Cited clause number.\n\nH1.1 Our clause.\n\nH1.2 Another.\n"
	res, err := ReadText([]byte(in), Options{})
	require.NoError(t, err)
	assert.Equal(t, "H", res.Prefix)
	assert.Equal(t, "G1.1 Cited clause number.\n\n**H1.1** Our clause.\n\n**H1.2** Another.\n", res.Markdown)
	res, err = ReadText([]byte(in), Options{Prefix: "G"})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Clauses)
}

func TestReadMarkdown(t *testing.T) {
	res, err := ReadMarkdown([]byte("---\nversion: \"1.0\"\n---\n\n# Title\n\n**X1.1** One.\n\n**X1.1** Twice."), Options{})
	require.NoError(t, err)
	assert.Equal(t, "# Title\n\n**X1.1** One.\n\n**X1.1** Twice.\n", res.Markdown)
	assert.Equal(t, "X", res.Prefix)
	assert.Equal(t, "Title", res.Title)
	require.Len(t, res.Report, 1)
	assert.Equal(t, `structure: line 5 of the text: duplicate id "X1.1" (first used on line 3) (in "**X1.1** Twice.")`, res.Report[0].String())
	_, err = ReadMarkdown([]byte("---\nversion: 1\n"), Options{})
	assert.True(t, IsInputError(err))
}
