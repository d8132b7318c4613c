package notify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
)

func TestCafcassNeverBeforeNotice(t *testing.T) {
	m := notify.Message{
		Template: "visit.notice_given", VisitID: 1,
		To:   notify.Recipient{Email: "ceo@cafcass.example", Name: "Cara", Role: user.CafcassCEO},
		Data: map[string]string{"Reference": "FV-2026-0001", "ChildDataDue": "Wednesday 3 June 2026", "InformationDue": "Friday 5 June 2026", "Fieldwork": "Tuesday 9 and Wednesday 10 June 2026", "Link": "http://localhost/visits/x"},
	}
	if err := notify.Check(m); !errors.Is(err, notify.ErrBeforeNotice) {
		t.Fatalf("before notice: %v, want ErrBeforeNotice", err)
	}
	m.NoticeGiven = true
	r, err := notify.Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != notify.Action || !strings.Contains(r.Subject, "FV-2026-0001") || !strings.Contains(r.Body, "Wednesday 3 June 2026") {
		t.Errorf("rendered %+v", r)
	}
}

func TestMissingDataIsAnError(t *testing.T) {
	m := notify.Message{
		Template: "visit.notice_given", VisitID: 1, NoticeGiven: true,
		To:   notify.Recipient{Email: "ceo@cafcass.example", Role: user.CafcassCEO},
		Data: map[string]string{"Reference": "FV-2026-0001"},
	}
	if _, err := notify.Render(m); err == nil {
		t.Fatal("a message with data missing was worded")
	}
}

// TestCatalogue words every template with its own placeholders filled, so
// a template that does not parse fails here, not at 08:00.
func TestCatalogue(t *testing.T) {
	for _, tmpl := range notify.Templates() {
		if tmpl.Kind != notify.Action && tmpl.Kind != notify.Information {
			t.Errorf("%s: kind %q", tmpl.Name, tmpl.Kind)
		}
		if tmpl.Subject == "" || tmpl.Body == "" {
			t.Errorf("%s: empty subject or body", tmpl.Name)
		}
	}
}
