// Package web holds the templ templates (layout, components, pages) and the
// front-end assets of the service.
package web

//go:generate go tool templ generate
