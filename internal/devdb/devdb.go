// Package devdb runs the project's private development PostgreSQL cluster, so
// that `make run` and `make test` need no PostgreSQL set up by hand.
//
// The cluster lives in a directory of its own (the repository's .data/):
//
//	dir/pg/          the data directory (initdb)
//	dir/pg-socket/   the Unix socket directory; the server listens on nothing else
//	dir/pg.log       the server log
//	dir/pg.lock      flock(2) lock serialising Ensure and Stop across processes
//	dir/pg.password  the superuser's password (used only over TCP)
//	dir/pg.port      the TCP port, only when the socket path would be too long
//
// The server listens only on a Unix socket inside dir, with trust
// authentication for local connections. When the socket's absolute path is
// longer than the kernel allows (about 107 bytes), it listens on 127.0.0.1 on a
// port chosen once and kept in dir/pg.port, with password authentication.
//
// PostgreSQL refuses to run as root. When the calling process is root, initdb
// and pg_ctl run as the user "postgres" if it exists, else "nobody"; the
// cluster's files belong to that user, who must be able to reach dir. If it
// cannot (a clone under /root, mode 0700), the cluster lives instead in
// /var/tmp/focusedvisits-devdb-<hash of dir>, which Ensure and Stop find again.
package devdb

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Database is the database whose URL Ensure returns; it is created if missing.
const Database = "focusedvisits"

// Superuser is the cluster's superuser (initdb -U), the user in Ensure's URL.
const Superuser = "focusedvisits"

// socketPort is the port number in the socket file's name (.s.PGSQL.5432) when
// the server listens on a Unix socket; the socket is private, so it never clashes.
const socketPort = 5432

// maxSocketPath is the longest socket file path the kernel accepts: sun_path
// holds 108 bytes including the terminating NUL.
const maxSocketPath = 107

// startTimeout bounds pg_ctl start and stop.
const startTimeout = 60 * time.Second

// cluster names the files of one cluster and how to run its programs.
type cluster struct {
	dir      string // absolute
	bin      string // directory holding initdb, pg_ctl and postgres
	runAs    *account
	logf     func(format string, args ...any)
	dataDir  string
	sockDir  string
	logFile  string
	pwFile   string
	portFile string
}

func newCluster(dir string, logf func(format string, args ...any)) (*cluster, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("devdb: %w", err)
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &cluster{
		dir:      abs,
		logf:     logf,
		dataDir:  filepath.Join(abs, "pg"),
		sockDir:  filepath.Join(abs, "pg-socket"),
		logFile:  filepath.Join(abs, "pg.log"),
		pwFile:   filepath.Join(abs, "pg.password"),
		portFile: filepath.Join(abs, "pg.port"),
	}, nil
}

// Ensure starts the cluster under dir, or reuses it if it is already running,
// and returns a pgx connection URL for the database "focusedvisits" as the
// cluster's superuser. It creates the cluster (initdb) on first use, and the
// database if missing. If the PostgreSQL server binaries are missing it
// installs Debian's postgresql package when it can (as root, or with
// passwordless sudo), and otherwise fails saying what to install.
//
// Concurrent calls, from this process or others, are serialised by a lock file
// in dir, so only one of them creates or starts the cluster. logf, which may be
// nil, reports what Ensure does (initdb, start, install); reuse is silent.
func Ensure(ctx context.Context, dir string, logf func(format string, args ...any)) (databaseURL string, err error) {
	c, err := newCluster(dir, logf)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	unlock, err := lock(filepath.Join(c.dir, "pg.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()

	if err := c.prepare(ctx); err != nil {
		var unreachable *unreachableError
		if errors.As(err, &unreachable) && !isFallback(c.dir) {
			unlock()
			alt := fallbackDir(c.dir)
			if _, err := os.Stat(filepath.Join(alt, "pg", "PG_VERSION")); err != nil {
				c.logf("%v\nkeeping the cluster in %s instead", err, alt) // once, when it is created
			}
			return Ensure(ctx, alt, logf)
		}
		return "", err
	}
	serverURL, err := c.running(ctx)
	if err != nil {
		return "", err
	}
	if serverURL == "" {
		if serverURL, err = c.start(ctx); err != nil {
			return "", err
		}
	}
	if err := c.createDatabase(ctx, serverURL); err != nil {
		return "", err
	}
	return withDatabase(serverURL, Database), nil
}

// Stop stops the cluster under dir with a fast shutdown (open sessions are
// ended). It does nothing if the cluster does not exist or is not running.
func Stop(ctx context.Context, dir string, logf func(format string, args ...any)) error {
	c, err := newCluster(dir, logf)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		alt := fallbackDir(c.dir)
		if _, err := os.Stat(filepath.Join(alt, "pg", "PG_VERSION")); err == nil && !isFallback(c.dir) {
			return Stop(ctx, alt, logf)
		}
		return nil
	}
	unlock, err := lock(filepath.Join(c.dir, "pg.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	if err := c.prepare(ctx); err != nil {
		return err
	}
	if ok, err := c.status(ctx); err != nil || !ok {
		return err
	}
	c.logf("stopping PostgreSQL in %s", c.dataDir)
	_, err = c.run(ctx, "pg_ctl", "-D", c.dataDir, "-m", "fast", "-w", "-t", strconv.Itoa(int(startTimeout.Seconds())), "stop")
	return err
}

// fallbackPrefix starts the name of the directory that holds a cluster whose
// user cannot reach the directory it was asked to use.
const fallbackPrefix = "focusedvisits-devdb-"

// fallbackDir is where the cluster for dir lives when its user cannot reach
// dir: a directory under /var/tmp (kept across reboots) named after dir.
func fallbackDir(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join("/var/tmp", fallbackPrefix+hex.EncodeToString(sum[:6]))
}

func isFallback(dir string) bool {
	return strings.HasPrefix(filepath.Base(dir), fallbackPrefix)
}

// lock takes an exclusive flock on path, waiting for other holders. The
// descriptor is close-on-exec, so the server never inherits the lock.
func lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("devdb: lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("devdb: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}

// prepare finds (or installs) the server binaries and decides whom they run as.
func (c *cluster) prepare(ctx context.Context) error {
	major := ""
	if b, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		major = strings.TrimSpace(string(b))
	}
	bin, err := findBinDir(major)
	if err != nil {
		if err := installPostgres(ctx, c.logf); err != nil {
			return err
		}
		if bin, err = findBinDir(major); err != nil {
			return fmt.Errorf("devdb: installed postgresql but still %w", err)
		}
	}
	c.bin = bin
	c.runAs, err = clusterAccount()
	if err != nil {
		return err
	}
	return c.checkReachable(ctx)
}

// running reports the URL (without database) of the cluster's server if it
// is running and answering, or "" if it is not running. A postmaster.pid left
// behind by a crash or reboot counts as not running; pg_ctl start copes with it.
func (c *cluster) running(ctx context.Context) (string, error) {
	if c.stalePIDFile() {
		c.logf("removing a stale postmaster.pid (its process is not PostgreSQL)")
		if err := os.Remove(filepath.Join(c.dataDir, "postmaster.pid")); err != nil {
			return "", fmt.Errorf("devdb: %w", err)
		}
		return "", nil
	}
	ok, err := c.status(ctx)
	if err != nil || !ok {
		return "", err
	}
	serverURL, err := c.urlFromPIDFile()
	if err != nil {
		return "", err
	}
	if err := ping(ctx, serverURL); err != nil {
		return "", fmt.Errorf("devdb: the server in %s is running but does not answer (see %s): %w", c.dataDir, c.logFile, err)
	}
	return serverURL, nil
}

// stalePIDFile reports whether postmaster.pid names a process that is not a
// live PostgreSQL server: after a reboot (or in a fresh container) its PID may
// belong to something else, or to a zombie, which would fool pg_ctl status
// and the server's own check of its lock file.
func (c *cluster) stalePIDFile() bool {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		return false
	}
	pid, _, _ := strings.Cut(string(b), "\n")
	stat, err := os.ReadFile(filepath.Join("/proc", strings.TrimSpace(pid), "stat"))
	if err != nil {
		return false // no such process (pg_ctl sees that too), or no /proc
	}
	// stat is "pid (comm) state ...". A zombie is a server that was killed
	// and never reaped, as happens in containers whose init does not reap.
	lp, rp := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
	if lp < 0 || rp < lp || len(stat) < rp+3 {
		return false
	}
	name, state := string(stat[lp+1:rp]), stat[rp+2]
	return state == 'Z' || (name != "postgres" && name != "postmaster")
}

// status runs pg_ctl status: true if the server is running.
func (c *cluster) status(ctx context.Context) (bool, error) {
	if _, err := os.Stat(filepath.Join(c.dataDir, "postmaster.pid")); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	_, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "status")
	var exit *runError
	if errors.As(err, &exit) && exit.code == 3 { // 3: not running
		return false, nil
	}
	return err == nil, err
}

// start creates the cluster if needed, writes its settings and starts it.
func (c *cluster) start(ctx context.Context) (string, error) {
	if err := c.initdb(ctx); err != nil {
		return "", err
	}
	conf, serverURL, err := c.settings()
	if err != nil {
		return "", err
	}
	if err := c.writeFile(filepath.Join(c.dataDir, "devdb.conf"), conf, 0o600); err != nil {
		return "", err
	}
	if err := c.mkdir(c.sockDir); err != nil {
		return "", err
	}
	if err := c.writeFileIfMissing(c.logFile, 0o600); err != nil {
		return "", err
	}
	c.logf("starting PostgreSQL in %s (log: %s)", c.dataDir, c.logFile)
	begin := time.Now()
	if _, err := c.run(ctx, "pg_ctl", "-D", c.dataDir, "-l", c.logFile, "-w", "-t", strconv.Itoa(int(startTimeout.Seconds())), "start"); err != nil {
		return "", fmt.Errorf("%w\n(server log: %s)", err, c.logFile)
	}
	c.logf("PostgreSQL started in %s", time.Since(begin).Round(time.Millisecond))
	if err := ping(ctx, serverURL); err != nil {
		return "", fmt.Errorf("devdb: started PostgreSQL but cannot connect (see %s): %w", c.logFile, err)
	}
	return serverURL, nil
}

// initdb creates the cluster unless dir/pg already holds one.
func (c *cluster) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		return nil
	}
	if _, err := os.Stat(c.dataDir); err == nil {
		c.logf("removing %s, left over from an initdb that did not finish", c.dataDir)
		if err := os.RemoveAll(c.dataDir); err != nil {
			return fmt.Errorf("devdb: %w", err)
		}
	}
	password, err := c.password()
	if err != nil {
		return err
	}
	// initdb reads the password from a file that its user can read; it is
	// removed as soon as initdb is done.
	tmp := filepath.Join(c.dir, "pg.initdb-password")
	if err := c.writeFile(tmp, password+"\n", 0o600); err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := c.mkdir(c.dataDir); err != nil {
		return err
	}
	c.logf("creating a PostgreSQL cluster in %s", c.dataDir)
	begin := time.Now()
	if _, err := c.run(ctx, "initdb",
		"-D", c.dataDir,
		"-U", Superuser,
		"--pwfile", tmp,
		"--auth-local", "trust",
		"--auth-host", "scram-sha-256",
		"-E", "UTF8",
		"--no-locale",
		"--no-instructions",
	); err != nil {
		return err
	}
	c.logf("created the cluster in %s", time.Since(begin).Round(time.Millisecond))
	f, err := os.OpenFile(filepath.Join(c.dataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n# Written on each start by internal/devdb (listen address, socket, port).\ninclude_if_exists = 'devdb.conf'\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("devdb: %w", err)
	}
	return nil
}

// settings returns the contents of devdb.conf and the server URL they give.
// They are rewritten on every start, so a moved repository keeps working.
func (c *cluster) settings() (conf, serverURL string, err error) {
	const common = "max_connections = 200\n"
	socketFile := filepath.Join(c.sockDir, ".s.PGSQL."+strconv.Itoa(socketPort))
	if len(socketFile) <= maxSocketPath {
		conf = fmt.Sprintf("listen_addresses = ''\nport = %d\nunix_socket_directories = %s\n%s",
			socketPort, confQuote(c.sockDir), common)
		return conf, socketURL(c.sockDir, socketPort), nil
	}
	c.logf("the socket path %s is longer than %d bytes: listening on 127.0.0.1 instead", socketFile, maxSocketPath)
	port, err := c.tcpPort()
	if err != nil {
		return "", "", err
	}
	password, err := c.password()
	if err != nil {
		return "", "", err
	}
	conf = fmt.Sprintf("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\n%s", port, common)
	return conf, tcpURL(port, password), nil
}

// tcpPort returns the port kept in dir/pg.port if it is free, else a newly
// chosen free port, which it keeps.
func (c *cluster) tcpPort() (int, error) {
	if b, err := os.ReadFile(c.portFile); err == nil {
		if port, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && portFree(port) {
			return port, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("devdb: choose a port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	if err := os.WriteFile(c.portFile, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
		return 0, fmt.Errorf("devdb: %w", err)
	}
	return port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// password returns the superuser's password, creating it on first use. It is
// readable only by the calling user.
func (c *cluster) password() (string, error) {
	if b, err := os.ReadFile(c.pwFile); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	b := make([]byte, 16)
	rand.Read(b)
	password := hex.EncodeToString(b)
	if err := os.WriteFile(c.pwFile, []byte(password+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	return password, nil
}

// urlFromPIDFile builds the running server's URL from postmaster.pid, whose
// lines 4 to 6 are its port, first socket directory and listen address.
func (c *cluster) urlFromPIDFile() (string, error) {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 6 {
		return "", fmt.Errorf("devdb: %s/postmaster.pid is incomplete (is the server still starting?)", c.dataDir)
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return "", fmt.Errorf("devdb: postmaster.pid: port %q: %w", lines[3], err)
	}
	if sock := strings.TrimSpace(lines[4]); sock != "" {
		return socketURL(sock, port), nil
	}
	password, err := c.password()
	if err != nil {
		return "", err
	}
	return tcpURL(port, password), nil
}

// createDatabase creates the database Database unless it exists.
func (c *cluster) createDatabase(ctx context.Context, serverURL string) error {
	conn, err := pgx.Connect(ctx, withDatabase(serverURL, "postgres"))
	if err != nil {
		return fmt.Errorf("devdb: connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, Database).Scan(&exists); err != nil {
		return fmt.Errorf("devdb: look for database %s: %w", Database, err)
	}
	if exists {
		return nil
	}
	c.logf("creating database %s", Database)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{Database}.Sanitize()); err != nil {
		return fmt.Errorf("devdb: create database %s: %w", Database, err)
	}
	return nil
}

// ping connects to the server's postgres database and runs a query.
func ping(ctx context.Context, serverURL string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, withDatabase(serverURL, "postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// socketURL is the URL of a server listening on a Unix socket in sockDir, as
// the superuser, without a database name.
func socketURL(sockDir string, port int) string {
	return fmt.Sprintf("postgres:///?host=%s&port=%d&user=%s&sslmode=disable", queryEscape(sockDir), port, Superuser)
}

// tcpURL is the URL of a server listening on 127.0.0.1, as the superuser,
// without a database name.
func tcpURL(port int, password string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(Superuser, password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/",
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// withDatabase puts database into a URL made by socketURL or tcpURL.
func withDatabase(serverURL, database string) string {
	path, query, _ := strings.Cut(serverURL, "?")
	return strings.TrimSuffix(path, "/") + "/" + url.PathEscape(database) + "?" + query
}

// queryEscape escapes a query value but keeps slashes, which are legal there,
// so socket paths stay readable.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
}

// confQuote quotes s as a postgresql.conf string.
func confQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
