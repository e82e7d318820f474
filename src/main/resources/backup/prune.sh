#!/usr/bin/env bash
# Deletes the backups in BACKUP_DIR that no retention rule keeps (grandfather-father-son).
#
# The rules, exactly:
#   - Only unpinned backups take part. A pinned backup (manifest "pinned": true) is never deleted,
#     and is invisible to the rules: it neither fills a keepLast slot nor stands for its day, week
#     or month.
#   - A pin may end (manifest "pinnedUntil", e.g. a pre-migration backup's rollback window). A pin
#     that ended before PRUNE_NOW (default: the clock) no longer counts: that backup takes part in
#     the rules like any other. Except the newest pinned backup: it stays pinned, ended or not (it
#     is the restore point of the newest migration, the one the running image made).
#   - A backup's time is its manifest's createdAt (UTC). Newest first means by createdAt, then by
#     name, descending.
#   - RETENTION_KEEP_LAST=N keeps the N newest backups.
#   - RETENTION_KEEP_DAILY=N: walk the backups newest first; the first backup met on a calendar
#     day (UTC) not met before is that day's newest and is kept, until N distinct days have been
#     met. So: the newest backup of each of the N most recent days that have backups; days without
#     backups are skipped, not counted (N counts days with backups, not days of the calendar).
#   - RETENTION_KEEP_WEEKLY=N: the same with ISO-8601 weeks (Monday to Sunday, UTC; the week-year,
#     so 2024-12-30 is in 2025-W01).
#   - RETENTION_KEEP_MONTHLY=N: the same with calendar months (UTC).
#   - Each rule looks at all unpinned backups on its own; a backup kept by any rule stays (a backup
#     kept by one rule still stands for its period in the others). Everything else is deleted:
#     the dump first, then its manifest.
#   - A rule with N=0 is off. When all four are 0 nothing is deleted.
#   - Manifests that cannot be read, and files without a manifest, are never touched.
# Apart from ended pins, the rules do not read the clock: the result depends only on the backups present.
#
# PRUNE_DRY_RUN=true prints "would delete NAME" lines and deletes nothing; otherwise "deleted NAME".
# Environment: see lib.sh. Last line on stdout, one JSON line:
#   {"result":"Pruned","dryRun":false,"backups":9,"pinned":2,"kept":7,"pruned":3,"deleted":["..."],"unpinned":["..."]}
# ("backups": how many remain, or would remain, pinned included; "kept": unpinned ones kept;
# "unpinned": backups whose pin ended and that took part in the rules), or
#   {"result":"Failed","message":"<why>"} and exit 1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runway_init prune false
for rule in RETENTION_KEEP_LAST RETENTION_KEEP_DAILY RETENTION_KEEP_WEEKLY RETENTION_KEEP_MONTHLY; do
  require_count "$rule"
done
require_bool PRUNE_DRY_RUN false
prune_now=${PRUNE_NOW:-$(iso_time "$(now_epoch)")}
[[ $prune_now =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || fail "PRUNE_NOW must be a UTC time like 2025-01-08T01:00:00Z"
[ -d "$BACKUP_DIR" ] || fail "BACKUP_DIR $BACKUP_DIR does not exist"

step "reading the manifests in $BACKUP_DIR"
listing=$(list_backups)
names=() created=() pinned_count=0 newest_pin_seen=false unpinned=()
while IFS=$'\t' read -r at name pinned until; do
  [ -n "$name" ] || continue
  if [ "$pinned" = true ] && { [ "$newest_pin_seen" = false ] || [ "$until" = - ] || [[ ! $until < $prune_now ]]; }; then
    newest_pin_seen=true
    pinned_count=$((pinned_count + 1))
  else
    if [ "$pinned" = true ]; then
      log "the pin of $name ended at $until: it takes part in the retention rules"
      json_escape_into escaped "$name"
      unpinned+=("\"$escaped\"")
    fi
    names+=("$name") created+=("$at")
  fi
done <<<"$listing"
count=${#names[@]}

# keep[i]=1: the rules keep names[i] (names are newest first).
declare -A keep=()
# keep_one_per_period N PERIOD...: PERIOD[i] is the period of names[i]; keeps the first (newest)
# backup of each of the first N distinct periods.
keep_one_per_period() {
  local n=$1 i seen_count=0
  shift
  local periods=("$@")
  declare -A seen=()
  for ((i = 0; i < count && seen_count < n; i++)); do
    if [ -z "${seen[${periods[i]}]:-}" ]; then
      seen[${periods[i]}]=1
      seen_count=$((seen_count + 1))
      keep[$i]=1
    fi
  done
}

rules_on=$((RETENTION_KEEP_LAST + RETENTION_KEEP_DAILY + RETENTION_KEEP_WEEKLY + RETENTION_KEEP_MONTHLY))
if [ "$rules_on" -eq 0 ]; then
  log "no retention rule is set (all RETENTION_KEEP_* are 0): nothing is deleted"
  for ((i = 0; i < count; i++)); do keep[$i]=1; done
elif [ "$count" -gt 0 ]; then
  for ((i = 0; i < count && i < RETENTION_KEEP_LAST; i++)); do keep[$i]=1; done
  days=() months=() weeks=()
  for at in "${created[@]}"; do days+=("${at:0:10}") months+=("${at:0:7}"); done
  # One date(1) for all the ISO weeks (%G: ISO week-year, %V: ISO week number).
  mapfile -t weeks < <(printf '%s\n' "${created[@]}" | date -u -f - +%G-W%V)
  [ ${#weeks[@]} -eq "$count" ] || fail "could not compute the ISO weeks of the backups"
  if [ "$RETENTION_KEEP_DAILY" -gt 0 ]; then keep_one_per_period "$RETENTION_KEEP_DAILY" "${days[@]}"; fi
  if [ "$RETENTION_KEEP_WEEKLY" -gt 0 ]; then keep_one_per_period "$RETENTION_KEEP_WEEKLY" "${weeks[@]}"; fi
  if [ "$RETENTION_KEEP_MONTHLY" -gt 0 ]; then keep_one_per_period "$RETENTION_KEEP_MONTHLY" "${months[@]}"; fi
fi

deleted=()
for ((i = 0; i < count; i++)); do
  [ -n "${keep[$i]:-}" ] && continue
  name=${names[i]}
  if [ "$PRUNE_DRY_RUN" = true ]; then
    echo "would delete $name"
  else
    step "deleting $name"
    rm -f -- "$BACKUP_DIR/$name"
    rm -f -- "$BACKUP_DIR/$name.json"
    echo "deleted $name"
  fi
  json_escape_into escaped "$name"
  deleted+=("\"$escaped\"")
done

kept=$((count - ${#deleted[@]}))
list=$(IFS=,; printf '%s' "${deleted[*]}")
ended=$(IFS=,; printf '%s' "${unpinned[*]}")
emit "{\"result\":\"Pruned\",\"dryRun\":$PRUNE_DRY_RUN,\"backups\":$((kept + pinned_count)),\"pinned\":$pinned_count,\"kept\":$kept,\"pruned\":${#deleted[@]},\"deleted\":[$list],\"unpinned\":[$ended]}"
