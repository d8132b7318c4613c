package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// The record of who read a letter sent to Cafcass or downloaded a file
// (migration 00027): append-only, written on a GET, and kept apart from
// visit_events (DOMAIN decision 16).

// MaterialView is a recorded view, with the viewer's name.
type MaterialView struct {
	visit.MaterialView
	ID      int64
	At      time.Time
	VisitID int64
	UserID  int64
	FileID  int64 // 0 for a letter, or a download whose file was not known
}

// RecordLetterView records that a Cafcass user read the draft or the final
// letter (what is visit.DraftLetterRead or visit.FinalLetterRead), version
// version. The time is the database's, as for the lines of the history the
// record is shown with.
func (s *Store) RecordLetterView(ctx context.Context, visitID int64, what visit.Material, version int, by user.User) error {
	if what != visit.DraftLetterRead && what != visit.FinalLetterRead {
		return fmt.Errorf("store: %q is not a letter", what)
	}
	return s.recordMaterialView(ctx, visitID, by, what, version, nil, "")
}

// RecordFileDownload records that by downloaded f, naming the file as it is
// (name, size, digest, version) so that the record outlives it.
func (s *Store) RecordFileDownload(ctx context.Context, f upload.File, by user.User) error {
	return s.recordMaterialView(ctx, f.VisitID, by, visit.FileDownloaded, 0, &f.ID, describeFile(f)+versionWords(f))
}

func (s *Store) recordMaterialView(ctx context.Context, visitID int64, by user.User, what visit.Material, version int, fileID *int64, desc string) error {
	var v *int
	if what != visit.FileDownloaded {
		v = &version
	}
	_, err := s.db.Exec(ctx, `INSERT INTO material_views (visit_id, user_id, user_role, what, letter_version, file_id, description)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, visitID, by.ID, string(by.Role), string(what), v, fileID, desc)
	if err != nil {
		return fmt.Errorf("store: record %s view of visit %d by user %d: %w", what, visitID, by.ID, err)
	}
	return nil
}

// ListMaterialViews returns the visit's recorded views, newest first.
func (s *Store) ListMaterialViews(ctx context.Context, visitID int64) ([]MaterialView, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT m.id, m.viewed_at, m.visit_id, m.user_id, u.name, m.user_role, m.what,
			COALESCE(m.letter_version, 0), COALESCE(m.file_id, 0), m.description
		FROM material_views m JOIN users u ON u.id = m.user_id
		WHERE m.visit_id = $1 ORDER BY m.viewed_at DESC, m.id DESC`, visitID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MaterialView, error) {
		var v MaterialView
		err := r.Scan(&v.ID, &v.At, &v.VisitID, &v.UserID, &v.ByName, &v.ByRole, &v.What, &v.LetterVersion, &v.FileID, &v.Description)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list views of visit %d: %w", visitID, err)
	}
	return list, nil
}

// describeFile names a downloaded file in the record of views: its name,
// size and the start of its digest, as they were when it was downloaded.
func describeFile(f upload.File) string {
	return fmt.Sprintf("%s (%s, sha256 %s…)", f.Name, upload.FormatSize(f.Size), f.ShortDigest())
}

func versionWords(f upload.File) string {
	if f.Version > 1 || f.Superseded {
		return fmt.Sprintf(", version %d", f.Version)
	}
	return ""
}
