#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the demo and for humans (operations.md §7.1;
# the specs use spec/support/cluster.ts, which does the same in TypeScript). No Docker needed.
#
#   eval "$(scripts/pg-up.sh)"     # starts it; stdout is only `export …` lines
#   bin/worker migrate             # then load data, assess, …
#   scripts/pg-down.sh             # stops it and deletes its data directory
#
# PGPORT (default 55432) picks the port; a second run on the same port reuses the running cluster.
# Installs postgresql-15 and postgresql-15-postgis-3 with apt-get when missing (root only).
set -Eeuo pipefail

PGPORT="${PGPORT:-55432}"
PG_BIN=/usr/lib/postgresql/15/bin
POSTGIS_LIB=/usr/lib/postgresql/15/lib/postgis-3.so
# Under /tmp, never a 0700 home directory: the postgres user must be able to traverse it.
STATE_FILE="/tmp/nrf-pg-${PGPORT}.state"
DATABASE=nrf_impact

log() { printf '[pg-up] %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }
# The server refuses to run as root, so as root initdb and pg_ctl run as the postgres user.
as_postgres() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

print_env() {
  printf 'export DATABASE_URL=postgres://postgres@127.0.0.1:%s/%s\n' "$PGPORT" "$DATABASE"
  printf 'export DB_SSL_MODE=disable\n'
}

if [ ! -x "$PG_BIN/initdb" ] || [ ! -f "$POSTGIS_LIB" ]; then
  if ! is_root; then
    log "PostgreSQL 15 + PostGIS 3 are missing; as root run:"
    log "  apt-get install -y --no-install-recommends postgresql-15 postgresql-15-postgis-3"
    exit 1
  fi
  log "installing postgresql-15 and postgresql-15-postgis-3 from Debian packages…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-postgis-3 >/dev/null
fi

if [ -f "$STATE_FILE" ]; then
  PGDATA="$(sed -n 's/^PGDATA=//p' "$STATE_FILE")"
  if [ -n "$PGDATA" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "already running on 127.0.0.1:${PGPORT} (data in ${PGDATA})"
    print_env
    exit 0
  fi
  log "removing a stale record of a stopped cluster (${STATE_FILE})"
  case "$PGDATA" in /tmp/nrf-pg-*) rm -rf "$PGDATA" ;; esac
  rm -f "$STATE_FILE"
fi

PGDATA="$(mktemp -d /tmp/nrf-pg-XXXXXX)"
chmod 700 "$PGDATA"
if is_root; then chown postgres:postgres "$PGDATA"; fi
cleanup_on_failure() { log "start failed; server log:"; tail -n 20 "$PGDATA/server.log" >&2 2>/dev/null || true; rm -rf "$PGDATA"; }
trap cleanup_on_failure ERR

as_postgres "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
# Durability off: a scratch cluster trades crash safety for speed.
as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=${PGPORT} -c unix_socket_directories=${PGDATA} -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DATABASE"
trap - ERR

printf 'PGDATA=%s\nPGPORT=%s\n' "$PGDATA" "$PGPORT" > "$STATE_FILE"
log "PostgreSQL 15 + PostGIS on 127.0.0.1:${PGPORT}, database ${DATABASE} (data in ${PGDATA})"
log "next: bin/worker migrate; stop with: PGPORT=${PGPORT} scripts/pg-down.sh"
print_env
