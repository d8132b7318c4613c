package childdata

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// Reader yields a list's rows one at a time, the header row first.
type Reader interface {
	// Read returns the next row's values, or io.EOF after the last. The
	// slice and its strings may be reused by the next call.
	Read() ([]string, error)
	// Serial reports whether a number in a date column is an Excel serial
	// date (true for .xlsx files).
	Serial() bool
	// Close releases what the reader holds.
	Close() error
}

// FormatError is a file that cannot be read as the format it claims: it is
// shown to the uploader, with the row where reading stopped when known.
type FormatError struct {
	Row int
	Err error
}

func (e *FormatError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("row %d: %v", e.Row, e.Err)
	}
	return e.Err.Error()
}

func (e *FormatError) Unwrap() error { return e.Err }

// csvReader reads CSV with encoding/csv, one record at a time.
type csvReader struct {
	r   *csv.Reader
	row int
}

// NewCSV returns a reader of CSV from r: comma-separated, quoted as
// RFC 4180, with or without a UTF-8 byte order mark, rows of any length.
func NewCSV(r io.Reader) Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return &csvReader{r: cr}
}

func (c *csvReader) Read() ([]string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	c.row++
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &FormatError{Row: c.row, Err: errors.New(csvMessage(pe))}
		}
		return nil, err
	}
	return rec, nil
}

func csvMessage(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		return "a quotation mark is out of place: put values that contain quotation marks or commas inside quotation marks, with quotation marks inside doubled"
	}
	return "the file is not a readable CSV file"
}

func (c *csvReader) Serial() bool { return false }
func (c *csvReader) Close() error { return nil }

// xlsxReader reads the first worksheet of an .xlsx file with excelize's
// streaming row iterator.
type xlsxReader struct {
	f    *excelize.File
	rows *excelize.Rows
	tmp  string
	row  int
}

// XLSXOptions tune how an .xlsx file is opened.
type XLSXOptions struct {
	// TmpDir is where the file is spooled (excelize needs random access) and
	// where excelize unpacks large worksheets; "" is the system default.
	TmpDir string
	// MaxUnzipped bounds the unpacked size of the workbook (zip-bomb guard);
	// 0 means 2 GB.
	MaxUnzipped int64
}

// NewXLSX returns a reader of the first worksheet of the .xlsx file read
// from r. The file is copied to a temporary file rather than memory, and
// worksheets over 1 MB unpacked are read from disk as a stream; only the
// workbook's shared strings (each distinct text once) are held in memory.
// Values are read raw, so dates arrive as Excel serial numbers.
func NewXLSX(r io.Reader, o XLSXOptions) (Reader, error) {
	tmp, err := os.CreateTemp(o.TmpDir, "childlist-*.xlsx")
	if err != nil {
		return nil, err
	}
	x := &xlsxReader{tmp: tmp.Name()}
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = x.Close()
		return nil, err
	}
	limit := o.MaxUnzipped
	if limit <= 0 {
		limit = 2 << 30
	}
	x.f, err = excelize.OpenFile(x.tmp, excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: 1 << 20, TmpDir: o.TmpDir})
	if err != nil {
		_ = x.Close()
		return nil, &FormatError{Err: errors.New("the file is not a readable Excel (.xlsx) workbook")}
	}
	sheets := x.f.GetSheetList()
	if len(sheets) == 0 {
		_ = x.Close()
		return nil, &FormatError{Err: errors.New("the workbook has no worksheets")}
	}
	if x.rows, err = x.f.Rows(sheets[0]); err != nil {
		_ = x.Close()
		return nil, &FormatError{Err: errors.New("the first worksheet cannot be read")}
	}
	return x, nil
}

func (x *xlsxReader) Read() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, &FormatError{Row: x.row + 1, Err: errors.New("the worksheet cannot be read")}
		}
		return nil, io.EOF
	}
	x.row++
	cols, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &FormatError{Row: x.row, Err: errors.New("the worksheet cannot be read")}
	}
	return cols, nil
}

func (x *xlsxReader) Serial() bool { return true }

func (x *xlsxReader) Close() error {
	var errs []error
	if x.rows != nil {
		errs = append(errs, x.rows.Close())
	}
	if x.f != nil {
		errs = append(errs, x.f.Close())
	}
	if x.tmp != "" {
		if err := os.Remove(x.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
