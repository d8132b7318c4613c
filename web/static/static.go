// Package static embeds the built front-end assets (GOV.UK Frontend and our
// own scripts and styles) and names them with content hashes for caching.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed all:dist
var dist embed.FS

// FS is the asset tree, rooted at dist/.
var FS = mustSub(dist, "dist")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

var hashes = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
})

// Path returns the URL of the named asset with its content hash, for example
// "/assets/govuk-frontend.min.css?v=3f1c0a9b2d4e". An asset that was not built
// gets its URL without a hash.
func Path(name string) string {
	name = strings.TrimPrefix(name, "/")
	if h, ok := hashes()[name]; ok {
		return "/assets/" + name + "?v=" + h
	}
	return "/assets/" + name
}

// Built reports whether the front-end build has run (the GOV.UK stylesheet is
// present); without it pages render unstyled.
func Built() bool {
	_, ok := hashes()["govuk-frontend.min.css"]
	return ok
}

// Handler serves the assets under /assets/. A request that names the current
// content hash is cached for a year; others are revalidated each time.
func Handler() http.Handler {
	files := http.FileServerFS(FS)
	return http.StripPrefix("/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean(strings.TrimPrefix(r.URL.Path, "/"))
		if strings.HasSuffix(r.URL.Path, "/") || name == "." || strings.HasPrefix(path.Base(name), ".") {
			http.NotFound(w, r)
			return
		}
		if v := r.URL.Query().Get("v"); v != "" && v == hashes()[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	}))
}
