package server

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// sessionCalendarLink carries a new private link from the reset to the page
// that shows it, once.
const sessionCalendarLink = "calendar_link"

// calendarTokenBytes is the size of a private calendar token.
const calendarTokenBytes = 32

// handleVisitCalendar sends one visit's milestones as an iCalendar file. A
// visit the user may not see answers as one that does not exist.
func (s *Server) handleVisitCalendar(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	cal, err := s.calendarFor(r.Context(), d)
	if err != nil {
		return err
	}
	// The file is a function of the visit's state, the calendar's and
	// whether its reader sees Ofsted's reasons: kept by those.
	key := icsKey{visit: d.ID, detailVersion: d.DetailVersion, calendarVersion: cal.version,
		internal: visit.May(visit.SeeInternal, visit.ActorFor(u, d), d, visit.Facts{})}
	file := d.Reference + ".ics"
	if b, ok := s.icsFiles.Get(key); ok && key.detailVersion != 0 {
		s.icsKept.Add(1)
		return sendICS(w, b, file, true)
	}
	p, err := s.undatedPlanOf(cal, d)
	if err != nil {
		return err
	}
	c := newICS(d.Reference + " – " + p.Title)
	s.addVisitEvents(c, d, p, cal, u, false)
	var buf bytes.Buffer
	if err := c.SerializeTo(&buf); err != nil {
		return err
	}
	s.icsMade.Add(1)
	if key.detailVersion != 0 {
		s.icsFiles.Add(key, bytes.Clone(buf.Bytes()))
	}
	return sendICS(w, buf.Bytes(), file, true)
}

// handleCalendarFeed is the private subscription feed: every milestone of
// every visit the token's user may see. An unknown or reset token is 404.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	raw, err := base64.RawURLEncoding.DecodeString(chi.URLParam(r, "token"))
	if err != nil || len(raw) != calendarTokenBytes {
		return notFound(errors.New("malformed calendar token"))
	}
	hash := sha256.Sum256(raw)
	ctx := r.Context()
	u, err := s.store.UserByCalendarToken(ctx, hash[:])
	if err != nil {
		return err
	}
	vs, err := s.store.ListVisitsFor(ctx, u)
	if err != nil {
		return err
	}
	cal, err := s.loadCalendar(ctx)
	if err != nil {
		return err
	}
	c := newICS("Focused visits")
	// Calendar apps that honour it check for changes every hour.
	c.SetRefreshInterval("PT1H")
	c.SetXPublishedTTL("PT1H")
	for _, d := range vs {
		if !visit.CanSee(u, d) { // ListVisitsFor already applies the rule
			continue
		}
		p, err := s.undatedPlanOf(cal, d)
		if err != nil {
			return fmt.Errorf("calendar feed of user %d: visit %d: %w", u.ID, d.ID, err)
		}
		s.addVisitEvents(c, d, p, cal, u, true)
	}
	return writeICS(w, c, "focused-visits.ics", false)
}

// handleCalendarLinkShow shows the private link page: the link itself only
// right after it was made (only its hash is kept), otherwise when it was
// made and how to reset it.
func (s *Server) handleCalendarLinkShow(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r.Context())
	v := pages.CalendarSubscriptionView{Page: s.page(r, "Add your visits to your calendar")}
	created, err := s.store.CalendarTokenCreated(r.Context(), u.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		v.HasLink = true
		v.CreatedOn = timeline.FormatDate(workday.DateOf(created.In(london)))
		v.Link = s.sessions.PopString(r.Context(), sessionCalendarLink)
	}
	return s.render(w, r, http.StatusOK, pages.CalendarSubscription(v))
}

// handleCalendarLinkReset makes a new private link, replacing any earlier
// one, and shows it once.
func (s *Server) handleCalendarLinkReset(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r.Context())
	raw := make([]byte, calendarTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	hash := sha256.Sum256(raw)
	_, err := s.store.CalendarTokenCreated(r.Context(), u.ID)
	hadLink := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if _, err := s.store.SetCalendarToken(r.Context(), u.ID, hash[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	s.sessions.Put(r.Context(), sessionCalendarLink, s.cfg.BaseURL.JoinPath("calendar", "feed", token+".ics").String())
	if hadLink {
		s.flash(r, "Your calendar link has been reset. The old link no longer works")
	} else {
		s.flash(r, "Your private calendar link has been created")
	}
	s.log.InfoContext(r.Context(), "calendar link set", "request_id", requestID(r.Context()), "user_id", u.ID, "replaced", hadLink)
	http.Redirect(w, r, "/account/calendar", http.StatusSeeOther)
	return nil
}

// handleCalendarMonth shows a month of the visits the user may see, with
// bank holidays and closure days. A month parameter that is not a month of
// the calendar's span (YYYY-MM) is a bad request.
func (s *Server) handleCalendarMonth(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	today := s.today()
	first, errs, err := calendarMonthOf(r, today)
	if err != nil {
		return err
	}
	last := first.AddDays(calendarDaysInMonth(first) - 1)

	ca, err := s.loadCalendar(ctx)
	if err != nil {
		return err
	}
	cal := ca.cal
	// Only the visits whose dates may fall in the month are read.
	from, to := visit.AnchorsAround(first, last)
	vs, err := s.store.ListVisitsAround(ctx, u, from, to)
	if err != nil {
		return err
	}
	entries := map[workday.Date][]pages.CalendarEntry{}
	for _, h := range cal.Holidays(first.Year()) {
		if h.Date.Month() == first.Month() {
			text := h.Name
			if h.Provisional {
				text += " (not yet confirmed)"
			}
			entries[h.Date] = append(entries[h.Date], pages.CalendarEntry{Text: text, Kind: "holiday", Category: "holiday"})
		}
	}
	for _, c := range cal.Closures() {
		if !c.Date.Before(first) && !c.Date.After(last) {
			entries[c.Date] = append(entries[c.Date], pages.CalendarEntry{Text: "Office closed: " + c.Reason, Kind: "closure", Category: "closure"})
		}
	}
	empty := true
	for _, d := range vs {
		if !visit.CanSee(u, d) || d.Status == visit.Cancelled {
			continue
		}
		p, err := s.datesOf(ca, d)
		if err != nil {
			return fmt.Errorf("calendar of user %d: visit %d: %w", u.ID, d.ID, err)
		}
		for _, m := range p.Milestones {
			for day := range calendarMilestoneDays(cal, m, first, last) {
				detail := ": " + m.Label
				if m.Kind == timeline.KindWindow && m.From != m.To {
					switch day {
					case m.From:
						detail += " (first day)"
					case m.To:
						detail += " (last day)"
					}
				}
				entries[day] = append(entries[day], pages.CalendarEntry{Ref: d.Reference, Detail: detail, Href: visitHref(d), Kind: "visit", Category: string(m.Category())})
				empty = false
			}
		}
	}

	v := pages.CalendarMonthView{
		Page:  s.page(r, "Calendar: "+first.Format("January 2006")),
		Month: first.Format("January 2006"),
		Empty: empty,
	}
	v.Weeks = calendarWeeks(cal, first, last, today, entries)
	v.Legend = pages.CalendarLegend(v.Weeks)
	if prev := first.AddDays(-1); prev.Year() >= workday.FirstYear {
		v.Previous = calendarMonthLink("Previous month", prev)
	}
	if next := last.AddDays(1); next.Year() <= workday.LastYear {
		v.Next = calendarMonthLink("Next month", next)
	}
	status := calendarPicker(r, &v, first, errs)
	return s.render(w, r, status, pages.CalendarMonth(v))
}

// calendarPicker fills the month and year picker for the month from first,
// with errs (a year typed wrong, kept as typed), and returns the page's
// status.
func calendarPicker(r *http.Request, v *pages.CalendarMonthView, first workday.Date, errs form.Errors) int {
	for m := time.January; m <= time.December; m++ {
		v.Months = append(v.Months, components.Option{Value: strconv.Itoa(int(m)), Text: m.String(), Checked: m == first.Month()})
	}
	v.Year, v.Errors = strconv.Itoa(first.Year()), errs
	if !errs.Any() {
		return http.StatusOK
	}
	v.Page.HasErrors, v.Year = true, r.URL.Query().Get("year")
	return http.StatusBadRequest
}

// calendarMonthOf is the first day of the month the calendar shows: the
// month and year chosen in its picker (month=1 to 12 and year), or
// month=YYYY-MM (the links to the months before and after), or else
// today's. A month that is no month of the calendar's span is a bad request;
// a year typed wrong is an error beside the picker, over the month chosen
// in this year.
func calendarMonthOf(r *http.Request, today workday.Date) (workday.Date, form.Errors, error) {
	q := r.URL.Query()
	if !q.Has("year") {
		m := q.Get("month")
		if m == "" {
			return workday.NewDate(today.Year(), today.Month(), 1), nil, nil
		}
		t, err := time.Parse("2006-01", m)
		if err != nil || t.Year() < workday.FirstYear || t.Year() > workday.LastYear {
			return workday.Date{}, nil, badRequest(fmt.Errorf("month %q", m))
		}
		return workday.NewDate(t.Year(), t.Month(), 1), nil, nil
	}
	month, ok := queryInt(r, "month", 1, 12)
	if !ok {
		return workday.Date{}, nil, badRequest(fmt.Errorf("month %q", q.Get("month")))
	}
	year, ok := queryInt(r, "year", workday.FirstYear, workday.LastYear)
	if !ok {
		var errs form.Errors
		errs.Add("year", fmt.Sprintf("Enter a year from %d to %d, like %d", workday.FirstYear, workday.LastYear, today.Year()))
		return workday.NewDate(today.Year(), time.Month(month), 1), errs, nil
	}
	return workday.NewDate(year, time.Month(month), 1), nil, nil
}

// calendarWeeks lays out the month from first to last in weeks from
// Monday, each day with its entries and whether it is a working day.
func calendarWeeks(cal *workday.Calendar, first, last, today workday.Date, entries map[workday.Date][]pages.CalendarEntry) [][]pages.CalendarDay {
	var weeks [][]pages.CalendarDay
	start := first.AddDays(-((int(first.Weekday()) + 6) % 7)) // the Monday on or before
	for wk := start; !wk.After(last); wk = wk.AddDays(7) {
		week := make([]pages.CalendarDay, 7)
		for i := range week {
			day := wk.AddDays(i)
			if day.Before(first) || day.After(last) {
				continue
			}
			cd := pages.CalendarDay{InMonth: true, Number: day.Day(), Date: timeline.FormatDate(day), Today: day == today, Entries: entries[day]}
			if ok, why := cal.IsWorkingDay(day); !ok {
				cd.NonWorking = calendarNonWorking(day, why)
			}
			week[i] = cd
		}
		weeks = append(weeks, week)
	}
	return weeks
}

// calendarMilestoneDays yields the days of m that fall from first to last: a point
// or deadline's day; a window's first and last days and the working days
// between.
func calendarMilestoneDays(cal *workday.Calendar, m timeline.Milestone, first, last workday.Date) func(func(workday.Date) bool) {
	return func(yield func(workday.Date) bool) {
		from, to := m.First(), m.Last()
		if from.Before(first) {
			from = first
		}
		if to.After(last) {
			to = last
		}
		for d := from; !d.After(to); d = d.AddDays(1) {
			if m.Kind == timeline.KindWindow && d != m.From && d != m.To {
				if ok, _ := cal.IsWorkingDay(d); !ok {
					continue
				}
			}
			if !yield(d) {
				return
			}
		}
	}
}

// calendarNonWorking says in a word or two why a day is not a working day;
// the day's entries name the holiday or the closure.
func calendarNonWorking(d workday.Date, why string) string {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return "Weekend"
	}
	if strings.HasPrefix(why, "Office closure") {
		return "Office closed"
	}
	return "Bank holiday"
}

func calendarMonthLink(text string, d workday.Date) *components.PaginationLink {
	return &components.PaginationLink{Href: "/calendar?month=" + d.Format("2006-01"), Text: text, Label: d.Format("January 2006")}
}

func calendarDaysInMonth(first workday.Date) int {
	return time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
