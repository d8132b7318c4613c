package childdata

import (
	"errors"
	"fmt"
	"io"

	"github.com/ofsted/focusedvisits/internal/upload"
)

// Limits bound what reading one list may cost in memory, disk and time,
// whatever the file claims about itself. A list over a limit is refused
// with a message naming the limit (a *FormatError wrapping ErrTooLarge).
type Limits struct {
	// MaxUnzipped bounds an .xlsx workbook once unzipped: all its parts
	// together, both as the zip's directory declares them and as they
	// actually inflate. 0 means DefaultMaxUnzipped.
	MaxUnzipped int64
	// MaxPart bounds each part of a workbook other than the worksheet read
	// (shared strings, styles, themes, ...), declared and actual. 0 means
	// DefaultMaxPart.
	MaxPart int64
	// MaxLine bounds a line of a CSV file (a whole record, with any line
	// breaks inside quotes), a row of a worksheet (its XML), and any single
	// piece of a workbook's XML (a tag, a text, a comment). 0 means
	// DefaultMaxLine.
	MaxLine int
}

// The limits' defaults: room for a genuine list of 300,000 rows written by
// Excel or by a streaming writer (about 1.1 KB of worksheet XML a row), a
// thousandth of the cost of a zip bomb.
const (
	DefaultMaxUnzipped = 500 << 20
	DefaultMaxPart     = 32 << 20
	DefaultMaxLine     = 64 << 10
)

func (l Limits) withDefaults() Limits {
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = DefaultMaxUnzipped
	}
	if l.MaxPart <= 0 {
		l.MaxPart = DefaultMaxPart
	}
	if l.MaxLine <= 0 {
		l.MaxLine = DefaultMaxLine
	}
	return l
}

// formatSize gives a size as people read it: "64 KB", "500 MB".
var formatSize = upload.FormatSize

// ErrTooLarge is wrapped by the errors of a list over one of its limits.
var ErrTooLarge = errors.New("childdata: over a limit")

// limitError is a list over a limit, with the sentence people read.
type limitError struct{ msg string }

func (e *limitError) Error() string        { return e.msg }
func (e *limitError) Is(target error) bool { return target == ErrTooLarge }

func tooLarge(format string, args ...any) error {
	return &limitError{msg: fmt.Sprintf(format, args...)}
}

func unzippedTooLarge(l Limits) error {
	return tooLarge("the file is too large once unzipped: the limit is %s", formatSize(l.MaxUnzipped))
}

func partTooLarge(name string, l Limits) error {
	return tooLarge("the file is too large once unzipped: its part %s is over %s, the limit for each part other than the worksheet",
		name, formatSize(l.MaxPart))
}

// lineLimiter passes a CSV file through, failing once a record is longer
// than max bytes. A line break ends a record unless it is inside quotes;
// quotes are counted, so a doubled quote inside a quoted field changes
// nothing. encoding/csv holds a whole record in memory, so this bounds it.
type lineLimiter struct {
	r       io.Reader
	max     int
	n       int // bytes of the record so far
	inQuote bool
	err     error
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		switch {
		case b == '"':
			l.inQuote = !l.inQuote
		case b == '\n' && !l.inQuote:
			l.n = 0
			continue
		}
		l.n++
		if l.n > l.max {
			l.err = tooLarge("a line is longer than the limit of %s", formatSize(int64(l.max))) // the reader names the row
			return i, l.err
		}
	}
	return n, err
}

// xmlLimiter passes a part's XML through, failing once any one piece of it
// (a tag with its attributes, a run of text, a comment, a CDATA section or
// a processing instruction) is longer than maxToken bytes, or one record
// element (a worksheet's row, a shared string) longer than maxRecord:
// encoding/xml holds a whole piece in memory, and the reader a whole
// record. Document type declarations are refused: Open XML packages never
// have one.
type xmlLimiter struct {
	r         io.Reader
	maxToken  int
	maxRecord int
	record    string // the local name of the record element: "row", "si"
	limitMsg  func() error

	state    xmlState
	run      int // bytes of the current piece
	tail     [2]byte
	inRecord bool
	recBytes int
	name     []byte // the start of the current tag's name
	nameDone bool
	quote    byte
	prev     byte // the byte before '>' in a tag: '/' for an empty element
	bang     []byte
	err      error
}

type xmlState int

const (
	xText    xmlState = iota
	xLT               // just after '<'
	xTag              // in a start or end tag
	xBang             // after "<!", deciding what follows
	xComment          // in <!-- -->
	xCDATA            // in <![CDATA[ ]]>
	xPI               // in <? ?>
)

func newXMLLimiter(r io.Reader, record string, l Limits, tooLong func() error) *xmlLimiter {
	return &xmlLimiter{r: r, maxToken: l.MaxLine, maxRecord: l.MaxLine, record: record, limitMsg: tooLong, name: make([]byte, 0, 16)}
}

func (x *xmlLimiter) Read(p []byte) (int, error) {
	if x.err != nil {
		return 0, x.err
	}
	n, err := x.r.Read(p)
	for i, b := range p[:n] {
		if e := x.step(b); e != nil {
			x.err = e
			return i, e
		}
	}
	return n, err
}

// step takes one byte.
func (x *xmlLimiter) step(b byte) error {
	x.run++
	if x.inRecord {
		x.recBytes++
		if x.recBytes > x.maxRecord {
			return x.limitMsg()
		}
	}
	switch x.state {
	case xText:
		if b == '<' {
			x.state, x.run = xLT, 1
		}
	case xLT:
		switch b {
		case '!':
			x.state, x.bang = xBang, x.bang[:0]
		case '?':
			x.state = xPI
		default:
			x.state, x.name, x.nameDone, x.quote = xTag, append(x.name[:0], b), false, 0
		}
	case xBang:
		x.bang = append(x.bang, b)
		switch {
		case string(x.bang) == "--":
			x.state = xComment
		case string(x.bang) == "[CDATA[":
			x.state = xCDATA
		case len(x.bang) >= 7 || !(isPrefix(x.bang, "--") || isPrefix(x.bang, "[CDATA[")):
			return errDoctype
		}
	case xComment:
		if b == '>' && x.tail == [2]byte{'-', '-'} {
			x.state, x.run = xText, 0
		}
	case xCDATA:
		if b == '>' && x.tail == [2]byte{']', ']'} {
			x.state, x.run = xText, 0
		}
	case xPI:
		if b == '>' && x.tail[1] == '?' {
			x.state, x.run = xText, 0
		}
	case xTag:
		switch {
		case x.quote != 0:
			if b == x.quote {
				x.quote = 0
			}
		case b == '>':
			x.endTag()
			x.state, x.run = xText, 0
		case !x.nameDone:
			if b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '/' {
				x.nameDone = true
			} else if len(x.name) < cap(x.name) {
				x.name = append(x.name, b)
			}
		case b == '"' || b == '\'':
			x.quote = b
		}
		x.prev = b
	}
	x.tail[0], x.tail[1] = x.tail[1], b
	if x.run > x.maxToken {
		return x.limitMsg()
	}
	return nil
}

// endTag notes a record starting or ending.
func (x *xmlLimiter) endTag() {
	name := x.name
	end := len(name) > 0 && name[0] == '/'
	if end {
		name = name[1:]
	}
	for i := len(name) - 1; i >= 0; i-- { // the local name, after any prefix
		if name[i] == ':' {
			name = name[i+1:]
			break
		}
	}
	if string(name) != x.record {
		return
	}
	switch {
	case end:
		x.inRecord = false
	case x.prev == '/': // <row r="3"/>: empty
	default:
		x.inRecord, x.recBytes = true, x.run
	}
}

// errDoctype refuses XML with a document type declaration.
var errDoctype = errors.New("the workbook's XML has a document type declaration, which Excel files never have")

func isPrefix(b []byte, s string) bool {
	return len(b) <= len(s) && string(b) == s[:len(b)]
}
