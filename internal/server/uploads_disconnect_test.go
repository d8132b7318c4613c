package server_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestFileUpload_ClientDisconnectMidBodyLeavesNothing cuts the connection
// itself, not the client's reader: over a raw socket it sends the headers,
// the first file whole and part of the second, waits until the server is
// storing the files, then closes the socket (gracefully, and with a reset).
// Nothing may be left: no file, staged or not, and no chunk.
func TestFileUpload_ClientDisconnectMidBodyLeavesNothing(t *testing.T) {
	t.Parallel()
	for _, reset := range []bool{false, true} {
		t.Run(fmt.Sprintf("reset=%v", reset), func(t *testing.T) {
			t.Parallel()
			f := newUploadFixture(t, nil, true)
			item := f.itemPath(t, "1.03")
			body, ct := multipartBody(t, filePart{"1.03 first.pdf", pdf}, filePart{"1.03 second.txt", bytes.Repeat([]byte("text\n"), 2<<20)})
			u, _ := url.Parse(f.ts.URL)
			var cookies []string
			for _, c := range f.ceoC.Jar.Cookies(u) {
				cookies = append(cookies, c.Name+"="+c.Value)
			}

			conn, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			head := fmt.Sprintf("POST %s/files HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n",
				item, u.Host, ct, body.Len(), strings.Join(cookies, "; "))
			sent := body.Bytes()[:body.Len()/2] // the first file and half the second
			if _, err := conn.Write(append([]byte(head), sent...)); err != nil {
				t.Fatal(err)
			}
			// Wait until the server is storing the upload, so that the cut
			// comes in the middle of it.
			deadline := time.Now().Add(10 * time.Second)
			for {
				if files, _ := f.stored(t); files > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the server did not start storing the upload")
				}
				time.Sleep(10 * time.Millisecond)
			}
			if reset {
				conn.(*net.TCPConn).SetLinger(0) // close with RST
			}
			conn.Close()

			deadline = time.Now().Add(10 * time.Second)
			for {
				files, chunks := f.stored(t)
				if files == 0 && chunks == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d files and %d chunks left after the client disconnected mid-body", files, chunks)
				}
				time.Sleep(50 * time.Millisecond)
			}
			// The item shows no file to the lead inspector either.
			res := f.ts.get(f.leadC, item)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("item page: status %d", res.StatusCode)
			}
			if links := fileLinks(t, parse(t, res)); len(links) != 0 {
				t.Errorf("files listed after a cut-off upload: %v", links)
			}
		})
	}
}
