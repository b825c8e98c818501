package alerts

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"
)

// SMTP is how digests are sent. Nothing is sent without one.
type SMTP struct {
	// Addr is the server's host:port.
	Addr string
	// From is the sender's address.
	From string
	// User and Password authenticate (PLAIN) when User is set; the password comes from a
	// file (see ReadPassword), never from a flag.
	User, Password string
	// RequireTLS refuses to send when the server does not offer STARTTLS. Without it,
	// STARTTLS is used whenever offered.
	RequireTLS bool
	// TLS is the TLS configuration of STARTTLS (nil: the system's roots, the host of Addr).
	TLS *tls.Config
	// Timeout bounds one delivery (0: 30 seconds).
	Timeout time.Duration
}

// Validate checks the settings before anything is sent.
func (c SMTP) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("--smtp-addr %q: want host:port (e.g. smtp.example.org:587)", c.Addr)
	}
	if a, err := mail.ParseAddress(c.From); err != nil || a.Address != c.From {
		return fmt.Errorf("--smtp-from %q: want a plain e-mail address (alerts@example.org)", c.From)
	}
	if c.User != "" && c.Password == "" {
		return errors.New("--smtp-user needs --smtp-password-file")
	}
	if c.User == "" && c.Password != "" {
		return errors.New("--smtp-password-file needs --smtp-user")
	}
	return nil
}

// ReadPassword reads the SMTP password from the first line of a file, which should be
// readable by the server's user alone.
func ReadPassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--smtp-password-file: %w", err)
	}
	pw, _, _ := strings.Cut(string(b), "\n")
	pw = strings.TrimRight(pw, "\r")
	if pw == "" {
		return "", fmt.Errorf("--smtp-password-file %s: the first line is empty", path)
	}
	return pw, nil
}

// Message is one e-mail: a plain text and an HTML version of the same content.
type Message struct {
	To, Subject string
	Text, HTML  string
	// Unsubscribe is an absolute address that unsubscribes with one POST (RFC 8058); empty
	// for none.
	Unsubscribe string
}

// Bytes is the message as sent: multipart/alternative, both parts quoted-printable UTF-8.
func (m Message) Bytes(from string, date time.Time) ([]byte, error) {
	for _, x := range []string{m.To, from, m.Unsubscribe} {
		if strings.ContainsAny(x, "\r\n") {
			return nil, errors.New("mail: a header value has a line break")
		}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ typ, text string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(p.text)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	domain := from[strings.LastIndex(from, "@")+1:]
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	hdr := [][2]string{
		{"From", from},
		{"To", m.To},
		// Encoded words go one per line (folded), so that a subject of many non-ASCII
		// characters stays within the line limit; decoders drop the space between them.
		{"Subject", strings.ReplaceAll(mime.QEncoding.Encode("utf-8", subjectLine(m.Subject)), "?= =?", "?=\r\n =?")},
		{"Date", date.Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/alternative; boundary=" + mw.Boundary()},
		{"Auto-Submitted", "auto-generated"},
	}
	if m.Unsubscribe != "" {
		hdr = append(hdr, [2]string{"List-Unsubscribe", "<" + m.Unsubscribe + ">"},
			[2]string{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"})
	}
	for _, h := range hdr {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// maxSubject is the longest subject sent, in characters: a header line must stay under
// 998 bytes, and an unencoded one is not folded.
const maxSubject = 200

// subjectLine is s on one line: runs of white space (line breaks included) become one space,
// and it is cut at maxSubject characters.
func subjectLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxSubject {
		s = string(r[:maxSubject])
	}
	return s
}

// Mailer sends messages over SMTP.
type Mailer struct {
	cfg SMTP
	now func() time.Time
}

// NewMailer checks cfg and returns a Mailer.
func NewMailer(cfg SMTP, now func() time.Time) (*Mailer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	return &Mailer{cfg: cfg, now: now}, nil
}

// Send delivers m: STARTTLS when the server offers it (required with RequireTLS), then
// PLAIN authentication when a user is configured (net/smtp refuses it without TLS except
// to localhost).
func (ml *Mailer) Send(ctx context.Context, m Message) error {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("mail to %q: %w", m.To, err)
	}
	msg, err := m.Bytes(ml.cfg.From, ml.now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, ml.cfg.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", ml.cfg.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", ml.cfg.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(ml.cfg.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", ml.cfg.Addr, err)
	}
	defer c.Close()
	if err := ml.deliver(c, host, to.Address, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", ml.cfg.Addr, err)
	}
	return nil
}

func (ml *Mailer) deliver(c *smtp.Client, host, to string, msg []byte) error {
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		tc := ml.cfg.TLS
		if tc == nil {
			tc = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(tc); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	} else if ml.cfg.RequireTLS {
		return errors.New("the server does not offer STARTTLS, and --smtp-require-tls is set")
	}
	if ml.cfg.User != "" {
		if err := c.Auth(smtp.PlainAuth("", ml.cfg.User, ml.cfg.Password, host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(ml.cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
