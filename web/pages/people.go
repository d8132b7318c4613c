package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// UserListView lists the people who use the service (administrators only).
type UserListView struct {
	layout.Page
	People []PersonRow
}

// PersonRow is one person in the list.
type PersonRow struct {
	Name, Href, Email, Role, Organisation string
	Status, StatusColour                  string
	TwoFactor                             string
}

// PersonInviteView is the invite-a-person form.
type PersonInviteView struct {
	layout.Page
	Name, Email string
	Roles       []components.Option
	Errors      form.Errors
}

// PersonAction is a change offered on a person's page: a button posting to
// Action, or a link to a page of its own when Link.
type PersonAction struct {
	Action  string
	Text    string
	Hint    string
	Warning bool
	Link    bool
}

// PersonShowView is a person's page.
type PersonShowView struct {
	layout.Page
	Name    string
	Rows    []components.SummaryRow
	Actions []PersonAction
	Changes []ChangeRow
	Errors  form.Errors
}

// PersonRoleView changes a person's role: first the choice, then (Confirm)
// what they gain and lose.
type PersonRoleView struct {
	layout.Page
	Name, Action, Back string
	Items              []components.Option
	Errors             form.Errors
	Confirm            bool
	From, To, Role     string
	Gains, Loses       []string
}

// PersonConfirmView asks an administrator to confirm a change (deactivate).
type PersonConfirmView struct {
	layout.Page
	Action, Back, Button, Warning string
	Errors                        form.Errors
}

// ChangeRow is one change in the record of changes to people.
type ChangeRow struct {
	At, Person, PersonHref, By, What, Old, New string
}

// UserChangesView is the record of every change to people.
type UserChangesView struct {
	layout.Page
	Changes []ChangeRow
}

// ForgotPasswordView asks for the email address to send a reset link to;
// Sent shows the same answer whether or not the address is known.
type ForgotPasswordView struct {
	layout.Page
	Email  string
	Sent   bool
	Errors form.Errors
}

// ChoosePasswordView is where a person chooses a password through a link
// (an invitation or a password reset).
type ChoosePasswordView struct {
	layout.Page
	Action, Intro, Email, Button string
	Errors                       form.Errors
}

// LinkProblemView answers a link that does not work (used, expired, or for
// a deactivated person).
type LinkProblemView struct {
	layout.Page
	What string
}

// TwoFactorView asks for the code from the authenticator app.
type TwoFactorView struct {
	layout.Page
	Errors form.Errors
}

// TwoFactorSetUpView sets up an authenticator app: the QR code (a PNG data
// URL) and the key as text.
type TwoFactorSetUpView struct {
	layout.Page
	QRCode, Secret string
	Errors         form.Errors
}

// RecoveryCodesView shows the recovery codes, once.
type RecoveryCodesView struct {
	layout.Page
	Codes []string
	Next  string
}

// AccountView is your account: details, second factor, sessions.
type AccountView struct {
	layout.Page
	Rows     []components.SummaryRow
	Sessions []SessionRow
}

// SessionRow is one signed-in session on the account page.
type SessionRow struct {
	Device, Address, SignedIn, LastSeen string
	Current                             bool
	EndAction                           string
}
