#!/usr/bin/env bash
# Restores a backup of DB_ENGINE from BACKUP_DIR: RESTORE_BACKUP (a dump file name) or, when empty
# or "latest", the newest (in place: the newest other than the safety backup). The backup's sha256 is checked against its manifest before anything is written.
#
#   into a new database (RESTORE_TARGET): the database must not exist yet; it is created and the
#     dump loaded in one transaction (PostgreSQL) — if the restore fails, the new database is
#     dropped again, so there is never a half-restored target;
#   in place (RESTORE_IN_PLACE=true): only with RESTORE_REPLACE_EXISTING_DATA=true and the name of
#     a backup of DB_NAME taken just before (RESTORE_SAFETY_BACKUP), which must be on BACKUP_DIR.
#     PostgreSQL: dropping the old schemas and loading the dump is one transaction. MySQL: the dump
#     is first restored into a scratch database (proving it loads), then DB_NAME is emptied and
#     loaded.
#
# Then the restored database's user tables and their rows are counted (count(*), exact).
# Environment: see lib.sh. Result, on stdout and in TERMINATION_LOG, one JSON line:
#   {"result":"Succeeded","backup":"20250108T010000Z.pgdump","sha256":"<hex>","target":"shop_restored",
#    "inPlace":false,"tables":3,"rows":7503,"durationSeconds":4,"startedAt":"...","completedAt":"..."}
#   {"result":"Failed","backup":<name or null>,"target":<name or null>,"field":<the Restore field at
#    fault, or null>,"message":"<why>"} and exit 1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runway_init restore true
RUNWAY_FAIL_FIELDS='"backup":null,"target":null,"field":null,'
db_init
db_await
require_bool RESTORE_IN_PLACE false
require_bool RESTORE_REPLACE_EXISTING_DATA false
started=$(now_epoch)

# fail_on FIELD MESSAGE: fails naming the Restore field whose value is at fault.
backup_json=null target_json=null
fail_on() {
  RUNWAY_FAIL_FIELDS="\"backup\":$backup_json,\"target\":$target_json,\"field\":$(json_str "$1"),"
  fail "$2"
}
set_fail_fields() { RUNWAY_FAIL_FIELDS="\"backup\":$backup_json,\"target\":$target_json,\"field\":null,"; }

step "checking the target"
if [ "$RESTORE_IN_PLACE" = true ]; then
  [ "$RESTORE_REPLACE_EXISTING_DATA" = true ] ||
    fail_on spec.target.replaceExistingData "an in-place restore replaces the data of $DB_NAME: it runs only with spec.target.replaceExistingData: true"
  target=$DB_NAME
else
  target=${RESTORE_TARGET:-}
  [[ $target =~ ^[a-z_][a-z0-9_]{0,62}$ ]] ||
    fail_on spec.target.database "the target database must be a name of lower-case letters, digits and _ (at most 63), not '$(truncate_bytes "$target" 70)'"
  [ "$target" != "$DB_NAME" ] ||
    fail_on spec.target.database "the target database $target is the policy's own database: restore in place with spec.target.inPlace and spec.target.replaceExistingData instead"
fi
target_json=$(json_str "$target")
set_fail_fields

runway_lock

step "choosing the backup"
if [ -n "${RESTORE_BACKUP:-}" ] && [ "$RESTORE_BACKUP" != latest ]; then
  name=${RESTORE_BACKUP%.json}
  backup_json=$(json_str "$(truncate_bytes "$name" 200)")
  case $name in
    */* | .* | '') fail_on spec.backup.name "spec.backup.name must be the file name of a backup, e.g. 20250108T010000Z$DUMP_SUFFIX" ;;
  esac
  [ -f "$BACKUP_DIR/$name.json" ] || fail_on spec.backup.name "no backup $name on the policy's volume (no manifest $name.json)"
else
  name=
  # The newest backup; in place, the newest before the safety backup just taken (restoring that
  # would change nothing).
  while IFS=$'\t' read -r _ candidate _; do
    if [[ $candidate == *"$DUMP_SUFFIX" ]] && [ "$candidate" != "${RESTORE_SAFETY_BACKUP:-}" ]; then name=$candidate; break; fi
  done <<<"$(list_backups)"
  [ -n "$name" ] || fail_on spec.backup "no $ENGINE backup on the policy's volume yet"
fi
backup_json=$(json_str "$name")
set_fail_fields
dump=$BACKUP_DIR/$name
log "backup $name"

step "checking the sha256 of $name"
manifest_read "$dump.json"
manifest_value engine
[ "$VALUE" = "$ENGINE" ] || fail_on spec.backup "backup $name was made by ${VALUE:-an unknown engine}, not $ENGINE"
[ -f "$dump" ] || fail "the dump file $name is missing (its manifest is there)"
manifest_value sha256
expected=$VALUE
[ -n "$expected" ] || fail "the manifest of $name has no sha256"
sha=$(sha256sum -- "$dump" | cut -d ' ' -f 1)
[ "$sha" = "$expected" ] || fail "checksum mismatch: $name has sha256 $sha, its manifest says $expected; nothing was restored"

if [ "$RESTORE_IN_PLACE" = true ]; then
  step "checking the safety backup"
  safety=${RESTORE_SAFETY_BACKUP:-}
  case $safety in
    '' | */* | .*) fail "an in-place restore needs RESTORE_SAFETY_BACKUP, the backup of $DB_NAME taken just before" ;;
  esac
  [ -f "$BACKUP_DIR/$safety.json" ] && [ -f "$BACKUP_DIR/$safety" ] ||
    fail "the safety backup $safety of $DB_NAME is not on the volume: not replacing data without it"
  [ "$safety" != "$name" ] || fail_on spec.backup "the backup to restore is the safety backup just taken: nothing would change"

  if [ $ENGINE = MySQL ]; then
    scratch=runway_restore_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
    scratch_made=false
    drop_scratch() {
      [ "$scratch_made" = true ] || return 0
      scratch_made=false
      db_drop "$scratch" >/dev/null 2>"$RUNWAY_WORK/drop.err" ||
        log "warning: could not drop the scratch database $scratch: $(redact "$(tail -n 1 "$RUNWAY_WORK/drop.err")")"
    }
    on_exit drop_scratch
    step "proving $name loads, in the scratch database $scratch"
    run "cannot create the scratch database $scratch" db_create "$scratch"
    scratch_made=true
    run "restore of $name into the scratch database failed; $DB_NAME is untouched" db_restore "$dump" "$scratch"
    drop_scratch
  fi
  step "replacing the data of $DB_NAME with $name (safety backup: $safety)"
  run "in-place restore of $name into $DB_NAME failed" db_restore_in_place "$dump"
else
  step "creating the database $target"
  run "cannot check whether $target exists" db_count_named "$target"
  if [ "$RUN_OUT" != 0 ]; then
    fail_on spec.target.database "database $target already exists: choose another spec.target.database (or drop it); a restore never overwrites a database unless it is in place with spec.target.replaceExistingData"
  fi
  run "cannot create the database $target" db_create "$target"
  made=true
  drop_target() {
    [ "$made" = true ] || return 0
    log "dropping the half-restored database $target"
    db_drop "$target" >/dev/null 2>"$RUNWAY_WORK/drop.err" ||
      log "warning: could not drop $target: $(redact "$(tail -n 1 "$RUNWAY_WORK/drop.err")")"
  }
  on_exit drop_target
  step "restoring $name into $target"
  run "restore of $name into $target failed; $target was dropped again" db_restore "$dump" "$target"
fi

step "counting the restored tables and rows"
run "cannot count the rows of $target" db_count_rows "$target"
IFS=$'\t' read -r tables rows <<<"$RUN_OUT"
[[ $tables =~ ^[0-9]+$ && $rows =~ ^[0-9]+$ ]] || fail "unexpected counts from $target"
made=false

finished=$(now_epoch)
log "restored $name into $target: $tables tables, $rows rows, $((finished - started))s"
emit "{\"result\":\"Succeeded\",\"backup\":$backup_json,\"sha256\":$(json_str "$sha"),\"target\":$target_json,\"inPlace\":$RESTORE_IN_PLACE,\"tables\":$tables,\"rows\":$rows,\"durationSeconds\":$((finished - started)),\"startedAt\":$(json_str "$(iso_time "$started")"),\"completedAt\":$(json_str "$(iso_time "$finished")")}"
