#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on their standard local ports (or
# at TEST_DATABASE_URL / TEST_REDIS_URL), so `make test` runs the storage
# suites against real servers. In order: use what already answers; start the
# machine's installed services; install them from Debian packages (as root)
# and start throwaway instances. Under CI=true, failure is fatal; otherwise
# the suites that need a server skip.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG || (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
say() { echo "services: $*" >&2; }

apt_install() {
  [ "$(id -u)" = 0 ] || { say "not root: cannot install $*"; return 1; }
  command -v apt-get >/dev/null || { say "no apt-get: cannot install $*"; return 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

start_postgres() {
  if [ -n "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ]; then return 0; fi
  pg_up && return 0
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1
    for _ in $(seq 1 30); do pg_up && return 0; sleep 0.5; done
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then apt_install postgresql || return 1; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
  # A throwaway cluster with trust auth on 127.0.0.1:5432.
  dir=$(mktemp -d /tmp/interlock-pg.XXXXXX); chown postgres "$dir" 2>/dev/null
  run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  run "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null || return 1
  run "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -h 127.0.0.1 -p 5432" -l "$dir/log" -w start >/dev/null || return 1
  pg_up
}

start_redis() {
  if [ -n "${TEST_REDIS_URL:-}${REDIS_URL:-}" ]; then return 0; fi
  redis_up && return 0
  command -v redis-server >/dev/null || apt_install redis-server || return 1
  mkdir -p /tmp/interlock-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/interlock-redis --logfile /tmp/interlock-redis/redis.log >/dev/null || return 1
  for _ in $(seq 1 30); do redis_up && return 0; sleep 0.2; done
  return 1
}

status=0
start_postgres || { say "PostgreSQL is not available"; status=1; }
start_redis || { say "Redis is not available"; status=1; }
if [ "$status" != 0 ] && [ "${CI:-}" = true ]; then
  say "CI=true: the storage suites need real servers"; exit 1
fi
exit 0
