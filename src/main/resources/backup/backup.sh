#!/usr/bin/env bash
# Backs up DB_NAME into BACKUP_DIR: a dump, written under a temporary name and renamed when
# complete, then its manifest <dump>.json; then prunes (unless BACKUP_PRUNE=false).
# Environment: see lib.sh. Result, on stdout and in TERMINATION_LOG, one JSON line:
#   {"result":"Succeeded","name":"20250108T010000Z.pgdump","completedAt":"2025-01-08T01:00:03Z",
#    "sizeBytes":1234,"sha256":"<hex>","durationSeconds":3,"pinned":false,"backups":7,"pruned":1,
#    "pins":[{"name":"20250101T010000Z.pgdump","until":"2025-01-08T01:00:00Z"}]}
#   {"result":"Failed","message":"<why>"} and exit 1; no dump of this run is left behind.
# "backups" counts the backups in BACKUP_DIR after the prune (pinned ones too); "pruned" how many
# the prune deleted; "pins" the pinned backups after the prune, newest first, at most 10 ("until"
# null: pinned without end). BACKUP_PIN_UNTIL (RFC 3339, UTC) ends this backup's pin then: after
# it the backup returns to the retention rules (see prune.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runway_init backup true
db_init
db_await
require_bool BACKUP_PIN false
require_bool BACKUP_PRUNE true
pin_until=${BACKUP_PIN_UNTIL:-}
if [ -n "$pin_until" ] && ! [[ $pin_until =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]; then
  fail "BACKUP_PIN_UNTIL must be a UTC time like 2025-01-08T01:00:00Z"
fi

step "preparing $BACKUP_DIR"
mkdir -p -- "$BACKUP_DIR" 2>/dev/null || fail "cannot create BACKUP_DIR $BACKUP_DIR"
[ -w "$BACKUP_DIR" ] || fail "BACKUP_DIR $BACKUP_DIR is not writable"
runway_lock

started=$(now_epoch)
created_at=$(iso_time "$started")
name=$(name_stamp "$started")$DUMP_SUFFIX
dump=$BACKUP_DIR/$name
manifest=$dump.json
partial=$BACKUP_DIR/.$name.partial
if [ -e "$dump" ] || [ -e "$manifest" ]; then fail "a backup named $name already exists"; fi

# Until the manifest is in place, a failure removes everything this run wrote.
committed=false
discard() { rm -f -- "$partial" "$manifest.partial"; [ "$committed" = true ] || rm -f -- "$dump"; }
on_exit discard

step "dumping $ENGINE database $DB_NAME from $DB_HOST into $name"
run "dump of $DB_NAME failed" db_dump "$partial"
[ -s "$partial" ] || fail "the dump of $DB_NAME is empty"
sync -- "$partial" 2>/dev/null || true

dumped_rows=
if [ $ENGINE = PostgreSQL ]; then
  step "counting the rows in the dump"
  run "cannot read the rows back from the dump of $DB_NAME" db_dump_rows "$partial"
  dumped_rows=$RUN_OUT
  [[ $dumped_rows =~ ^[0-9]+$ ]] || fail "unexpected row count from the dump of $DB_NAME"
fi
size=$(stat -c %s -- "$partial")
sha=$(sha256sum -- "$partial" | cut -d ' ' -f 1)
mv -f -- "$partial" "$dump"

finished=$(now_epoch)
completed_at=$(iso_time "$finished")
duration=$((finished - started))
step "writing the manifest $name.json"
{
  printf '{\n'
  printf '  "name": %s,\n' "$(json_str "$name")"
  printf '  "engine": %s,\n' "$(json_str "$ENGINE")"
  printf '  "database": %s,\n' "$(json_str "$DB_NAME")"
  printf '  "createdAt": %s,\n' "$(json_str "$created_at")"
  printf '  "completedAt": %s,\n' "$(json_str "$completed_at")"
  printf '  "sizeBytes": %d,\n' "$size"
  printf '  "sha256": %s,\n' "$(json_str "$sha")"
  printf '  "durationSeconds": %d,\n' "$duration"
  if [ -n "$dumped_rows" ]; then printf '  "rows": %d,\n' "$dumped_rows"; fi
  printf '  "pinned": %s,\n' "$BACKUP_PIN"
  if [ "$BACKUP_PIN" = true ] && [ -n "$pin_until" ]; then printf '  "pinnedUntil": %s,\n' "$(json_str "$pin_until")"; fi
  printf '  "reason": %s\n' "$(json_str_or_null "${BACKUP_REASON:-}")"
  printf '}\n'
} >"$manifest.partial"
mv -f -- "$manifest.partial" "$manifest"
committed=true
log "backup $name: $size bytes, sha256 $sha, ${duration}s"

if [ "$BACKUP_PRUNE" = true ]; then
  step "pruning"
  run "backup $name is complete, but pruning failed" bash "$RUNWAY_LIB_DIR/prune.sh"
  summary=$(tail -n 1 <<<"$RUN_OUT")
  head -n -1 <<<"$RUN_OUT" >&2
  backups=$(sed -n 's/.*"backups":\([0-9]*\).*/\1/p' <<<"$summary")
  pruned=$(sed -n 's/.*"pruned":\([0-9]*\).*/\1/p' <<<"$summary")
  if [ -z "$backups" ] || [ -z "$pruned" ]; then fail "backup $name is complete, but prune.sh gave no summary"; fi
else
  backups=$(list_backups | wc -l)
  pruned=0
fi
# The pins that remain, newest first (bounded: the result must fit a termination message).
pins=() shown=0 now_stamp=$(iso_time "$(now_epoch)")
while IFS=$'\t' read -r _ pin_name pinned until; do
  [ "$pinned" = true ] || continue
  # An ended pin is no pin any more, except on the newest pinned backup (prune.sh keeps that one).
  if [ "$shown" -gt 0 ] && [ "$until" != - ] && [[ $until < $now_stamp ]]; then continue; fi
  [ "$shown" -lt 10 ] || break
  shown=$((shown + 1))
  if [ "$until" = - ]; then until_json=null; else until_json=$(json_str "$until"); fi
  pins+=("{\"name\":$(json_str "$pin_name"),\"until\":$until_json}")
done <<<"$(list_backups)"
pins_json=$(IFS=,; printf '%s' "${pins[*]}")

emit "{\"result\":\"Succeeded\",\"name\":$(json_str "$name"),\"completedAt\":$(json_str "$completed_at"),\"sizeBytes\":$size,\"sha256\":$(json_str "$sha"),\"durationSeconds\":$duration,\"pinned\":$BACKUP_PIN,\"backups\":$backups,\"pruned\":$pruned,\"pins\":[$pins_json]}"
