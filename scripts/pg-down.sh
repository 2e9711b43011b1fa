#!/usr/bin/env bash
# Stops the cluster scripts/pg-up.sh started on PGPORT (default 55432) and deletes its data.
set -euo pipefail

PGPORT="${PGPORT:-55432}"
PG_BIN=/usr/lib/postgresql/15/bin
STATE_FILE="/tmp/nrf-pg-${PGPORT}.state"

log() { printf '[pg-down] %s\n' "$*" >&2; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -f "$STATE_FILE" ]; then
  log "no cluster recorded for port ${PGPORT} (${STATE_FILE} is missing)"
  exit 0
fi
PGDATA="$(sed -n 's/^PGDATA=//p' "$STATE_FILE")"
case "$PGDATA" in
  /tmp/nrf-pg-*) ;;
  *) log "refusing to touch ${PGDATA:-an empty path}: not a pg-up data directory"; exit 1 ;;
esac

if as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
fi
rm -rf "$PGDATA"
rm -f "$STATE_FILE"
log "stopped the cluster on port ${PGPORT} and removed ${PGDATA}"
