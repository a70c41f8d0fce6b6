GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 10s

.PHONY: run build test vet services fuzz bench clean test-faults

## run: try Interlock in the terminal (shell adapter, embedded store)
run:
	$(GO) run ./cmd/interlock shell

## build: a static binary in bin/interlock
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/interlock ./cmd/interlock

## test: everything — vet, the race-checked test suite against real PostgreSQL and Redis, bounded fuzzing
test: services vet fuzz
	$(GO) test -race -count=1 -timeout 30m ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo 'gofmt needed'; exit 1; }
	$(GO) vet ./...
	@$(GO) mod tidy -diff >/dev/null || { echo 'go.mod/go.sum are not tidy: run go mod tidy'; $(GO) mod tidy -diff; exit 1; }

## test-faults: two real replicas on a throwaway PostgreSQL and Redis, under SIGKILL, database and Redis outages
test-faults: services
	$(GO) vet -tags faults ./cmd/interlock/
	$(GO) test -tags faults -race -count=1 -timeout 20m ./cmd/interlock/

## services: make sure PostgreSQL and Redis answer (starts or installs them if needed), and chromium is installed
services:
	@./scripts/services.sh
	@./scripts/chromium.sh

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@./scripts/fuzz.sh $(FUZZTIME)

## bench: benchmarks (not part of test); writes bench/results.json
bench: services
	$(GO) run ./bench/cmd/interlock-bench -out bench/results.json

clean:
	rm -rf bin data
