package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"
)

// candidates are the names Chromium goes by on PATH, in the order we try them.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// installHint says what to install when Chromium is missing and we cannot
// install it ourselves.
const installHint = "install Debian's chromium package (sudo apt-get install -y --no-install-recommends chromium fonts-liberation), " +
	"or set CHROMIUM_PATH to a Chromium or Chrome binary"

// findChromium returns the browser to run, installing Debian's chromium
// package when none is found and we are root (or have passwordless sudo).
// The answer, including an error, is shared by the whole test binary.
var findChromium = sync.OnceValues(func() (string, error) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("CHROMIUM_PATH=%q is not an executable: %w", p, err)
		}
		return path, nil
	}
	if path, ok := lookPath(); ok {
		return path, nil
	}
	if err := installChromium(); err != nil {
		return "", fmt.Errorf("Chromium not found on PATH (tried %v) and could not be installed: %w; %s", candidates, err, installHint)
	}
	if path, ok := lookPath(); ok {
		return path, nil
	}
	return "", fmt.Errorf("Chromium still not on PATH (tried %v) after installing it; %s", candidates, installHint)
})

func lookPath() (string, bool) {
	for _, name := range candidates {
		if path, err := exec.LookPath(name); err == nil {
			return path, true
		}
	}
	return "", false
}

// installChromium installs Debian's chromium package with apt-get, as root
// or through passwordless sudo. Another test binary may be installing it at
// the same time, so apt waits for the dpkg lock, and we look again after a
// failure.
func installChromium() error {
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("apt-get is not available")
	}
	var prefix []string
	if os.Geteuid() != 0 {
		if exec.Command("sudo", "-n", "true").Run() != nil {
			return errors.New("not root and no passwordless sudo")
		}
		prefix = []string{"sudo", "-n"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	run := func(args ...string) error {
		args = append(prefix, args...)
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			tail := out.Bytes()
			if len(tail) > 2000 {
				tail = tail[len(tail)-2000:]
			}
			return fmt.Errorf("%v: %w\n%s", args, err, tail)
		}
		return nil
	}
	fmt.Fprintln(os.Stderr, "browsertest: Chromium not found; installing Debian's chromium package with apt-get (this takes a minute or two)")
	lock := []string{"-o", "DPkg::Lock::Timeout=600"}
	err := run(append([]string{"apt-get"}, append(lock, "update")...)...)
	if err == nil {
		err = run(append([]string{"apt-get"}, append(lock, "install", "-y", "--no-install-recommends", "chromium", "fonts-liberation")...)...)
	}
	if _, ok := lookPath(); ok {
		return nil // perhaps someone else installed it meanwhile
	}
	return err
}
