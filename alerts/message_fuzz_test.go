package alerts

import (
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzMessage: whatever the subject and bodies (all come from the corpus and the readers'
// saved searches), the message reads back as exactly one message with the same subject,
// the same two bodies and no header of the content's making. The subject is one line of at
// most maxSubject characters.
func FuzzMessage(f *testing.F) {
	f.Add("Digest", "plain\ntext", "<p>html</p>")
	f.Add("Bcc: eve@example.org\r\nX: y", "line\r\n.\r\nBcc: x", "é – ü\n=3D")
	f.Add(strings.Repeat("a long subject ", 20), strings.Repeat("x", 200), "--boundary\n")
	f.Add(strings.Repeat("€ü漢", 100), "", "")
	f.Fuzz(func(t *testing.T, subject, text, html string) {
		if !utf8.ValidString(subject) || !utf8.ValidString(text) || !utf8.ValidString(html) ||
			strings.Contains(text+html, "\r") {
			t.Skip() // bodies are UTF-8 with \n line ends, as the templates make them
		}
		m := Message{To: "ann@example.org", Subject: subject, Text: text, HTML: html}
		b, err := m.Bytes("alerts@example.org", time.Unix(0, 0))
		require.NoError(t, err)
		msg, err := mail.ReadMessage(strings.NewReader(string(b)))
		require.NoError(t, err)
		assert.Equal(t, []string{"ann@example.org"}, msg.Header["To"])
		assert.Empty(t, msg.Header["Bcc"])
		got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		require.NoError(t, err)
		assert.Equal(t, subjectLine(subject), got)
		assert.LessOrEqual(t, utf8.RuneCountInString(got), maxSubject)
		for _, line := range strings.Split(string(b[:strings.Index(string(b), "\r\n\r\n")]), "\r\n") {
			assert.Less(t, len(line), 998, "a header line fits SMTP's limit")
		}
		_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		require.NoError(t, err)
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for _, want := range []string{text, html} {
			p, err := mr.NextPart()
			require.NoError(t, err)
			body, err := io.ReadAll(p)
			require.NoError(t, err)
			assert.Equal(t, want, strings.ReplaceAll(string(body), "\r\n", "\n"))
		}
		_, err = mr.NextPart()
		assert.Equal(t, io.EOF, err)
	})
}
