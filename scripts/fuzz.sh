#!/usr/bin/env bash
# Runs every fuzz target in the module for a bounded time each (default 10s).
# A target fails the run when the fuzzer finds an input that fails (it is
# saved under testdata/fuzz). Go's fuzzer sometimes reports "context deadline
# exceeded" when its time is up while a worker is busy, with no failing
# input: that is the harness, not a finding, so the target is run once more.
set -euo pipefail
time=${1:-10s}
log=$(mktemp /tmp/interlock-fuzz.XXXXXX)
trap 'rm -f "$log"' EXIT
run() { go test -run '^$' -fuzz "^$2\$" -fuzztime "$time" "$1" >"$log" 2>&1; }
harness_timeout() { grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; }
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz: $pkg $target ($time)"
    if run "$pkg" "$target"; then continue; fi
    if harness_timeout; then
      echo "fuzz: $target: the fuzzer timed out without a failing input; running it again"
      if run "$pkg" "$target" || harness_timeout; then continue; fi
    fi
    cat "$log"
    exit 1
  done
done
