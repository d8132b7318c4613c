// Package timeline plans a visit: it dates every milestone of a procedure
// template (DOMAIN decisions 3 to 8) on the working-day calendar, explains
// each date in words, and runs the scheduling checks of decision 4.
//
// Templates are data (decision 8). A Template is a versioned table of Steps,
// each dated as a number of working days after another step (or after the
// plan anchor, for the notice call), with an optional Reanchor rule that
// takes over once the step it names is recorded as done or set by hand
// (decision 6). Compute resolves the steps in order: a step recorded as
// done keeps its actual date, a step set by hand keeps its date, and every
// other step is counted from the resolved date of its anchor, so actual and
// overridden dates carry through to everything that hangs on them.
//
// The package is pure: no I/O, no clock. The same Input gives the same Plan.
package timeline
