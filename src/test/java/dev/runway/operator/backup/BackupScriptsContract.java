package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What backup.sh, prune.sh and verify.sh do against a real server of one engine. Once per engine
 * (before the tests): a fresh database is seeded and backup.sh backs it up into a temporary
 * BACKUP_DIR that already holds three older backups, with a retention rule that prunes one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackupScriptsContract {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Quotes, a backslash, a tab, a newline and non-ASCII: all must survive the JSON written by bash. */
    static final String REASON = "pre-migration \"shop-api\" 2.0.0 — Zoë's \\ release\tnow\nsecond line";
    /** The end of the seeded backup's pin (a pre-migration backup's rollback window). */
    static final String PIN_UNTIL = "2099-01-01T00:00:00Z";

    final TestEngine engine;
    final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String database = "shop_" + suffix;
    final List<String> databasesToDrop = new ArrayList<>();
    final List<Path> temporaries = new ArrayList<>();
    Path backupDir;
    Path terminationLog;
    Processes.Result backup;
    String backupName;

    BackupScriptsContract(TestEngine engine) {
        this.engine = engine;
    }

    @BeforeAll
    void seedAndBackUp() throws IOException {
        engine.createDatabase(database);
        databasesToDrop.add(database);
        engine.sql(database, engine.seedSql());

        backupDir = tempDir("runway-backups");
        terminationLog = tempFile("runway-termination");
        // Three older, unpinned backups (fake dumps); keepLast=2 keeps the newest two of them: the
        // new backup is pinned, so it takes no keepLast slot.
        for (String stamp : List.of("20200101T010000Z", "20200102T010000Z", "20200103T010000Z")) {
            fakeBackup(backupDir, stamp + engine.dumpSuffix(), stamp);
        }
        Map<String, String> env = env(backupDir, terminationLog);
        env.put("BACKUP_PIN", "true");
        env.put("BACKUP_PIN_UNTIL", PIN_UNTIL);
        env.put("BACKUP_REASON", REASON);
        env.put("RETENTION_KEEP_LAST", "2");
        backup = Processes.script("backup.sh", env);
        assertThat(backup.exitCode()).as("backup.sh: %s", backup).isZero();
        backupName = JSON.readTree(backup.lastLine()).path("name").asText();
    }

    @AfterAll
    void cleanUp() throws IOException {
        databasesToDrop.forEach(engine::dropDatabase);
        for (Path path : temporaries) {
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        temporaries.add(dir);
        return dir;
    }

    Path tempFile(String prefix) throws IOException {
        Path file = Files.createTempFile(prefix, ".log");
        temporaries.add(file);
        return file;
    }

    Map<String, String> env(Path dir, Path termination) {
        Map<String, String> env = new HashMap<>(engine.scriptEnvironment(database, engine.servers.password()));
        env.put("BACKUP_DIR", dir.toString());
        env.put("TERMINATION_LOG", termination.toString());
        return env;
    }

    @Test
    void backupReportsSucceededWithTheDumpsSizeAndChecksum() throws Exception {
        JsonNode result = JSON.readTree(Files.readString(terminationLog));
        assertThat(Files.readAllLines(terminationLog)).hasSize(1);
        assertThat(Files.size(terminationLog)).isLessThan(4096);
        assertThat(backup.lastLine()).as("stdout ends with the termination line")
                .isEqualTo(Files.readString(terminationLog).trim());
        assertThat(fieldNames(result)).containsExactlyInAnyOrder("result", "name", "completedAt", "sizeBytes",
                "sha256", "durationSeconds", "pinned", "backups", "pruned", "pins");
        assertThat(result.path("result").asText()).isEqualTo("Succeeded");
        assertThat(backupName).matches("\\d{8}T\\d{6}Z" + Pattern.quote(engine.dumpSuffix()));

        Path dump = backupDir.resolve(backupName);
        assertThat(result.path("sizeBytes").asLong()).isEqualTo(Files.size(dump)).isGreaterThan(1000);
        assertThat(result.path("sha256").asText()).isEqualTo(sha256(dump));
        assertThat(result.path("pinned").asBoolean()).isTrue();
        assertThat(result.path("pins")).as("the pins after the prune: this backup's, with its end").hasSize(1);
        assertThat(result.path("pins").get(0).path("name").asText()).isEqualTo(backupName);
        assertThat(result.path("pins").get(0).path("until").asText()).isEqualTo(PIN_UNTIL);
        assertThat(result.path("durationSeconds").isIntegralNumber()).isTrue();
        Instant completed = Instant.parse(result.path("completedAt").asText());
        assertThat(completed).isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(5));
        // Four backups before the prune (three old, one new pinned); keepLast=2 over the unpinned ones
        // deletes the oldest.
        assertThat(result.path("pruned").asInt()).isEqualTo(1);
        assertThat(result.path("backups").asInt()).isEqualTo(3);
        assertThat(listing(backupDir)).containsExactlyInAnyOrder(".runway.lock", backupName, backupName + ".json",
                "20200102T010000Z" + engine.dumpSuffix(), "20200102T010000Z" + engine.dumpSuffix() + ".json",
                "20200103T010000Z" + engine.dumpSuffix(), "20200103T010000Z" + engine.dumpSuffix() + ".json");
        if (engine.dumpSuffix().endsWith(".gz")) {
            byte[] head = Files.readAllBytes(dump);
            assertThat(new byte[] { head[0], head[1] }).as("gzip magic").containsExactly(0x1f, 0x8b);
        } else {
            assertThat(new String(Files.readAllBytes(dump), 0, 5, StandardCharsets.US_ASCII)).as("pg_dump custom format")
                    .isEqualTo("PGDMP");
        }
        assertThat(backup.output()).doesNotContain(engine.servers.password());
        assertThat(Files.readString(terminationLog)).doesNotContain(engine.servers.password());
    }

    @Test
    void manifestDescribesTheBackup() throws Exception {
        JsonNode manifest = JSON.readTree(backupDir.resolve(backupName + ".json").toFile());
        JsonNode result = JSON.readTree(Files.readString(terminationLog));
        List<String> fields = new java.util.ArrayList<>(List.of("name", "engine", "database", "createdAt",
                "completedAt", "sizeBytes", "sha256", "durationSeconds", "pinned", "pinnedUntil", "reason"));
        if (postgres()) {
            fields.add("rows");
        }
        assertThat(fieldNames(manifest)).containsExactlyInAnyOrderElementsOf(fields);
        if (postgres()) {
            assertThat(manifest.path("rows").asLong()).as("the rows read back from the dump")
                    .isEqualTo(TestEngine.SEEDED_ROWS.values().stream().mapToLong(Long::longValue).sum());
        }
        assertThat(manifest.path("name").asText()).isEqualTo(backupName);
        assertThat(manifest.path("engine").asText()).isEqualTo(engine.scriptEngine());
        assertThat(manifest.path("database").asText()).isEqualTo(database);
        assertThat(manifest.path("reason").asText()).isEqualTo(REASON);
        assertThat(manifest.path("pinned").asBoolean()).isTrue();
        assertThat(manifest.path("pinnedUntil").asText()).isEqualTo(PIN_UNTIL);
        assertThat(manifest.path("sha256").asText()).isEqualTo(result.path("sha256").asText());
        assertThat(manifest.path("sizeBytes").asLong()).isEqualTo(result.path("sizeBytes").asLong());
        assertThat(manifest.path("completedAt").asText()).isEqualTo(result.path("completedAt").asText());
        Instant created = Instant.parse(manifest.path("createdAt").asText());
        Instant completed = Instant.parse(manifest.path("completedAt").asText());
        assertThat(completed).isAfterOrEqualTo(created);
        assertThat(manifest.path("durationSeconds").asLong()).isEqualTo(completed.getEpochSecond() - created.getEpochSecond());
        // The dump's name is its start time.
        String stamp = created.toString().replace("-", "").replace(":", "");
        assertThat(backupName).startsWith(stamp);
    }

    @Test
    void dumpRestoresToTheSameRowsAndContent() {
        String restored = "restore_" + suffix;
        engine.createDatabase(restored);
        databasesToDrop.add(restored);
        engine.restore(backupDir.resolve(backupName), restored);
        for (String table : TestEngine.TABLES.keySet()) {
            long rows = engine.rowCount(database, table);
            assertThat(rows).as("rows seeded in %s", table).isEqualTo(TestEngine.SEEDED_ROWS.get(table));
            assertThat(engine.rowCount(restored, table)).as("rows restored in %s", table).isEqualTo(rows);
            String checksum = engine.checksum(database, table);
            assertThat(checksum).matches("[0-9a-f]{32}");
            assertThat(engine.checksum(restored, table)).as("md5 of the rows of %s", table).isEqualTo(checksum);
        }
        for (int i = 0; i < TestEngine.AWKWARD_NAMES.size(); i++) {
            String name = TestEngine.AWKWARD_NAMES.get(i);
            assertThat(engine.sql(restored, "SELECT count(*) FROM customers WHERE id = " + (2001 + i) + " AND name = "
                    + engine.literal(name))).as("restored customer %d is exactly %s", 2001 + i, name).isEqualTo("1");
        }
        String routines = engine.sql(database, engine.routinesAndTriggersSql());
        assertThat(routines).isNotEqualTo("0,0");
        assertThat(engine.sql(restored, engine.routinesAndTriggersSql())).as("routines,triggers").isEqualTo(routines);
    }

    @Test
    void verifyRestoresTheNewestBackupAndPasses() throws Exception {
        Path termination = tempFile("runway-verify");
        Processes.Result verify = Processes.script("verify.sh", env(backupDir, termination));
        assertThat(verify.exitCode()).as("verify.sh: %s", verify).isZero();
        JsonNode result = JSON.readTree(Files.readString(termination));
        assertThat(fieldNames(result)).containsExactlyInAnyOrderElementsOf(postgres()
                ? List.of("result", "backup", "tables", "rows", "dumpedRows", "durationSeconds", "completedAt")
                : List.of("result", "backup", "tables", "rows", "durationSeconds", "completedAt"));
        if (postgres()) {
            assertThat(result.path("dumpedRows").asLong()).as("checked against the manifest").isEqualTo(result.path("rows").asLong());
        }
        assertThat(result.path("rows").asLong()).isEqualTo(TestEngine.SEEDED_ROWS.values().stream().mapToLong(Long::longValue).sum());
        assertThat(result.path("durationSeconds").isIntegralNumber()).isTrue();
        assertThat(result.path("result").asText()).isEqualTo("Passed");
        assertThat(result.path("backup").asText()).isEqualTo(backupName);
        assertThat(result.path("tables").asInt()).isEqualTo(TestEngine.TABLES.size());
        Instant.parse(result.path("completedAt").asText());
        assertThat(verify.lastLine()).isEqualTo(Files.readString(termination).trim());
        assertThat(verify.stderr()).contains("runway_verify_");
        assertThat(engine.databasesStartingWith("runway_verify_")).as("scratch databases left").isEmpty();
        assertThat(verify.output()).doesNotContain(engine.servers.password());
    }

    boolean postgres() {
        return "PostgreSQL".equals(engine.scriptEngine());
    }

    @Test
    void verifyReportsAChecksumFailureForAFlippedByteWithoutRestoring() throws Exception {
        Path copy = tempDir("runway-corrupt");
        Files.copy(backupDir.resolve(backupName), copy.resolve(backupName));
        Files.copy(backupDir.resolve(backupName + ".json"), copy.resolve(backupName + ".json"));
        byte[] bytes = Files.readAllBytes(copy.resolve(backupName));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(copy.resolve(backupName), bytes);

        Path termination = tempFile("runway-verify");
        Map<String, String> env = env(copy, termination);
        env.put("VERIFY_BACKUP", backupName);
        Processes.Result verify = Processes.script("verify.sh", env);
        assertThat(verify.exitCode()).as("verify.sh: %s", verify).isNotZero();
        JsonNode result = JSON.readTree(Files.readString(termination));
        assertThat(fieldNames(result)).containsExactlyInAnyOrder("result", "backup", "message");
        assertThat(result.path("result").asText()).isEqualTo("Failed");
        assertThat(result.path("backup").asText()).isEqualTo(backupName);
        assertThat(result.path("message").asText()).contains("checksum").contains(sha256(copy.resolve(backupName)));
        assertThat(verify.stderr()).as("the checksum is checked before any restore").doesNotContain("runway_verify_");
        assertThat(engine.databasesStartingWith("runway_verify_")).isEmpty();
    }

    @Test
    void wrongPasswordFailsLeavesNoDumpAndDoesNotPrintThePassword() throws Exception {
        Path dir = tempDir("runway-badpass");
        Path termination = tempFile("runway-badpass");
        String wrong = "Wr0ng-" + UUID.randomUUID();
        Map<String, String> env = env(dir, termination);
        env.put("DB_PASSWORD", wrong);
        Processes.Result failed = Processes.script("backup.sh", env);

        assertThat(failed.exitCode()).as("backup.sh: %s", failed).isNotZero();
        String line = Files.readString(termination);
        JsonNode result = JSON.readTree(line);
        assertThat(fieldNames(result)).containsExactlyInAnyOrder("result", "message");
        assertThat(result.path("result").asText()).isEqualTo("Failed");
        assertThat(result.path("message").asText()).contains(engine.authenticationFailure());
        assertThat(listing(dir)).as("files left in BACKUP_DIR, hidden ones included (the lock file stays)").containsExactly(".runway.lock");
        assertThat(failed.stdout()).doesNotContain(wrong);
        assertThat(failed.stderr()).doesNotContain(wrong);
        assertThat(line).doesNotContain(wrong);
    }

    @Test
    void aServerOutOfReachAtFirstIsWaitedForAndOneThatStaysSoFailsWithTheClientsError() throws Exception {
        Path dir = tempDir("runway-late");
        Path termination = tempFile("runway-late");
        Map<String, String> env = env(dir, termination);
        env.put("DB_HOST", "127.0.0.1");
        try (LateListener late = LateListener.forwarding(engine.servers.host, engine.port(), Duration.ofSeconds(5))) {
            env.put("DB_PORT", Integer.toString(late.port()));
            Processes.Result waited = Processes.script("backup.sh", env);
            assertThat(waited.exitCode()).as("backup.sh: %s", waited).isZero();
            assertThat(waited.stderr()).contains("the database does not answer yet (attempt 1)").contains("the database answered at attempt");
            assertThat(JSON.readTree(waited.lastLine()).path("result").asText()).isEqualTo("Succeeded");
        }

        try (LateListener never = LateListener.forwarding(engine.servers.host, engine.port(), Duration.ofHours(1))) {
            env.put("DB_PORT", Integer.toString(never.port()));
            env.put("DB_CONNECT_WAIT", "4");
            Processes.Result failed = Processes.script("backup.sh", env);
            assertThat(failed.exitCode()).as("backup.sh: %s", failed).isNotZero();
            assertThat(failed.stderr()).contains("(attempt 1)").contains("the database did not answer in 4s")
                    .as("the dump's client call tried three times").contains("trying again (attempt 3 of 3)");
            assertThat(JSON.readTree(Files.readString(termination)).path("message").asText()).as("the client's own error")
                    .contains("127.0.0.1").doesNotContain("[backup]");
        }

        env.put("DB_CONNECT_WAIT", "soon");
        Processes.Result refused = Processes.script("backup.sh", env);
        assertThat(JSON.readTree(refused.lastLine()).path("message").asText()).contains("DB_CONNECT_WAIT must be a number of seconds");
    }

    // --- restore.sh -----------------------------------------------------------------------------

    Processes.Result restore(Path dir, Path termination, String db, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(engine.scriptEnvironment(db, engine.servers.password()));
        env.put("BACKUP_DIR", dir.toString());
        env.put("TERMINATION_LOG", termination.toString());
        env.putAll(extra);
        return Processes.script("restore.sh", env);
    }

    void assertSameRowsAndContent(String restored) {
        for (String table : TestEngine.TABLES.keySet()) {
            assertThat(engine.rowCount(restored, table)).as("rows restored in %s", table).isEqualTo(engine.rowCount(database, table));
            assertThat(engine.checksum(restored, table)).as("md5 of the rows of %s", table).isEqualTo(engine.checksum(database, table));
        }
    }

    @Test
    void restoreIntoANewDatabaseGivesTheSameRowsAndReportsWhatItRestored() throws Exception {
        String target = "restored_" + suffix;
        databasesToDrop.add(target);
        Path termination = tempFile("runway-restore");
        Processes.Result result = restore(backupDir, termination, database, Map.of("RESTORE_TARGET", target, "RESTORE_BACKUP", backupName));
        assertThat(result.exitCode()).as("restore.sh: %s", result).isZero();
        JsonNode line = JSON.readTree(Files.readString(termination));
        assertThat(fieldNames(line)).containsExactlyInAnyOrder("result", "backup", "sha256", "target", "inPlace", "tables", "rows",
                "durationSeconds", "startedAt", "completedAt");
        assertThat(line.path("result").asText()).isEqualTo("Succeeded");
        assertThat(line.path("backup").asText()).isEqualTo(backupName);
        assertThat(line.path("sha256").asText()).isEqualTo(sha256(backupDir.resolve(backupName)));
        assertThat(line.path("target").asText()).isEqualTo(target);
        assertThat(line.path("inPlace").asBoolean()).isFalse();
        assertThat(line.path("tables").asInt()).isEqualTo(TestEngine.TABLES.size());
        assertThat(line.path("rows").asLong()).isEqualTo(TestEngine.SEEDED_ROWS.values().stream().mapToLong(Long::longValue).sum());
        assertSameRowsAndContent(target);
        assertThat(result.output()).doesNotContain(engine.servers.password());
    }

    @Test
    void restoreNeverOverwritesAnExistingDatabaseAndNamesTheField() throws Exception {
        String existing = "existing_" + suffix;
        engine.createDatabase(existing);
        databasesToDrop.add(existing);
        engine.sql(existing, "CREATE TABLE keep_me (id integer PRIMARY KEY)");
        Path termination = tempFile("runway-restore");
        Processes.Result result = restore(backupDir, termination, database, Map.of("RESTORE_TARGET", existing));
        assertThat(result.exitCode()).isNotZero();
        JsonNode line = JSON.readTree(Files.readString(termination));
        assertThat(line.path("result").asText()).isEqualTo("Failed");
        assertThat(line.path("field").asText()).isEqualTo("spec.target.database");
        assertThat(line.path("message").asText()).contains("already exists");
        assertThat(engine.sql(existing, "SELECT count(*) FROM keep_me")).isEqualTo("0");
    }

    @Test
    void restoreOfAnUnknownBackupNamesTheFieldAndCreatesNothing() throws Exception {
        String target = "never_" + suffix;
        Path termination = tempFile("runway-restore");
        Processes.Result result = restore(backupDir, termination, database,
                Map.of("RESTORE_TARGET", target, "RESTORE_BACKUP", "20990101T000000Z" + engine.dumpSuffix()));
        assertThat(result.exitCode()).isNotZero();
        JsonNode line = JSON.readTree(Files.readString(termination));
        assertThat(line.path("field").asText()).isEqualTo("spec.backup.name");
        assertThat(line.path("message").asText()).contains("no backup 20990101T000000Z");
        assertThat(engine.databasesStartingWith(target)).isEmpty();
    }

    @Test
    void aRestoreThatFailsHalfwayLeavesNoTargetBehind() throws Exception {
        Path copy = tempDir("runway-truncated");
        byte[] dump = Files.readAllBytes(backupDir.resolve(backupName));
        byte[] cut = java.util.Arrays.copyOf(dump, dump.length * 2 / 3);
        Files.write(copy.resolve(backupName), cut);
        // A manifest whose checksum matches the truncated file: only the restore itself can fail.
        String manifest = Files.readString(backupDir.resolve(backupName + ".json"))
                .replace(sha256(backupDir.resolve(backupName)), sha256(copy.resolve(backupName)));
        Files.writeString(copy.resolve(backupName + ".json"), manifest);
        String target = "half_" + suffix;
        Path termination = tempFile("runway-restore");
        Processes.Result result = restore(copy, termination, database, Map.of("RESTORE_TARGET", target));
        assertThat(result.exitCode()).as("restore.sh: %s", result).isNotZero();
        assertThat(JSON.readTree(Files.readString(termination)).path("message").asText()).contains("restore of " + backupName);
        assertThat(engine.databasesStartingWith(target)).as("a half-restored target").isEmpty();
    }

    @Test
    void inPlaceRestoreNeedsTheReplaceFieldAndTheSafetyBackupThenReplacesTheData() throws Exception {
        String live = "live_" + suffix;
        engine.createDatabase(live);
        databasesToDrop.add(live);
        engine.restore(backupDir.resolve(backupName), live);
        // What happened after the backup: rows deleted and changed, a table added.
        engine.sql(live, "DELETE FROM orders WHERE id > 100");
        engine.sql(live, "UPDATE customers SET name = 'changed' WHERE id < 50");
        engine.sql(live, "CREATE TABLE added_later (id integer PRIMARY KEY)");
        Path dir = tempDir("runway-inplace");
        Files.copy(backupDir.resolve(backupName), dir.resolve(backupName));
        Files.copy(backupDir.resolve(backupName + ".json"), dir.resolve(backupName + ".json"));

        Path termination = tempFile("runway-restore");
        Processes.Result refused = restore(dir, termination, live, Map.of("RESTORE_IN_PLACE", "true", "RESTORE_BACKUP", backupName));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(JSON.readTree(Files.readString(termination)).path("field").asText()).isEqualTo("spec.target.replaceExistingData");
        Processes.Result noSafety = restore(dir, termination, live, Map.of("RESTORE_IN_PLACE", "true",
                "RESTORE_REPLACE_EXISTING_DATA", "true", "RESTORE_BACKUP", backupName));
        assertThat(noSafety.exitCode()).isNotZero();
        assertThat(JSON.readTree(Files.readString(termination)).path("message").asText()).contains("RESTORE_SAFETY_BACKUP");
        assertThat(engine.sql(live, "SELECT count(*) FROM added_later")).as("untouched after the refusals").isEqualTo("0");

        Map<String, String> safetyEnv = new HashMap<>(engine.scriptEnvironment(live, engine.servers.password()));
        safetyEnv.putAll(Map.of("BACKUP_DIR", dir.toString(), "TERMINATION_LOG", tempFile("runway-safety").toString(),
                "BACKUP_PIN", "true", "BACKUP_PRUNE", "false"));
        Processes.Result safety = Processes.script("backup.sh", safetyEnv);
        assertThat(safety.exitCode()).as("backup.sh: %s", safety).isZero();
        String safetyName = JSON.readTree(safety.lastLine()).path("name").asText();

        Processes.Result replaced = restore(dir, termination, live, Map.of("RESTORE_IN_PLACE", "true",
                "RESTORE_REPLACE_EXISTING_DATA", "true", "RESTORE_BACKUP", backupName, "RESTORE_SAFETY_BACKUP", safetyName));
        assertThat(replaced.exitCode()).as("restore.sh: %s", replaced).isZero();
        JsonNode line = JSON.readTree(Files.readString(termination));
        assertThat(line.path("inPlace").asBoolean()).isTrue();
        assertThat(line.path("target").asText()).isEqualTo(live);
        assertThat(line.path("tables").asInt()).isEqualTo(TestEngine.TABLES.size());
        assertSameRowsAndContent(live);
        assertThat(engine.sql(live, engine.routinesAndTriggersSql())).isEqualTo(engine.sql(database, engine.routinesAndTriggersSql()));
        assertThat(replaced.output()).doesNotContain(engine.servers.password());
    }

    @Test
    void oneScriptAtATimeUsesTheBackupVolume() throws Exception {
        Path dir = tempDir("runway-locked");
        Files.copy(backupDir.resolve(backupName), dir.resolve(backupName));
        Files.copy(backupDir.resolve(backupName + ".json"), dir.resolve(backupName + ".json"));
        // Another pod holds the volume (as a running backup would) for three seconds.
        Process holder = new ProcessBuilder("flock", dir.resolve(".runway.lock").toString(), "sleep", "3").start();
        try {
            Thread.sleep(300);
            Map<String, String> impatient = env(dir, tempFile("runway-verify"));
            impatient.put("RUNWAY_LOCK_TIMEOUT", "1");
            Processes.Result refused = Processes.script("verify.sh", impatient);
            assertThat(refused.exitCode()).as("verify.sh: %s", refused).isNotZero();
            assertThat(refused.lastLine()).contains("held").contains("for more than 1s");
            assertThat(engine.databasesStartingWith("runway_verify_")).as("nothing started without the lock").isEmpty();

            Map<String, String> patient = env(dir, tempFile("runway-verify"));
            patient.put("RUNWAY_LOCK_TIMEOUT", "30");
            Processes.Result waited = Processes.script("verify.sh", patient);
            assertThat(waited.exitCode()).as("verify.sh: %s", waited).isZero();
            assertThat(waited.stderr()).contains("waiting (up to 30s)");
            assertThat(holder.isAlive()).as("the holder had finished before verify.sh went on").isFalse();
        } finally {
            holder.destroy();
        }
    }

    static void fakeBackup(Path dir, String name, String stamp) throws IOException {
        Files.writeString(dir.resolve(name), "not a real dump " + name);
        String created = stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8) + "T"
                + stamp.substring(9, 11) + ":" + stamp.substring(11, 13) + ":" + stamp.substring(13, 15) + "Z";
        Map<String, Object> manifest = new HashMap<>();
        manifest.put("name", name);
        manifest.put("createdAt", created);
        manifest.put("completedAt", created);
        manifest.put("pinned", false);
        manifest.put("sha256", "0".repeat(64));
        JSON.writeValue(dir.resolve(name + ".json").toFile(), manifest);
    }

    static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
