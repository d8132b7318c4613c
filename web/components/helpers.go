package components

import "strconv"

func errClass(err, class string) string {
	if err != "" {
		return class
	}
	return ""
}

func inlineClass(inline bool, class string) string {
	if inline {
		return class
	}
	return ""
}

func typeOr(t string) string {
	if t == "" {
		return "text"
	}
	return t
}

func rowsOr(n int) string {
	if n <= 0 {
		n = 5
	}
	return strconv.Itoa(n)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// optionID is the id of the i-th radio or checkbox of a group: the first
// takes the group's name, so the error summary's link lands on it.
func optionID(name string, i int) string {
	if i == 0 {
		return name
	}
	return name + "-" + strconv.Itoa(i+1)
}

func buttonClass(p ButtonParams) string {
	switch {
	case p.Secondary:
		return "govuk-button govuk-button--secondary"
	case p.Warning:
		return "govuk-button govuk-button--warning"
	}
	return "govuk-button"
}

func tagColour(c string) string {
	if c == "" {
		return ""
	}
	return "govuk-tag--" + c
}

func noActionsClass(rows []SummaryRow, r SummaryRow) string {
	if r.ActionHref != "" {
		return ""
	}
	for _, o := range rows {
		if o.ActionHref != "" {
			return "govuk-summary-list__row--no-actions"
		}
	}
	return ""
}
