package user

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-factor authentication with an authenticator app: TOTP (RFC 6238),
// 6 digits every 30 seconds, SHA-1, as every common app reads it.
const (
	totpIssuer = "Focused visits"
	totpPeriod = 30
	// totpSkew is how many steps either side of now a code is accepted in,
	// for a phone's clock that is a little out.
	totpSkew = 1
	// RecoveryCodeCount is how many recovery codes a person is given.
	RecoveryCodeCount = 10
)

// TOTPKey is a new authenticator key, to be shown once as a QR code and as
// text.
type TOTPKey struct {
	// Secret is the key in base32, as people type it into an app.
	Secret string
	// URL is the otpauth:// URL the QR code holds.
	URL string
}

// NewTOTPKey makes a new random key for the account (the person's email).
func NewTOTPKey(account string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: account, Period: totpPeriod, SecretSize: 20})
	if err != nil {
		return TOTPKey{}, fmt.Errorf("user: new authenticator key: %w", err)
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL()}, nil
}

// ParseTOTPKey reads a key back from its otpauth:// URL.
func ParseTOTPKey(url string) (TOTPKey, error) {
	k, err := otp.NewKeyFromURL(url)
	if err != nil || k.Secret() == "" {
		return TOTPKey{}, fmt.Errorf("user: read authenticator key: %v", err)
	}
	return TOTPKey{Secret: k.Secret(), URL: url}, nil
}

// GroupedSecret is the secret in groups of four, easier to type.
func (k TOTPKey) GroupedSecret() string {
	var b strings.Builder
	for i, r := range k.Secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// QRCode returns the key's QR code as a PNG data URL, for an img element.
func (k TOTPKey) QRCode() (string, error) {
	key, err := otp.NewKeyFromURL(k.URL)
	if err != nil {
		return "", fmt.Errorf("user: read authenticator key: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", fmt.Errorf("user: QR code: %w", err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return "", fmt.Errorf("user: QR code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes()), nil
}

// TOTPCode is the code for the secret at t (for tests and the demo).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// CheckTOTP reports whether code is the secret's code at now, or a step
// either side, and newer than lastStep (a code is accepted once only). It
// returns the time step the code belongs to, to be stored as the new
// lastStep.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	now0 := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := now0 + d
		want, err := TOTPCode(secret, time.Unix(s*totpPeriod, 0))
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > lastStep {
			return s, true
		}
	}
	return 0, false
}

// recoveryAlphabet is Crockford's base 32 in lower case: no i, l, o or u,
// so a code read aloud or copied by hand is not misread.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// NewRecoveryCodes makes RecoveryCodeCount single-use codes (50 random bits
// each, shown as xxxxx-xxxxx) and the hashes to store.
func NewRecoveryCodes() (codes []string, hashes [][]byte, err error) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("user: recovery codes: %w", err)
		}
		var c strings.Builder
		for i, x := range b {
			if i == 5 {
				c.WriteByte('-')
			}
			c.WriteByte(recoveryAlphabet[x&31])
		}
		codes = append(codes, c.String())
		hashes = append(hashes, HashRecoveryCode(c.String()))
	}
	return codes, hashes, nil
}

// HashRecoveryCode is the stored form of a recovery code, as typed: case,
// spaces and dashes do not matter. The codes are random, so a fast hash is
// enough.
func HashRecoveryCode(code string) []byte {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		if r != '-' && r != ' ' && r != '\t' {
			b.WriteRune(r)
		}
	}
	h := sha256.Sum256([]byte("recovery-code:" + b.String()))
	return h[:]
}

// IsRecoveryCode reports whether what was typed looks like a recovery code
// rather than an authenticator's 6 digits.
func IsRecoveryCode(code string) bool {
	n := 0
	for _, r := range code {
		if r != '-' && r != ' ' {
			n++
		}
	}
	return n == 10
}

// NewLinkToken makes the random token of a link sent by email (an
// invitation, a password reset) and the hash to store: 256 bits, so the
// SHA-256 of it is all the database needs to find it.
func NewLinkToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("user: link token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashLinkToken(token), nil
}

// HashLinkToken is the stored form of a link's token, or nil when token is
// not one this service makes (so nothing is looked up for it).
func HashLinkToken(token string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 32 || base64.RawURLEncoding.EncodeToString(b) != token {
		return nil
	}
	h := sha256.Sum256(b)
	return h[:]
}
