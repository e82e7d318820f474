#!/usr/bin/env bash
# Proves a backup restores: the newest backup of DB_ENGINE in BACKUP_DIR (or VERIFY_BACKUP, a dump
# file name) is checked against its manifest's sha256 first, then restored into a scratch database
# runway_verify_<random> on the same server, which must then hold at least one user table. The
# scratch database is dropped afterwards, whatever happened.
# Environment: see lib.sh. Result, on stdout and in TERMINATION_LOG, one JSON line:
#   {"result":"Passed","backup":"20250108T010000Z.pgdump","tables":3,"rows":7503,"durationSeconds":4,
#    "completedAt":"2025-01-08T01:02:00Z"}   (rows: exact count over all user tables; durationSeconds:
#    checksum, restore and count, the measured restore time of this backup)
#   {"result":"Failed","backup":"<name, or null if none was found>","message":"<why>"} and exit 1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runway_init verify true
RUNWAY_FAIL_FIELDS='"backup":null,'
db_init
db_await
runway_lock

step "choosing the backup"
# The operator's verification Jobs say VERIFY_BACKUP=latest: the same as unset.
if [ -n "${VERIFY_BACKUP:-}" ] && [ "$VERIFY_BACKUP" != latest ]; then
  name=${VERIFY_BACKUP%.json}
  RUNWAY_FAIL_FIELDS="\"backup\":$(json_str "$(truncate_bytes "$name" 200)"),"
  case $name in
    */* | .* | '') fail "VERIFY_BACKUP must be the file name of a backup in BACKUP_DIR" ;;
  esac
  [ -f "$BACKUP_DIR/$name.json" ] || fail "no backup $name in $BACKUP_DIR (no manifest $name.json)"
else
  name=
  while IFS=$'\t' read -r _ candidate _; do
    if [[ $candidate == *"$DUMP_SUFFIX" ]]; then name=$candidate; break; fi
  done <<<"$(list_backups)"
  [ -n "$name" ] || fail "no $ENGINE backup in $BACKUP_DIR"
fi
RUNWAY_FAIL_FIELDS="\"backup\":$(json_str "$name"),"
dump=$BACKUP_DIR/$name
manifest=$dump.json
log "backup $name"

step "checking the sha256 of $name"
started=$(now_epoch)
manifest_read "$manifest"
manifest_value engine
engine=$VALUE
[ "$engine" = "$ENGINE" ] || fail "backup $name was made by ${engine:-an unknown engine}, not $ENGINE"
[ -f "$dump" ] || fail "the dump file $name is missing"
manifest_value sha256
expected=$VALUE
[ -n "$expected" ] || fail "the manifest of $name has no sha256"
actual=$(sha256sum -- "$dump" | cut -d ' ' -f 1)
[ "$actual" = "$expected" ] || fail "checksum mismatch: $name has sha256 $actual, its manifest says $expected"

scratch=runway_verify_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
scratch_made=false
drop_scratch() {
  [ "$scratch_made" = true ] || return 0
  scratch_made=false
  log "dropping the scratch database $scratch"
  if ! db_drop "$scratch" >/dev/null 2>"$RUNWAY_WORK/drop.err"; then
    log "warning: could not drop the scratch database $scratch: $(redact "$(tail -n 1 "$RUNWAY_WORK/drop.err")")"
  fi
}
on_exit drop_scratch

step "creating the scratch database $scratch"
run "cannot create the scratch database $scratch" db_create "$scratch"
scratch_made=true

step "restoring $name into $scratch"
run "restore of $name failed" db_restore "$dump" "$scratch"

step "counting the restored tables and rows"
run "cannot count the rows of $scratch" db_count_rows "$scratch"
IFS=$'\t' read -r tables rows <<<"$RUN_OUT"
[[ $tables =~ ^[0-9]+$ && $rows =~ ^[0-9]+$ ]] || fail "unexpected counts from $scratch"
[ "$tables" -gt 0 ] || fail "backup $name restored, but holds no tables"
# The manifest's row count (PostgreSQL: read from the dump when it was written) must be what came back.
manifest_number rows
dumped=$VALUE checked=
if [ -n "$dumped" ]; then
  [ "$rows" -eq "$dumped" ] || fail "backup $name restored $rows rows, but its manifest says $dumped rows were dumped"
  checked=",\"dumpedRows\":$dumped"
fi
restored=$(now_epoch)

drop_scratch
# durationSeconds: from the checksum check to the rows counted, the time a restore of this backup takes (its RTO).
emit "{\"result\":\"Passed\",\"backup\":$(json_str "$name"),\"tables\":$tables,\"rows\":$rows$checked,\"durationSeconds\":$((restored - started)),\"completedAt\":$(json_str "$(iso_time "$(now_epoch)")")}"
