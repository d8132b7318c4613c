package main

import (
	"context"
	"errors"
	"io"
)

// cmdTimeline is a placeholder until its owner writes it.
func cmdTimeline(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("timeline: not written yet")
}
