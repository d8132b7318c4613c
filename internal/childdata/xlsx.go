package childdata

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// An .xlsx workbook is a zip of XML parts. The reader here reads the first
// worksheet's values with archive/zip and encoding/xml, under Limits, in
// one pass: it never holds more than one row, the shared strings (compactly)
// and a piece of XML no longer than Limits.MaxLine in memory, and it reads
// only the parts it needs. Every part's size is checked twice: as the zip's
// directory declares it, before anything is inflated, and as it actually
// inflates, since a declared size can lie. Parts the reader does not need
// (styles, themes, drawings, ...) are inflated once, only to be measured.

// maxZipEntries bounds the parts of a workbook. Go's zip reader holds each
// entry of the zip's directory in memory (a few hundred bytes each), so a
// file of a million empty parts would cost far more than its size; genuine
// workbooks have tens of parts, one with many sheets and pictures a few
// thousand.
const (
	maxZipEntries   = 10_000
	maxZipDirectory = 4 << 20
)

// maxSheetRows and maxSheetColumns are Excel's own limits.
const (
	maxSheetRows    = 1 << 20
	maxSheetColumns = 1 << 14
)

// XLSXOptions tune how an .xlsx file is opened.
type XLSXOptions struct {
	// TmpDir is where the file is spooled (a zip is read from its end); ""
	// is the system default.
	TmpDir string
	// Limits bound what reading it may cost; zero fields take the defaults.
	Limits Limits
}

// errNotWorkbook is the message for anything that is not a readable .xlsx.
var errNotWorkbook = errors.New("the file is not a readable Excel (.xlsx) workbook")

// xlsxReader reads the first worksheet of a workbook, row by row.
type xlsxReader struct {
	tmp   string
	file  *os.File
	lim   Limits
	parts map[string]*zip.File // by lower-case name

	sst   sharedStrings
	ws    *partReader
	dec   *xml.Decoder
	row   int // the last row returned
	next  int // the number of the row element read but not yet returned
	ahead bool
	inRow bool // reading the cells of row x.row
	cells []string
	done  bool
}

// NewXLSX returns a reader of the first worksheet of the .xlsx file read
// from r. The file is copied to a temporary file rather than memory (a zip
// is read from its end). Values are read raw, so dates arrive as Excel
// serial numbers; text is as Excel shows it. A file that is not a workbook,
// is damaged, or is over a limit gives a *FormatError; the message of one
// over a limit names it.
func NewXLSX(r io.Reader, o XLSXOptions) (Reader, error) {
	tmp, err := os.CreateTemp(o.TmpDir, "childlist-*.xlsx")
	if err != nil {
		return nil, err
	}
	x := &xlsxReader{tmp: tmp.Name(), file: tmp, lim: o.Limits.withDefaults()}
	size, err := io.Copy(tmp, r)
	if err != nil {
		_ = x.Close()
		return nil, err
	}
	if err := x.open(size); err != nil {
		_ = x.Close()
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, &FormatError{Err: err}
	}
	return x, nil
}

// open checks the workbook against the limits and gets to its first row.
func (x *xlsxReader) open(size int64) error {
	if err := checkEntries(x.file, size); err != nil {
		return err
	}
	zr, err := zip.NewReader(x.file, size)
	if err != nil {
		return errNotWorkbook
	}
	// Declared sizes first, before anything is inflated.
	x.parts = make(map[string]*zip.File, len(zr.File))
	var declared uint64
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if f.UncompressedSize64 > uint64(x.lim.MaxUnzipped) {
			return unzippedTooLarge(x.lim)
		}
		if declared += f.UncompressedSize64; declared > uint64(x.lim.MaxUnzipped) {
			return unzippedTooLarge(x.lim)
		}
		x.parts[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	sheet, sst, err := x.resolve()
	if err != nil {
		return err
	}
	// Every other part, declared and then as it inflates.
	var total int64
	for name, f := range x.parts {
		if name == sheet {
			continue
		}
		if f.UncompressedSize64 > uint64(x.lim.MaxPart) {
			return partTooLarge(f.Name, x.lim)
		}
		pr, err := x.openPart(f, x.lim.MaxPart, func() error { return partTooLarge(f.Name, x.lim) })
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, pr)
		total += pr.n
		if err != nil {
			return err
		}
		if total > x.lim.MaxUnzipped {
			return unzippedTooLarge(x.lim)
		}
	}
	if sst != "" {
		if err := x.readSharedStrings(x.parts[sst]); err != nil {
			return err
		}
	}
	// The worksheet, as a stream: what is left of the total.
	x.ws, err = x.openPart(x.parts[sheet], x.lim.MaxUnzipped-total, func() error { return unzippedTooLarge(x.lim) })
	if err != nil {
		return err
	}
	x.dec = x.newDecoder(x.ws, "row", func() error {
		return tooLarge("row %d is longer than the limit of %s", x.current(), formatSize(int64(x.lim.MaxLine)))
	})
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return x.sheetError(err, "the first worksheet cannot be read")
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheetData" {
			return nil
		}
	}
}

// checkEntries refuses a zip whose directory is larger than a workbook's
// can be (more than maxZipEntries entries, or more than maxZipDirectory
// bytes), reading only the zip's end record, before Go's zip reader loads
// the whole directory into memory. What it cannot make sense of is left to
// the zip reader.
func checkEntries(f io.ReaderAt, size int64) error {
	const eocdLen, maxComment = 22, 1<<16 - 1
	n := min(size, eocdLen+maxComment)
	if n < eocdLen {
		return errNotWorkbook
	}
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, size-n); err != nil {
		return errNotWorkbook
	}
	i := len(buf) - eocdLen
	for ; i >= 0; i-- {
		if string(buf[i:i+4]) == "PK\x05\x06" && i+eocdLen+int(binary.LittleEndian.Uint16(buf[i+20:])) <= len(buf) {
			break
		}
	}
	if i < 0 {
		return errNotWorkbook
	}
	entries := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(buf[i+12:]))
	if (entries == 0xffff || dirSize == 0xffffffff) && i >= 20 && string(buf[i-20:i-16]) == "PK\x06\x07" {
		// Zip64: the counts are in the zip64 end record the locator points to.
		off := binary.LittleEndian.Uint64(buf[i-20+8:])
		rec := make([]byte, 56)
		if size < 56 || off > uint64(size-56) {
			return errNotWorkbook
		}
		if _, err := f.ReadAt(rec, int64(off)); err != nil || string(rec[:4]) != "PK\x06\x06" {
			return errNotWorkbook
		}
		entries, dirSize = binary.LittleEndian.Uint64(rec[32:]), binary.LittleEndian.Uint64(rec[40:])
	}
	if entries > maxZipEntries || dirSize > maxZipDirectory {
		return tooLarge("the file has more parts than a workbook may have: the limit is %s parts, and %s for the list of them",
			strconv.Itoa(maxZipEntries), formatSize(maxZipDirectory))
	}
	return nil
}

// part returns the part named (a path inside the zip), or nil.
func (x *xlsxReader) part(name string) *zip.File {
	return x.parts[strings.ToLower(strings.TrimPrefix(name, "/"))]
}

// resolve finds the first worksheet and the shared strings, as Excel does:
// the package's relationships name the workbook, the workbook lists its
// sheets in order, and the workbook's relationships name their parts. It
// returns their lower-case part names; sst is "" when there are none.
func (x *xlsxReader) resolve() (sheet, sst string, err error) {
	wb := "xl/workbook.xml"
	rels, err := x.readRels("_rels/.rels", "")
	if err != nil {
		return "", "", err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wb = r.target
			break
		}
	}
	if x.part(wb) == nil {
		return "", "", errNotWorkbook
	}
	rid, err := x.firstSheet(wb)
	if err != nil {
		return "", "", err
	}
	rels, err = x.readRels(path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"), wb)
	if err != nil {
		return "", "", err
	}
	for _, r := range rels {
		switch {
		case r.id == rid && rid != "":
			sheet = r.target
		case strings.HasSuffix(r.typ, "/sharedStrings") && sst == "":
			sst = r.target
		}
	}
	if sheet == "" || x.part(sheet) == nil {
		return "", "", &FormatError{Err: errors.New("the workbook has no worksheets")}
	}
	if sst == "" || x.part(sst) == nil {
		sst = "xl/sharedStrings.xml" // where Excel puts them
		if x.part(sst) == nil {
			sst = ""
		}
	}
	if sst != "" {
		sst = strings.ToLower(strings.TrimPrefix(sst, "/"))
	}
	return strings.ToLower(strings.TrimPrefix(sheet, "/")), sst, nil
}

type rel struct{ id, typ, target string }

// readRels reads a relationships part, if there is one, resolving targets
// against the part they belong to (base; "" for the package).
func (x *xlsxReader) readRels(name, base string) ([]rel, error) {
	f := x.part(name)
	if f == nil {
		return nil, nil
	}
	var out []rel
	err := x.scanPart(f, func(se xml.StartElement) bool {
		if se.Name.Local != "Relationship" {
			return true
		}
		var r rel
		external := false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			case "TargetMode":
				external = strings.EqualFold(a.Value, "External")
			}
		}
		if !external && r.target != "" {
			if strings.HasPrefix(r.target, "/") {
				r.target = strings.TrimPrefix(r.target, "/")
			} else {
				r.target = path.Join(path.Dir(base), r.target)
			}
			out = append(out, r)
		}
		return len(out) < maxZipEntries
	})
	return out, err
}

// firstSheet returns the relationship id of the workbook's first sheet.
func (x *xlsxReader) firstSheet(wb string) (string, error) {
	rid := ""
	err := x.scanPart(x.part(wb), func(se xml.StartElement) bool {
		if se.Name.Local != "sheet" {
			return true
		}
		for _, a := range se.Attr {
			if a.Name.Local == "id" && a.Name.Space != "" {
				rid = a.Value
			}
		}
		return false
	})
	if err == nil && rid == "" {
		err = &FormatError{Err: errors.New("the workbook has no worksheets")}
	}
	return rid, err
}

// scanPart passes each start element of a small part to fn until fn
// returns false or the part ends.
func (x *xlsxReader) scanPart(f *zip.File, fn func(xml.StartElement) bool) error {
	if f.UncompressedSize64 > uint64(x.lim.MaxPart) {
		return partTooLarge(f.Name, x.lim)
	}
	pr, err := x.openPart(f, x.lim.MaxPart, func() error { return partTooLarge(f.Name, x.lim) })
	if err != nil {
		return err
	}
	dec := x.newDecoder(pr, "", func() error {
		return tooLarge("the part %s has a piece longer than the limit of %s", f.Name, formatSize(int64(x.lim.MaxLine)))
	})
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return partError(err)
		}
		if se, ok := tok.(xml.StartElement); ok && !fn(se) {
			return nil
		}
	}
}

// sharedStrings is the workbook's table of text, each string once, held
// as one string and where each ends. Cells get substrings of it, never
// copies, so a row of many cells naming one long text costs nothing more.
type sharedStrings struct {
	buf  []byte // while loading
	text string
	ends []uint32
}

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]], true
}

// readSharedStrings loads the shared strings: the text of each <si> (its
// <t>, or its rich-text runs' <t>s, leaving out phonetic guides).
func (x *xlsxReader) readSharedStrings(f *zip.File) error {
	pr, err := x.openPart(f, x.lim.MaxPart, func() error { return partTooLarge(f.Name, x.lim) })
	if err != nil {
		return err
	}
	dec := x.newDecoder(pr, "si", func() error {
		return tooLarge("a text in the file is longer than the limit of %s", formatSize(int64(x.lim.MaxLine)))
	})
	var cur []byte
	in, depthT, inPh := false, 0, 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			x.sst.text, x.sst.buf = string(x.sst.buf), nil
			return nil
		}
		if err != nil {
			return partError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				in, cur, depthT, inPh = true, cur[:0], 0, 0
			case "t":
				depthT++
			case "rPh":
				inPh++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if in {
					x.sst.buf = append(x.sst.buf, bstr(cur)...)
					if len(x.sst.buf) > 1<<32-1 {
						return partTooLarge(f.Name, x.lim)
					}
					x.sst.ends = append(x.sst.ends, uint32(len(x.sst.buf)))
				}
				in = false
			case "t":
				depthT = max(0, depthT-1)
			case "rPh":
				inPh = max(0, inPh-1)
			}
		case xml.CharData:
			if in && depthT > 0 && inPh == 0 {
				cur = append(cur, t...)
			}
		}
	}
}

// Read returns the next row's values, an empty row for each row number a
// worksheet skips, and io.EOF after the last.
func (x *xlsxReader) Read() ([]string, error) {
	if x.done {
		return nil, io.EOF
	}
	if !x.ahead {
		n, err := x.nextRow()
		if err == io.EOF {
			x.done = true
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		x.next, x.ahead = n, true
	}
	x.cells = x.cells[:0]
	if x.next > x.row+1 {
		x.row++
		return x.cells, nil
	}
	x.ahead = false
	x.row = x.next
	return x.readCells()
}

// nextRow reads up to the next <row> and returns its number.
func (x *xlsxReader) nextRow() (int, error) {
	for {
		tok, err := x.dec.RawToken()
		if err == io.EOF {
			return 0, io.EOF
		}
		if err != nil {
			return 0, x.sheetError(err, "the worksheet cannot be read")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			n := x.row + 1
			if v := attr(t, "r"); v != "" {
				r, err := strconv.Atoi(v)
				if err != nil || r < 1 || r > maxSheetRows {
					return 0, &FormatError{Row: x.current(), Err: errors.New("the worksheet has a row number Excel does not allow")}
				}
				if r > x.row {
					n = r
				}
			}
			return n, nil
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return 0, io.EOF
			}
		}
	}
}

// current is the number of the row being read: the one whose cells are
// being read, or the next.
func (x *xlsxReader) current() int {
	if x.inRow {
		return x.row
	}
	return x.row + 1
}

// readCells reads the cells of the row element just started.
func (x *xlsxReader) readCells() ([]string, error) {
	x.inRow = true
	defer func() { x.inRow = false }()
	col := -1
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, x.sheetError(err, "the worksheet cannot be read")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := x.skip(); err != nil {
					return nil, err
				}
				continue
			}
			col++
			if ref := attr(t, "r"); ref != "" {
				c, ok := refColumn(ref)
				if !ok {
					return nil, &FormatError{Row: x.row, Err: fmt.Errorf("the worksheet has a cell reference Excel does not allow (%q)", ref)}
				}
				col = c
			}
			if col >= maxSheetColumns {
				return nil, &FormatError{Row: x.row, Err: errors.New("the worksheet has more columns than Excel allows")}
			}
			v, err := x.cellValue(attr(t, "t"))
			if err != nil {
				return nil, err
			}
			if v != "" {
				for len(x.cells) < col {
					x.cells = append(x.cells, "")
				}
				if len(x.cells) == col {
					x.cells = append(x.cells, v)
				} else {
					x.cells[col] = v
				}
			}
		case xml.EndElement:
			if t.Name.Local == "row" {
				return x.cells, nil
			}
		}
	}
}

// cellValue reads a <c>'s content up to its end and returns its value, raw:
// the shared or inline string, or the <v> of anything else (a number, a
// boolean as 0 or 1, an error such as #N/A, a formula's cached result).
func (x *xlsxReader) cellValue(typ string) (string, error) {
	var v, inline []byte
	hasInline := false
	var into *[]byte
	depth, inPh := 0, 0
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", x.sheetError(err, "the worksheet cannot be read")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && t.Name.Local == "v":
				into = &v
			case depth == 1 && t.Name.Local == "is":
				hasInline = true
			case t.Name.Local == "rPh":
				inPh++
			case hasInline && t.Name.Local == "t" && inPh == 0:
				into = &inline
			}
		case xml.EndElement:
			if depth == 0 { // </c>
				switch typ {
				case "s":
					s := strings.TrimSpace(string(v))
					if s == "" {
						return "", nil
					}
					i, err := strconv.Atoi(s)
					val, ok := x.sst.get(i)
					if err != nil || !ok {
						return "", &FormatError{Row: x.row, Err: errors.New("the worksheet refers to a shared text that is not in the file")}
					}
					return val, nil
				case "inlineStr":
					if hasInline {
						return string(bstr(inline)), nil
					}
				}
				return string(v), nil
			}
			depth--
			if t.Name.Local == "rPh" {
				inPh = max(0, inPh-1)
			}
			into = nil
		case xml.CharData:
			if into != nil {
				*into = append(*into, t...)
			}
		}
	}
}

// skip reads past the end of the element just started.
func (x *xlsxReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := x.dec.RawToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return x.sheetError(err, "the worksheet cannot be read")
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// refColumn returns the column index (0 for A) of a cell reference such as
// "AB12".
func refColumn(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxSheetColumns {
			return 0, false
		}
	}
	if i == 0 {
		return 0, false
	}
	return col - 1, true
}

// bstr decodes Excel's escapes of characters XML cannot hold: _xHHHH_ is
// the character HHHH, and _x005F_ a literal underscore (so _x005F_x0008_
// is the text "_x0008_").
func bstr(b []byte) []byte {
	if !bytes.Contains(b, []byte("_x")) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+7 <= len(b) && b[i] == '_' && b[i+1] == 'x' && b[i+6] == '_' {
			if n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32); err == nil {
				if n == 0x5f {
					out = append(out, '_')
				} else if r := rune(n); utf8.ValidRune(r) {
					out = utf8.AppendRune(out, r)
				}
				i += 7
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}

// newDecoder reads XML through an xmlLimiter.
func (x *xlsxReader) newDecoder(r io.Reader, record string, tooLong func() error) *xml.Decoder {
	d := xml.NewDecoder(newXMLLimiter(r, record, x.lim, tooLong))
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// sheetError turns an error reading the worksheet into a *FormatError:
// over a limit, with its message; otherwise with msg.
func (x *xlsxReader) sheetError(err error, msg string) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		return fe
	}
	var le *limitError
	if errors.As(err, &le) {
		return &FormatError{Row: x.current(), Err: le}
	}
	for _, e := range []error{errDamaged, errDoctype} {
		if errors.Is(err, e) {
			return &FormatError{Row: x.current(), Err: e}
		}
	}
	return &FormatError{Row: x.current(), Err: errors.New(msg)}
}

// partError is sheetError for the parts read before the worksheet.
func partError(err error) error {
	var le *limitError
	if errors.As(err, &le) || errors.Is(err, errDamaged) || errors.Is(err, errDoctype) {
		return err
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		return err
	}
	return errNotWorkbook
}

// errDamaged is a part whose content does not match the zip's directory.
var errDamaged = errors.New("the file is damaged: open it in Excel, save it again and upload it again")

// partReader inflates a part, counting the bytes that actually come out:
// more than limit is an error (tooBig's); at the end, a size or checksum
// other than the directory's is errDamaged.
type partReader struct {
	f      *zip.File
	r      io.Reader
	n      int64
	limit  int64
	tooBig func() error
	crc    hash.Hash32
	err    error
}

func (x *xlsxReader) openPart(f *zip.File, limit int64, tooBig func() error) (*partReader, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, errNotWorkbook
	}
	pr := &partReader{f: f, limit: limit, tooBig: tooBig, crc: crc32.NewIEEE()}
	switch f.Method {
	case zip.Store:
		pr.r = raw
	case zip.Deflate:
		pr.r = flate.NewReader(raw)
	default:
		return nil, errNotWorkbook
	}
	return pr, nil
}

func (pr *partReader) Read(p []byte) (int, error) {
	if pr.err != nil {
		return 0, pr.err
	}
	n, err := pr.r.Read(p)
	pr.n += int64(n)
	if pr.n > pr.limit {
		pr.err = pr.tooBig()
		return 0, pr.err
	}
	pr.crc.Write(p[:n])
	switch {
	case err == io.EOF:
		if uint64(pr.n) != pr.f.UncompressedSize64 || pr.crc.Sum32() != pr.f.CRC32 {
			pr.err = errDamaged
			return n, pr.err
		}
		pr.err = io.EOF
	case err != nil:
		pr.err = errDamaged
	}
	return n, pr.err
}

func (x *xlsxReader) Serial() bool { return true }

func (x *xlsxReader) Close() error {
	var errs []error
	if x.file != nil {
		errs = append(errs, x.file.Close())
	}
	if x.tmp != "" {
		if err := os.Remove(x.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
