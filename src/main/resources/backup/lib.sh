# shellcheck shell=bash
# Shared by backup.sh, prune.sh and verify.sh: the environment contract, JSON output, the
# termination message, the exit handling and the per-engine database commands. Sourced, not run.
#
# Environment (the operator's Jobs set exactly these):
#   DB_ENGINE             PostgreSQL | MySQL (MySQL also means MariaDB)
#   DB_HOST, DB_PORT      the server; DB_PORT defaults to 5432 / 3306
#   DB_NAME               the database backed up; verify.sh also connects to it to create and drop
#                         its scratch database
#   DB_USER, DB_PASSWORD  the account. The password reaches the clients only through their
#                         environment (PGPASSWORD, MYSQL_PWD): never a command line, never output
#   BACKUP_DIR            where the backups are (default /backups)
#   BACKUP_PIN            true | false (default false): pinned backups are never pruned
#   BACKUP_REASON         free text kept in the manifest, e.g. "pre-migration shop-api-2-0-0"
#   BACKUP_PRUNE          false: backup.sh does not prune afterwards (default true)
#   RETENTION_KEEP_LAST, RETENTION_KEEP_DAILY, RETENTION_KEEP_WEEKLY, RETENTION_KEEP_MONTHLY
#                         integers >= 0, default 0 = rule off; when all are 0, prune deletes nothing
#   PRUNE_DRY_RUN         true: prune.sh says what it would delete and deletes nothing
#   VERIFY_BACKUP         verify.sh checks this backup (its dump file's name) instead of the newest;
#                         empty or "latest": the newest
#   RESTORE_BACKUP        restore.sh restores this backup (its dump file's name); empty: the newest
#   RESTORE_TARGET        restore.sh: the new database to restore into ([a-z_][a-z0-9_]*, at most 63)
#   RESTORE_IN_PLACE      restore.sh: true replaces the data of DB_NAME itself (default false)
#   RESTORE_REPLACE_EXISTING_DATA  must be true with RESTORE_IN_PLACE=true: the user said data is replaced
#   RESTORE_SAFETY_BACKUP restore.sh in place: the backup of DB_NAME taken just before; must exist
#   DB_CONNECT_WAIT       seconds the scripts wait for a server that does not answer yet (refused,
#                         timed out, starting up) before their first step (default 60); any other
#                         error (a wrong password, no such database) is reported at once
#   RUNWAY_LOCK_TIMEOUT   seconds backup.sh, verify.sh and restore.sh wait for the lock on BACKUP_DIR
#                         (default 3000); one of them at a time uses the backup volume
#   TERMINATION_LOG       default /dev/termination-log: backup.sh and verify.sh write their result
#                         there as one JSON line (the Kubernetes termination message; < 4 KiB)
#   RUNWAY_NOW            optional ISO-8601 UTC time (e.g. 2025-01-08T01:00:00Z) taken as the
#                         moment the script starts, for tests; the clock then runs on from it
#
# BACKUP_DIR holds, per backup, the dump <YYYYMMDDTHHMMSSZ>.pgdump (pg_dump --format=custom) or
# <YYYYMMDDTHHMMSSZ>.sql.gz (gzip'd mysqldump), and its manifest <dump>.json. A backup exists once
# its manifest does: backup.sh writes the manifest last, prune.sh deletes it last. Files being
# written are named .<name>.partial and are removed when a script fails.
#
# Result lines: backup.sh and verify.sh print one JSON line on stdout and write the same line to
# TERMINATION_LOG; prune.sh prints its summary line on stdout only. Progress goes to stderr.

set -euo pipefail

RUNWAY_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BACKUP_DIR=${BACKUP_DIR:-/backups}
TERMINATION_LOG=${TERMINATION_LOG:-/dev/termination-log}

RUNWAY_SCRIPT=runway     # the script's short name, for messages
RUNWAY_STEP=starting     # what the script is doing, for the message if it dies unexpectedly
RUNWAY_DONE=false        # true once the result line is out
RUNWAY_TERMINATION=false # whether the result line also goes to TERMINATION_LOG
RUNWAY_FAIL_FIELDS=      # JSON members ("key":value,) put before "message" in a Failed line
RUNWAY_WORK=             # private scratch directory, removed on exit
RUNWAY_CLEANUP=()        # commands run (last first) when the script exits, however it exits
RUN_OUT=                 # stdout of the last `run`

# --- JSON ------------------------------------------------------------------------------------

# json_escape_into VAR STRING: sets VAR to STRING as the inside of a JSON string (no subshell).
# Works on bytes: UTF-8 passes through; control characters become \n, \t, \u001f and so on.
json_escape_into() {
  local LC_ALL=C _je_s=$2 _je_code _je_c
  _je_s=${_je_s//'\'/'\\'}
  _je_s=${_je_s//'"'/'\"'}
  _je_s=${_je_s//$'\n'/'\n'}
  _je_s=${_je_s//$'\r'/'\r'}
  _je_s=${_je_s//$'\t'/'\t'}
  if [[ $_je_s == *[$'\x01'-$'\x1f']* ]]; then
    for _je_code in {1..31}; do
      printf -v _je_c "\\x$(printf %02x "$_je_code")"
      _je_s=${_je_s//"$_je_c"/"$(printf '\\u%04x' "$_je_code")"}
    done
  fi
  printf -v "$1" '%s' "$_je_s"
}
json_escape() { local _je_out; json_escape_into _je_out "$1"; printf '%s' "$_je_out"; }

# json_str STRING: a JSON string; json_str_or_null STRING: the same, or null when STRING is empty.
json_str() { printf '"%s"' "$(json_escape "$1")"; }
json_str_or_null() { if [ -n "$1" ]; then json_str "$1"; else printf null; fi; }

# truncate_bytes STRING MAX: STRING cut to at most MAX bytes, never inside a UTF-8 character.
truncate_bytes() {
  local LC_ALL=C s=$1 max=$2 i b lead need
  if [ ${#s} -le "$max" ]; then printf '%s' "$s"; return; fi
  s=${s:0:$((max - 3))}
  # Walk back over continuation bytes (10xxxxxx) to the lead byte of the last character and drop
  # that character if it is not complete.
  for ((i = ${#s} - 1; i >= 0 && i >= ${#s} - 4; i--)); do
    printf -v b '%d' "'${s:i:1}"
    ((b < 0)) && b=$((b + 256))
    if ((b < 0x80)); then break; fi
    if ((b >= 0xC0)); then
      lead=$b need=2
      ((lead >= 0xE0)) && need=3
      ((lead >= 0xF0)) && need=4
      if ((${#s} - i < need)); then s=${s:0:i}; fi
      break
    fi
  done
  printf '%s...' "$s"
}

# --- result, failure and exit ----------------------------------------------------------------

log() { printf '[%s] %s\n' "$RUNWAY_SCRIPT" "$*" >&2; }
step() { RUNWAY_STEP=$1; log "$1"; }

# redact TEXT: TEXT with the database password, should it appear, replaced by *****.
redact() {
  local s=$1
  if [ -n "${DB_PASSWORD:-}" ]; then s=${s//"$DB_PASSWORD"/*****}; fi
  printf '%s' "$s"
}

# emit JSON: the script's result line, on stdout and (for backup.sh, verify.sh) TERMINATION_LOG.
emit() {
  RUNWAY_DONE=true
  printf '%s\n' "$1"
  if [ "$RUNWAY_TERMINATION" = true ]; then
    if ! printf '%s\n' "$1" 2>/dev/null >"$TERMINATION_LOG"; then
      log "warning: could not write the termination message to $TERMINATION_LOG"
    fi
  fi
}

# fail MESSAGE: emits {"result":"Failed",...,"message":MESSAGE} and exits 1. MESSAGE is redacted
# and kept short so that the line stays well under the 4 KiB of a termination message.
fail() {
  local message
  message=$(truncate_bytes "$(redact "$1")" 480)
  log "failed: $message"
  emit "{\"result\":\"Failed\",${RUNWAY_FAIL_FIELDS}\"message\":$(json_str "$message")}"
  exit 1
}

# on_exit COMMAND...: runs COMMAND when the script exits (after a failure too).
on_exit() { RUNWAY_CLEANUP+=("$(printf '%q ' "$@")"); }

runway_exit() {
  local rc=$? i
  trap - EXIT
  set +e
  if [ "$RUNWAY_DONE" != true ]; then
    # Died without a result: a command failed under `set -e`, or a signal came.
    [ "$rc" -eq 0 ] && rc=1
    (fail "failed while $RUNWAY_STEP (exit $rc)")
  fi
  for ((i = ${#RUNWAY_CLEANUP[@]} - 1; i >= 0; i--)); do eval "${RUNWAY_CLEANUP[i]}"; done
  [ -n "$RUNWAY_WORK" ] && rm -rf -- "$RUNWAY_WORK"
  exit "$rc"
}

# runway_init NAME TERMINATION: sets up the script; TERMINATION=true sends its result line to
# TERMINATION_LOG too.
runway_init() {
  RUNWAY_SCRIPT=$1 RUNWAY_TERMINATION=$2
  trap runway_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  clock_init
  RUNWAY_WORK=$(mktemp -d "${TMPDIR:-/tmp}/runway-$RUNWAY_SCRIPT.XXXXXX" 2>/dev/null) ||
    RUNWAY_WORK=$(mktemp -d "$BACKUP_DIR/.runway-$RUNWAY_SCRIPT.XXXXXX" 2>/dev/null) ||
    fail "cannot make a scratch directory in ${TMPDIR:-/tmp} or $BACKUP_DIR"
}

# run WHAT COMMAND...: runs COMMAND (a program or a function) with its stdout kept in RUN_OUT and
# its stderr passed on, redacted, to ours. If it fails, the script fails with "WHAT: <the tool's
# error line>".
run() {
  local what=$1 rc=0 err line
  shift
  "$@" >"$RUNWAY_WORK/out" 2>"$RUNWAY_WORK/err" || rc=$?
  RUN_OUT=$(cat "$RUNWAY_WORK/out")
  err=$(cat "$RUNWAY_WORK/err")
  [ -n "$err" ] && printf '%s\n' "$(redact "$err")" >&2
  if [ "$rc" -ne 0 ]; then
    # The tool's first line that says "error" tells most (pg_restore adds "Command was: ..." after
    # it); the script's own progress lines ([name] ...) are not the tool's.
    err=$(grep -v -F "[$RUNWAY_SCRIPT] " <<<"$err" || true)
    line=$(grep -i -m 1 -e 'error' -e 'fatal' -e 'denied' <<<"$err" || true)
    [ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' <<<"$err" | tail -n 1 || true)
    [ -n "$line" ] || line="exit status $rc"
    fail "$what: $line"
  fi
}

# require_bool NAME DEFAULT: the variable NAME must be true or false (DEFAULT when unset/empty).
require_bool() {
  local v=${!1:-$2}
  case $v in true | false) printf -v "$1" '%s' "$v" ;; *) fail "$1 must be true or false, not '$(truncate_bytes "$v" 40)'" ;; esac
}

# require_count NAME: the variable NAME must be a non-negative integer (0 when unset/empty).
require_count() {
  local v=${!1:-0}
  [[ $v =~ ^[0-9]{1,6}$ ]] || fail "$1 must be a non-negative integer, not '$(truncate_bytes "$v" 40)'"
  printf -v "$1" '%d' "$((10#$v))"
}

# runway_lock: an exclusive lock on BACKUP_DIR/.runway.lock, held until the script exits, so that a
# backup, a verification and a restore of one policy never use the volume at the same time (a
# CronJob's pod started while the operator's Job runs waits here). Needs flock (util-linux); an image
# without it gets a warning and no lock (the operator still creates its own Jobs one at a time).
runway_lock() {
  local timeout=${RUNWAY_LOCK_TIMEOUT:-3000}
  [[ $timeout =~ ^[0-9]{1,6}$ ]] || fail "RUNWAY_LOCK_TIMEOUT must be a number of seconds"
  if ! command -v flock >/dev/null 2>&1; then
    log "warning: no flock in the image: not locking $BACKUP_DIR"; return 0
  fi
  exec 9>>"$BACKUP_DIR/.runway.lock" || fail "cannot open the lock file $BACKUP_DIR/.runway.lock"
  if ! flock -n 9; then
    log "waiting (up to ${timeout}s) for another backup, verification or restore to release $BACKUP_DIR"
    flock -w "$timeout" 9 || fail "another backup, verification or restore held $BACKUP_DIR for more than ${timeout}s"
  fi
}

# --- clock -----------------------------------------------------------------------------------

RUNWAY_CLOCK_OFFSET=0
clock_init() {
  if [ -n "${RUNWAY_NOW:-}" ]; then
    local then
    then=$(date -u -d "$RUNWAY_NOW" +%s 2>/dev/null) || fail "RUNWAY_NOW is not an ISO-8601 time: '$(truncate_bytes "$RUNWAY_NOW" 40)'"
    RUNWAY_CLOCK_OFFSET=$((then - $(date -u +%s)))
  fi
}
now_epoch() { echo $(($(date -u +%s) + RUNWAY_CLOCK_OFFSET)); }
iso_time() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }    # 2025-01-08T01:00:00Z
name_stamp() { date -u -d "@$1" +%Y%m%dT%H%M%SZ; }      # 20250108T010000Z

# --- manifests -------------------------------------------------------------------------------

# manifest_read FILE: loads a manifest into MANIFEST (bash builtins only: prune reads many).
manifest_read() { MANIFEST=; IFS= read -r -d '' MANIFEST <"$1" || true; }
# manifest_value KEY: sets VALUE to a string member of MANIFEST ("" if absent), for the members
# read back (engine, createdAt, sha256), whose values hold no quotes or backslashes. Inside a JSON
# string every " is escaped, so the pattern "KEY": matches a member's key, never text in a value.
manifest_value() {
  local pattern="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"\\]*)\""
  VALUE=
  if [[ $MANIFEST =~ $pattern ]]; then VALUE=${BASH_REMATCH[1]}; fi
}
# manifest_number KEY: sets VALUE to a non-negative integer member of MANIFEST ("" if absent).
manifest_number() {
  local pattern="\"$1\"[[:space:]]*:[[:space:]]*([0-9]+)"
  VALUE=
  if [[ $MANIFEST =~ $pattern ]]; then VALUE=${BASH_REMATCH[1]}; fi
}
manifest_pinned() { [[ $MANIFEST =~ \"pinned\"[[:space:]]*:[[:space:]]*true ]]; }

# list_backups: one line per backup in BACKUP_DIR, newest first:
# "createdAt<TAB>name<TAB>pinned<TAB>pinnedUntil", pinnedUntil "-" when the pin has no end.
# Manifests that cannot be read are left alone (and never deleted), with a warning.
list_backups() {
  local manifest name created pinned until
  for manifest in "$BACKUP_DIR"/*.pgdump.json "$BACKUP_DIR"/*.sql.gz.json; do
    [ -f "$manifest" ] || continue
    name=${manifest##*/}
    name=${name%.json}
    manifest_read "$manifest"
    manifest_value createdAt
    created=$VALUE
    if ! [[ $created =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]; then
      log "warning: ignoring $manifest: no createdAt like 2025-01-08T01:00:00Z"; continue
    fi
    pinned=false until=-
    if manifest_pinned; then
      pinned=true
      manifest_value pinnedUntil
      if [[ $VALUE =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]; then until=$VALUE; fi
    fi
    printf '%s\t%s\t%s\t%s\n' "$created" "$name" "$pinned" "$until"
  done | LC_ALL=C sort -r
}

# --- engines ---------------------------------------------------------------------------------

# db_init: checks the connection variables and picks the engine's tools. Sets ENGINE (PostgreSQL
# or MySQL) and DUMP_SUFFIX (.pgdump or .sql.gz).
db_init() {
  case ${DB_ENGINE:-} in
    PostgreSQL | postgresql | Postgres | postgres) ENGINE=PostgreSQL DUMP_SUFFIX=.pgdump ;;
    MySQL | mysql | MariaDB | mariadb) ENGINE=MySQL DUMP_SUFFIX=.sql.gz ;;
    *) fail "DB_ENGINE must be PostgreSQL or MySQL, not '$(truncate_bytes "${DB_ENGINE:-}" 40)'" ;;
  esac
  local v
  for v in DB_HOST DB_NAME DB_USER; do [ -n "${!v:-}" ] || fail "$v is not set"; done
  if [ $ENGINE = PostgreSQL ]; then
    export PGHOST=$DB_HOST PGPORT=${DB_PORT:-5432} PGUSER=$DB_USER PGPASSWORD=${DB_PASSWORD:-}
    export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-20} PGCLIENTENCODING=UTF8 PGAPPNAME=runway-$RUNWAY_SCRIPT
    unset PGDATABASE PGSERVICE
  else
    export MYSQL_PWD=${DB_PASSWORD:-}
    MYSQL_CONNECT=(--protocol=TCP "--host=$DB_HOST" "--port=${DB_PORT:-3306}" "--user=$DB_USER"
      --default-character-set=utf8mb4)
    MYSQL=$(command -v mysql || command -v mariadb) || fail "no mysql or mariadb client in the image"
  fi
}

# db_await: waits until the server accepts a connection to DB_NAME. A server that is briefly out of
# reach (restarting, failing over, a pod network still coming up) is asked again every 3 s for
# DB_CONNECT_WAIT seconds, each attempt with a 5 s connect timeout. Any other answer, and the
# last failure once the time is up, are left to the step that meets them, which names them.
db_await() {
  local wait=${DB_CONNECT_WAIT:-60} deadline attempt=1 err
  [[ $wait =~ ^[0-9]{1,4}$ ]] || fail "DB_CONNECT_WAIT must be a number of seconds, not '$(truncate_bytes "$wait" 40)'"
  deadline=$(($(now_epoch) + 10#$wait))
  while ! db_ping >/dev/null 2>"$RUNWAY_WORK/ping.err"; do
    db_out_of_reach "$(cat "$RUNWAY_WORK/ping.err")" || return 0
    err=$(grep -v '^[[:space:]]*$' "$RUNWAY_WORK/ping.err" | head -n 1 || true)
    if [ "$(now_epoch)" -ge "$deadline" ]; then
      log "the database did not answer in ${wait}s ($attempt attempts)"
      return 0
    fi
    log "the database does not answer yet (attempt $attempt): $(redact "$err")"
    attempt=$((attempt + 1))
    sleep 3
  done
  [ "$attempt" -eq 1 ] || log "the database answered at attempt $attempt"
}

# db_ping: one SELECT 1 on DB_NAME with a short connect timeout.
db_ping() {
  if [ $ENGINE = PostgreSQL ]; then
    PGCONNECT_TIMEOUT=5 PGDATABASE=$DB_NAME psql -X -q -A -t --no-password -c 'SELECT 1'
  else
    "$MYSQL" "${MYSQL_CONNECT[@]}" --connect-timeout=5 --batch --skip-column-names -e 'SELECT 1' "$DB_NAME"
  fi
}

# db_retry COMMAND...: runs COMMAND (one client call) and, when it failed before it was connected
# (db_not_connected: nothing ran on the server), up to twice more, 3 s apart: a connection that
# times out or is refused once in a while is not a failed backup. COMMAND's stdout is its own; its
# stderr is passed on after the last attempt.
db_retry() {
  local attempt=1 rc err
  err=$(mktemp "$RUNWAY_WORK/retry.XXXXXX")
  while :; do
    rc=0
    "$@" 2>"$err" || rc=$?
    if [ "$rc" -eq 0 ] || [ "$attempt" -ge 3 ] || ! db_not_connected "$(cat "$err")"; then
      cat "$err" >&2
      rm -f "$err"
      return "$rc"
    fi
    log "the database did not answer: $(redact "$(grep -v '^[[:space:]]*$' "$err" | head -n 1)"); trying again (attempt $((attempt + 1)) of 3)"
    attempt=$((attempt + 1))
    sleep 3
  done
}

# db_not_connected ERROR: whether a client's ERROR means it never got a session (so nothing it was
# asked to do ran): the server was not reached, refused, timed out or was starting.
db_not_connected() {
  case $1 in
    *"timeout expired"* | *"Connection refused"* | *"No route to host"* | *"Network is unreachable"* | \
      *"could not translate host name"* | *"Name or service not known"* | *"Temporary failure in name resolution"* | \
      *"the database system is starting up"* | *"Can't connect to"* | *"Unknown MySQL server host"* | \
      *"Unknown server host"* | *"Connection timed out"* | *"reading initial communication packet"*) return 0 ;;
    *) return 1 ;;
  esac
}

# db_out_of_reach ERROR: whether a client's ERROR line means the server could not be reached (or is
# starting or stopping), as opposed to an answer such as a refused login: db_not_connected, or a
# session the server ended while stopping.
db_out_of_reach() {
  db_not_connected "$1" && return 0
  case $1 in
    *"the database system is shutting down"* | *"the database system is in recovery mode"* | \
      *"server closed the connection unexpectedly"* | *"Lost connection to"* | *"Server shutdown in progress"*) return 0 ;;
    *) return 1 ;;
  esac
}

# db_dump FILE: dumps DB_NAME into FILE.
# db_dump_rows FILE: the rows a dump FILE holds, when that can be read from the dump itself:
# PostgreSQL's custom format, one line per row in each COPY block (COPY escapes newlines in
# values). Prints nothing for MySQL: its dump packs rows into multi-row INSERTs.
db_dump_rows() {
  if [ $ENGINE = PostgreSQL ]; then
    # gawk by name: an image made from the Debian packages has no awk alternative link.
    local awk
    awk=$(command -v gawk || command -v awk) || { echo "error: no awk in the image" >&2; return 127; }
    pg_restore --data-only --file=- "$1" | "$awk" '/^COPY .* FROM stdin;$/ { copy = 1; next }
      copy && $0 == "\\." { copy = 0; next }
      copy { n++ }
      END { print n + 0 }'
  fi
}

db_dump() { db_retry db_dump_once "$@"; }
db_dump_once() {
  if [ $ENGINE = PostgreSQL ]; then
    command -v pg_dump >/dev/null || { echo "error: no pg_dump in the image" >&2; return 127; }
    PGDATABASE=$DB_NAME pg_dump --format=custom --no-password --file="$1"
  else
    local dump
    dump=$(command -v mysqldump || command -v mariadb-dump) || { echo "error: no mysqldump or mariadb-dump in the image" >&2; return 127; }
    # --no-tablespaces: MySQL 8 wants the PROCESS privilege for them; a database dump needs none.
    "$dump" "${MYSQL_CONNECT[@]}" --single-transaction --routines --triggers --no-tablespaces \
      "$DB_NAME" | gzip -c >"$1"
  fi
}

# db_sql DATABASE SQL: runs SQL in DATABASE; prints result rows, tab-separated, without headers.
db_sql() { db_retry db_sql_once "$@"; }
db_sql_once() {
  if [ $ENGINE = PostgreSQL ]; then
    PGDATABASE=$1 psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 --no-password -c "$2"
  else
    "$MYSQL" "${MYSQL_CONNECT[@]}" --connect-timeout=20 --batch --skip-column-names -e "$2" "$1"
  fi
}

# db_quote NAME: NAME as an identifier (callers only pass names made of [a-z0-9_]).
db_quote() { if [ $ENGINE = PostgreSQL ]; then printf '"%s"' "$1"; else printf '`%s`' "$1"; fi; }

# db_create NAME / db_drop NAME: an empty database NAME, made and dropped over a connection to DB_NAME.
db_create() {
  if [ $ENGINE = PostgreSQL ]; then
    db_sql "$DB_NAME" "CREATE DATABASE $(db_quote "$1") TEMPLATE template0"
  else
    db_sql "$DB_NAME" "CREATE DATABASE $(db_quote "$1") CHARACTER SET utf8mb4"
  fi
}
db_drop() { db_sql "$DB_NAME" "DROP DATABASE IF EXISTS $(db_quote "$1")"; }

# db_restore FILE DATABASE: loads a dump made by db_dump into the (empty) DATABASE.
db_restore() { db_retry db_restore_once "$@"; }
db_restore_once() {
  if [ $ENGINE = PostgreSQL ]; then
    pg_restore --no-password --dbname="$2" --no-owner --no-privileges --exit-on-error --single-transaction "$1"
  else
    gzip -dc "$1" | "$MYSQL" "${MYSQL_CONNECT[@]}" --connect-timeout=20 --batch "$2"
  fi
}

# db_count_named NAME: 1 when the database NAME exists, else 0 (asked over a connection to DB_NAME).
db_count_named() {
  if [ $ENGINE = PostgreSQL ]; then
    db_sql "$DB_NAME" "SELECT count(*) FROM pg_catalog.pg_database WHERE datname = '$1'"
  else
    db_sql "$DB_NAME" "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$1'"
  fi
}

# db_count_rows DATABASE: "<tables><TAB><rows>": the user tables of DATABASE and the exact number of
# rows in all of them (count(*) per table, not the planner's estimate).
db_count_rows() {
  if [ $ENGINE = PostgreSQL ]; then
    db_sql "$1" "SELECT count(*), coalesce(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
        n.nspname, c.relname), false, true, '')))[1]::text::bigint), 0)
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'"
  else
    local query
    query=$(db_sql "$1" "SET SESSION group_concat_max_len = 16777216;
      SELECT CONCAT('SELECT ', COUNT(*), ', 0', COALESCE(GROUP_CONCAT(CONCAT(' + (SELECT COUNT(*) FROM \`',
        REPLACE(TABLE_NAME, '\`', '\`\`'), '\`)') SEPARATOR ''), ''))
      FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$1' AND TABLE_TYPE = 'BASE TABLE'") || return
    db_sql "$1" "$query"
  fi
}

# db_restore_in_place FILE: replaces everything in DB_NAME by the dump FILE.
# PostgreSQL: one transaction drops every user schema of DB_NAME and loads the dump; if anything
# fails, the transaction rolls back and DB_NAME is as it was. MySQL has no transactional DDL: the
# caller proves the dump restores (into a scratch database) first, then this drops the tables,
# views and routines of DB_NAME and loads the dump.
db_restore_in_place() {
  if [ $ENGINE = PostgreSQL ]; then
    {
      printf '%s\n' "DO \$runway\$ DECLARE s text; BEGIN
        FOR s IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema')
            AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%' LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s);
        END LOOP; END \$runway\$;"
      # The dump re-creates the schemas it holds except public, which every database starts with.
      printf '%s\n' "CREATE SCHEMA public;"
      pg_restore --no-owner --no-privileges --file=- "$1"
    } | PGDATABASE=$DB_NAME psql -X -q -v ON_ERROR_STOP=1 --no-password --single-transaction >/dev/null
  else
    local drops
    drops=$(db_sql "$DB_NAME" "SELECT CONCAT('DROP ', IF(TABLE_TYPE = 'VIEW', 'VIEW', 'TABLE'), ' IF EXISTS \`',
        REPLACE(TABLE_NAME, '\`', '\`\`'), '\`;') FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$DB_NAME'
      UNION ALL SELECT CONCAT('DROP ', ROUTINE_TYPE, ' IF EXISTS \`', REPLACE(ROUTINE_NAME, '\`', '\`\`'), '\`;')
        FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '$DB_NAME'") || return
    db_sql "$DB_NAME" "SET FOREIGN_KEY_CHECKS = 0; $drops" >/dev/null || return
    db_restore "$1" "$DB_NAME"
  fi
}

# db_count_tables DATABASE: the number of user tables in DATABASE (not views, not system tables;
# a partitioned PostgreSQL table counts once, not once per partition).
db_count_tables() {
  if [ $ENGINE = PostgreSQL ]; then
    db_sql "$1" "SELECT count(*) FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'"
  else
    db_sql "$1" "SELECT COUNT(*) FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = '$1' AND TABLE_TYPE = 'BASE TABLE'"
  fi
}
