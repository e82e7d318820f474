#!/usr/bin/env bash
# Throwaway PostgreSQL and MariaDB servers on 127.0.0.1, for the tests of the backup scripts
# (src/main/resources/backup). Nothing here is for production.
#
#   hack/databases.sh packages          the Debian packages this needs, one per line
#   hack/databases.sh up [ENGINE...]    start the servers (or reuse the running ones); wait until usable
#   hack/databases.sh down [ENGINE...]  stop the servers this script started, by PID
#   hack/databases.sh status [ENGINE...] print "ENGINE running|stopped"; exit 1 if one asked for is stopped
#   hack/databases.sh env               print 'export NAME=value' connection variables (no password:
#                                       it is in the file named by RUNWAY_DB_PASSWORD_FILE)
#
# ENGINE is postgresql or mariadb; without one, both. Each server has its own data directory under
# RUNWAY_DB_DIR (default ~/.cache/runway/databases) and listens only on 127.0.0.1, PostgreSQL on
# RUNWAY_PG_PORT (default 15432) and MariaDB on RUNWAY_MARIADB_PORT (default 13306); with another
# RUNWAY_PORT_BASE, ~/.cache/runway/databases-<base> and ports base+32, base+33. Both have the
# superuser "runway" with a random password made on the first `up` and kept in
# $RUNWAY_DB_DIR/password (mode 0600). Durability is traded for speed (fsync off): throwaway data.
#
# As root: PostgreSQL refuses to run as root, so it runs as the OS user RUNWAY_PG_OS_USER (default
# postgres, made by the postgresql packages). When that user cannot reach the data directory (the
# default one is under /root, mode 0700), the server process gets the single ambient capability
# CAP_DAC_READ_SEARCH: it can then look up and read paths, but writes only where its user may.
# MariaDB runs as root with --user=root.
set -euo pipefail

# Another RUNWAY_PORT_BASE than the default 16400 (a second cluster beside CI's) gets its own ports
# (base + 32, base + 33) and data directory, so two test runs never share or stop each other's servers.
BASE=${RUNWAY_PORT_BASE:-16400}
if [ "$BASE" = 16400 ]; then
  DIR=${RUNWAY_DB_DIR:-$HOME/.cache/runway/databases}
  PG_PORT=${RUNWAY_PG_PORT:-15432}
  MARIADB_PORT=${RUNWAY_MARIADB_PORT:-13306}
else
  DIR=${RUNWAY_DB_DIR:-$HOME/.cache/runway/databases-$BASE}
  PG_PORT=${RUNWAY_PG_PORT:-$((BASE + 32))}
  MARIADB_PORT=${RUNWAY_MARIADB_PORT:-$((BASE + 33))}
fi
PG_OS_USER=${RUNWAY_PG_OS_USER:-postgres}
SUPERUSER=runway
HOST=127.0.0.1
PASSWORD_FILE=$DIR/password
PG_DIR=$DIR/postgresql
MARIADB_DIR=$DIR/mariadb
ENGINES=(postgresql mariadb)

log() { printf '[databases] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

packages() {
  printf '%s\n' postgresql-15 postgresql-client-15 mariadb-server mariadb-client
}

# --- processes -------------------------------------------------------------------------------

# our_pid ENGINE: prints the PID of this script's server for ENGINE if it runs, else fails.
# A PID counts only while /proc says it is a server on our data directory (PIDs get reused).
our_pid() {
  local pidfile data pid
  case $1 in
    postgresql) pidfile=$PG_DIR/server.pid data=$PG_DIR/data ;;
    mariadb) pidfile=$MARIADB_DIR/server.pid data=$MARIADB_DIR/data ;;
  esac
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  case $pid in '' | *[!0-9]*) return 1 ;; esac
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qF "$data" || return 1
  printf '%s\n' "$pid"
}

port_taken() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_until() { # wait_until SECONDS PID DESCRIPTION LOG COMMAND...
  local seconds=$1 pid=$2 what=$3 logfile=$4; shift 4
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$what exited while starting; the end of $logfile:"; tail -n 20 "$logfile" >&2 || true; return 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "timed out after ${seconds}s waiting for $what; see $logfile"; return 1; fi
    sleep 0.3
  done
}

password() {
  if [ ! -s "$PASSWORD_FILE" ]; then
    mkdir -p "$DIR"
    (umask 077 && od -An -N18 -tx1 /dev/urandom | tr -d ' \n' >"$PASSWORD_FILE.tmp")
    mv "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
  fi
  cat "$PASSWORD_FILE"
}

# --- PostgreSQL ------------------------------------------------------------------------------

pg_bin() {
  if [ -n "${RUNWAY_PG_BIN:-}" ]; then printf '%s\n' "$RUNWAY_PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/postgres" ]; then printf '%s\n' "$d"; return; fi
  d=$(command -v postgres 2>/dev/null || true)
  [ -n "$d" ] || die "no PostgreSQL server binaries (apt-get install $(packages | grep -x 'postgresql-[0-9]*'))"
  dirname "$d"
}

# pg_user_prefix: sets AS_PG to the command prefix that runs a command as the OS user the
# PostgreSQL server runs as (empty unless root). setpriv exec's, so the PID stays the same.
AS_PG=()
pg_user_prefix() {
  AS_PG=()
  [ "$(id -u)" = 0 ] || return 0
  id -u "$PG_OS_USER" >/dev/null 2>&1 || die "no OS user '$PG_OS_USER' to run PostgreSQL as (set RUNWAY_PG_OS_USER)"
  AS_PG=(setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups)
  if ! "${AS_PG[@]}" -- test -x "$PG_DIR/." 2>/dev/null; then
    AS_PG+=(--inh-caps=+dac_read_search --ambient-caps=+dac_read_search)
  fi
  AS_PG+=(--)
}

pg_up() {
  local pid bin
  if pid=$(our_pid postgresql); then
    log "postgresql: already running (pid $pid) on $HOST:$PG_PORT"; return 0
  fi
  port_taken "$PG_PORT" && die "port $PG_PORT is taken by another process; set RUNWAY_PG_PORT"
  bin=$(pg_bin)
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then chown "$PG_OS_USER:" "$PG_DIR"; fi
  chmod 700 "$PG_DIR"
  pg_user_prefix
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    log "postgresql: initdb in $PG_DIR/data"
    rm -rf "$PG_DIR/data"
    local pwfile=$PG_DIR/initdb-password
    (umask 077 && password >"$pwfile")
    if [ "$(id -u)" = 0 ]; then chown "$PG_OS_USER:" "$pwfile"; fi
    if ! "${AS_PG[@]}" "$bin/initdb" -D "$PG_DIR/data" -U "$SUPERUSER" --pwfile="$pwfile" --auth=scram-sha-256 \
        -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1; then
      rm -f "$pwfile"; tail -n 20 "$PG_DIR/initdb.log" >&2; die "postgresql: initdb failed"
    fi
    rm -f "$pwfile"
    "${AS_PG[@]}" tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<EOF
# hack/databases.sh: a throwaway test server on loopback
listen_addresses = '$HOST'
unix_socket_directories = ''
max_connections = 40
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  log "postgresql: starting on $HOST:$PG_PORT"
  # setsid: its own session, so a Ctrl-C in the caller's terminal does not stop the server. setsid
  # and setpriv exec, so $! is the server's PID.
  setsid "${AS_PG[@]}" "$bin/postgres" -D "$PG_DIR/data" -p "$PG_PORT" >"$PG_DIR/server.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PG_DIR/server.pid"
  wait_until 60 "$pid" postgresql "$PG_DIR/server.log" "$bin/pg_isready" -q -h "$HOST" -p "$PG_PORT" -d postgres
  log "postgresql: ready (pid $pid)"
}

# --- MariaDB ---------------------------------------------------------------------------------

mariadb_client() { command -v mariadb || command -v mysql || die "no MariaDB client (apt-get install mariadb-client)"; }

mariadb_up() {
  local pid server install user_opts=()
  if pid=$(our_pid mariadb); then
    log "mariadb: already running (pid $pid) on $HOST:$MARIADB_PORT"; return 0
  fi
  port_taken "$MARIADB_PORT" && die "port $MARIADB_PORT is taken by another process; set RUNWAY_MARIADB_PORT"
  server=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd 2>/dev/null || true)
  [ -n "$server" ] || die "no MariaDB server (apt-get install mariadb-server)"
  install=$(command -v mariadb-install-db || command -v mysql_install_db || true)
  [ -n "$install" ] || die "no mariadb-install-db (apt-get install mariadb-server)"
  local sock=$MARIADB_DIR/mysqld.sock
  [ ${#sock} -lt 100 ] || die "socket path $sock is too long for a Unix socket; use a shorter RUNWAY_DB_DIR"
  if [ "$(id -u)" = 0 ]; then user_opts=(--user=root); fi
  mkdir -p "$MARIADB_DIR"
  if [ ! -d "$MARIADB_DIR/data/mysql" ]; then
    log "mariadb: mariadb-install-db in $MARIADB_DIR/data"
    rm -rf "$MARIADB_DIR/data" "$MARIADB_DIR/provisioned"
    # The root account authenticates by Unix socket, as the OS user running this script.
    if ! "$install" --no-defaults --datadir="$MARIADB_DIR/data" "${user_opts[@]}" \
        --auth-root-authentication-method=socket --auth-root-socket-user="$(id -un)" \
        --skip-test-db --skip-name-resolve >"$MARIADB_DIR/install.log" 2>&1; then
      tail -n 20 "$MARIADB_DIR/install.log" >&2; die "mariadb: mariadb-install-db failed"
    fi
  fi
  log "mariadb: starting on $HOST:$MARIADB_PORT"
  setsid "$server" --no-defaults "${user_opts[@]}" --datadir="$MARIADB_DIR/data" \
    --socket="$sock" --pid-file="$MARIADB_DIR/mariadbd.pid" --port="$MARIADB_PORT" \
    --bind-address="$HOST" --skip-name-resolve --log-error="$MARIADB_DIR/server.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --skip-log-bin --max-connections=40 --performance-schema=OFF \
    --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
    --innodb-use-native-aio=0 >>"$MARIADB_DIR/server.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$MARIADB_DIR/server.pid"
  local client
  client=$(mariadb_client)
  wait_until 60 "$pid" mariadb "$MARIADB_DIR/server.log" \
    "$client" --no-defaults --socket="$sock" -u root -e 'SELECT 1'
  if [ ! -f "$MARIADB_DIR/provisioned" ]; then
    # The password goes through stdin, never a command line.
    { printf "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s';\n" "$SUPERUSER" "$(password)"
      printf "GRANT ALL PRIVILEGES ON *.* TO '%s'@'%%' WITH GRANT OPTION;\n" "$SUPERUSER"
    } | "$client" --no-defaults --socket="$sock" -u root
    touch "$MARIADB_DIR/provisioned"
  fi
  log "mariadb: ready (pid $pid)"
}

# --- commands --------------------------------------------------------------------------------

stop() { # stop ENGINE
  local pid signal
  if ! pid=$(our_pid "$1"); then log "$1: not running"; return 0; fi
  # PostgreSQL: SIGINT is the "fast" shutdown (SIGTERM would wait for clients to disconnect).
  case $1 in postgresql) signal=INT ;; *) signal=TERM ;; esac
  log "$1: stopping pid $pid"
  kill -s "$signal" "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then log "$1: still running after 60s; sending SIGKILL"; kill -s KILL "$pid"; fi
    sleep 0.2
  done
  case $1 in postgresql) rm -f "$PG_DIR/server.pid" ;; mariadb) rm -f "$MARIADB_DIR/server.pid" ;; esac
}

engines() { # engines [ENGINE...]: the engines asked for, checked
  if [ $# -eq 0 ]; then set -- "${ENGINES[@]}"; fi
  local e
  for e in "$@"; do
    case $e in postgresql | mariadb) printf '%s\n' "$e" ;; *) die "unknown engine '$e' (postgresql|mariadb)" ;; esac
  done
}

print_env() {
  local name value
  for name in RUNWAY_DB_DIR RUNWAY_DB_PASSWORD_FILE RUNWAY_PG_HOST RUNWAY_PG_PORT RUNWAY_PG_USER \
      RUNWAY_MARIADB_HOST RUNWAY_MARIADB_PORT RUNWAY_MARIADB_USER; do
    case $name in
      RUNWAY_DB_DIR) value=$DIR ;;
      RUNWAY_DB_PASSWORD_FILE) value=$PASSWORD_FILE ;;
      RUNWAY_PG_HOST | RUNWAY_MARIADB_HOST) value=$HOST ;;
      RUNWAY_PG_PORT) value=$PG_PORT ;;
      RUNWAY_MARIADB_PORT) value=$MARIADB_PORT ;;
      RUNWAY_PG_USER | RUNWAY_MARIADB_USER) value=$SUPERUSER ;;
    esac
    printf 'export %s=%q\n' "$name" "$value"
  done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  packages) packages ;;
  up)
    mapfile -t asked < <(engines "$@")
    for e in "${asked[@]}"; do
      case $e in postgresql) pg_up ;; mariadb) mariadb_up ;; esac
    done ;;
  down)
    mapfile -t asked < <(engines "$@")
    for e in "${asked[@]}"; do stop "$e"; done ;;
  status)
    mapfile -t asked < <(engines "$@")
    rc=0
    for e in "${asked[@]}"; do
      if our_pid "$e" >/dev/null; then echo "$e running"; else echo "$e stopped"; rc=1; fi
    done
    exit $rc ;;
  env) print_env ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2 ;;
esac
