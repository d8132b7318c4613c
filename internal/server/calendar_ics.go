package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// calendarUIDDomain ends every event's UID. A UID names one milestone of
// one visit and never changes, so when a date moves a calendar app updates
// its entry instead of adding another.
const calendarUIDDomain = "focused-visits.ofsted.gov.uk"

// noticeCallLength is how long the notice call is blocked out for.
const noticeCallLength = 30 * time.Minute

// calendarUID is the UID of the event of a visit's milestone.
func calendarUID(visitID int64, code string) string {
	return strconv.FormatInt(visitID, 10) + "-" + code + "@" + calendarUIDDomain
}

// newICS starts an iCalendar with the service's product id and a name
// calendar apps show.
func newICS(name string) *ics.Calendar {
	c := ics.NewCalendarFor("Ofsted")
	c.SetProductId("-//Ofsted//Focused visits//EN")
	c.SetCalscale("GREGORIAN")
	c.SetMethod(ics.MethodPublish)
	c.SetName(name)
	c.SetXWRCalName(name)
	c.SetXWRTimezone("Europe/London")
	return c
}

// addVisitEvents adds an event for each milestone of the visit's plan.
//
// Days are all-day events (DTEND is the day after the last, as RFC 5545
// has it); the notice call, which has a planned time, is a timed event.
// SEQUENCE is the visit's version, which goes up with every change to the
// visit, plus the number of closure-day changes, which move dates without
// changing visits; LAST-MODIFIED and DTSTAMP are the later of the visit's
// last change and the last closure-day change. So a moved date replaces the
// entry a calendar app already has. The events of a cancelled
// visit are kept with STATUS:CANCELLED (and "Cancelled" in the summary), so
// that an app that imported them marks them cancelled rather than keeping
// them as they were.
//
// Cafcass users read what the visit page shows them: a date set by hand
// says only that Ofsted changed it, never Ofsted's reason. A subscription
// feed (feed set) is kept by a calendar app outside the service, so it
// never carries a reason, whoever subscribes.
func (s *Server) addVisitEvents(c *ics.Calendar, d visit.Details, p timeline.Plan, cal calendarAt, viewer user.User, feed bool) {
	stamp := d.UpdatedAt.UTC()
	if cal.lastChange.After(stamp) {
		stamp = cal.lastChange.UTC()
	}
	link := s.cfg.BaseURL.JoinPath("visits", d.PublicID).String()
	for _, m := range p.Milestones {
		e := c.AddEvent(calendarUID(d.ID, m.Code))
		e.SetDtStampTime(stamp)
		e.SetModifiedAt(stamp)
		e.SetSequence(d.Version + cal.changes)
		summary := d.Reference + ": " + m.Label
		if d.Status == visit.Cancelled {
			summary = "Cancelled: " + summary
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
		e.SetSummary(summary)
		if m.State == timeline.StateOverridden {
			switch {
			case !visit.May(visit.SeeInternal, visit.ActorFor(viewer, d), d, visit.Facts{}):
				m.Explanation = "Ofsted changed this date."
			case feed:
				m.Explanation = "Date changed by hand: the reason is in the service."
			}
		}
		e.SetDescription(eventDescription(d, m, link))
		e.SetURL(link)
		if start, ok := eventStart(d, m); ok {
			e.SetStartAt(start)
			e.SetEndAt(start.Add(noticeCallLength))
		} else {
			e.SetAllDayStartAt(m.First().Time(time.UTC))
			e.SetAllDayEndAt(m.Last().AddDays(1).Time(time.UTC))
			// A day's milestone does not make anyone busy all day.
			e.SetTimeTransparency(ics.TransparencyTransparent)
		}
	}
}

// eventStart is the instant a timed milestone starts: the time the notice
// call was recorded at, or else its planned time (09:00 in London).
func eventStart(d visit.Details, m timeline.Milestone) (time.Time, bool) {
	if m.StartsAt.IsZero() {
		return time.Time{}, false
	}
	if a, ok := d.Actual(m.Code); ok && m.State == timeline.StateActual && a.Time != "" {
		if t, err := time.Parse("15:04", a.Time); err == nil {
			return m.First().At(t.Hour(), t.Minute(), 0, 0, london), true
		}
	}
	return m.StartsAt, true
}

// eventDescription says what the milestone is, when, and how its date was
// found.
func eventDescription(d visit.Details, m timeline.Milestone, link string) string {
	var b strings.Builder
	b.WriteString(m.Label)
	if m.Day != "" {
		b.WriteString(" (" + m.Day + " of the visit)")
	}
	b.WriteString(".\n")
	if m.ActorLabel != "" {
		b.WriteString("Who: " + m.ActorLabel + ".\n")
	}
	b.WriteString("When: " + timeline.FormatDates(m.First(), m.Last()))
	if m.TimeNote != "" {
		b.WriteString(", " + m.TimeNote)
	}
	b.WriteString(".\n")
	if m.Explanation != "" {
		b.WriteString(m.Explanation + "\n")
	}
	if m.Provisional {
		fmt.Fprintf(&b, "This date may move: the bank holidays of %d are not yet announced.\n", m.Last().Year())
	}
	if d.Status == visit.Cancelled {
		// The reason Cafcass is shown, never the internal note (DOMAIN
		// decision 18): calendars leave the service, whoever reads them.
		b.WriteString("This visit has been cancelled. Reason: " + d.CancelReason + "\n")
	}
	b.WriteString("Check the dates in the Focused visits service: " + link)
	return b.String()
}

// icsKey names a visit's calendar file: the visit's and the calendar's
// versions, and whether its reader sees Ofsted's reasons for dates set by
// hand (addVisitEvents). Nothing else goes into the file.
type icsKey struct {
	visit, detailVersion, calendarVersion int64
	internal                              bool
}

// icsFilesKept is how many visits' calendar files each instance keeps
// (about 8 KB each), the least recently used going first: serialising one
// allocated a quarter of all the bytes the load test's mix allocates.
const icsFilesKept = 1_000

func newICSFiles() *lru.Cache[icsKey, []byte] {
	c, err := lru.New[icsKey, []byte](icsFilesKept)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return c
}

// writeICS sends an iCalendar. An attachment is offered as a download
// named file; a feed is shown inline to the calendar app.
func writeICS(w http.ResponseWriter, c *ics.Calendar, file string, attachment bool) error {
	var buf bytes.Buffer
	if err := c.SerializeTo(&buf); err != nil {
		return err
	}
	return sendICS(w, buf.Bytes(), file, attachment)
}

// sendICS sends b, a serialised iCalendar, as writeICS does. b is never
// changed: it may be kept.
func sendICS(w http.ResponseWriter, b []byte, file string, attachment bool) error {
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	disposition := "inline"
	if attachment {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition+`; filename="`+file+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	return err
}
