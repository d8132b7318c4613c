package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// feedbackFixture is a visit planned from notice on Mon 14 Apr 2025
// (fieldwork days 7 and 8 are Thu 24 and Fri 25 Apr, after Easter; the form
// is open until 10 working days later, Mon 12 May, after the bank holiday
// on the 5th), its team, a moderator, an administrator
// and Cafcass, each signed in, and the clock at 10:00 on the notice day.
type feedbackFixture struct {
	ts      *testServer
	users   map[string]user.User
	clients map[string]*http.Client
	visit   visit.Details
	path    string
}

func newFeedbackFixture(t *testing.T, env map[string]string) *feedbackFixture {
	t.Helper()
	ts := newTestServer(t, env)
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	f := &feedbackFixture{ts: ts, users: map[string]user.User{}, clients: map[string]*http.Client{}}
	for name, role := range map[string]user.Role{"lead": user.LeadInspector, "team": user.TeamInspector, "sao": user.SAO,
		"qam": user.QAM, "moderator": user.QAM, "admin": user.Admin, "cafcass": user.CafcassCEO} {
		f.users[name] = ts.addUser(role, name+"@example.gov.uk")
		f.clients[name] = ts.signIn(name + "@example.gov.uk")
	}
	u := f.users
	f.visit = ts.createTestVisit(u["lead"], "notice", date("2025-04-14"),
		visit.Member{UserID: u["lead"].ID, Role: visit.RoleLead}, visit.Member{UserID: u["team"].ID, Role: visit.RoleTeam},
		visit.Member{UserID: u["sao"].ID, Role: visit.RoleSAO}, visit.Member{UserID: u["qam"].ID, Role: visit.RoleQAM},
		visit.Member{UserID: u["moderator"].ID, Role: visit.RoleModerator}, visit.Member{UserID: u["cafcass"].ID, Role: visit.RoleCafcass})
	f.path = "/visits/" + f.visit.PublicID
	return f
}

func (f *feedbackFixture) recordNotice(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	if err := f.ts.Store.RecordActual(ctx, f.visit.ID, 0, visit.Actual{Code: "notice", Date: date("2025-04-14"), Time: "09:00"}, "Notice call", f.users["lead"]); err != nil {
		t.Fatal(err)
	}
	c, err := f.ts.Store.GetFeedbackCode(ctx, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Code
}

func (f *feedbackFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.ts.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// codeError posts a code to /feedback and returns the status and the
// message beside the field.
func (f *feedbackFixture) codeError(t *testing.T, code string) (int, string) {
	t.Helper()
	res := f.ts.post(f.ts.client(), "/feedback", url.Values{"code": {code}})
	doc := parse(t, res)
	return res.StatusCode, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(doc.Find("#code-error").Text()), "Error:"))
}

// TestFeedback_CodeFromNotice: before notice there is no code, nothing
// offers one, and a code (even one that existed) finds nothing: the same
// answer as a made-up code. Recording notice makes the code, which Cafcass
// and Ofsted see on the visit's page with the words to pass it on; entered
// in any case and spacing, it opens the questions.
func TestFeedback_CodeFromNotice(t *testing.T) {
	t.Parallel()
	f := newFeedbackFixture(t, nil)
	ts, ctx := f.ts, context.Background()

	if res := ts.get(f.clients["cafcass"], f.path); res.StatusCode != http.StatusNotFound {
		t.Fatalf("Cafcass before notice: %d, want 404", res.StatusCode)
	}
	lead := parse(t, ts.get(f.clients["lead"], f.path))
	if lead.Find(`[data-testid="code"]`).Length() != 0 || !strings.Contains(lead.Text(), "The feedback code is made when notice is given") {
		t.Error("the lead's page before notice: a code, or no word of when it comes")
	}
	// The workspace links the answers for those who may read them.
	for who, want := range map[string]int{"lead": 1, "cafcass": 0, "qam": 0} {
		res := ts.get(f.clients[who], f.path+"/workspace")
		if res.StatusCode != http.StatusOK {
			continue
		}
		if n := parse(t, res).Find(`main a[href$="/workspace/feedback"]`).Length(); n != want {
			t.Errorf("%s: %d links to the answers on the workspace, want %d", who, n, want)
		}
	}
	if res := ts.post(f.clients["lead"], f.path+"/feedback-code", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("making the code before notice: %d, want 403", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM feedback_codes`); n != 0 {
		t.Fatalf("%d codes before notice", n)
	}
	// A code held by a visit without notice (made behind the rules' back)
	// answers exactly as a made-up one.
	other := ts.createTestVisit(f.users["lead"], "notice", date("2025-06-02"), visit.Member{UserID: f.users["lead"].ID, Role: visit.RoleLead},
		visit.Member{UserID: f.users["cafcass"].ID, Role: visit.RoleCafcass})
	hidden, err := ts.Store.MakeFeedbackCode(ctx, other.ID, f.users["lead"])
	if err != nil {
		t.Fatal(err)
	}
	made, _ := feedback.NewCode()
	for made == hidden {
		made, _ = feedback.NewCode()
	}
	st1, msg1 := f.codeError(t, hidden)
	st2, msg2 := f.codeError(t, made)
	if st1 != http.StatusUnprocessableEntity || st1 != st2 || msg1 != msg2 || msg1 == "" {
		t.Errorf("a code before notice: %d %q; a made-up code: %d %q; want the same 422", st1, msg1, st2, msg2)
	}

	code := f.recordNotice(t)
	for _, who := range []string{"cafcass", "qam", "lead", "admin"} {
		doc := parse(t, ts.get(f.clients[who], f.path))
		if got := strings.TrimSpace(doc.Find(`[data-testid="code"]`).Text()); got != feedback.FormatCode(code) {
			t.Errorf("%s sees code %q, want %q", who, got, feedback.FormatCode(code))
		}
		words := doc.Find(`[data-testid="feedback-code"]`).Text()
		if !strings.Contains(words, ts.Cfg.BaseURL.JoinPath("feedback").String()) || !strings.Contains(words, "Ask children and young people") {
			t.Errorf("%s: no words to pass the code on: %q", who, words)
		}
		if doc.Find(`form[action$="/feedback-code"]`).Length() != 0 {
			t.Errorf("%s is offered to make a code the visit has", who)
		}
		answers := doc.Find(`a[href$="/workspace/feedback"]`).Length() == 1
		if want := who == "lead"; answers != want {
			t.Errorf("%s: link to the answers %v, want %v", who, answers, want)
		}
	}
	if res := ts.post(f.clients["lead"], f.path+"/feedback-code", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("making a second code: %d, want 403", res.StatusCode)
	}
	if n := f.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'feedback.code_made'`, f.visit.ID); n != 1 {
		t.Errorf("%d history lines for the code, want 1", n)
	}
	typed := strings.ToLower(code[:4] + " - " + code[4:])
	res := ts.post(ts.client(), "/feedback", url.Values{"code": {typed}})
	doc := parse(t, res)
	if res.StatusCode != http.StatusOK || doc.Find(`form[action="/feedback/answers"] input[name="code"]`).AttrOr("value", "") != feedback.FormatCode(code) {
		t.Fatalf("entering %q: %d, no questions for the code", typed, res.StatusCode)
	}
	for _, sel := range []string{`textarea#helped`, `input[name="listened"]`, `textarea#anything`, `input[name="age"]`, `.govuk-character-count`} {
		if doc.Find(sel).Length() == 0 {
			t.Errorf("the questions have no %s", sel)
		}
	}
	if doc.Find(`input[name="name"]`).Length() > 0 {
		t.Error("the form asks for a name")
	}

	// A notice undone as recorded in error hides the visit again: its
	// code finds nothing, as a made-up one, and is not shown.
	d, err := ts.Store.GetVisit(ctx, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.UndoNotice(ctx, d.ID, d.Version, "Recorded on the wrong visit", f.users["admin"]); err != nil {
		t.Fatal(err)
	}
	if st, msg := f.codeError(t, code); st != st2 || msg != msg2 {
		t.Errorf("the code after notice was undone: %d %q, want %d %q", st, msg, st2, msg2)
	}
	if page := parse(t, ts.get(f.clients["lead"], f.path)).Text(); strings.Contains(page, feedback.FormatCode(code)) ||
		!strings.Contains(page, "The feedback code is made when notice is given") {
		t.Error("after notice was undone, the code is shown or the form said to be closed")
	}
}

// TestFeedback_AnswersSeenByTeamOnly: bad answers come back with the
// GOV.UK error summary and nothing lost; good ones are stored plain,
// without identifiers, no session or cookie kept; the visit's lead, team
// inspector and SAO read them summarised, each view recorded; the QAM,
// the moderator, administrators and Cafcass never. After the form closes,
// the code says so.
func TestFeedback_AnswersSeenByTeamOnly(t *testing.T) {
	t.Parallel()
	f := newFeedbackFixture(t, nil)
	ts := f.ts
	code := f.recordNotice(t)
	child := ts.client()

	long := strings.Repeat("x", feedback.MaxHelped+1)
	res := ts.post(child, "/feedback/answers", url.Values{"code": {feedback.FormatCode(code)}, "helped": {long}, "anything": {"Keep this"}})
	doc := parse(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity ||
		doc.Find(`.govuk-error-summary__list a[href="#listened"]`).Length() != 1 || doc.Find(`.govuk-error-summary__list a[href="#helped"]`).Length() != 1 {
		t.Fatalf("no answer to listened, too long a text: %d, want 422 with both errors", res.StatusCode)
	}
	if doc.Find("textarea#anything").Text() != "Keep this" || doc.Find("textarea#helped").Text() != long {
		t.Error("what was typed is lost")
	}
	res = ts.post(child, "/feedback/answers", url.Values{"code": {code}, "listened": {"a_bit"}, "age": {"11_15"},
		"helped":   {"<b>She</b> explained <script>alert(1)</script> things"},
		"anything": {"Email me at kid@example.com or ring 07700 900123, I live at SW1A 1AA"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/feedback/thanks" {
		t.Fatalf("good answers: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := ts.get(child, "/feedback/thanks"); res.StatusCode != http.StatusOK {
		t.Fatalf("thanks: %d", res.StatusCode)
	}
	u, _ := url.Parse(ts.URL)
	if cs := child.Jar.Cookies(u); len(cs) != 0 {
		t.Errorf("the child was given cookies: %v", cs)
	}
	var helped, anything string
	if err := ts.Pool.QueryRow(context.Background(), `SELECT helped, anything FROM feedback_answers`).Scan(&helped, &anything); err != nil {
		t.Fatal(err)
	}
	if helped != "She explained alert(1) things" {
		t.Errorf("stored %q", helped)
	}
	if want := "Email me at " + feedback.EmailRemoved + " or ring " + feedback.PhoneRemoved + ", I live at " + feedback.PostcodeRemoved; anything != want {
		t.Errorf("stored %q, want %q", anything, want)
	}

	answers := f.path + "/workspace/feedback"
	for _, who := range []string{"lead", "team", "sao"} {
		res := ts.get(f.clients[who], answers)
		doc := parse(t, res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", who, res.StatusCode)
		}
		if got := doc.Find(`[data-testid="listened"] tr`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "A bit")
		}).Find("td").Text(); got != "1" {
			t.Errorf("%s: %q said A bit, want 1", who, got)
		}
		if !strings.Contains(doc.Find(`[data-testid="feedback-texts"]`).Text(), "She explained alert(1) things") {
			t.Errorf("%s does not see the text", who)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1 AND record = 'feedback'`, f.visit.ID); n != 3 {
		t.Errorf("%d views recorded, want 3", n)
	}
	for _, who := range []string{"qam", "moderator", "admin", "cafcass"} {
		res := ts.get(f.clients[who], answers)
		body := readAll(t, res.Body)
		if res.StatusCode != http.StatusNotFound || strings.Contains(body, "explained") {
			t.Errorf("%s: %d, want 404 and no answers", who, res.StatusCode)
		}
		if strings.Contains(readAll(t, ts.get(f.clients[who], f.path).Body), "explained") {
			t.Errorf("%s sees answers on the visit's page", who)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1`, f.visit.ID); n != 3 {
		t.Errorf("%d views recorded in all, want 3", n)
	}

	// Ten working days after fieldwork (Fri 25 Apr; the May bank holiday
	// on the 5th) the form closes: Mon 12 May is the last day.
	ts.setClock(time.Date(2025, 5, 12, 23, 0, 0, 0, londonTZ))
	if st, _ := f.codeError(t, code); st != http.StatusOK {
		t.Errorf("on the last day: %d, want 200", st)
	}
	ts.setClock(time.Date(2025, 5, 13, 9, 0, 0, 0, londonTZ))
	if st, msg := f.codeError(t, code); st != http.StatusUnprocessableEntity || !strings.Contains(msg, "closed") {
		t.Errorf("after it closed: %d %q", st, msg)
	}
	doc = parse(t, ts.get(f.clients["cafcass"], f.path))
	if !strings.Contains(doc.Text(), "closed on Mon 12 May 2025") {
		t.Error("Cafcass is not told the form closed")
	}
}

// feedbackPhone and feedbackEmail find what must never be stored.
var (
	feedbackEmail = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	feedbackPhone = regexp.MustCompile(`\d(?:[\s().-]?\d){8,}`)
)

// TestFeedback_Hostile sends the public form 10,000 hostile requests in
// process: markup, huge bodies, binary, wrong content types, unknown codes,
// bad answers and floods from one address. None may answer 5xx; the
// address over its limit and the code over its limit get 429; the rows
// stored are exactly the well-formed answers accepted, none holding
// markup, an email address or a phone number; no session is stored.
func TestFeedback_Hostile(t *testing.T) {
	t.Parallel()
	const addressLimit, codeLimit = 60, 1500
	f := newFeedbackFixture(t, map[string]string{"FEEDBACK_ADDRESS_LIMIT": fmt.Sprint(addressLimit), "FEEDBACK_CODE_LIMIT": fmt.Sprint(codeLimit)})
	code := f.recordNotice(t)
	sessions := f.count(t, `SELECT count(*) FROM sessions`)
	rnd := rand.New(rand.NewPCG(1, 2))
	listened := []string{"yes", "a_bit", "no"}

	type sent struct {
		method, path, contentType string
		body                      string
		addr                      string
	}
	form := func(v url.Values) string { return v.Encode() }
	statuses := map[int]int{}
	var flood, accepted, limited, wantAccepted int
	start := time.Now()
	for i := range 10_000 {
		kind := i % 10
		s := sent{method: http.MethodPost, path: "/feedback/answers", contentType: "application/x-www-form-urlencoded",
			addr: fmt.Sprintf("10.0.%d.%d", (i%500)/250, i%250)}
		// want: the status the request must get; 0 for any below 500.
		want := 0
		wellFormed := false
		switch kind {
		case 0, 1: // a flood from one address: answers, and codes
			s.addr = "203.0.113.7"
			flood++
			if kind == 0 {
				s.body = form(url.Values{"code": {code}, "listened": {"yes"}, "helped": {"flood " + fmt.Sprint(i)}})
				wellFormed = true
			} else {
				c, _ := feedback.NewCode()
				s.path, s.body = "/feedback", form(url.Values{"code": {c}})
				want = http.StatusUnprocessableEntity
			}
			if flood > addressLimit {
				want, wellFormed = http.StatusTooManyRequests, false
			}
		case 2: // markup and identifiers in well-formed answers
			s.body = form(url.Values{"code": {feedback.FormatCode(code)}, "listened": {listened[i%3]},
				"helped":   {fmt.Sprintf(`<script>alert(%d)</script><img src=x onerror=alert(1)><b>kind</b> &lt;i&gt;`, i)},
				"anything": {fmt.Sprintf("mail me: child%d@example.org, call +44 7700 %06d or (020) 7946 0018 <a href=//x>x</a>", i, i)}})
			wellFormed = true
		case 3: // huge bodies
			s.body = form(url.Values{"code": {code}, "listened": {"yes"}, "helped": {strings.Repeat("<b>big</b>", 10_000+i)}})
			want = http.StatusBadRequest
		case 4: // binary
			b := make([]byte, 512+rnd.IntN(4096))
			for j := range b {
				b[j] = byte(rnd.UintN(256))
			}
			s.body = string(b)
			if i%20 == 4 {
				s.contentType = "application/octet-stream"
			}
		case 5: // wrong content types, with answers that would be fine
			body := form(url.Values{"code": {code}, "listened": {"yes"}})
			switch i % 30 {
			case 5:
				s.contentType, s.body = "application/json", `{"code":"`+code+`","listened":"yes"}`
			case 15:
				s.contentType, s.body = "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\n"+code+"\r\n--x--\r\n"
			default:
				s.contentType, s.body = "text/plain", body
			}
			want = http.StatusUnprocessableEntity
		case 6: // many codes, none real
			c, _ := feedback.NewCode()
			s.body = form(url.Values{"code": {c}, "listened": {"yes"}, "helped": {"guess"}})
			if i%20 == 6 {
				s.path, s.body = "/feedback", form(url.Values{"code": {c[:4] + "<script>"}})
			}
			want = http.StatusUnprocessableEntity
		case 7: // a real code, answers out of bounds
			v := url.Values{"code": {code}, "listened": {"yes"}}
			switch i % 40 {
			case 7:
				v.Set("listened", "<b>yes</b>")
			case 17:
				v.Set("age", "'; DROP TABLE feedback_answers; --")
			case 27:
				v.Set("anything", strings.Repeat("漢", feedback.MaxAnything+1))
			default:
				v.Del("listened")
			}
			s.body = form(v)
			want = http.StatusUnprocessableEntity
		case 8: // control characters, invalid UTF-8, direction overrides
			s.body = form(url.Values{"code": {" " + strings.ToLower(code) + " "}, "listened": {"no"}, "age": {"18_plus"},
				"helped": {"a\x00b\x1b[31mc\u202Eevil\u202C \xff\xfe &#60;script&#62;"}, "anything": {"\r\n\t "}})
			wellFormed = true
		case 9: // other methods and pages
			switch i % 30 {
			case 9:
				s.method, s.path, s.body = http.MethodGet, "/feedback", ""
				want = http.StatusOK
			case 19:
				s.method, s.path, s.body = http.MethodPut, "/feedback", "x"
				want = http.StatusMethodNotAllowed
			default:
				s.method, s.path, s.body = http.MethodGet, "/feedback/thanks?code="+code, ""
				want = http.StatusOK
			}
		}
		if wellFormed {
			if wantAccepted < codeLimit {
				want = http.StatusSeeOther
				wantAccepted++
			} else {
				want = http.StatusTooManyRequests
			}
		}
		req := httptest.NewRequest(s.method, s.path, strings.NewReader(s.body))
		req.RemoteAddr = s.addr + ":40000"
		if s.body != "" {
			req.Header.Set("Content-Type", s.contentType)
		}
		rec := httptest.NewRecorder()
		f.ts.App.ServeHTTP(rec, req)
		st := rec.Code
		statuses[st]++
		if st >= 500 {
			t.Fatalf("request %d (kind %d): %d", i, kind, st)
		}
		if want != 0 && st != want {
			t.Fatalf("request %d (kind %d, from %s): %d, want %d", i, kind, s.addr, st, want)
		}
		if want == 0 && st != http.StatusBadRequest && st != http.StatusUnprocessableEntity {
			t.Fatalf("request %d (kind %d): %d, want 400 or 422", i, kind, st)
		}
		if rec.Header().Get("Set-Cookie") != "" {
			t.Fatalf("request %d (kind %d) set a cookie", i, kind)
		}
		if strings.Contains(rec.Body.String(), "<script>alert") {
			t.Fatalf("request %d (kind %d): markup echoed unescaped", i, kind)
		}
		switch st {
		case http.StatusSeeOther:
			accepted++
		case http.StatusTooManyRequests:
			limited++
			if rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "Please wait before you try again") {
				t.Fatalf("request %d: 429 without Retry-After or the GOV.UK page", i)
			}
		}
	}
	t.Logf("10,000 requests in %s: %v", time.Since(start).Round(time.Millisecond), statuses)
	if accepted != codeLimit || wantAccepted != codeLimit {
		t.Errorf("%d accepted (%d expected), want the code's limit %d", accepted, wantAccepted, codeLimit)
	}
	if limited == 0 {
		t.Error("nothing was limited")
	}
	if n := f.count(t, `SELECT count(*) FROM feedback_answers`); n != accepted {
		t.Errorf("%d rows stored, %d accepted", n, accepted)
	}
	rows, err := f.ts.Pool.Query(context.Background(), `SELECT helped, anything, listened, age FROM feedback_answers`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var helped, anything, l, age string
		if err := rows.Scan(&helped, &anything, &l, &age); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{helped, anything} {
			if strings.ContainsAny(text, "<>\x00\x1b\u202E") || feedbackEmail.MatchString(text) || feedbackPhone.MatchString(text) {
				t.Fatalf("stored %q", text)
			}
		}
		if feedback.Label(feedback.Listened, l) == "" || age != "" && feedback.Label(feedback.Ages, age) == "" {
			t.Fatalf("stored listened %q, age %q", l, age)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM sessions`); n != sessions {
		t.Errorf("%d sessions after the flood, %d before", n, sessions)
	}
}
