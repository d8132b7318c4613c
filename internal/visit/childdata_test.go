package visit_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// people on a visit, and a few who are not on it.
var (
	lead       = user.User{ID: 1, Role: user.LeadInspector}
	team       = user.User{ID: 2, Role: user.TeamInspector}
	qam        = user.User{ID: 3, Role: user.QAM}
	sao        = user.User{ID: 4, Role: user.SAO}
	ceo        = user.User{ID: 5, Role: user.CafcassCEO}
	admin      = user.User{ID: 6, Role: user.Admin}
	otherLead  = user.User{ID: 7, Role: user.LeadInspector}
	otherSAO   = user.User{ID: 8, Role: user.SAO}
	otherCEO   = user.User{ID: 9, Role: user.CafcassDeputy}
	leadAsTeam = user.User{ID: 10, Role: user.LeadInspector} // a lead inspector on the team of this visit
)

func details(noticeGiven bool) visit.Details {
	d := visit.Details{Members: []visit.Member{
		{UserID: lead.ID, Role: visit.RoleLead}, {UserID: team.ID, Role: visit.RoleTeam},
		{UserID: qam.ID, Role: visit.RoleQAM}, {UserID: sao.ID, Role: visit.RoleSAO},
		{UserID: ceo.ID, Role: visit.RoleCafcass}, {UserID: leadAsTeam.ID, Role: visit.RoleTeam},
	}}
	if noticeGiven {
		d.NoticeGivenAt = time.Date(2025, 4, 14, 9, 5, 0, 0, time.UTC)
	}
	return d
}

func TestCanSeeChildData(t *testing.T) {
	t.Parallel()
	d := details(true)
	for _, tt := range []struct {
		name string
		u    user.User
		want bool
	}{
		{"lead inspector of the visit", lead, true},
		{"team inspector of the visit", team, true},
		{"lead inspector on the team of the visit", leadAsTeam, true},
		{"senior analytical officer of the visit", sao, true},
		{"quality assurance manager of the visit", qam, false},
		{"administrator", admin, false},
		{"Cafcass on the visit", ceo, false},
		{"lead inspector not on the visit", otherLead, false},
		{"senior analytical officer not on the visit", otherSAO, false},
	} {
		if got := visit.CanSeeChildData(tt.u, d); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// An administrator named on a visit in an inspector's role still sees
	// none of it.
	d.Members = append(d.Members, visit.Member{UserID: admin.ID, Role: visit.RoleTeam})
	if visit.CanSeeChildData(admin, d) {
		t.Error("an administrator on the team sees children's data")
	}
}

func TestCanSeeChildRecord(t *testing.T) {
	t.Parallel()
	// want lists, for each user, the records they may see: each record
	// written as kind+"/ours" (sent by Cafcass) or kind+"/ofsted".
	all := func() []string {
		var out []string
		for _, c := range visit.ChildRecords {
			out = append(out, string(c)+"/ours", string(c)+"/ofsted")
		}
		return out
	}()
	cafcass := []string{"case_sample/ours", "case_sample/ofsted", "child_list_check/ours", "child_file/ours"}
	for _, tt := range []struct {
		name   string
		u      user.User
		notice bool
		want   []string
	}{
		{"lead", lead, true, all},
		{"team", team, true, all},
		{"sao", sao, true, all},
		{"sao before notice", sao, false, all},
		{"qam", qam, true, nil},
		{"admin", admin, true, nil},
		{"another visit's lead", otherLead, true, nil},
		{"Cafcass on the visit", ceo, true, cafcass},
		{"Cafcass on the visit before notice", ceo, false, nil},
		{"Cafcass not on the visit", otherCEO, true, nil},
	} {
		d := details(tt.notice)
		var got []string
		for _, c := range visit.ChildRecords {
			for _, ours := range []bool{true, false} {
				if visit.CanSeeChildRecord(tt.u, d, c, ours) {
					got = append(got, fmt.Sprintf("%s/%s", c, map[bool]string{true: "ours", false: "ofsted"}[ours]))
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s sees %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMaySendChildData(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		u      user.User
		notice bool
		want   bool
	}{
		{"lead", lead, true, true},
		{"sao", sao, true, true},
		{"Cafcass after notice", ceo, true, true},
		{"Cafcass before notice", ceo, false, false},
		{"qam", qam, true, false},
		{"admin", admin, true, false},
	} {
		if got := visit.MaySendChildData(tt.u, details(tt.notice)); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestChildRecordLabels(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range visit.ChildRecords {
		l := c.Label()
		if l == string(c) || seen[l] {
			t.Errorf("%s: label %q missing or repeated", c, l)
		}
		seen[l] = true
	}
}
