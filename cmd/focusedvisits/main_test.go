package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun_Smoke starts the whole program as `focusedvisits serve` against a
// fresh database, waits until it is ready, checks the sign-in page and the
// demo users it printed, then stops it as SIGTERM would.
func TestRun_Smoke(t *testing.T) {
	url := dbtest.URL(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{
		"DATABASE_URL": url,
		"ADDR":         addr,
		"DATA_DIR":     t.TempDir(),
		"LOG_LEVEL":    "warn",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"focusedvisits", "serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	}()

	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before it was ready: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 60s:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	res, err := http.Get(base + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Sign in to Focused visits") {
		t.Errorf("GET /sign-in: %d", res.StatusCode)
	}
	if out := stdout.String(); !strings.Contains(out, "lead@ofsted.example") || !strings.Contains(out, "ceo@cafcass.example") {
		t.Errorf("demo users not printed:\n%s", out)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not stop within 20s of being cancelled")
	}
}

func TestRun_UnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"focusedvisits", "frobnicate"}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "usage:") {
		t.Errorf("err %v, stderr %q", err, stderr.String())
	}
}
