// Package mailer sends the service's email over SMTP with
// github.com/wneessen/go-mail. It knows nothing of the outbox: the
// delivery job (internal/jobs) opens one connection for the messages due,
// sends each, and records what became of it.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/ofsted/focusedvisits/internal/config"
)

// Mailer sends through one mail server.
type Mailer struct {
	cfg    config.SMTP
	from   *mail.Address
	domain string // of Message-IDs
	client *gomail.Client
}

// New returns a mailer for the server cfg names (config.SMTP; it must be
// Enabled). domain names the service in Message-IDs (BASE_URL's host).
func New(cfg config.SMTP, domain string) (*Mailer, error) {
	if !cfg.Enabled() {
		return nil, errors.New("mailer: no mail server")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mailer: from %q: %w", cfg.From, err)
	}
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout)}
	switch cfg.TLS {
	case config.SMTPTLS:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.TLSMandatory))
	case config.SMTPStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	opts = append(opts, gomail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}))
	if cfg.Username != "" {
		// Over TLS the server's strongest mechanism it offers; never a
		// password in the clear (go-mail refuses PLAIN without TLS).
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	c, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mailer: %w", err)
	}
	if domain == "" {
		domain = "focusedvisits.invalid"
	}
	return &Mailer{cfg: cfg, from: from, domain: domain, client: c}, nil
}

// Message is one email to send.
type Message struct {
	// ID makes the Message-ID, <ID@domain>: the outbox's public id, so a
	// message sent twice (a crash between the server accepting it and the
	// outbox recording it) carries the same Message-ID both times.
	ID      string
	To      string
	ToName  string
	Subject string
	Body    string // plain text
	Date    time.Time
}

// Conn is one connection to the mail server, for one run of the job.
type Conn struct {
	m  *Mailer
	sc *smtp.Client
}

// Open connects to the mail server, greets it, secures the connection
// and logs in, each step within SMTP_TIMEOUT.
func (m *Mailer) Open(ctx context.Context) (*Conn, error) {
	sc, err := m.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("mailer: connect to %s:%d: %w", m.cfg.Host, m.cfg.Port, err)
	}
	return &Conn{m: m, sc: sc}, nil
}

// Send sends one message; an error means the server did not accept it.
func (c *Conn) Send(msg Message) error {
	g := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	g.FromMailAddress(c.m.from)
	if err := g.AddToFormat(msg.ToName, msg.To); err != nil {
		return fmt.Errorf("mailer: to %q: %w", msg.To, err)
	}
	g.Subject(msg.Subject)
	g.SetMessageIDWithValue(msg.ID + "@" + c.m.domain)
	if msg.Date.IsZero() {
		g.SetDate()
	} else {
		g.SetDateWithValue(msg.Date)
	}
	g.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	g.SetGenHeader("Auto-Submitted", "auto-generated")
	g.SetBodyString(gomail.TypeTextPlain, msg.Body)
	if err := c.m.client.SendWithSMTPClient(c.sc, g); err != nil {
		return fmt.Errorf("mailer: send to %s: %w", msg.To, err)
	}
	return nil
}

// Drop closes the connection without a word to the server, after a
// failure (a server that stopped answering would not answer QUIT either).
func (c *Conn) Drop() error { return c.sc.Close() }

// Close says goodbye to the server, or drops the connection if it does
// not answer.
func (c *Conn) Close() error {
	if err := c.m.client.CloseWithSMTPClient(c.sc); err != nil {
		return c.sc.Close()
	}
	return nil
}
