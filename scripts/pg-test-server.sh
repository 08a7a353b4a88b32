#!/usr/bin/env bash
# A throwaway PostgreSQL server on the loopback interface, for the tests and the bench (never for real data).
#
#   scripts/pg-test-server.sh start   installs PostgreSQL from Debian's packages if it is missing, makes a new data
#                                     directory, starts the server on 127.0.0.1:$IRPSCOPE_PG_PORT (default 54329) and
#                                     prints the connection string to export as IRPSCOPE_TEST_PG
#   scripts/pg-test-server.sh stop    stops it and removes the data directory
#
# The server runs as the `postgres` system user when started by root (PostgreSQL refuses to run as root). Password
# authentication (scram-sha-256) is on even on loopback, so the tests see a real password in the connection string
# and can check that it is never printed.
set -euo pipefail

PORT="${IRPSCOPE_PG_PORT:-54329}"
DIR="${IRPSCOPE_PG_DIR:-/tmp/irpscope-pg-$PORT}"
ADMIN=irpscope_admin
PASSWORD=irpscope-test-secret

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  printf '%s' "$found"
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    BIN=$(find_bin)
    if [ -z "$BIN" ]; then
      echo "pg-test-server: installing PostgreSQL from Debian's packages" >&2
      if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      else sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; fi
      BIN=$(find_bin)
    fi
    [ -n "$BIN" ] || { echo "pg-test-server: no PostgreSQL server binaries after the install" >&2; exit 1; }
    if [ -f "$DIR/postmaster.pid" ] && as_server_user "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      echo "postgres://$ADMIN:$PASSWORD@127.0.0.1:$PORT/postgres"
      exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    printf '%s\n' "$PASSWORD" > "$DIR.pw"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR.pw"
    as_server_user "$BIN/initdb" -D "$DIR" -U "$ADMIN" --pwfile="$DIR.pw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$DIR.pw"
    # synchronous_commit=off is the match for the SQLite store's synchronous=NORMAL in WAL mode: a commit does not wait
    # for its WAL flush, and a crash loses at most the last commits, never consistency. A socket only in the data directory.
    as_server_user "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null
    echo "postgres://$ADMIN:$PASSWORD@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    BIN=$(find_bin)
    if [ -n "$BIN" ] && [ -d "$DIR" ]; then as_server_user "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
