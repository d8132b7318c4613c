package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The letter's versions, and two of them side by side.

// GET /visits/{visitID}/letter/versions
func (s *Server) handleLetterVersions(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	base := p.base()
	v := pages.LetterVersionsView{Page: s.page(r, p.d.Reference+": versions of the letter"), Header: s.letterHeader(p), BackHref: base, Action: base + "/compare", HasVersion: p.has}
	if p.has {
		vs, err := s.store.ListLetterVersions(r.Context(), p.l)
		if err != nil {
			return err
		}
		for _, x := range vs {
			row := pages.LetterVersionRow{Number: x.Number, Author: x.AuthorName, At: timeWords(x.CreatedAt), Marks: x.Marks}
			if x.Number > 1 {
				row.CompareHref = fmt.Sprintf("%s/compare?a=%d&b=%d", base, x.Number-1, x.Number)
			}
			v.Rows = append(v.Rows, row)
			v.Choices = append(v.Choices, components.Option{Value: strconv.Itoa(x.Number), Text: "Version " + strconv.Itoa(x.Number), Checked: x.Number == max(p.l.CurrentVersion-1, 1)})
			v.ChoicesB = append(v.ChoicesB, components.Option{Value: strconv.Itoa(x.Number), Text: "Version " + strconv.Itoa(x.Number), Checked: x.Number == p.l.CurrentVersion})
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterVersions(v))
}

// GET /visits/{visitID}/letter/compare?a=N&b=M
func (s *Server) handleLetterCompare(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if !p.has {
		return store.ErrNotFound
	}
	an, ok1 := queryInt(r, "a", 1, math.MaxInt32)
	bn, ok2 := queryInt(r, "b", 1, math.MaxInt32)
	if !ok1 || !ok2 {
		return notFound(errors.New("compare: a and b must be version numbers"))
	}
	ctx := r.Context()
	a, err := s.store.GetLetterVersion(ctx, p.l.ID, an)
	if err != nil {
		return err
	}
	b, err := s.store.GetLetterVersion(ctx, p.l.ID, bn)
	if err != nil {
		return err
	}
	name := func(x letter.Version) string {
		return fmt.Sprintf("Version %d (%s, %s)", x.Number, x.AuthorName, timeWords(x.CreatedAt))
	}
	v := pages.LetterCompareView{
		Page: s.page(r, fmt.Sprintf("%s: compare versions %d and %d", p.d.Reference, an, bn)), Header: s.letterHeader(p),
		BackHref: p.base() + "/versions", A: name(a), B: name(b),
		AName: fmt.Sprintf("Version %d", a.Number), BName: fmt.Sprintf("Version %d", b.Number),
	}
	add := func(heading, x, y string) {
		if x == "" && y == "" {
			return // a section neither version has
		}
		cs := letter.Diff(x, y)
		sec := pages.LetterCompareSection{Heading: heading, Changed: letter.Changed(cs)}
		for _, c := range cs {
			switch c.Op {
			case letter.Same:
				sec.Left = append(sec.Left, pages.LetterDiffChunk{Op: 0, Text: c.Text})
				sec.Right = append(sec.Right, pages.LetterDiffChunk{Op: 0, Text: c.Text})
			case letter.Removed:
				sec.Left = append(sec.Left, pages.LetterDiffChunk{Op: 2, Text: c.Text})
			case letter.Added:
				sec.Right = append(sec.Right, pages.LetterDiffChunk{Op: 1, Text: c.Text})
			}
		}
		v.Changed = v.Changed || sec.Changed
		v.Sections = append(v.Sections, sec)
	}
	for _, sec := range letter.Sections {
		add(sec.Label(), a.Text(sec), b.Text(sec))
		for _, k := range letter.Kinds {
			if k.Section() == sec {
				add(sec.Label()+": findings", a.FindingsText(k), b.FindingsText(k))
			}
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterCompare(v))
}
