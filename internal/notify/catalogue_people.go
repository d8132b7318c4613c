package notify

// The messages about people's accounts (issue 14). None is about a visit,
// so each may go to Cafcass users too. Data:
//   - user.invitation: Link (choose a password), Expires ("Thursday 4 June
//     2026 at 10:00"), InvitedBy, Role.
//   - user.password_reset: Link, Expires. It names nobody, since the
//     forgotten-password page words it before knowing whether the address
//     belongs to anyone.
//   - user.two_factor_reset: Link (the sign-in page).
func init() {
	register(
		Template{
			Name: "user.invitation", Kind: Action, Cafcass: true,
			Subject: "You have been invited to Focused visits",
			Body: `Dear {{.To.Name}},

{{.Data.InvitedBy}} has invited you to use Focused visits, Ofsted's service for focused visits of Cafcass, as {{.Data.Role}}.

To accept, choose your password here:
{{.Data.Link}}

The link works once, until {{.Data.Expires}}. If it has expired, ask your administrator to send another.

If you did not expect this invitation, you can ignore this email.` + signOff,
		},
		Template{
			Name: "user.password_reset", Kind: Action, Cafcass: true,
			Subject: "Reset your Focused visits password",
			Body: `Hello,

Someone asked to reset the password of the Focused visits account for this email address.

To choose a new password, open this link:
{{.Data.Link}}

The link works once, until {{.Data.Expires}}. Choosing a new password signs you out everywhere else.

If you did not ask for this, you can ignore this email: your password has not changed.` + signOff,
		},
		Template{
			Name: "user.two_factor_reset", Kind: Action, Cafcass: true,
			Subject: "Your Focused visits second factor was reset",
			Body: `Dear {{.To.Name}},

An administrator has reset the second factor (authenticator app) of your Focused visits account, and you have been signed out everywhere.

The next time you sign in, you will set up your authenticator app again and get new recovery codes:
{{.Data.Link}}

If you did not ask for this, tell your administrator at once.` + signOff,
		},
	)
}
