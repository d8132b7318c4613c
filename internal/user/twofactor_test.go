package user_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

func TestTOTP(t *testing.T) {
	k, err := user.NewTOTPKey("deputy@cafcass.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Secret) != 32 || !strings.HasPrefix(k.URL, "otpauth://totp/") {
		t.Fatalf("key %+v", k)
	}
	qr, err := k.QRCode()
	if err != nil || !strings.HasPrefix(qr, "data:image/png;base64,") {
		t.Fatalf("QR code %.40q %v", qr, err)
	}
	if back, err := user.ParseTOTPKey(k.URL); err != nil || back.Secret != k.Secret {
		t.Fatalf("ParseTOTPKey: %+v %v", back, err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 15, 0, time.UTC)
	code, err := user.TOTPCode(k.Secret, now)
	if err != nil {
		t.Fatal(err)
	}
	step, ok := user.CheckTOTP(k.Secret, code, now, 0)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("the current code: %d %v", step, ok)
	}
	if _, ok := user.CheckTOTP(k.Secret, code, now, step); ok {
		t.Error("a code was accepted twice")
	}
	if _, ok := user.CheckTOTP(k.Secret, code, now.Add(30*time.Second), 0); !ok {
		t.Error("the code of the step before was refused")
	}
	if _, ok := user.CheckTOTP(k.Secret, code, now.Add(90*time.Second), 0); ok {
		t.Error("a code three steps old was accepted")
	}
	if _, ok := user.CheckTOTP(k.Secret, "12345", now, 0); ok {
		t.Error("five digits accepted")
	}
	if _, ok := user.CheckTOTP(k.Secret, code[:3]+" "+code[3:], now, 0); !ok {
		t.Error("a code typed with a space was refused")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes, err := user.NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || !user.IsRecoveryCode(c) || user.IsRecoveryCode("123456") {
			t.Errorf("code %q", c)
		}
		typed := strings.ToUpper(strings.ReplaceAll(c, "-", " "))
		if !bytes.Equal(user.HashRecoveryCode(typed), hashes[i]) {
			t.Errorf("%q typed as %q hashes differently", c, typed)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(codes)))) != 10 {
		t.Error("repeated codes")
	}
}

func TestLinkToken(t *testing.T) {
	token, hash, err := user.NewLinkToken()
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 43 || !bytes.Equal(user.HashLinkToken(token), hash) {
		t.Fatalf("token %q", token)
	}
	for _, bad := range []string{"", "no-such-token", token + "A", token[:42], "%00"} {
		if user.HashLinkToken(bad) != nil {
			t.Errorf("HashLinkToken(%q) is not nil", bad)
		}
	}
}

func TestDevice(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0":                                      "Firefox on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15":    "Safari on macOS",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0": "Edge on Windows",
		"Go-http-client/1.1": "Unknown device",
		"":                   "Unknown device",
	} {
		if got := user.Device(ua); got != want {
			t.Errorf("Device(%q) = %q, want %q", ua, got, want)
		}
	}
}
