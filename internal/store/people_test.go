package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestPeople_RecordIsAppendOnly: an invitation is stored with its link and
// message and recorded; the record of changes cannot be changed, deleted
// or truncated; a link's token works once.
func TestPeople_RecordIsAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	admin, err := st.CreateUser(ctx, user.New{Email: "admin@example.gov.uk", Name: "Ada Admin", Role: user.Admin}, "x")
	if err != nil {
		t.Fatal(err)
	}
	token, hash, err := user.NewLinkToken()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	inv := user.Invitation{Name: "Dee Deputy", Email: "dee@cafcass.example", Role: user.CafcassDeputy}
	a, err := st.Invite(ctx, inv, admin, store.LinkToken{Hash: hash, Expires: now.Add(time.Hour)}, func(a user.Account) notify.Message {
		return notify.Message{Template: "user.invitation", To: notify.Recipient{UserID: a.ID, Email: a.Email, Name: a.Name, Role: a.Role},
			Data: map[string]string{"Link": "http://localhost/invitations/" + token, "Expires": "soon", "InvitedBy": admin.Name, "Role": a.Role.Label()}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status() != user.Invited || a.InvitationExpires.IsZero() {
		t.Errorf("invited account %+v", a)
	}
	if _, err := st.Invite(ctx, inv, admin, store.LinkToken{Hash: []byte("other"), Expires: now}, nil); err != store.ErrConflict {
		t.Errorf("the same email again: %v, want ErrConflict", err)
	}
	for _, sql := range []string{`UPDATE user_changes SET new_value = 'x'`, `DELETE FROM user_changes`, `TRUNCATE user_changes`} {
		if _, err := pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s was allowed", sql)
		}
	}
	if _, err := st.UseLinkToken(ctx, "invitation", hash, "new hash", now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UseLinkToken(ctx, "invitation", hash, "another hash", now); err != store.ErrNotFound {
		t.Errorf("a token used twice: %v, want ErrNotFound", err)
	}
	changes, err := st.ListUserChanges(ctx, a.PublicID, 10)
	if err != nil || len(changes) != 2 || changes[0].Action != user.AcceptInvitation || changes[1].ByName != "Ada Admin" {
		t.Errorf("changes %+v %v", changes, err)
	}
}
