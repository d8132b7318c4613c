package store

// SetChildNarrowRows sets how many rows filters may leave for a page to be
// found by the filters rather than by the sort column's index, and returns
// the setting it replaced.
func SetChildNarrowRows(n int64) int64 { return childNarrowRows.Swap(n) }
