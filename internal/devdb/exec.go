package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// account is an unprivileged user that the cluster's programs run as when the
// calling process is root.
type account struct {
	name     string
	uid, gid uint32
}

// clusterAccount returns the user to run the cluster as: nil (the calling
// user) unless the process is root, which PostgreSQL refuses to run as; then
// "postgres" if it exists, else "nobody".
func clusterAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err := errors.Join(err1, err2); err != nil {
			errs = append(errs, err)
			continue
		}
		return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("devdb: running as root, and PostgreSQL must run as an unprivileged user, but neither postgres nor nobody exists: %w", errors.Join(errs...))
}

// checkReachable makes sure the cluster's user can reach dir. It runs
// "test -x dir" as that user, which needs search permission on every parent.
func (c *cluster) checkReachable(ctx context.Context) error {
	if c.runAs == nil {
		return nil
	}
	if _, err := c.run(ctx, "test", "-x", c.dir); err == nil {
		return nil
	}
	// dir itself is ours to fix; its parents are not.
	if fi, err := os.Stat(c.dir); err == nil && fi.Mode().Perm()&0o001 == 0 {
		if err := os.Chmod(c.dir, fi.Mode().Perm()|0o011); err == nil {
			if _, err := c.run(ctx, "test", "-x", c.dir); err == nil {
				return nil
			}
		}
	}
	var blocked []string
	for p := filepath.Dir(c.dir); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			blocked = append(blocked, p)
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	slices.Reverse(blocked)
	hint := "give it search permission on the parent directories"
	if len(blocked) > 0 {
		hint = "for example: chmod o+x " + strings.Join(blocked, " ")
	}
	return &unreachableError{user: c.runAs.name, dir: c.dir, hint: hint}
}

// unreachableError says that the cluster's user cannot reach its directory.
type unreachableError struct {
	user, dir, hint string
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("devdb: this process is root, so PostgreSQL runs as the user %s, "+
		"which cannot reach %s: %s; or clone the repository somewhere it can reach (not under /root); "+
		"or set DATABASE_URL / TEST_DATABASE_URL to a PostgreSQL server of your own",
		e.user, e.dir, e.hint)
}

// runError is a program that exited unsuccessfully.
type runError struct {
	cmd    string
	code   int
	output string
}

func (e *runError) Error() string {
	return fmt.Sprintf("devdb: %s: exit status %d\n%s", e.cmd, e.code, strings.TrimSpace(e.output))
}

// run runs one of the server's programs (or test), as the cluster's user,
// with dir as working directory, and returns its combined output.
func (c *cluster) run(ctx context.Context, name string, args ...string) (string, error) {
	path := name
	if name != "test" {
		path = filepath.Join(c.bin, name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = "/"
	if name != "test" {
		cmd.Dir = c.dir
	}
	cmd.Env = append(cleanEnv(), "LC_ALL=C")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	// pg_ctl start leaves the server running; should it ever hold our pipe
	// open, stop waiting for it instead of hanging.
	cmd.WaitDelay = 5 * time.Second
	if c.runAs != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Credential: &syscall.Credential{Uid: c.runAs.uid, Gid: c.runAs.gid, Groups: []uint32{}},
		}
	}
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), &runError{cmd: name + " " + strings.Join(args, " "), code: exit.ExitCode(), output: out.String()}
	}
	if err != nil {
		return out.String(), fmt.Errorf("devdb: %s: %w", name, err)
	}
	return out.String(), nil
}

// cleanEnv is the environment without the PG* variables that would make the
// server's programs act on another cluster.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG") {
			env = append(env, kv)
		}
	}
	return env
}

// mkdir creates dir (mode 0700) for the cluster's user.
func (c *cluster) mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return c.chown(dir)
}

// writeFile writes a file that the cluster's user owns.
func (c *cluster) writeFile(path, content string, perm os.FileMode) error {
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return c.chown(path)
}

// writeFileIfMissing creates an empty file that the cluster's user owns.
func (c *cluster) writeFileIfMissing(path string, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, perm)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	f.Close()
	return c.chown(path)
}

func (c *cluster) chown(path string) error {
	if c.runAs == nil {
		return nil
	}
	if err := os.Chown(path, int(c.runAs.uid), int(c.runAs.gid)); err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return nil
}

// errNoServer says what to install; it is returned when the server binaries
// are missing and cannot be installed.
var errNoServer = errors.New("devdb: the PostgreSQL server programs (initdb, pg_ctl, postgres) are not installed. " +
	"Install them (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql), " +
	"or set DATABASE_URL (for make run) and TEST_DATABASE_URL (for make test) to a PostgreSQL server of your own")

// findBinDir finds the directory holding the server programs: the one on PATH,
// then `pg_config --bindir`, then the newest /usr/lib/postgresql/*/bin
// (Debian). If major is not empty (an existing cluster's version), a
// directory of that version is preferred.
func findBinDir(major string) (string, error) {
	var candidates []string
	if major != "" {
		candidates = append(candidates, filepath.Join("/usr/lib/postgresql", major, "bin"))
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(debian, func(a, b string) int { // newest version first
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	candidates = append(candidates, debian...)
	for _, dir := range candidates {
		if hasPrograms(dir) {
			return dir, nil
		}
	}
	return "", errNoServer
}

// hasPrograms reports whether dir holds the server's programs.
func hasPrograms(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// installPostgres installs Debian's postgresql package when it can: as root,
// or through passwordless sudo, on a machine with apt-get. Otherwise it
// returns errNoServer.
func installPostgres(ctx context.Context, logf func(format string, args ...any)) error {
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errNoServer
	}
	var prefix []string
	if os.Geteuid() != 0 {
		if _, err := exec.LookPath("sudo"); err != nil {
			return errNoServer
		}
		if err := exec.CommandContext(ctx, "sudo", "-n", "true").Run(); err != nil {
			return errNoServer
		}
		prefix = []string{"sudo", "-n"}
	}
	logf("the PostgreSQL server is not installed: installing Debian's postgresql package (apt-get update && apt-get install -y postgresql)")
	begin := time.Now()
	for _, args := range [][]string{
		{"apt-get", "update"},
		{"apt-get", "install", "-y", "--no-install-recommends", "postgresql"},
	} {
		argv := append(slices.Clone(prefix), args...)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			tail := string(out)
			if len(tail) > 2000 {
				tail = tail[len(tail)-2000:]
			}
			return fmt.Errorf("devdb: %s: %w\n%s\n%w", strings.Join(argv, " "), err, tail, errNoServer)
		}
	}
	logf("installed postgresql in %s", time.Since(begin).Round(time.Second))
	return nil
}
