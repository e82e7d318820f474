package dev.runway.operator.backup;

import static dev.runway.operator.backup.BackupFixtures.dailyPolicy;
import static dev.runway.operator.backup.BackupFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus;
import dev.runway.operator.backup.BackupResults.Observed;
import dev.runway.operator.testing.Kstatus;
import dev.runway.operator.testing.Kstatus.Result;
import dev.runway.operator.testing.Tiers;

/** BackupPolicy statuses from the real BackupStatusFactory read as Flux/kstatus should read them. */
@Tag(Tiers.UNIT)
class KstatusTest {
    final BackupStatusFactory factory = new BackupStatusFactory(Clock.fixed(Instant.parse("2026-01-02T03:00:00Z"), ZoneOffset.UTC));

    @Test
    void scheduledPolicyIsCurrentUntilItsSpecChanges() {
        BackupPolicy policy = dailyPolicy();
        BackupPolicyStatus status = factory.status(policy, plan(Duration.ofHours(48), true), Observed.NONE);
        assertThat(Kstatus.of(policy.getMetadata().getGeneration(), status)).isEqualTo(Result.Current);
        // A new spec the operator has not acted on yet: in progress, whatever Ready says.
        assertThat(Kstatus.of(policy.getMetadata().getGeneration() + 1, status)).isEqualTo(Result.InProgress);
    }

    @Test
    void blockedPolicyHasFailed() {
        BackupPolicy policy = dailyPolicy();
        BackupPlan blocked = new BackupPlan("postgres:16", ZoneOffset.UTC, Duration.ofHours(48), null,
                "SecretNotFound", "Secret shop-db not found in shop; create it", true);
        assertThat(Kstatus.of(policy.getMetadata().getGeneration(), factory.status(policy, blocked, Observed.NONE))).isEqualTo(Result.Failed);
    }

    @Test
    void failingReconcileIsInProgressWhileRetried() {
        BackupPolicy policy = dailyPolicy();
        assertThat(Kstatus.of(policy.getMetadata().getGeneration(), factory.error(policy, "forbidden"))).isEqualTo(Result.InProgress);
    }
}
