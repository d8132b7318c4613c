package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// ServiceOptions say how to start the service.
type ServiceOptions struct {
	Bin         string // the service binary (make build); run as `Bin serve`
	DatabaseURL string
	// Env is added to this process's environment and the settings Start
	// always gives (APP_ENV=development, ADDR, BASE_URL, DATABASE_URL,
	// MIGRATE_ON_START=false, DEMO_DATA=false, LOG_LEVEL=warn), and
	// overrides them: KEY=value.
	Env []string
	// LogFile, when set, is created and receives the service's output;
	// else the output goes to Output (nil: discarded).
	LogFile string
	Output  io.Writer
	// ReadyTimeout bounds the wait for /readyz to answer 200 (default 30 s).
	ReadyTimeout time.Duration
}

// Service is the service binary running on a loopback port.
type Service struct {
	Base string // http://127.0.0.1:PORT
	Addr string // 127.0.0.1:PORT

	cmd    *exec.Cmd
	exited chan struct{}
	err    error // from Wait, once exited is closed
}

// Start runs the binary on a free loopback port and waits until /readyz
// answers 200. It fails, having stopped the process, if the process exits
// first or is not ready within ReadyTimeout.
func Start(ctx context.Context, o ServiceOptions) (*Service, error) {
	if err := CheckBin(o.Bin); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &Service{Base: "http://" + addr, Addr: addr, exited: make(chan struct{})}
	s.cmd = exec.Command(o.Bin, "serve")
	s.cmd.Env = append(os.Environ(),
		"APP_ENV=development", "ADDR="+addr, "BASE_URL="+s.Base, "DATABASE_URL="+o.DatabaseURL,
		"MIGRATE_ON_START=false", "DEMO_DATA=false", "LOG_LEVEL=warn")
	s.cmd.Env = append(s.cmd.Env, o.Env...)
	var logFile *os.File
	if o.LogFile != "" {
		if logFile, err = os.Create(o.LogFile); err != nil {
			return nil, err
		}
		s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	} else if o.Output != nil {
		s.cmd.Stdout, s.cmd.Stderr = o.Output, o.Output
	}
	if err := s.cmd.Start(); err != nil {
		if logFile != nil {
			logFile.Close()
		}
		return nil, err
	}
	go func() {
		s.err = s.cmd.Wait()
		if logFile != nil {
			logFile.Close()
		}
		close(s.exited)
	}()
	if err := s.waitReady(ctx, orDefault(o.ReadyTimeout, 30*time.Second)); err != nil {
		s.Kill()
		if o.LogFile != "" {
			err = fmt.Errorf("%w (log: %s)", err, o.LogFile)
		}
		return nil, err
	}
	return s, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// readyClient asks /readyz on a fresh connection each time.
var readyClient = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

func (s *Service) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if status, err := Status(ctx, readyClient, s.Base+"/readyz"); err == nil && status == http.StatusOK {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("the service exited before it was ready: %v", s.err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the service did not become ready at %s within %v", s.Base, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// PID is the process's id.
func (s *Service) PID() int { return s.cmd.Process.Pid }

// Exited is closed once the process has exited; Err then says how.
func (s *Service) Exited() <-chan struct{} { return s.exited }

// Err is the process's exit (nil: status 0), once Exited is closed.
func (s *Service) Err() error {
	select {
	case <-s.exited:
		return s.err
	default:
		return errors.New("harness: the service is still running")
	}
}

// Signal sends the process a signal.
func (s *Service) Signal(sig os.Signal) error { return s.cmd.Process.Signal(sig) }

// Stop sends SIGTERM and waits for the process to exit, killing it after
// timeout. It returns how the process exited (nil: status 0).
func (s *Service) Stop(timeout time.Duration) error {
	select {
	case <-s.exited:
		return s.err
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return s.err
	case <-time.After(timeout):
		s.Kill()
		return fmt.Errorf("killed: still running %v after SIGTERM", timeout)
	}
}

// Kill kills the process if it is still running and waits for it.
func (s *Service) Kill() {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}
