package dev.runway.operator.backup;

import static dev.runway.operator.backup.BackupFixtures.failedJob;
import static dev.runway.operator.backup.BackupFixtures.finishedPod;
import static dev.runway.operator.backup.BackupFixtures.runningPod;
import static dev.runway.operator.backup.BackupFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.backup.BackupResults.Observed;
import dev.runway.operator.testing.Tiers;

@Tag(Tiers.UNIT)
class BackupResultsTest {

    @Test
    void newestSuccessAndNewestFailureFromTerminatedPods() {
        Observed o = BackupResults.observe(List.of(), List.of(
                finishedPod("shop-db-backup-1", BackupNames.BACKUP, 0, success("a.pgdump", "2026-01-02T02:00:10Z", 3), "2026-01-02T02:00:11Z"),
                finishedPod("shop-db-backup-2", BackupNames.BACKUP, 0, success("b.pgdump", "2026-01-03T02:00:10Z", 4), "2026-01-03T02:00:11Z"),
                finishedPod("shop-db-backup-3", BackupNames.BACKUP, 1, "{\"result\":\"Failed\",\"message\":\"auth failed\"}",
                        "2026-01-04T02:00:05Z"),
                runningPod("shop-db-backup-4")));
        assertThat(o.success()).get().satisfies(s -> {
            assertThat(s.info().name).isEqualTo("b.pgdump");
            assertThat(s.info().job).isEqualTo("shop-db-backup-2");
            assertThat(s.info().completedAt).isEqualTo("2026-01-03T02:00:10Z");
            assertThat(s.backups()).isEqualTo(4);
        });
        assertThat(o.failure()).get().satisfies(f -> {
            assertThat(f.job).isEqualTo("shop-db-backup-3");
            assertThat(f.failedAt).isEqualTo("2026-01-04T02:00:05Z");
            assertThat(f.message).isEqualTo("auth failed");
        });
    }

    @Test
    void aNonZeroExitWithoutJsonKeepsTheLogTailAsMessage() {
        Observed o = BackupResults.observe(List.of(), List.of(
                finishedPod("j1", BackupNames.BACKUP, 2, "pg_dump: error: connection to server failed\n", "2026-01-04T02:00:05Z")));
        assertThat(o.failure()).get().extracting(f -> f.message).isEqualTo("pg_dump: error: connection to server failed");
        Observed silent = BackupResults.observe(List.of(), List.of(finishedPod("j2", BackupNames.BACKUP, 137, "", "2026-01-04T02:00:05Z")));
        assertThat(silent.failure()).get().extracting(f -> f.message).isEqualTo("backup container exited with code 137");
    }

    @Test
    void aJobThatFailedWithoutAPodResultCountsAsFailure() {
        Observed o = BackupResults.observe(
                List.of(failedJob("shop-db-backup-9", BackupNames.BACKUP, "DeadlineExceeded", "2026-01-05T03:00:00Z"),
                        failedJob("shop-db-verify-1", BackupNames.VERIFY, "DeadlineExceeded", "2026-01-05T05:00:00Z")),
                List.of());
        assertThat(o.failure()).get().satisfies(f -> {
            assertThat(f.job).isEqualTo("shop-db-backup-9");
            assertThat(f.message).contains("DeadlineExceeded").contains("before its pod reported a result");
        });
        assertThat(o.verification()).get().satisfies(v -> assertThat(v.result).isEqualTo("Failed"));
    }

    @Test
    void aFailedJobWhosePodReportedIsNotCountedTwice() {
        Observed o = BackupResults.observe(
                List.of(failedJob("j1", BackupNames.BACKUP, "BackoffLimitExceeded", "2026-01-05T03:00:09Z")),
                List.of(finishedPod("j1", BackupNames.BACKUP, 1, "{\"result\":\"Failed\",\"message\":\"disk full\"}", "2026-01-05T03:00:05Z")));
        assertThat(o.failure()).get().extracting(f -> f.message).isEqualTo("disk full");
    }

    @Test
    void verificationResults() {
        Observed o = BackupResults.observe(List.of(), List.of(
                finishedPod("v1", BackupNames.VERIFY, 0,
                        "{\"result\":\"Passed\",\"backup\":\"a.pgdump\",\"tables\":42,\"completedAt\":\"2026-01-04T04:00:00Z\"}",
                        "2026-01-04T04:00:01Z"),
                finishedPod("v0", BackupNames.VERIFY, 1, "{\"result\":\"Failed\",\"backup\":\"z.pgdump\",\"message\":\"bad\"}",
                        "2026-01-03T04:00:01Z")));
        assertThat(o.verification()).get().satisfies(v -> {
            assertThat(v.result).isEqualTo("Passed");
            assertThat(v.tables).isEqualTo(42);
            assertThat(v.job).isEqualTo("v1");
            assertThat(v.message).isNull();
        });
    }
}
