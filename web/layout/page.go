// Package layout holds the GOV.UK page template every page is drawn in.
package layout

// ServiceName is the service's name in the header and every page title.
const ServiceName = "Focused visits"

// Page is the base view model of every page.
type Page struct {
	// Title is the page's own title, usually its h1; the service name is added.
	Title string
	// HasErrors prefixes the title with "Error: " (GOV.UK pattern) when the
	// page shows validation errors.
	HasErrors bool
	// User is the signed-in user, or nil.
	User *User
	// Nav is the service navigation for the signed-in user.
	Nav []NavItem
	// Flash is a one-off success message shown at the top of the page.
	Flash string
	// Phase is the phase banner's tag ("Beta").
	Phase string
}

// User is what the header shows of the signed-in user.
type User struct {
	Name         string
	RoleLabel    string
	Organisation string
}

// NavItem is one link in the service navigation.
type NavItem struct {
	Text    string
	Href    string
	Current bool
}

// FullTitle is the text of the page's <title> element.
func (p Page) FullTitle() string {
	t := p.Title
	if t == "" {
		t = ServiceName
	} else {
		t += " – " + ServiceName
	}
	if p.HasErrors {
		t = "Error: " + t
	}
	return t + " – Ofsted"
}
