package childdata

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
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
	max int // the line limit
}

// NewCSV is NewCSVWithin with the default limits.
func NewCSV(r io.Reader) Reader { return NewCSVWithin(r, Limits{}) }

// NewCSVWithin returns a reader of CSV from r: comma-separated, quoted as
// RFC 4180, with or without a UTF-8 byte order mark, any number of columns.
// A line (a record, with any line breaks inside quotes) longer than
// l.MaxLine stops it with a *FormatError naming the limit.
func NewCSVWithin(r io.Reader, l Limits) Reader {
	l = l.withDefaults()
	br := bufio.NewReaderSize(&lineLimiter{r: r, max: l.MaxLine}, 64<<10)
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return &csvReader{r: cr, max: l.MaxLine}
}

func (c *csvReader) Read() ([]string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	c.row++
	if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			return nil, &FormatError{Row: c.row, Err: tooLarge("row %d is longer than the limit of %s", c.row, formatSize(int64(c.max)))}
		}
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
