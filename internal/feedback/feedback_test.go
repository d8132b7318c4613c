package feedback_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := feedback.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := feedback.NormalizeCode(feedback.FormatCode(c)); !ok || got != c {
			t.Fatalf("code %q formatted %q reads back as %q, %v", c, feedback.FormatCode(c), got, ok)
		}
		if strings.ContainsAny(c, "01IOL") {
			t.Fatalf("code %q has an ambiguous character", c)
		}
		if seen[c] {
			t.Fatalf("code %q made twice in 1000", c)
		}
		seen[c] = true
	}
}

func TestNormalizeCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"K7QP-M4XD", "K7QPM4XD", true},
		{" k7qp m4xd ", "K7QPM4XD", true},
		{"k7qpm4xd", "K7QPM4XD", true},
		{"K7QP-M4X", "", false},
		{"K7QP-M4XDD", "", false},
		{"K7QP-M4X0", "", false}, // 0 is not in codes
		{"K7QP-M4XO", "", false},
		{"<script>", "", false},
		{"K7QP-M4XÐ", "", false},
		{strings.Repeat("A", 100), "", false},
		{"", "", false},
	} {
		got, ok := feedback.NormalizeCode(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestStrip(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain text stays", "She listened to me and explained things.", "She listened to me and explained things."},
		{"script tag", `<script>alert(1)</script>Thanks`, "alert(1)Thanks"},
		{"tag with attributes", `<a href="x" onclick="y">link</a> ok`, "link ok"},
		{"unclosed tag", `hello <img src=x onerror=alert(1)`, "hello"},
		{"comment", "a<!-- hidden -->b", "ab"},
		{"stray angle brackets", "I <3 my worker > others", "I 3 my worker  others"},
		{"entities", "&lt;b&gt;bold&#60;", "bbold"},
		{"email", "write to jo.bloggs+x@example.co.uk please", "write to " + feedback.EmailRemoved + " please"},
		{"email spelt out", "jo (at) example (dot) com", feedback.EmailRemoved},
		{"mobile", "ring me on 07700 900123", "ring me on " + feedback.PhoneRemoved},
		{"mobile international", "or +44 7700 900 123.", "or " + feedback.PhoneRemoved + "."},
		{"landline with brackets", "(020) 7946 0018", feedback.PhoneRemoved},
		{"landline with dashes", "0161-496-0000", feedback.PhoneRemoved},
		{"digits run together", "07700900123", feedback.PhoneRemoved},
		{"postcode", "I live at SW1A 1AA now", "I live at " + feedback.PostcodeRemoved + " now"},
		{"postcode without space", "m11ae", feedback.PostcodeRemoved},
		{"ages and short numbers stay", "I am 12 and saw her 3 times in 2024", "I am 12 and saw her 3 times in 2024"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := feedback.Strip(tc.in); got != tc.want {
				t.Errorf("Strip(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestAnswerCheck(t *testing.T) {
	ok := feedback.Answer{Helped: "She listened", Listened: "a_bit", Anything: "", Age: ""}
	if errs := ok.Check(); errs.Any() {
		t.Fatalf("good answers: %v", errs)
	}
	for _, tc := range []struct {
		name  string
		a     feedback.Answer
		field string
	}{
		{"no listened", feedback.Answer{Helped: "x"}, "listened"},
		{"unknown listened", feedback.Answer{Listened: "maybe"}, "listened"},
		{"unknown age", feedback.Answer{Listened: "yes", Age: "99"}, "age"},
		{"helped too long", feedback.Answer{Listened: "yes", Helped: strings.Repeat("é", feedback.MaxHelped+1)}, "helped"},
		{"anything too long", feedback.Answer{Listened: "yes", Anything: strings.Repeat("a", feedback.MaxAnything+1)}, "anything"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if errs := tc.a.Check(); errs.For(tc.field) == "" {
				t.Errorf("no error for %s: %v", tc.field, errs)
			}
		})
	}
	// Exactly at the limit is fine, and what Clean adds is cut to it.
	long := feedback.Answer{Listened: "no", Helped: strings.Repeat("a@b.co ", feedback.MaxHelped/7) + "x"}
	if errs := long.Check(); errs.Any() {
		t.Fatalf("answers at the limit: %v", errs)
	}
	if n := len([]rune(long.Clean().Helped)); n > feedback.MaxHelped {
		t.Errorf("cleaned answer has %d characters, over %d", n, feedback.MaxHelped)
	}
}

func TestTidy(t *testing.T) {
	got := feedback.Tidy(feedback.Answer{Helped: " a\r\nb\x00c\u202Ed\xff ", Listened: " yes "})
	if got.Helped != "a\nbcd" || got.Listened != "yes" {
		t.Errorf("Tidy: %q, %q", got.Helped, got.Listened)
	}
}

func TestCheck(t *testing.T) {
	lead := user.User{ID: 1, Role: user.LeadInspector}
	team := user.User{ID: 2, Role: user.TeamInspector}
	sao := user.User{ID: 3, Role: user.SAO}
	qam := user.User{ID: 4, Role: user.QAM}
	mod := user.User{ID: 5, Role: user.QAM}
	admin := user.User{ID: 6, Role: user.Admin}
	cafcass := user.User{ID: 7, Role: user.CafcassCEO}
	d := visit.Details{Visit: visit.Visit{Status: visit.Active}, Members: []visit.Member{
		{UserID: 1, Role: visit.RoleLead}, {UserID: 2, Role: visit.RoleTeam}, {UserID: 3, Role: visit.RoleSAO},
		{UserID: 4, Role: visit.RoleQAM}, {UserID: 5, Role: visit.RoleModerator}, {UserID: 7, Role: visit.RoleCafcass},
	}}
	before := d
	d.NoticeGivenAt = time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		a    feedback.Action
		u    user.User
		d    visit.Details
		want bool
		f    feedback.Facts
	}{
		{a: feedback.SeeCode, u: cafcass, d: before, want: false},
		{a: feedback.SeeCode, u: cafcass, d: d, want: true},
		{a: feedback.SeeCode, u: qam, d: d, want: true},
		{a: feedback.MakeCode, u: lead, d: before, want: false},
		{a: feedback.MakeCode, u: lead, d: d, want: true},
		{a: feedback.MakeCode, u: admin, d: d, want: true},
		{a: feedback.MakeCode, u: team, d: d, want: false},
		{a: feedback.MakeCode, u: cafcass, d: d, want: false},
		{a: feedback.MakeCode, u: lead, d: d, want: false, f: feedback.Facts{HasCode: true}},
		{a: feedback.SeeAnswers, u: lead, d: d, want: true},
		{a: feedback.SeeAnswers, u: team, d: d, want: true},
		{a: feedback.SeeAnswers, u: sao, d: d, want: true},
		{a: feedback.SeeAnswers, u: qam, d: d, want: false},
		{a: feedback.SeeAnswers, u: mod, d: d, want: false},
		{a: feedback.SeeAnswers, u: admin, d: d, want: false},
		{a: feedback.SeeAnswers, u: cafcass, d: d, want: false},
	} {
		if got := feedback.May(tc.a, tc.u, tc.d, tc.f); got != tc.want {
			t.Errorf("%s by %s (notice %v): %v, want %v", tc.a, tc.u.Role, tc.d.NoticeGiven(), got, tc.want)
		}
	}
}

func TestClosesOn(t *testing.T) {
	cal := workday.EnglandAndWales()
	// Fieldwork ends Wed 21 May 2025; the late May bank holiday is Mon 26.
	got, err := feedback.ClosesOn(cal, workday.NewDate(2025, 5, 21))
	if err != nil {
		t.Fatal(err)
	}
	if want := workday.NewDate(2025, 6, 5); got != want {
		t.Errorf("closes %v, want %v", got, want)
	}
}

func TestLimiter(t *testing.T) {
	l := &feedback.Limiter{Max: 3, Window: time.Minute, MaxKeys: 2}
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.Allow("a", now); !ok {
			t.Fatalf("request %d refused", i+1)
		}
	}
	if ok, wait := l.Allow("a", now.Add(10*time.Second)); ok || wait != 50*time.Second {
		t.Fatalf("fourth request: %v, wait %s", ok, wait)
	}
	if ok, _ := l.Allow("b", now); !ok {
		t.Fatal("another key refused")
	}
	if ok, _ := l.Allow("c", now.Add(2*time.Minute)); !ok {
		t.Fatal("a new key refused once the old windows ended")
	}
	if ok, _ := l.Allow("a", now.Add(2*time.Minute)); !ok {
		t.Fatal("a new window refused")
	}
}

// TestLimiterFullNeverClosesTheForm: a client owning many addresses fills
// the limiter; a child from a new address is still let in, and the limiter
// keeps no more keys than it may.
func TestLimiterFullNeverClosesTheForm(t *testing.T) {
	l := &feedback.Limiter{Max: 3, Window: time.Hour, MaxKeys: 64}
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		l.Allow(fmt.Sprintf("2001:db8:%x::/64", i), now)
	}
	if ok, _ := l.Allow("203.0.113.7", now.Add(time.Second)); !ok {
		t.Fatal("a new address refused once the limiter is full")
	}
	if n := l.Len(); n > 64 {
		t.Errorf("%d keys kept, want at most 64", n)
	}
}

// TestLongestAnswersFitTheBody: the longest answers the form takes, in
// emoji (4 bytes each, 12 once percent-encoded), fit the body limit, so a
// child is told about length by the form, never refused by the limit.
func TestLongestAnswersFitTheBody(t *testing.T) {
	body := url.Values{
		"code":     {"K7QP-M4XD"},
		"helped":   {strings.Repeat("😀", feedback.MaxHelped)},
		"listened": {"a_bit"},
		"anything": {strings.Repeat("😀", feedback.MaxAnything)},
		"age":      {"13_15"},
	}.Encode()
	if len(body) > feedback.MaxBodyBytes {
		t.Errorf("the longest answers take %d bytes, over the limit of %d", len(body), feedback.MaxBodyBytes)
	}
}
