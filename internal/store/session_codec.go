package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCodec encodes sessions for the session manager (scs.Codec). The
// service keeps only strings, ints, int64s and bools in a session, which it
// writes in a small binary form, decoded with no set-up: scs's GobCodec
// builds a new gob decoder, and compiles the session's types again, for
// every request (4–6% of the service's CPU under load, issue 16.5). A session holding a
// value of any other type is written with gob, as it was before, and data
// in neither form is read as gob, so sessions written before this codec
// stay signed in.
//
// The form: sessionMagic, the deadline (Unix seconds and nanoseconds, as
// varints), the number of values, then each value's key (length and
// bytes), a type byte ('i': an int64 varint; 'n': an int varint; 's':
// length and bytes; 't' and 'f': true and false).
type SessionCodec struct {
	// Gob writes every session with gob, as releases before this codec
	// did, so that instances still running one can read them (a rolling
	// deploy, or a rollback kept possible: SESSION_ENCODING=gob). Both
	// forms are read either way.
	Gob bool
}

var _ scs.Codec = SessionCodec{}

// sessionMagic starts every session in SessionCodec's own form. Gob's first
// byte is the length of its first message, the type of the session's
// struct, which is never 0, so gob data never starts with it.
const sessionMagic = "\x00fv1"

// Encode writes deadline and values.
func (c SessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	if c.Gob {
		return scs.GobCodec{}.Encode(deadline, values)
	}
	b := make([]byte, 0, 64+len(values)*24)
	b = append(b, sessionMagic...)
	b = binary.AppendVarint(b, deadline.Unix())
	b = binary.AppendVarint(b, int64(deadline.Nanosecond()))
	b = binary.AppendUvarint(b, uint64(len(values)))
	for k, v := range values {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := v.(type) {
		case int64:
			b = append(b, 'i')
			b = binary.AppendVarint(b, v)
		case int:
			b = append(b, 'n')
			b = binary.AppendVarint(b, int64(v))
		case bool:
			if v {
				b = append(b, 't')
			} else {
				b = append(b, 'f')
			}
		case string:
			b = append(b, 's')
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	return b, nil
}

// errSessionData is data cut short or otherwise not in SessionCodec's form.
var errSessionData = errors.New("store: session data malformed")

// Decode reads what Encode or scs.GobCodec wrote.
func (SessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) < len(sessionMagic) || string(b[:len(sessionMagic)]) != sessionMagic {
		return scs.GobCodec{}.Decode(b)
	}
	r := sessionReader{b: b[len(sessionMagic):]}
	sec, nsec := r.varint(), r.varint()
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) { // each value takes at least a byte
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := string(r.bytes())
		switch t := r.byte(); t {
		case 'i':
			values[k] = r.varint()
		case 'n':
			n := r.varint()
			if int64(int(n)) != n {
				r.err = errSessionData
			}
			values[k] = int(n)
		case 't', 'f':
			values[k] = t == 't'
		case 's':
			values[k] = string(r.bytes())
		default:
			r.err = errSessionData
		}
		if r.err != nil {
			return time.Time{}, nil, fmt.Errorf("%w: value %q", errSessionData, k)
		}
	}
	if len(r.b) != 0 {
		return time.Time{}, nil, fmt.Errorf("%w: %d bytes after the values", errSessionData, len(r.b))
	}
	return time.Unix(sec, nsec), values, nil
}

// sessionReader reads SessionCodec's form, remembering the first error.
type sessionReader struct {
	b   []byte
	err error
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) fail() {
	if r.err == nil {
		r.err = errSessionData
	}
	r.b = nil
}
