#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the command center's
# browser test (integrations/center, chromedp). Installs it as root when
# missing. Under CI=true a missing browser fails the run; elsewhere the test
# skips.
set -uo pipefail
say() { echo "chromium: $*" >&2; }
have() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
have && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing Debian's chromium package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
fi
have && exit 0
say "chromium is not installed; the browser test will skip"
[ "${CI:-}" = true ] && { say "CI=true: the browser test needs it"; exit 1; }
exit 0
