package visit_test

import (
	"testing"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

func TestMaterialWords(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, m := range visit.Materials {
		w := m.Words()
		if w == string(m) || seen[w] {
			t.Errorf("%s: words %q", m, w)
		}
		seen[w] = true
	}
	for _, tc := range []struct {
		v    visit.MaterialView
		want string
	}{
		{visit.MaterialView{What: visit.DraftLetterRead, LetterVersion: 2, ByName: "Cara Chief", ByRole: user.CafcassDeputy},
			"Version 2, read by Cara Chief (Cafcass deputy)"},
		// A view moved from the history keeps the words it had.
		{visit.MaterialView{What: visit.FinalLetterRead, Description: "Version 1, read by Cara (Cafcass chief executive)", ByName: "Cara Chief"},
			"Version 1, read by Cara (Cafcass chief executive)"},
		{visit.MaterialView{What: visit.FileDownloaded, Description: "1.03 MI.txt (5 bytes, sha256 ab12cd34…)"}, "1.03 MI.txt (5 bytes, sha256 ab12cd34…)"},
		{visit.MaterialView{What: visit.FileDownloaded}, ""},
	} {
		if got := tc.v.Detail(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.v, got, tc.want)
		}
	}
}
