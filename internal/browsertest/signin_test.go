package browsertest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// startApp serves the real app over a fresh database holding the demo users,
// and returns its URL and their credentials.
func startApp(t *testing.T) (string, []demo.Credential) {
	t.Helper()
	a := startDemoApp(t, workday.Date{}, nil, nil)
	return a.URL, a.Creds
}

// signInButton is the form's submit button (the password field has a
// "Show" button of its own).
const signInButton = `form[action="/sign-in"] button[type="submit"]`

// TestSignInEachRole signs in and out as each demo user, checking every page
// on the way with axe-core.
func TestSignInEachRole(t *testing.T) {
	t.Parallel()
	base, creds := startApp(t)
	if len(creds) != len(demo.People) {
		t.Fatalf("demo.Load returned %d users, want %d", len(creds), len(demo.People))
	}
	for _, c := range creds {
		t.Run(string(c.Role), func(t *testing.T) {
			t.Parallel()
			b := browsertest.New(t, base)

			b.Visit("/")
			if got := b.Path(); got != "/sign-in" {
				t.Fatalf("signed out, / went to %s, want /sign-in", got)
			}
			if got, want := b.Text("h1"), "Sign in to Focused visits"; got != want {
				t.Errorf("sign-in h1 = %q, want %q", got, want)
			}
			// The GOV.UK stylesheet is applied (else axe's colour checks
			// would be checking an unstyled page).
			if got := b.Style("h1", "font-family"); !strings.Contains(got, "GDS Transport") {
				t.Errorf("h1 font-family = %q, want the GOV.UK font (is govuk-frontend.min.css loading?)", got)
			}
			b.Fill("#email", c.Email)
			b.Fill("#password", c.Password)
			b.Screenshot("sign-in")

			b.Submit(signInButton)
			if got := b.Path(); got != "/" {
				t.Fatalf("after signing in, at %s, want /", got)
			}
			if got := b.Text(`[data-testid="signed-in-user"]`); got != c.Name {
				t.Errorf("header shows %q, want %q", got, c.Name)
			}
			if got := b.Text("h1"); got != c.Name {
				t.Errorf("home h1 = %q, want %q", got, c.Name)
			}
			b.Screenshot("home")

			if c.Role == user.Admin {
				b.Follow(`main a[href="/users"]`)
				if got, want := b.Text("h1"), "Users"; got != want {
					t.Errorf("/users h1 = %q, want %q", got, want)
				}
				b.Screenshot("users")
			}

			b.Follow(`footer a[href="/accessibility"]`)
			if got := b.Path(); got != "/accessibility" {
				t.Errorf("accessibility link went to %s", got)
			}
			if got := b.Text("h1"); !strings.Contains(strings.ToLower(got), "accessibility") {
				t.Errorf("/accessibility h1 = %q, want an accessibility statement", got)
			}

			b.Submit(`form[action="/sign-out"] button[type="submit"]`)
			if got := b.Path(); got != "/sign-in" {
				t.Errorf("after signing out, at %s, want /sign-in", got)
			}
			if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "You have signed out") {
				t.Errorf("notification banner = %q, want it to say you have signed out", got)
			}
			if n := b.Count(`[data-testid="signed-in-user"]`); n != 0 {
				t.Errorf("header still shows a signed-in user after signing out")
			}
			b.Screenshot("signed-out")
		})
	}
}

// TestSignInBlank submits the empty sign-in form: the GOV.UK error summary
// shows, takes focus, links to the fields, and passes axe.
func TestSignInBlank(t *testing.T) {
	t.Parallel()
	base, _ := startApp(t)
	b := browsertest.New(t, base)

	b.Visit("/sign-in")
	b.Submit(signInButton)
	if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
		t.Errorf("blank sign-in answered %d, want %d", got, want)
	}
	if got := b.Text(".govuk-error-summary__title"); got != "There is a problem" {
		t.Errorf("error summary title = %q, want %q", got, "There is a problem")
	}
	if n := b.Count(`.govuk-error-summary__list a[href="#email"]`); n != 1 {
		t.Errorf("error summary has %d links to #email, want 1", n)
	}
	if n := b.Count("#email-error"); n != 1 {
		t.Errorf("%d #email-error messages, want 1", n)
	}
	// GOV.UK Frontend's ErrorSummary focuses the summary on load.
	if !b.HasFocus(".govuk-error-summary") {
		var focused string
		b.Eval(`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''`, &focused)
		t.Errorf("the error summary does not have focus; the focus is on %q", focused)
	}
	// GOV.UK pattern: the title starts "Error: " when a form has errors.
	var title string
	b.Eval(`document.title`, &title)
	if !strings.HasPrefix(title, "Error: ") {
		t.Errorf("page title %q does not start with \"Error: \"", title)
	}
	b.Screenshot("errors")

	// Following the summary's link moves focus to the field.
	b.Click(`.govuk-error-summary__list a[href="#email"]`)
	if !b.HasFocus("#email") {
		t.Errorf("the error summary's link did not focus #email")
	}
}
