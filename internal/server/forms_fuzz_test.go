package server

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/visit"
)

// FuzzVisitForm: any url-encoded body, decoded as the visit form is, gives
// a form whose checks run without a panic and, with nobody to choose from,
// always find something wrong; its version is a guard PostgreSQL accepts.
func FuzzVisitForm(f *testing.F) {
	for _, s := range []string{
		"plan=notice&date-day=14&date-month=4&date-year=2025&lead=1&qam=2&sao=3&cafcass=4&version=1",
		"plan=fieldwork&date-day=31&date-month=feb&date-year=2025&team=1&team=1&team=-5",
		"version=99999999999999999999&lead=abc&qam=%00", "plan=%3Cscript%3E&date-day=%FF%FE", "", "&&&==&", "a=%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/visits/new", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := parseForm(httptest.NewRecorder(), r); err != nil {
			return // a malformed body is a 400
		}
		vf := readVisitForm(r)
		if vf.Version < -1 || vf.Version > math.MaxInt32 {
			t.Fatalf("version %d from %q", vf.Version, body)
		}
		for _, id := range append(append(append([]int64{vf.Lead, vf.QAM}, vf.Team.Team...), vf.SAO...), vf.Cafcass...) {
			if id < 0 {
				t.Fatalf("negative id %d from %q", id, body)
			}
		}
		if _, errs := vf.valid(visit.Staff{}); !errs.Any() {
			t.Fatalf("valid with nobody to choose: %q", body)
		}
	})
}
