package components

// PaginationParams mirrors govukPagination in its block form (previous and
// next only, each with a label), as used to step between months or records.
type PaginationParams struct {
	// Previous and Next are the links; nil leaves one out.
	Previous *PaginationLink
	Next     *PaginationLink
	// LandmarkLabel names the navigation landmark; defaults to "Pagination".
	LandmarkLabel string
}

// PaginationLink is a previous or next link of govukPagination.
type PaginationLink struct {
	Href string
	// Text is the link's title, "Previous" or "Next" when empty.
	Text string
	// HiddenText follows Text for screen readers only, e.g. " month".
	HiddenText string
	// Label is what the link leads to, e.g. "March 2025".
	Label string
}

func landmarkOr(s string) string {
	if s == "" {
		return "Pagination"
	}
	return s
}

func textOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
