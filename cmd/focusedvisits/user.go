package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/migrations"
)

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: focusedvisits user add --email E --name N --role R (password read from standard input)")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	roles := make([]string, len(user.Roles))
	for i, r := range user.Roles {
		roles[i] = string(r)
	}
	role := fs.String("role", "", "role: "+strings.Join(roles, ", "))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: focusedvisits user add --email E --name N --role R < password")
		fmt.Fprintln(stderr, "The password is the first line of standard input, so it stays out of the shell history.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	n := user.New{Name: strings.TrimSpace(*name), Role: user.Role(*role), Password: strings.TrimRight(line, "\r\n")}
	if e, err := user.ParseEmail(*email); err == nil {
		n.Email = e
	} else {
		n.Email = *email
	}
	if problems := n.Validate(); len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}

	cfg, log, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	if err := migrations.Up(ctx, url); err != nil {
		return err
	}
	pool, err := openPool(ctx, cfg, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	hash, err := user.HashPassword(n.Password)
	if err != nil {
		return err
	}
	u, err := store.New(pool).CreateUser(ctx, n, hash)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("a user with the email address %s already exists", n.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %d: %s <%s>, %s\n", u.ID, u.Name, u.Email, u.Role.Label())
	return nil
}
