package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
)

// NewFile is a file about to be stored against a request item.
type NewFile struct {
	VisitID      int64
	ItemID       int64
	Name         string // as stored: begins with the item number
	OriginalName string // as sent, cleaned
	ContentType  string // detected from the content
	// MaxBytes is the size limit, enforced while the content streams in;
	// 0 means upload.DefaultMaxBytes.
	MaxBytes int64
}

// staleUpload is how old an incomplete file must be before any upload may
// sweep it away: one left behind by a crash, never one still streaming.
const staleUpload = 24 * time.Hour

// SaveFile streams r into a new file on the item and makes it visible, with
// its version, in one step: StageFile then CommitFiles. An error while
// reading (including upload.ErrTooLarge or upload.ErrEmpty) leaves nothing
// stored.
func (s *Store) SaveFile(ctx context.Context, n NewFile, r io.Reader, by user.User) (upload.File, error) {
	f, err := s.StageFile(ctx, n, r, by)
	if err != nil {
		return upload.File{}, err
	}
	fs, err := s.CommitFiles(ctx, n.VisitID, []int64{f.ID}, by)
	if err != nil {
		s.DiscardFiles(ctx, f.ID)
		return upload.File{}, err
	}
	return fs[0], nil
}

// StageFile streams r into a new, incomplete file on the item, 1 MiB chunk
// by chunk, computing its SHA-256 and enforcing the size limit as it goes;
// memory use does not grow with the file. The file stays invisible until
// CommitFiles; any error deletes what was written. An item that is not on
// the visit gives ErrNotFound.
func (s *Store) StageFile(ctx context.Context, n NewFile, r io.Reader, by user.User) (upload.File, error) {
	max := n.MaxBytes
	if max <= 0 {
		max = upload.DefaultMaxBytes
	}
	// Best effort: clear away uploads a crash left behind. A failure here
	// must not stop this upload; the next one tries again.
	_, _ = s.db.Exec(ctx, `DELETE FROM files WHERE NOT complete AND uploaded_at < now() - $1::interval`, staleUpload)

	var id int64
	var publicID string
	err := s.db.QueryRow(ctx, `
		INSERT INTO files (visit_id, item_id, name, original_name, content_type, uploaded_by)
		SELECT i.visit_id, i.id, $3, $4, $5, $6 FROM request_items i WHERE i.id = $2 AND i.visit_id = $1
		RETURNING id, public_id`, n.VisitID, n.ItemID, n.Name, n.OriginalName, n.ContentType, by.ID).Scan(&id, &publicID)
	if err != nil {
		return upload.File{}, notFound(err, "stage file on item %d", n.ItemID)
	}
	size, sum, err := s.writeChunks(ctx, id, r, max)
	if err == nil {
		_, err = s.db.Exec(ctx, `UPDATE files SET size = $2, sha256 = $3 WHERE id = $1`, id, size, sum)
	}
	if err != nil {
		s.DiscardFiles(ctx, id)
		return upload.File{}, fmt.Errorf("store: stage file on item %d: %w", n.ItemID, err)
	}
	return upload.File{
		ID: id, PublicID: publicID, VisitID: n.VisitID, ItemID: n.ItemID, Name: n.Name, OriginalName: n.OriginalName,
		ContentType: n.ContentType, Size: size, SHA256: sum, UploadedBy: by.ID,
	}, nil
}

// writeChunks copies r into the file's chunks.
func (s *Store) writeChunks(ctx context.Context, id int64, r io.Reader, max int64) (int64, []byte, error) {
	h := sha256.New()
	buf := make([]byte, upload.ChunkSize)
	var size int64
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			size += int64(n)
			if size > max {
				return 0, nil, upload.ErrTooLarge
			}
			h.Write(buf[:n])
			if _, err := s.db.Exec(ctx, `INSERT INTO file_chunks (file_id, seq, data) VALUES ($1, $2, $3)`, id, seq, buf[:n]); err != nil {
				return 0, nil, err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return 0, nil, err
		}
	}
	if size == 0 {
		return 0, nil, upload.ErrEmpty
	}
	return size, h.Sum(nil), nil
}

// DiscardFiles deletes staged (incomplete) files and their chunks. It runs
// even when ctx is cancelled (the usual reason to discard), and never
// touches a complete file.
func (s *Store) DiscardFiles(ctx context.Context, ids ...int64) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	// If this fails, the sweep in StageFile removes them later; they are
	// invisible meanwhile.
	_, _ = s.db.Exec(ctx, `DELETE FROM files WHERE id = ANY($1) AND NOT complete`, ids)
}

// CommitFiles makes staged files visible, in one transaction, in the order
// given: each becomes the next version of its name on its item, and the
// version it replaces is kept, marked superseded. Each upload is recorded
// in the visit's history. With each item locked, it applies the rules on
// changing an item's files: annexa.ErrFilesFrozen when by may not change
// them now (nothing is committed), and an upload by Cafcass starts an item
// not yet started (annexa.StartsOnUpload).
func (s *Store) CommitFiles(ctx context.Context, visitID int64, ids []int64, by user.User) ([]upload.File, error) {
	var out []upload.File
	err := s.WithTx(ctx, func(tx *Store) error {
		out = out[:0]
		for _, id := range ids {
			f, err := tx.commitFile(ctx, visitID, id, by)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

func (s *Store) commitFile(ctx context.Context, visitID, id int64, by user.User) (upload.File, error) {
	var itemID int64
	err := s.db.QueryRow(ctx, `SELECT item_id FROM files WHERE id = $1 AND visit_id = $2 AND NOT complete`, id, visitID).Scan(&itemID)
	if err != nil {
		return upload.File{}, notFound(err, "commit file %d", id)
	}
	// The item first (versions of a name are numbered one at a time, and
	// its status decides whether its files may change), then the file.
	it, err := s.lockItem(ctx, visitID, itemID)
	if err != nil {
		return upload.File{}, err
	}
	side := annexa.SideOf(by.Role.IsCafcass())
	if err := annexa.CheckFiles(side, it.Status); err != nil {
		return upload.File{}, err
	}
	var name string
	err = s.db.QueryRow(ctx, `SELECT name FROM files WHERE id = $1 AND NOT complete FOR UPDATE`, id).Scan(&name)
	if err != nil {
		return upload.File{}, notFound(err, "commit file %d", id)
	}
	// The document the file is a version of: the files of its name, or
	// every file of an item that holds one document (annexa.OneDocument).
	one := it.Kind.OneDocument()
	var last int
	var current *int64
	err = s.db.QueryRow(ctx, `
		SELECT COALESCE(max(version), 0),
		       (SELECT id FROM files WHERE item_id = $1 AND (name = $2 OR $3) AND complete AND superseded_at IS NULL AND removed_at IS NULL
		        ORDER BY version DESC, id DESC LIMIT 1)
		FROM files WHERE item_id = $1 AND (name = $2 OR $3) AND complete`, itemID, name, one).Scan(&last, &current)
	if err != nil {
		return upload.File{}, fmt.Errorf("store: versions of %q on item %d: %w", name, itemID, err)
	}
	if current != nil {
		if _, err := s.db.Exec(ctx, `UPDATE files SET superseded_at = now()
			WHERE item_id = $1 AND (name = $2 OR $3) AND complete AND superseded_at IS NULL AND removed_at IS NULL`, itemID, name, one); err != nil {
			return upload.File{}, fmt.Errorf("store: supersede file %d: %w", *current, err)
		}
	}
	if _, err := s.db.Exec(ctx, `
		UPDATE files SET complete = true, version = $2, replaces = $3, uploaded_at = now() WHERE id = $1`,
		id, last+1, current); err != nil {
		return upload.File{}, fmt.Errorf("store: complete file %d: %w", id, err)
	}
	f, err := s.getFile(ctx, visitID, id)
	if err != nil {
		return upload.File{}, err
	}
	e := fileEvent(history.FileUploaded, f)
	e.Params.Item = it.Number
	if current != nil {
		e.Params.Replaced = last
	}
	if err := s.addEvent(ctx, visitID, by.ID, e); err != nil {
		return upload.File{}, err
	}
	if annexa.StartsOnUpload(side, it.Status) {
		if err := s.SetItemStatus(ctx, it.ID, it.Status, annexa.InProgress, "", by); err != nil {
			return upload.File{}, err
		}
	}
	return f, nil
}

// fileEvent is a history line of the kind about f: its name, size, digest
// and version.
func fileEvent(kind history.Kind, f upload.File) history.Event {
	return history.Event{Kind: kind, Params: history.Params{File: f.Name, Size: f.Size, SHA256: f.Digest(), Version: f.Version, Superseded: f.Superseded}}
}

const fileColumns = `f.id, f.public_id, f.visit_id, f.item_id, (SELECT i.public_id FROM request_items i WHERE i.id = f.item_id), f.name, f.original_name, f.content_type, f.size, f.sha256,
	f.version, COALESCE(f.replaces, 0), f.superseded_at IS NOT NULL, f.uploaded_by, u.name, u.role, f.uploaded_at,
	f.removed_at, COALESCE(f.removed_by, 0)`

func scanFile(row pgx.CollectableRow) (upload.File, error) {
	var f upload.File
	var removedAt *time.Time
	err := row.Scan(&f.ID, &f.PublicID, &f.VisitID, &f.ItemID, &f.ItemPublicID, &f.Name, &f.OriginalName, &f.ContentType, &f.Size, &f.SHA256,
		&f.Version, &f.Replaces, &f.Superseded, &f.UploadedBy, &f.UploaderName, &f.UploaderRole, &f.UploadedAt,
		&removedAt, &f.RemovedBy)
	if removedAt != nil {
		f.Removed, f.RemovedAt = true, *removedAt
	}
	return f, err
}

// GetFile returns a complete, not removed file of the visit (a current or
// an earlier version). A file of another visit gives ErrNotFound, exactly
// as one that does not exist.
func (s *Store) GetFile(ctx context.Context, visitID, fileID int64) (upload.File, error) {
	return s.getFile(ctx, visitID, fileID)
}

// GetFileByPublicID is GetFile for the file with the public id.
func (s *Store) GetFileByPublicID(ctx context.Context, visitID int64, publicID string) (upload.File, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+fileColumns+` FROM files f JOIN users u ON u.id = f.uploaded_by
		WHERE f.public_id = $1 AND f.visit_id = $2 AND f.complete AND f.removed_at IS NULL`, publicID, visitID)
	f, err := pgx.CollectExactlyOneRow(rows, scanFile)
	if err != nil {
		return upload.File{}, notFound(err, "get file %s of visit %d", publicID, visitID)
	}
	return f, nil
}

func (s *Store) getFile(ctx context.Context, visitID, fileID int64) (upload.File, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+fileColumns+` FROM files f JOIN users u ON u.id = f.uploaded_by
		WHERE f.id = $1 AND f.visit_id = $2 AND f.complete AND f.removed_at IS NULL`, fileID, visitID)
	f, err := pgx.CollectExactlyOneRow(rows, scanFile)
	if err != nil {
		return upload.File{}, notFound(err, "get file %d of visit %d", fileID, visitID)
	}
	return f, nil
}

// ListItemFiles returns the documents on an item, by name: each with its
// current version and the earlier versions it replaced, newest first. An
// item that holds one document (annexa.OneDocument) has one, whatever its
// files are called. Removed files are left out.
func (s *Store) ListItemFiles(ctx context.Context, itemID int64) ([]upload.Document, error) {
	var kind annexa.Kind
	if err := s.db.QueryRow(ctx, `SELECT kind FROM request_items WHERE id = $1`, itemID).Scan(&kind); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("store: list files of item %d: %w", itemID, err)
	}
	one := kind.OneDocument()
	rows, _ := s.db.Query(ctx, `SELECT `+fileColumns+` FROM files f JOIN users u ON u.id = f.uploaded_by
		WHERE f.item_id = $1 AND f.complete AND f.removed_at IS NULL
		ORDER BY CASE WHEN $2 THEN '' ELSE f.name END, f.version DESC, f.uploaded_at DESC, f.id DESC`, itemID, one)
	fs, err := pgx.CollectRows(rows, scanFile)
	if err != nil {
		return nil, fmt.Errorf("store: list files of item %d: %w", itemID, err)
	}
	var docs []upload.Document
	for _, f := range fs {
		if n := len(docs); n > 0 && (one || docs[n-1].Current.Name == f.Name) {
			docs[n-1].Earlier = append(docs[n-1].Earlier, f)
			continue
		}
		docs = append(docs, upload.Document{Current: f})
	}
	return docs, nil
}

// CountItemFiles returns how many documents (current versions) an item has.
func (s *Store) CountItemFiles(ctx context.Context, itemID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM files
		WHERE item_id = $1 AND complete AND superseded_at IS NULL AND removed_at IS NULL`, itemID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count files of item %d: %w", itemID, err)
	}
	return n, nil
}

// CountFilesByItem returns, for each item of the visit with documents, how
// many it has (current versions), for task lists.
func (s *Store) CountFilesByItem(ctx context.Context, visitID int64) (map[int64]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT item_id, count(*) FROM files
		WHERE visit_id = $1 AND complete AND superseded_at IS NULL AND removed_at IS NULL GROUP BY item_id`, visitID)
	m := map[int64]int{}
	var itemID int64
	var n int
	_, err := pgx.ForEachRow(rows, []any{&itemID, &n}, func() error { m[itemID] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("store: count files of visit %d: %w", visitID, err)
	}
	return m, nil
}

// RemoveFile removes the document fileID belongs to, with its earlier
// versions: they are marked removed (by whom, when), never deleted, and
// the removal is recorded in the history. It returns the file removed.
// With the item locked, it refuses with annexa.ErrFilesFrozen when by may
// not change the item's files now.
func (s *Store) RemoveFile(ctx context.Context, visitID, fileID int64, by user.User) (upload.File, error) {
	var f upload.File
	err := s.WithTx(ctx, func(tx *Store) error {
		var itemID int64
		err := tx.db.QueryRow(ctx, `SELECT item_id FROM files WHERE id = $1 AND visit_id = $2`, fileID, visitID).Scan(&itemID)
		if err != nil {
			return notFound(err, "remove file %d", fileID)
		}
		it, err := tx.lockItem(ctx, visitID, itemID)
		if err != nil {
			return err
		}
		if err := annexa.CheckFiles(annexa.SideOf(by.Role.IsCafcass()), it.Status); err != nil {
			return err
		}
		// Read with the item locked: no one else changes its files now.
		if f, err = tx.getFile(ctx, visitID, fileID); err != nil {
			return err
		}
		tag, err := tx.db.Exec(ctx, `UPDATE files SET removed_at = now(), removed_by = $3
			WHERE item_id = $1 AND (name = $2 OR $4) AND complete AND removed_at IS NULL`, f.ItemID, f.Name, by.ID, it.Kind.OneDocument())
		if err != nil {
			return fmt.Errorf("store: remove file %d: %w", fileID, err)
		}
		e := fileEvent(history.FileRemoved, f)
		e.Params.Earlier = max(int(tag.RowsAffected())-1, 0)
		return tx.addEvent(ctx, visitID, by.ID, e)
	})
	return f, err
}

// ErrCorrupt means a stored file's content does not match its size or
// SHA-256.
var ErrCorrupt = errors.New("store: file content does not match its digest")

// FileReader streams a stored file's content one chunk (1 MiB) at a time:
// the whole file is never in memory. It checks the size and SHA-256 at the
// end, returning ErrCorrupt instead of io.EOF if they differ. It implements
// io.Reader and io.WriterTo, so io.Copy uses whole chunks.
type FileReader struct {
	s    *Store
	ctx  context.Context
	f    upload.File
	seq  int
	read int64
	buf  []byte
	hash hash.Hash
	err  error
}

// OpenFile returns a reader of f's content (f from GetFile or
// ListItemFiles). Nothing is read until the first Read or WriteTo; each
// chunk is one query, so no transaction or connection is held between
// them.
func (s *Store) OpenFile(ctx context.Context, f upload.File) *FileReader {
	return &FileReader{s: s, ctx: ctx, f: f, hash: sha256.New()}
}

// Size is the file's length in bytes.
func (fr *FileReader) Size() int64 { return fr.f.Size }

// next loads the next chunk into buf, or sets err at the end.
func (fr *FileReader) next() {
	if fr.read >= fr.f.Size {
		fr.err = io.EOF
		if fr.read != fr.f.Size || !bytes.Equal(fr.hash.Sum(nil), fr.f.SHA256) {
			fr.err = fmt.Errorf("%w: file %d", ErrCorrupt, fr.f.ID)
		}
		return
	}
	var data []byte
	err := fr.s.db.QueryRow(fr.ctx, `SELECT data FROM file_chunks WHERE file_id = $1 AND seq = $2`, fr.f.ID, fr.seq).Scan(&data)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && len(data) == 0):
		fr.err = fmt.Errorf("%w: file %d has no chunk %d", ErrCorrupt, fr.f.ID, fr.seq)
		return
	case err != nil:
		fr.err = fmt.Errorf("store: read file %d chunk %d: %w", fr.f.ID, fr.seq, err)
		return
	}
	fr.seq++
	fr.read += int64(len(data))
	if fr.read > fr.f.Size {
		fr.err = fmt.Errorf("%w: file %d is longer than stored", ErrCorrupt, fr.f.ID)
		return
	}
	fr.hash.Write(data)
	fr.buf = data
}

// Read reads the content.
func (fr *FileReader) Read(p []byte) (int, error) {
	for len(fr.buf) == 0 {
		if fr.err != nil {
			return 0, fr.err
		}
		fr.next()
	}
	n := copy(p, fr.buf)
	fr.buf = fr.buf[n:]
	return n, nil
}

// WriteTo writes the rest of the content to w, a chunk at a time.
func (fr *FileReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if len(fr.buf) > 0 {
			n, err := w.Write(fr.buf)
			total += int64(n)
			fr.buf = fr.buf[n:]
			if err != nil {
				return total, err
			}
			continue
		}
		if fr.err != nil {
			if fr.err == io.EOF {
				return total, nil
			}
			return total, fr.err
		}
		fr.next()
	}
}
