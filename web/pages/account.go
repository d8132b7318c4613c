package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/layout"
)

// AccountPasswordView is the change-your-password page.
type AccountPasswordView struct {
	layout.Page
	Errors form.Errors
}
