package dev.runway.operator.backup;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static dev.runway.operator.backup.BackupFixtures.dailyPolicy;
import static dev.runway.operator.backup.BackupFixtures.finishedPod;
import static dev.runway.operator.backup.BackupFixtures.plan;
import static dev.runway.operator.backup.BackupFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus;
import dev.runway.operator.backup.BackupResults.Observed;
import dev.runway.operator.common.Transition;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;

@Tag(Tiers.UNIT)
class BackupStatusFactoryTest {
    static final Duration TWO_DAYS = Duration.ofHours(48);
    static final String COMPLETED = "2026-01-02T02:00:10Z";

    static BackupStatusFactory at(String time) {
        return new BackupStatusFactory(Clock.fixed(Instant.parse(time), ZoneOffset.UTC));
    }

    static Observed oneSuccess() {
        return BackupResults.observe(List.of(), List.of(
                finishedPod("shop-db-manual-1", BackupNames.BACKUP, 0, success("a.pgdump", COMPLETED, 5), "2026-01-02T02:00:11Z")));
    }

    static Condition condition(BackupPolicyStatus status, String type) {
        return ConditionFactory.find(status.conditions, type).orElseThrow();
    }

    @Test
    void aSuccessfulBackupFillsStatusAndIsAnnouncedOnce() {
        BackupPolicy policy = dailyPolicy();
        BackupStatusFactory factory = at("2026-01-02T03:00:00Z");
        BackupPolicyStatus status = factory.status(policy, plan(TWO_DAYS, true), oneSuccess());
        assertThat(status.lastBackup.name).isEqualTo("a.pgdump");
        assertThat(status.lastBackup.job).isEqualTo("shop-db-manual-1");
        assertThat(status.lastSuccessfulBackupTime).isEqualTo(COMPLETED);
        assertThat(status.backups).isEqualTo(5);
        assertThat(condition(status, ConditionFactory.READY).getStatus()).isEqualTo("True");
        assertThat(condition(status, ConditionTypes.BACKUPS_FRESH).getStatus()).isEqualTo("True");
        assertThat(factory.transitions(policy, null, status)).extracting(Transition::reason).containsExactly("BackupSucceeded");

        policy.setStatus(status);
        BackupPolicyStatus again = factory.status(policy, plan(TWO_DAYS, true), oneSuccess());
        assertThat(again).usingRecursiveComparison().isEqualTo(status);
        assertThat(factory.transitions(policy, status, again)).as("nothing new, no event").isEmpty();
    }

    @Test
    void resultsSurviveTheirJobsBeingDeleted() {
        BackupPolicy policy = dailyPolicy();
        policy.setStatus(at("2026-01-02T03:00:00Z").status(policy, plan(TWO_DAYS, true), oneSuccess()));
        BackupPolicyStatus later = at("2026-01-02T04:00:00Z").status(policy, plan(TWO_DAYS, true), Observed.NONE);
        assertThat(later.lastBackup.name).isEqualTo("a.pgdump");
        assertThat(later.backups).isEqualTo(5);
    }

    @Test
    void aFailureIsReportedUntilANewerBackupSucceeds() {
        BackupPolicy policy = dailyPolicy();
        BackupStatusFactory factory = at("2026-01-03T03:00:00Z");
        policy.setStatus(factory.status(policy, plan(TWO_DAYS, true), oneSuccess()));
        Observed failed = BackupResults.observe(List.of(), List.of(
                finishedPod("shop-db-backup-2", BackupNames.BACKUP, 1, "{\"result\":\"Failed\",\"message\":\"auth failed\"}",
                        "2026-01-03T02:00:05Z")));
        BackupPolicyStatus withFailure = factory.status(policy, plan(TWO_DAYS, true), failed);
        assertThat(withFailure.lastFailure.job).isEqualTo("shop-db-backup-2");
        assertThat(withFailure.lastFailure.message).isEqualTo("auth failed");
        assertThat(withFailure.lastBackup.name).isEqualTo("a.pgdump");
        List<Transition> events = factory.transitions(policy, policy.getStatus(), withFailure);
        assertThat(events).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo("BackupFailed");
            assertThat(t.warning()).isTrue();
            assertThat(t.message()).contains("auth failed").contains("kubectl logs job/shop-db-backup-2");
        });

        policy.setStatus(withFailure);
        Observed recovered = BackupResults.observe(List.of(), List.of(
                finishedPod("shop-db-backup-3", BackupNames.BACKUP, 0, success("c.pgdump", "2026-01-03T02:30:00Z", 6),
                        "2026-01-03T02:30:01Z")));
        BackupPolicyStatus after = factory.status(policy, plan(TWO_DAYS, true), recovered);
        assertThat(after.lastFailure).as("older than the newest success").isNull();
        assertThat(after.lastBackup.name).isEqualTo("c.pgdump");
    }

    @Test
    void backupsFreshFlipsWhenTheNewestBackupIsOlderThanTwiceTheInterval() {
        BackupPolicy policy = dailyPolicy();
        Instant staleAt = Instant.parse(COMPLETED).plus(TWO_DAYS);
        BackupStatusFactory before = new BackupStatusFactory(Clock.fixed(staleAt.minusSeconds(1), ZoneOffset.UTC));
        BackupPolicyStatus fresh = before.status(policy, plan(TWO_DAYS, true), oneSuccess());
        assertThat(condition(fresh, ConditionTypes.BACKUPS_FRESH).getStatus()).isEqualTo("True");
        assertThat(condition(fresh, ConditionTypes.BACKUPS_FRESH).getMessage()).contains("stale after " + staleAt);
        assertThat(before.recheckAfter(policy, plan(TWO_DAYS, true), fresh)).contains(Duration.ofSeconds(2));

        policy.setStatus(fresh);
        BackupStatusFactory after = new BackupStatusFactory(Clock.fixed(staleAt.plusSeconds(1), ZoneOffset.UTC));
        BackupPolicyStatus stale = after.status(policy, plan(TWO_DAYS, true), Observed.NONE);
        Condition c = condition(stale, ConditionTypes.BACKUPS_FRESH);
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("BackupStale");
        assertThat(c.getMessage()).contains("a.pgdump").contains("2d").contains("kubectl get jobs");
        assertThat(condition(stale, ConditionFactory.READY).getStatus()).as("the policy itself is in force").isEqualTo("True");
        assertThat(after.transitions(policy, fresh, stale)).extracting(Transition::reason).containsExactly("BackupStale");
        assertThat(after.recheckAfter(policy, plan(TWO_DAYS, true), stale)).isEmpty();

        policy.setStatus(stale);
        assertThat(after.transitions(policy, stale, after.status(policy, plan(TWO_DAYS, true), Observed.NONE))).isEmpty();
    }

    @Test
    void withoutAnyBackupFreshnessCountsFromCreation() {
        BackupPolicy policy = dailyPolicy();
        BackupPolicyStatus waiting = at("2026-01-02T00:00:00Z").status(policy, plan(TWO_DAYS, true), Observed.NONE);
        assertThat(condition(waiting, ConditionTypes.BACKUPS_FRESH).getStatus()).isEqualTo("Unknown");
        assertThat(condition(waiting, ConditionTypes.BACKUPS_FRESH).getReason()).isEqualTo("AwaitingFirstBackup");
        BackupPolicyStatus none = at("2026-01-03T00:00:01Z").status(policy, plan(TWO_DAYS, true), Observed.NONE);
        assertThat(condition(none, ConditionTypes.BACKUPS_FRESH).getReason()).isEqualTo("NoBackupYet");
        assertThat(condition(none, ConditionTypes.BACKUPS_FRESH).getStatus()).isEqualTo("False");
    }

    @Test
    void verifiedIsUnknownUntilAVerificationRan() {
        BackupPolicy policy = dailyPolicy();
        BackupPolicyStatus status = at("2026-01-02T00:00:00Z").status(policy, plan(TWO_DAYS, true), Observed.NONE);
        assertThat(condition(status, ConditionTypes.VERIFIED).getStatus()).isEqualTo("Unknown");
        assertThat(condition(status, ConditionTypes.VERIFIED).getReason()).isEqualTo("VerificationNotConfigured");

        Observed failed = BackupResults.observe(List.of(), List.of(finishedPod("shop-db-verify-1", BackupNames.VERIFY, 1,
                "{\"result\":\"Failed\",\"backup\":\"a.pgdump\",\"message\":\"relation missing\"}", "2026-01-02T04:00:00Z")));
        BackupPolicyStatus verified = at("2026-01-02T05:00:00Z").status(policy, plan(TWO_DAYS, true), failed);
        assertThat(condition(verified, ConditionTypes.VERIFIED).getStatus()).isEqualTo("False");
        assertThat(condition(verified, ConditionTypes.VERIFIED).getMessage()).contains("a.pgdump").contains("relation missing");
        assertThat(at("2026-01-02T05:00:00Z").transitions(policy, status, verified)).extracting(Transition::reason)
                .containsExactly("VerificationFailed");
    }

    @Test
    void recoveryObjectivesParseAsDurations() {
        assertThat(Objectives.parse("26h")).contains(Duration.ofHours(26));
        assertThat(Objectives.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Objectives.parse("90s")).contains(Duration.ofSeconds(90));
        assertThat(Objectives.parse("1d")).isEmpty();
        assertThat(Objectives.parse(null)).isEmpty();
    }

    @Test
    void theRecoveryTimeObjectiveIsJudgedByTheNewestPassedVerification() {
        BackupPolicy policy = dailyPolicy();
        BackupPolicyStatus without = at("2026-01-02T00:00:00Z").status(policy, plan(TWO_DAYS, true), Observed.NONE);
        assertThat(ConditionFactory.find(without.conditions, ConditionTypes.RECOVERY_TIME_OBJECTIVE)).as("no objective, no condition").isEmpty();

        policy.getSpec().objectives = new BackupPolicySpec.Objectives();
        policy.getSpec().objectives.recoveryTime = "10m";
        BackupPolicyStatus unmeasured = at("2026-01-02T00:00:00Z").status(policy, plan(TWO_DAYS, true), Observed.NONE);
        assertThat(condition(unmeasured, ConditionTypes.RECOVERY_TIME_OBJECTIVE).getReason()).isEqualTo("VerificationNotConfigured");

        policy.getSpec().verification = new BackupPolicySpec.Verification();
        policy.getSpec().verification.schedule = "0 4 * * 0";
        Observed slow = BackupResults.observe(List.of(), List.of(finishedPod("shop-db-verify-1", BackupNames.VERIFY, 0,
                "{\"result\":\"Passed\",\"backup\":\"a.pgdump\",\"tables\":3,\"rows\":1000,\"durationSeconds\":900}", "2026-01-02T04:00:00Z")));
        BackupPolicyStatus missed = at("2026-01-02T05:00:00Z").status(policy, plan(TWO_DAYS, true), slow);
        assertThat(condition(missed, ConditionTypes.RECOVERY_TIME_OBJECTIVE).getStatus()).isEqualTo("False");
        assertThat(condition(missed, ConditionTypes.RECOVERY_TIME_OBJECTIVE).getReason()).isEqualTo("RecoveryTimeObjectiveMissed");
        assertThat(condition(missed, ConditionTypes.RECOVERY_TIME_OBJECTIVE).getMessage()).contains("a.pgdump").contains("15m")
                .contains("spec.objectives.recoveryTime 10m");

        policy.getSpec().objectives.recoveryTime = "20m";
        policy.setStatus(missed);
        BackupPolicyStatus met = at("2026-01-02T05:00:00Z").status(policy, plan(TWO_DAYS, true), slow);
        assertThat(condition(met, ConditionTypes.RECOVERY_TIME_OBJECTIVE).getStatus()).isEqualTo("True");
        assertThat(condition(met, ConditionTypes.RECOVERY_TIME_OBJECTIVE).getReason()).isEqualTo("RecoveryTimeObjectiveMet");
    }

    @Test
    void missingPrometheusOperatorIsAConditionNotAFailure() {
        BackupPolicy policy = dailyPolicy();
        BackupStatusFactory factory = at("2026-01-02T00:00:00Z");
        BackupPolicyStatus status = factory.status(policy, plan(TWO_DAYS, false), Observed.NONE);
        assertThat(condition(status, ConditionTypes.MONITORING).getStatus()).isEqualTo("False");
        assertThat(condition(status, ConditionTypes.MONITORING).getReason()).isEqualTo("PrometheusOperatorNotInstalled");
        assertThat(condition(status, ConditionFactory.READY).getStatus()).isEqualTo("True");
        assertThat(factory.recheckAfter(policy, plan(TWO_DAYS, false), status)).contains(BackupStatusFactory.MONITORING_RECHECK);
    }

    @Test
    void aBlockedPlanIsStalledWithItsReason() {
        BackupPolicy policy = dailyPolicy();
        BackupPlan blocked = BackupPlanner.plan(policy, java.util.Optional.empty(), "img", true, Instant.parse("2026-01-02T00:00:00Z"));
        BackupStatusFactory factory = at("2026-01-02T00:00:00Z");
        BackupPolicyStatus status = factory.status(policy, blocked, Observed.NONE);
        assertThat(condition(status, ConditionFactory.STALLED).getStatus()).isEqualTo("True");
        assertThat(condition(status, ConditionFactory.READY).getReason()).isEqualTo("SecretNotFound");
        assertThat(condition(status, ConditionFactory.READY).getMessage()).contains("Secret shop-db not found in shop");
        assertThat(factory.transitions(policy, null, status)).extracting(Transition::reason).contains("SecretNotFound");
    }
}
