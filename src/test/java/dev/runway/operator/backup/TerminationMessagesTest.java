package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.backup.TerminationMessages.BackupReport;
import dev.runway.operator.backup.TerminationMessages.VerificationReport;
import dev.runway.operator.testing.Tiers;

@Tag(Tiers.UNIT)
class TerminationMessagesTest {

    @Test
    void successfulBackup() {
        BackupReport r = TerminationMessages.backup("""
                {"result":"Succeeded","name":"20261122T020000Z.pgdump","completedAt":"2026-11-22T02:00:12Z","sizeBytes":81234,\
                "sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","durationSeconds":12,"pinned":false,\
                "backups":14,"pruned":2}
                """).orElseThrow();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.name()).isEqualTo("20261122T020000Z.pgdump");
        assertThat(r.completedAt()).isEqualTo("2026-11-22T02:00:12Z");
        assertThat(r.sizeBytes()).isEqualTo(81234L);
        assertThat(r.sha256()).startsWith("9f86d081");
        assertThat(r.durationSeconds()).isEqualTo(12L);
        assertThat(r.pinned()).isFalse();
        assertThat(r.backups()).isEqualTo(14);
        assertThat(r.pruned()).isEqualTo(2);
    }

    @Test
    void failedBackup() {
        BackupReport r = TerminationMessages.backup("{\"result\":\"Failed\",\"message\":\"pg_dump: connection refused\"}").orElseThrow();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.message()).isEqualTo("pg_dump: connection refused");
        assertThat(r.name()).isNull();
    }

    @Test
    void theLastResultLineWinsOverLogLinesAroundIt() {
        // FallbackToLogsOnError: the message is the log tail when the script did not write its file.
        String logs = """
                starting backup of shop
                {"progress": 50}
                {"result":"Failed","message":"disk full"}
                trap: cleaning up
                """;
        assertThat(TerminationMessages.backup(logs)).get().extracting(BackupReport::message).isEqualTo("disk full");
    }

    @Test
    void timesAreNormalisedToUtcSeconds() {
        BackupReport r = TerminationMessages.backup("{\"result\":\"Succeeded\",\"completedAt\":\"2026-11-22T03:00:12.345+01:00\"}").orElseThrow();
        assertThat(r.completedAt()).isEqualTo("2026-11-22T02:00:12Z");
        assertThat(TerminationMessages.backup("{\"result\":\"Succeeded\",\"completedAt\":\"yesterday\"}").orElseThrow().completedAt()).isNull();
    }

    @Test
    void notAResult() {
        assertThat(TerminationMessages.backup(null)).isEmpty();
        assertThat(TerminationMessages.backup("")).isEmpty();
        assertThat(TerminationMessages.backup("bash: /scripts/backup.sh: No such file or directory")).isEmpty();
        assertThat(TerminationMessages.backup("{\"result\":\"Passed\"}")).as("a verification result is not a backup result").isEmpty();
        assertThat(TerminationMessages.backup("{not json}")).isEmpty();
        assertThat(TerminationMessages.backup("{\"sizeBytes\":\"many\"}")).isEmpty();
    }

    @Test
    void fieldsOfTheWrongTypeAreLeftOut() {
        BackupReport r = TerminationMessages.backup("{\"result\":\"Succeeded\",\"sizeBytes\":\"big\",\"backups\":3.5}").orElseThrow();
        assertThat(r.sizeBytes()).isNull();
        assertThat(r.succeeded()).isTrue();
    }

    @Test
    void verification() {
        VerificationReport passed = TerminationMessages.verification(
                "{\"result\":\"Passed\",\"backup\":\"20261122T020000Z.pgdump\",\"tables\":42,\"completedAt\":\"2026-11-22T04:01:00Z\"}").orElseThrow();
        assertThat(passed.passed()).isTrue();
        assertThat(passed.tables()).isEqualTo(42);
        assertThat(passed.backup()).isEqualTo("20261122T020000Z.pgdump");
        assertThat(passed.dumpedRows()).as("no manifest count checked").isNull();
        VerificationReport checked = TerminationMessages.verification("{\"result\":\"Passed\",\"backup\":\"a.pgdump\",\"tables\":3,"
                + "\"rows\":1200,\"dumpedRows\":1200,\"durationSeconds\":4,\"completedAt\":\"2026-11-22T04:01:00Z\"}").orElseThrow();
        assertThat(checked.rows()).isEqualTo(1200L);
        assertThat(checked.dumpedRows()).isEqualTo(1200L);
        assertThat(checked.durationSeconds()).isEqualTo(4L);
        VerificationReport failed = TerminationMessages.verification(
                "{\"result\":\"Failed\",\"backup\":\"x.pgdump\",\"message\":\"checksum mismatch\"}").orElseThrow();
        assertThat(failed.passed()).isFalse();
        assertThat(failed.message()).isEqualTo("checksum mismatch");
        assertThat(TerminationMessages.verification("{\"result\":\"Succeeded\"}")).isEmpty();
    }

    @Test
    void plainTextIsShortenedToOneLine() {
        assertThat(TerminationMessages.shorten("line one\nline two\u0007\n")).isEqualTo("line one | line two");
        String longText = "x".repeat(2000);
        assertThat(TerminationMessages.shorten(longText)).hasSize(TerminationMessages.MAX_MESSAGE).startsWith("...");
    }
}
