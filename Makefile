# Focused visits. `make help` lists the targets.

GO        ?= go
BIN       := bin/focusedvisits
# The server the tests use: TEST_DATABASE_URL if set, else the private cluster
# under .data/ (started, or reused, on demand).
TEST_DATABASE_URL ?=

.DEFAULT_GOAL := help

## help: list the targets
.PHONY: help
help:
	@echo 'Usage: make <target>'
	@awk '/^## / { sub(/^## /, ""); i = index($$0, ":"); printf "  %-17s %s\n", substr($$0, 1, i-1), substr($$0, i+2) }' $(MAKEFILE_LIST)

## generate: regenerate the templ Go code (committed)
.PHONY: generate
generate:
	$(GO) tool templ generate -path web

## assets: install GOV.UK Frontend from npm (lock file) and build web/static/dist
.PHONY: assets
assets: web/node_modules/.package-lock.json
	npm --prefix web run --silent build

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	npm --prefix web ci --no-audit --no-fund --loglevel=error

## build: build the binary into bin/, with the assets embedded
.PHONY: build
build: assets
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/focusedvisits

## run: run the service on http://localhost:8080 with the private PostgreSQL and demo data
.PHONY: run
run: build
	./$(BIN) serve

## db: start (or reuse) the private PostgreSQL cluster under .data/ and print its URL
.PHONY: db
db:
	@$(GO) run ./cmd/focusedvisits db

## db-stop: stop the private PostgreSQL cluster
.PHONY: db-stop
db-stop:
	@$(GO) run ./cmd/focusedvisits db stop

## test: run every test (real PostgreSQL, real headless Chromium) with the race detector
.PHONY: test
test: assets
	@url="$(TEST_DATABASE_URL)"; \
	if [ -z "$$url" ]; then url=$$($(GO) run ./cmd/focusedvisits db) || exit 1; fi; \
	TEST_DATABASE_URL="$$url" REQUIRE_BROWSER=1 $(GO) test -race -count=1 -timeout 45m ./...

## bench: run the benchmarks (the working-day engine against rickar/cal, and others)
.PHONY: bench
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
.PHONY: fuzz
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## fmt: format the Go and templ code
.PHONY: fmt
fmt:
	gofmt -w cmd internal migrations web
	$(GO) tool templ fmt web

## audit: verify modules (and that go.mod is tidy), vet, check formatting and that generated code is fresh
.PHONY: audit
audit: check-generated
	$(GO) mod verify
	$(GO) mod tidy -diff
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal migrations web)" || { gofmt -l cmd internal migrations web; echo 'gofmt needed: make fmt'; exit 1; }
	$(GO) tool templ fmt -fail web
	$(GO) test -count=1 -run '^TestServerShape$$' ./internal/server

## check-generated: fail if the committed templ code is not what the templates generate
.PHONY: check-generated
check-generated: generate
	@git diff --exit-code -- web '*_templ.go' || { echo 'generated code is stale: run make generate and commit'; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard -- '*_templ.go')" || { echo 'generated files not committed:'; git ls-files --others --exclude-standard -- '*_templ.go'; exit 1; }

## migration: create a new migration file, e.g. make migration name=create_visits
.PHONY: migration
migration:
	@test -n "$(name)" || { echo 'usage: make migration name=verb_object'; exit 1; }
	$(GO) run github.com/pressly/goose/v3/cmd/goose@v3.29.0 -dir migrations -s create $(name) sql

## clean: remove the binary and built assets (keeps .data/)
.PHONY: clean
clean:
	rm -rf bin web/static/dist/* web/node_modules
	touch web/static/dist/.gitkeep

## loadtest: build, then load the service on a fresh database: USERS (50) signed-in users, DURATION (30s), LOADTEST_FLAGS (-think 0: capacity)
USERS    ?= 50
DURATION ?= 30s
.PHONY: loadtest
loadtest: build
	$(GO) run ./cmd/loadtest -bin $(BIN) -users $(USERS) -duration $(DURATION) $(LOADTEST_FLAGS)

## faulttest: build, then stop PostgreSQL (its own cluster under /tmp) for 10 s under load and SIGTERM the service under load; checks 503s, recovery and that no acknowledged write is lost
.PHONY: faulttest
faulttest: build
	$(GO) run ./cmd/faulttest -bin $(BIN) $(FAULTTEST_FLAGS)

## memcheck: build, then measure the service's peak memory (VmHWM) under an Excel bomb (honest and lying), a genuine 250,000-row list and 200 sign-ins at once, each on a fresh start; fails over 300 MB (MEMCHECK_FLAGS)
.PHONY: memcheck
memcheck: build
	$(GO) run ./cmd/memcheck -bin $(BIN) $(MEMCHECK_FLAGS)

## common-passwords: refresh the common-password list (internal/user/commonpasswords) from npm: COMMON_PASSWORDS_VERSION (4.1.3)
COMMON_PASSWORDS_VERSION ?= 4.1.3
.PHONY: common-passwords
common-passwords:
	@dir=$$(mktemp -d) && cd $$dir && npm pack --silent @zxcvbn-ts/language-common@$(COMMON_PASSWORDS_VERSION) >/dev/null && tar xzf *.tgz && \
		cp package/src/passwords.json $(CURDIR)/internal/user/commonpasswords/passwords.json && \
		cp package/LICENSE.txt $(CURDIR)/internal/user/commonpasswords/LICENSE.txt && rm -rf $$dir
	@python3 -c 'import json; print(len(json.load(open("internal/user/commonpasswords/passwords.json"))), "passwords")'
	@sha256sum internal/user/commonpasswords/passwords.json
	@echo 'now set Source in internal/user/commonpasswords/commonpasswords.go to @zxcvbn-ts/language-common $(COMMON_PASSWORDS_VERSION)'
