// Package mailtest is a real SMTP server for tests, on
// github.com/emersion/go-smtp, listening on a local port. A test can stop
// it (connections are refused), start it again on the same address, or
// make it hang: accept connections and never say a word, as a mail server
// that has stopped answering does. It keeps every message it accepted,
// decoded, to compare with what the service meant to send.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ofsted/focusedvisits/internal/config"
)

// Message is one message the server accepted.
type Message struct {
	From      string   // the envelope sender
	To        []string // the envelope recipients
	Header    mail.Header
	Subject   string // decoded
	MessageID string
	Body      string // decoded from its transfer encoding
}

// Server is a local SMTP server.
type Server struct {
	t    testing.TB
	addr string

	mu          sync.Mutex
	messages    []Message
	connections int
	srv         *smtp.Server // answering; nil otherwise
	hung        net.Listener // hanging; nil otherwise
	held        []net.Conn   // connections it hangs on
}

// Start starts a server on a free local port; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, addr: l.Addr().String()}
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's address, host:port.
func (s *Server) Addr() string { return s.addr }

// SMTP is the settings that reach the server: no TLS, no login, a short
// timeout (a test waits that long on a hung server).
func (s *Server) SMTP() config.SMTP {
	host, port, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(port)
	return config.SMTP{Host: host, Port: n, TLS: config.SMTPNoTLS, From: "Ofsted focused visits <focused-visits@ofsted.example>",
		Timeout: 2 * time.Second, MaxAttempts: 10}
}

// counting counts the connections a listener accepts.
type counting struct {
	net.Listener
	s *Server
}

func (c counting) Accept() (net.Conn, error) {
	conn, err := c.Listener.Accept()
	if err == nil {
		c.s.mu.Lock()
		c.s.connections++
		c.s.mu.Unlock()
	}
	return conn, err
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "mailtest.localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // a test's log may be closed by then
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(counting{l, s})
}

// listen listens on the server's address again, waiting a little for the
// port to be free.
func (s *Server) listen() net.Listener {
	s.t.Helper()
	var err error
	for range 50 {
		var l net.Listener
		if l, err = net.Listen("tcp", s.addr); err == nil {
			return l
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("mailtest: listen on %s again: %v", s.addr, err)
	return nil
}

// Stop stops the server: connections to it are refused until Resume.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, hung, held := s.srv, s.hung, s.held
	s.srv, s.hung, s.held = nil, nil, nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
	if hung != nil {
		hung.Close()
	}
	for _, c := range held {
		c.Close()
	}
}

// Resume starts answering again on the same address.
func (s *Server) Resume() {
	s.t.Helper()
	s.Stop()
	s.serve(s.listen())
}

// Hang makes the server accept connections and never answer them (not
// even the greeting), until Stop or Resume.
func (s *Server) Hang() {
	s.t.Helper()
	s.Stop()
	l := s.listen()
	s.mu.Lock()
	s.hung = l
	s.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.connections++
			if s.hung != l {
				s.mu.Unlock()
				c.Close()
				return
			}
			s.held = append(s.held, c)
			s.mu.Unlock()
		}
	}()
}

// Messages returns the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Connections is how many connections the server has accepted, answering
// or not.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decode(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "mailtest: cannot read the message: " + err.Error()}
	}
	m.From, m.To = ss.from, ss.to
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, m)
	ss.s.mu.Unlock()
	return nil
}

// decode reads a plain-text message: its headers, its decoded subject and
// its body undone from its transfer encoding.
func decode(raw []byte) (Message, error) {
	pm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: pm.Header, MessageID: pm.Header.Get("Message-Id")}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(pm.Header.Get("Subject")); err != nil {
		return m, err
	}
	var body io.Reader = pm.Body
	switch strings.ToLower(pm.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit":
	default:
		return m, errors.New("unknown transfer encoding " + pm.Header.Get("Content-Transfer-Encoding"))
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return m, err
	}
	m.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return m, nil
}
