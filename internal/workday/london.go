package workday

import (
	"time"
	// The zone database is embedded, so that Europe/London loads on a
	// machine without one (a distroless image): loading it cannot fail.
	_ "time/tzdata"
)

// London is Europe/London, where the service counts its days and its
// deadlines end (DOMAIN decision 5). It is loaded once, here; every package
// uses it rather than loading the zone itself. With the embedded zone
// database a failure is a broken build, so it panics at start.
var London = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("workday: Europe/London: " + err.Error())
	}
	return loc
}()
