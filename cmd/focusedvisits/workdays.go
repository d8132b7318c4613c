package main

import (
	"context"
	"errors"
	"io"
)

// cmdWorkdays is a placeholder until its owner writes it.
func cmdWorkdays(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("workdays: not written yet")
}
