package annexa

import "errors"

// ErrFilesFrozen refuses a change to the files of an item Cafcass has
// handed over (DOMAIN decision 18).
var ErrFilesFrozen = errors.New("annexa: the item has been submitted: its files cannot change unless Ofsted returns it")

// SideOf is the side a user acts for: Cafcass's users for Cafcass, everyone
// else for Ofsted.
func SideOf(cafcass bool) Side {
	if cafcass {
		return CafcassSide
	}
	return OfstedSide
}

// CheckFiles returns nil when side may change an item's files (upload,
// replace or remove one, or upload a child-level list) while the item has
// status s, or ErrFilesFrozen. Once Cafcass has submitted an item its files
// are frozen for Cafcass, and stay so once Ofsted accepts it, until Ofsted
// returns it (DOMAIN decision 18). Ofsted's own changes are not limited by
// the status.
//
// The page uses CanChangeFiles to decide what to offer; the store applies
// CheckFiles again inside the transaction that changes the files, with the
// item's row locked, so that a submission racing a removal cannot both win.
func CheckFiles(by Side, s Status) error {
	if by == CafcassSide && (s == Submitted || s == Accepted) {
		return ErrFilesFrozen
	}
	return nil
}

// CanChangeFiles reports whether side may change the files of an item with
// status s: CheckFiles for pages.
func CanChangeFiles(by Side, s Status) bool { return CheckFiles(by, s) == nil }

// StartsOnUpload reports whether files added by side to an item with status
// s start it: Cafcass uploading to an item it has not started moves it to
// in progress.
func StartsOnUpload(by Side, s Status) bool {
	return by == CafcassSide && s == NotStarted && Allowed(by, s, InProgress)
}
