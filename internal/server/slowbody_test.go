package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// slowPost sends a form's headers and the first part of its body over a raw
// connection, then stops sending, and returns the answer the server gives
// while the rest is still awaited. The client gives up after a minute, which
// only bounds a failing test: the assertion is on the answer.
func slowPost(t *testing.T, ts *testServer, path string, header http.Header) (*http.Response, net.Conn) {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	body := "email=lead%40example.gov.uk&password="
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", path, u.Host, len(body)+1000)
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(conn, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(conn, "\r\n%s", body)
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("%s: no answer while the body was held back: %v", path, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, &readerConn{Conn: conn, r: br}
}

type readerConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *readerConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestSlowBody_FormDeadline: an ordinary form whose body stops arriving is
// answered 408 once FORM_BODY_TIMEOUT has passed, and the connection is
// closed, instead of being held for the server's whole read time.
func TestSlowBody_FormDeadline(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"FORM_BODY_TIMEOUT": "300ms"})
	for _, path := range []string{"/sign-in", "/sign-out", "/visits/new"} {
		res, conn := slowPost(t, ts, path, nil)
		if path == "/visits/new" {
			// Signed out: the guard answers at once without reading the body.
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: status %d, want 303", path, res.StatusCode)
			}
			continue
		}
		if path == "/sign-out" {
			// Sign-out does not read the body; answered at once.
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s: status %d, want 303", path, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != http.StatusRequestTimeout {
			t.Errorf("%s: status %d, want 408", path, res.StatusCode)
		}
		if !res.Close {
			t.Errorf("%s: the answer does not close the connection", path)
		}
		if n, err := conn.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s: connection still open after the answer (read %d bytes)", path, n)
		}
	}

	// A signed-in form: the same.
	ts.addUser("lead_inspector", "lead@example.gov.uk")
	c := ts.signIn("lead@example.gov.uk")
	u, _ := url.Parse(ts.URL)
	var cookies []string
	for _, ck := range c.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	res, _ := slowPost(t, ts, "/account/password", http.Header{"Cookie": {strings.Join(cookies, "; ")}})
	if res.StatusCode != http.StatusRequestTimeout {
		t.Errorf("/account/password: status %d, want 408", res.StatusCode)
	}
}

// TestSlowBody_UploadKeepsTheLongDeadline: an upload whose body pauses for
// longer than FORM_BODY_TIMEOUT still arrives and is stored.
func TestSlowBody_UploadKeepsTheLongDeadline(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, map[string]string{"FORM_BODY_TIMEOUT": "200ms"}, true)
	item := f.itemPath(t, "1.03")
	body, ct := multipartBody(t, filePart{"1.03 MI report.pdf", pdf})
	whole := body.Bytes()
	pr, pw := io.Pipe()
	go func() {
		pw.Write(whole[:len(whole)/2])
		time.Sleep(time.Second) // five times the form deadline
		pw.Write(whole[len(whole)/2:])
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+item+"/files", pr)
	req.Header.Set("Content-Type", ct)
	req.ContentLength = int64(len(whole))
	res, err := f.ceoC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("slow upload: status %d, want 303", res.StatusCode)
	}
	if files, _ := f.stored(t); files != 1 {
		t.Errorf("%d files stored, want 1", files)
	}
}
