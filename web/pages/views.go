// Package pages holds one templ component per page, each with its view model.
// Templates only format what they are given; they do no I/O.
package pages

import (
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/layout"
)

// SignInView is the sign-in page.
type SignInView struct {
	layout.Page
	Email  string
	Next   string
	Errors form.Errors
	// SSO offers single sign-on for Ofsted staff.
	SSO bool
}

// AccessibilityView is the accessibility statement.
type AccessibilityView struct {
	layout.Page
}

// ErrorView is an error page.
type ErrorView struct {
	layout.Page
	Status int
}

// ErrorTitle is the h1 and title of the error page for a status.
func ErrorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Sorry, there is a problem with your request"
	case http.StatusForbidden:
		return "You do not have permission to see this page"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusMethodNotAllowed:
		return "Sorry, you cannot do that here"
	case http.StatusRequestTimeout:
		return "Sorry, what you sent took too long to arrive"
	case http.StatusRequestEntityTooLarge:
		return "The file or form you sent is too large"
	case http.StatusTooManyRequests:
		return "Sorry, the service is busy"
	case http.StatusServiceUnavailable:
		return "Sorry, the service is unavailable"
	}
	return "Sorry, there is a problem with the service"
}
