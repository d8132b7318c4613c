package visit

import (
	"fmt"

	"github.com/ofsted/focusedvisits/internal/user"
)

// Material is what is handed over in confidence or under embargo and whose
// every view is recorded (DOMAIN H.3): the draft and final letters Cafcass
// reads, and the files anyone downloads. The record is append-only and kept
// apart from the visit's history, because the views happen on a GET, which
// never writes domain data (DOMAIN decision 16); the history page shows both.
type Material string

// The kinds of material whose views are recorded.
const (
	// DraftLetterRead: Cafcass read the draft letter sent for comment.
	DraftLetterRead Material = "draft_letter"
	// FinalLetterRead: Cafcass read the final letter (embargoed until it is
	// published).
	FinalLetterRead Material = "final_letter"
	// FileDownloaded: someone downloaded a file.
	FileDownloaded Material = "file"
)

// Materials lists every kind.
var Materials = []Material{DraftLetterRead, FinalLetterRead, FileDownloaded}

// Words is what the visit's history says happened.
func (m Material) Words() string {
	switch m {
	case DraftLetterRead:
		return "Draft letter viewed by Cafcass"
	case FinalLetterRead:
		return "Final letter viewed by Cafcass"
	case FileDownloaded:
		return "File downloaded"
	}
	return string(m)
}

// MaterialView is one recorded view.
type MaterialView struct {
	What          Material
	LetterVersion int // the letter's version read (DraftLetterRead, FinalLetterRead)
	// Description names the file as it was when downloaded (name, size,
	// digest); for a view recorded before the record existed, the words
	// the history had.
	Description string
	ByName      string
	ByRole      user.Role
}

// Detail is the history's detail line for the view: the letter's version
// and who read it, or the file.
func (v MaterialView) Detail() string {
	if v.Description != "" || v.What == FileDownloaded {
		return v.Description
	}
	return fmt.Sprintf("Version %d, read by %s (%s)", v.LetterVersion, v.ByName, v.ByRole.Label())
}
