package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.operator.testing.Tiers;

/** prune.sh's grandfather-father-son retention over synthetic backups (fake dumps, real manifests). */
@Tag(Tiers.UNIT)
class RetentionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** prune.sh's rules do not read the clock; the fixed "now" is set to show the result does not depend on it. */
    static final String NOW = "2025-01-08T03:00:00Z";

    record Backup(String name, Instant createdAt, boolean pinned) {
    }

    /**
     * 120 daily backups at 01:00Z, 2024-09-11 to 2025-01-08 (a Wednesday), and two pinned ones older
     * than all of them.
     */
    static List<Backup> calendar(Path dir) throws IOException {
        List<Backup> backups = new ArrayList<>();
        LocalDate first = LocalDate.parse("2024-09-11");
        for (int day = 0; day < 120; day++) {
            backups.add(write(dir, first.plusDays(day).atTime(1, 0).toInstant(ZoneOffset.UTC), false));
        }
        assertThat(backups.get(119).createdAt()).isEqualTo(Instant.parse("2025-01-08T01:00:00Z"));
        backups.add(write(dir, Instant.parse("2024-03-01T01:00:00Z"), true));
        backups.add(write(dir, Instant.parse("2024-06-15T01:00:00Z"), true));
        return backups;
    }

    static Backup write(Path dir, Instant createdAt, boolean pinned) throws IOException {
        String name = STAMP.format(createdAt) + ".pgdump";
        Files.writeString(dir.resolve(name), "fake dump " + name);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", name);
        manifest.put("engine", "PostgreSQL");
        manifest.put("database", "shop");
        manifest.put("createdAt", createdAt.toString());
        manifest.put("completedAt", createdAt.plusSeconds(42).toString());
        manifest.put("sizeBytes", Files.size(dir.resolve(name)));
        manifest.put("sha256", "0".repeat(64));
        manifest.put("durationSeconds", 42);
        manifest.put("pinned", pinned);
        // An unpinned manifest whose reason mentions "pinned": true must still count as unpinned.
        manifest.put("reason", pinned ? "pre-migration shop-api-2-0-0" : "nightly, not \"pinned\": true");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".json").toFile(), manifest);
        return new Backup(name, createdAt, pinned);
    }

    /**
     * The names that survive, computed here from the rules as prune.sh documents them: pinned ones
     * always; of the others (newest first), the first LAST, and for days, ISO weeks and months the
     * newest backup of each of the first N distinct periods met.
     */
    static Set<String> expectedSurvivors(List<Backup> all, int last, int daily, int weekly, int monthly) {
        List<Backup> unpinned = all.stream().filter(b -> !b.pinned())
                .sorted(Comparator.comparing(Backup::createdAt).thenComparing(Backup::name).reversed()).toList();
        Set<String> keep = new HashSet<>();
        all.stream().filter(Backup::pinned).forEach(b -> keep.add(b.name()));
        unpinned.stream().limit(last).forEach(b -> keep.add(b.name()));
        Function<Backup, LocalDate> date = b -> LocalDate.ofInstant(b.createdAt(), ZoneOffset.UTC);
        keepNewestPerPeriod(unpinned, daily, date::apply, keep);
        keepNewestPerPeriod(unpinned, weekly,
                b -> date.apply(b).get(IsoFields.WEEK_BASED_YEAR) + "-W" + date.apply(b).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), keep);
        keepNewestPerPeriod(unpinned, monthly, b -> YearMonth.from(date.apply(b)), keep);
        return keep;
    }

    static void keepNewestPerPeriod(List<Backup> newestFirst, int n, Function<Backup, Object> period, Set<String> keep) {
        Set<Object> seen = new HashSet<>();
        for (Backup b : newestFirst) {
            if (seen.size() == n) {
                break;
            }
            if (seen.add(period.apply(b))) {
                keep.add(b.name());
            }
        }
    }

    static Map<String, String> env(Path dir, int last, int daily, int weekly, int monthly) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BACKUP_DIR", dir.toString());
        env.put("RUNWAY_NOW", NOW);
        env.put("RETENTION_KEEP_LAST", Integer.toString(last));
        env.put("RETENTION_KEEP_DAILY", Integer.toString(daily));
        env.put("RETENTION_KEEP_WEEKLY", Integer.toString(weekly));
        env.put("RETENTION_KEEP_MONTHLY", Integer.toString(monthly));
        return env;
    }

    static Set<String> withManifests(Set<String> names) {
        Set<String> files = new TreeSet<>(names);
        names.forEach(n -> files.add(n + ".json"));
        return files;
    }

    static Set<String> names(JsonNode array) {
        Set<String> names = new TreeSet<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    void grandfatherFatherSonKeepsExactlyTheExpectedBackups(@TempDir Path dir) throws Exception {
        List<Backup> all = calendar(dir);
        Processes.Result prune = Processes.script("prune.sh", env(dir, 3, 7, 4, 6));
        assertThat(prune.exitCode()).as("prune.sh: %s", prune).isZero();

        Set<String> expected = expectedSurvivors(all, 3, 7, 4, 6);
        assertThat(BackupScriptsContract.listing(dir)).isEqualTo(withManifests(expected));

        // Worked out by hand. Unpinned survivors, 13:
        //   keepDaily=7:   2025-01-02 .. 2025-01-08 (which covers keepLast=3: 01-06, 01-07, 01-08)
        //   keepWeekly=4:  2025-W02 -> 01-08, 2025-W01 (Mon 2024-12-30 .. Sun 2025-01-05) -> 01-05,
        //                  2024-W52 -> Sun 2024-12-29, 2024-W51 -> Sun 2024-12-22
        //   keepMonthly=6: only five months have backups: 2025-01 -> 01-08, 2024-12 -> 12-31,
        //                  2024-11 -> 11-30, 2024-10 -> 10-31, 2024-09 -> 09-30
        // 2024-12-30 and 2025-01-01 go: they are in 2025-W01, whose newest is 01-05. Had weeks been
        // keyed by calendar year (%Y-W%V), 12-30/12-31 would form a week of their own, filling the
        // fourth weekly slot, and 2024-12-22 would have been deleted.
        Set<String> byHand = new TreeSet<>(List.of("20250102T010000Z.pgdump", "20250103T010000Z.pgdump",
                "20250104T010000Z.pgdump", "20250105T010000Z.pgdump", "20250106T010000Z.pgdump",
                "20250107T010000Z.pgdump", "20250108T010000Z.pgdump", "20241229T010000Z.pgdump",
                "20241222T010000Z.pgdump", "20241231T010000Z.pgdump", "20241130T010000Z.pgdump",
                "20241031T010000Z.pgdump", "20240930T010000Z.pgdump",
                "20240301T010000Z.pgdump", "20240615T010000Z.pgdump"));
        assertThat(expected).isEqualTo(byHand);
        assertThat(dir.resolve("20241230T010000Z.pgdump")).doesNotExist();
        assertThat(dir.resolve("20250101T010000Z.pgdump")).doesNotExist();
        assertThat(dir.resolve("20240911T010000Z.pgdump.json")).doesNotExist();

        JsonNode summary = JSON.readTree(prune.lastLine());
        assertThat(summary.path("result").asText()).isEqualTo("Pruned");
        assertThat(summary.path("dryRun").asBoolean()).isFalse();
        assertThat(summary.path("pruned").asInt()).isEqualTo(107);
        assertThat(summary.path("backups").asInt()).isEqualTo(15);
        assertThat(summary.path("pinned").asInt()).isEqualTo(2);
        assertThat(summary.path("kept").asInt()).isEqualTo(13);
        Set<String> deleted = all.stream().map(Backup::name).filter(n -> !expected.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names(summary.path("deleted"))).isEqualTo(deleted);
        assertThat(prune.stdout().lines().filter(l -> l.startsWith("deleted ")).map(l -> l.substring(8)))
                .containsExactlyInAnyOrderElementsOf(deleted);
    }

    @Test
    void dryRunSaysWhatWouldGoAndDeletesNothing(@TempDir Path dir) throws Exception {
        List<Backup> all = calendar(dir);
        Set<String> before = BackupScriptsContract.listing(dir);
        Map<String, String> env = env(dir, 3, 7, 4, 6);
        env.put("PRUNE_DRY_RUN", "true");
        Processes.Result prune = Processes.script("prune.sh", env);
        assertThat(prune.exitCode()).as("prune.sh: %s", prune).isZero();

        assertThat(BackupScriptsContract.listing(dir)).hasSize(2 * 122).isEqualTo(before);
        Set<String> expected = expectedSurvivors(all, 3, 7, 4, 6);
        Set<String> wouldGo = all.stream().map(Backup::name).filter(n -> !expected.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(prune.stdout().lines().filter(l -> l.startsWith("would delete ")).map(l -> l.substring(13)))
                .containsExactlyInAnyOrderElementsOf(wouldGo);
        JsonNode summary = JSON.readTree(prune.lastLine());
        assertThat(summary.path("dryRun").asBoolean()).isTrue();
        assertThat(summary.path("pruned").asInt()).isEqualTo(107);
        assertThat(names(summary.path("deleted"))).isEqualTo(wouldGo);
    }

    @Test
    void withoutRulesNothingIsDeleted(@TempDir Path dir) throws Exception {
        calendar(dir);
        Set<String> before = BackupScriptsContract.listing(dir);
        Processes.Result prune = Processes.script("prune.sh", env(dir, 0, 0, 0, 0));
        assertThat(prune.exitCode()).as("prune.sh: %s", prune).isZero();
        assertThat(BackupScriptsContract.listing(dir)).isEqualTo(before);
        assertThat(JSON.readTree(prune.lastLine()).path("pruned").asInt()).isZero();
    }

    /** A pin with an end (a pre-migration backup's rollback window): after it the backup is retained like any other. */
    static Backup writePinnedUntil(Path dir, Instant createdAt, String until) throws IOException {
        Backup b = write(dir, createdAt, true);
        Path manifest = dir.resolve(b.name() + ".json");
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(manifest.toFile());
        node.put("pinnedUntil", until);
        JSON.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), node);
        return b;
    }

    @Test
    void endedPinsReturnToTheRulesExceptTheNewestPin(@TempDir Path dir) throws Exception {
        Backup regular = write(dir, Instant.parse("2025-01-08T01:00:00Z"), false);
        // Pinned before two migrations and a restore: one pin ended, one has not, one has no end.
        Backup ended = writePinnedUntil(dir, Instant.parse("2024-12-01T01:00:00Z"), "2024-12-08T01:00:00Z");
        Backup running = writePinnedUntil(dir, Instant.parse("2025-01-05T01:00:00Z"), "2025-01-12T01:00:00Z");
        Backup forever = write(dir, Instant.parse("2024-11-01T01:00:00Z"), true);
        // keepLast=1: the newest unpinned backup only. The ended pin is unpinned and, older, goes.
        Processes.Result prune = Processes.script("prune.sh", env(dir, 1, 0, 0, 0));
        assertThat(prune.exitCode()).as("prune.sh: %s", prune).isZero();
        assertThat(BackupScriptsContract.listing(dir)).isEqualTo(withManifests(Set.of(regular.name(), running.name(), forever.name())));
        JsonNode summary = JSON.readTree(prune.lastLine());
        assertThat(names(summary.path("unpinned"))).containsExactly(ended.name());
        assertThat(names(summary.path("deleted"))).containsExactly(ended.name());
        assertThat(summary.path("pinned").asInt()).isEqualTo(2);
        assertThat(prune.stderr()).contains("the pin of " + ended.name() + " ended at 2024-12-08T01:00:00Z");

        // Past the second window: that pin has ended too, but it is the newest pin, the rollback point of
        // the newest migration, and stays.
        Map<String, String> later = env(dir, 1, 0, 0, 0);
        later.put("PRUNE_NOW", "2025-02-01T00:00:00Z");
        prune = Processes.script("prune.sh", later);
        assertThat(prune.exitCode()).as("prune.sh: %s", prune).isZero();
        assertThat(BackupScriptsContract.listing(dir)).isEqualTo(withManifests(Set.of(regular.name(), running.name(), forever.name())));
        assertThat(names(JSON.readTree(prune.lastLine()).path("unpinned"))).isEmpty();
    }

    @Test
    void pinnedBackupsTakeNoSlotAndTheNewestOfADayStandsForIt(@TempDir Path dir) throws Exception {
        Backup morning = write(dir, Instant.parse("2025-01-07T06:00:00Z"), false);
        Backup evening = write(dir, Instant.parse("2025-01-07T22:00:00Z"), false);
        Backup yesterday = write(dir, Instant.parse("2025-01-06T22:00:00Z"), false);
        Backup pinnedNewest = write(dir, Instant.parse("2025-01-08T00:30:00Z"), true);
        // keepLast=1 ignores the pinned newest and keeps the evening one; keepDaily=2 keeps the newest
        // of 01-07 (evening again) and of 01-06. The morning backup goes.
        Processes.Result prune = Processes.script("prune.sh", env(dir, 1, 2, 0, 0));
        assertThat(prune.exitCode()).as("prune.sh: %s", prune).isZero();
        Set<String> survivors = Set.of(evening.name(), yesterday.name(), pinnedNewest.name());
        assertThat(BackupScriptsContract.listing(dir)).isEqualTo(withManifests(survivors));
        assertThat(expectedSurvivors(List.of(morning, evening, yesterday, pinnedNewest), 1, 2, 0, 0)).isEqualTo(survivors);
    }

    @Test
    void invalidRetentionIsRefused(@TempDir Path dir) throws Exception {
        calendar(dir);
        Map<String, String> env = env(dir, 3, 7, 4, 6);
        env.put("RETENTION_KEEP_DAILY", "seven");
        Processes.Result prune = Processes.script("prune.sh", env);
        assertThat(prune.exitCode()).isNotZero();
        JsonNode result = JSON.readTree(prune.lastLine());
        assertThat(result.path("result").asText()).isEqualTo("Failed");
        assertThat(result.path("message").asText()).contains("RETENTION_KEEP_DAILY");
        assertThat(BackupScriptsContract.listing(dir)).hasSize(2 * 122);
    }
}
