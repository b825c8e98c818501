// Package smtptest is a minimal in-process SMTP server for tests: it accepts every message
// (after STARTTLS and AUTH PLAIN when configured) and keeps it.
package smtptest

import (
	"crypto/tls"
	"encoding/base64"
	"net"
	"net/textproto"
	"strings"
	"sync"
)

// Mail is one message received.
type Mail struct {
	From string
	To   []string
	Data string
	// TLS and Auth tell whether the session was encrypted and who authenticated ("" for no one).
	TLS  bool
	Auth string
}

// Server is a running test SMTP server.
type Server struct {
	ln    net.Listener
	tls   *tls.Config
	mu    sync.Mutex
	mails []Mail
	wg    sync.WaitGroup
}

// Start listens on a loopback port. With tc, the server offers STARTTLS.
func Start(tc *tls.Config) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, tls: tc}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	return s, nil
}

// Addr is host:port of the server.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server and waits for its sessions.
func (s *Server) Close() {
	s.ln.Close()
	s.wg.Wait()
}

// Mails returns the messages received so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	var m Mail
	_ = tp.PrintfLine("220 smtptest ready")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			exts := []string{"250-smtptest", "250-AUTH PLAIN"}
			if s.tls != nil && !m.TLS {
				exts = append(exts, "250-STARTTLS")
			}
			exts = append(exts, "250 8BITMIME")
			for _, e := range exts {
				_ = tp.PrintfLine("%s", e)
			}
		case "STARTTLS":
			if s.tls == nil {
				_ = tp.PrintfLine("502 no TLS here")
				continue
			}
			_ = tp.PrintfLine("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c = tc
			tp = textproto.NewConn(tc)
			m = Mail{TLS: true}
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			b, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(b), "\x00")
			if strings.ToUpper(mech) != "PLAIN" || err != nil || len(parts) != 3 {
				_ = tp.PrintfLine("535 bad credentials")
				continue
			}
			m.Auth = parts[1]
			_ = tp.PrintfLine("235 ok")
		case "MAIL":
			m.From = addrArg(arg)
			_ = tp.PrintfLine("250 ok")
		case "RCPT":
			m.To = append(m.To, addrArg(arg))
			_ = tp.PrintfLine("250 ok")
		case "DATA":
			_ = tp.PrintfLine("354 go ahead")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			m.Data = string(data)
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.mu.Unlock()
			m = Mail{TLS: m.TLS, Auth: m.Auth}
			_ = tp.PrintfLine("250 queued")
		case "RSET", "NOOP":
			_ = tp.PrintfLine("250 ok")
		case "QUIT":
			_ = tp.PrintfLine("221 bye")
			return
		default:
			_ = tp.PrintfLine("502 not implemented")
		}
	}
}

// addrArg is the address of "FROM:<a>" or "TO:<a>" (any parameters after it dropped).
func addrArg(arg string) string {
	_, a, _ := strings.Cut(arg, ":")
	a, _, _ = strings.Cut(strings.TrimSpace(a), " ")
	return strings.Trim(a, "<>")
}
