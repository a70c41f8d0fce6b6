#!/usr/bin/env bash
# Runs every fuzz target in the module for a bounded time each (default 10s).
set -euo pipefail
time=${1:-10s}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz: $pkg $target ($time)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" "$pkg" >/tmp/interlock-fuzz.log 2>&1 || { cat /tmp/interlock-fuzz.log; exit 1; }
  done
done
