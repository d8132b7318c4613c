package main

import (
	"context"
	"errors"
	"io"
)

// cmdDB is a placeholder until its owner writes it.
func cmdDB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("db: not written yet")
}
