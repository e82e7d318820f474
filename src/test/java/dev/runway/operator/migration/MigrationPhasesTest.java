package dev.runway.operator.migration;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.migration.MigrationPhases.Action;
import dev.runway.operator.migration.MigrationPhases.Facts;
import dev.runway.operator.migration.MigrationPhases.Step;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The phase machine, one observed situation at a time, and the status it leads to. */
@Tag(Tiers.UNIT)
class MigrationPhasesTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    static final MigrationStatusFactory STATUS = new MigrationStatusFactory(CLOCK);
    static final Secret SECRET = new SecretBuilder().withNewMetadata().withName("shop-db").endMetadata()
            .withStringData(Map.of("host", "h", "password", "not-real")).build();
    static final BackupPolicy POLICY = policy();

    static MigrationJob mj(String extraSpec) {
        return Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: shop-v2, namespace: shop, generation: 1}
                spec:
                  image: shop:2
                  command: [migrate]
                  databaseSecretRef: shop-db
                """ + extraSpec.indent(2), MigrationJob.class);
    }

    static BackupPolicy policy() {
        BackupPolicy p = new BackupPolicy();
        p.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace("shop").build());
        return p;
    }

    static Facts facts(Optional<Job> backup, List<Pod> backupPods, Optional<Job> migrate, List<Pod> migratePods, Optional<Job> rollback,
            List<Pod> rollbackPods) {
        return new Facts(Optional.of(POLICY), Optional.of(SECRET), false, backup, backupPods, migrate, migratePods, rollback, rollbackPods);
    }

    static Facts nothing() {
        return facts(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of());
    }

    static Job job(String name, String condition, int active, int failed, int succeeded) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withActive(active).withFailed(failed).withSucceeded(succeeded).endStatus();
        if (condition != null) {
            b.editStatus().addNewCondition().withType(condition).withStatus("True").withReason(condition.equals("Failed") ? "BackoffLimitExceeded" : null)
                    .withMessage(condition.equals("Failed") ? "Job has reached the specified backoff limit" : null).endCondition().endStatus();
        }
        return b.build();
    }

    static Pod pod(String container, int exitCode, String message) {
        return new PodBuilder().withNewMetadata().withName(container + "-pod").endMetadata().withNewStatus()
                .addNewContainerStatus().withName(container).withNewState().withNewTerminated().withExitCode(exitCode)
                .withMessage(message).withFinishedAt("2026-03-01T09:59:00Z").endTerminated().endState().endContainerStatus()
                .endStatus().build();
    }

    static MigrationJob withStatus(MigrationJob mj, Step step) {
        mj.setStatus(STATUS.status(mj, step));
        return mj;
    }

    @Test
    void withoutBackupTheMigrationJobIsCreatedAtOnce() {
        MigrationJob mj = mj("");
        Step step = MigrationPhases.decide(mj, nothing());
        assertThat(step.phase()).isEqualTo(Phase.Running);
        assertThat(step.action()).isEqualTo(Action.CREATE_MIGRATION);
        MigrationJobStatus status = STATUS.status(mj, step);
        assertThat(status.job).isEqualTo("shop-v2-migrate");
        assertThat(status.startedAt).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(ConditionFactory.find(status.conditions, ConditionTypes.BACKUP_TAKEN).get().getReason()).isEqualTo("NotRequested");
    }

    @Test
    void aRequiredBackupRunsFirstAndItsResultIsRecorded() {
        MigrationJob mj = mj("backup: {policy: nightly}");
        assertThat(MigrationPhases.decide(mj, nothing()).action()).isEqualTo(Action.CREATE_BACKUP);

        Facts running = facts(Optional.of(job("shop-v2-backup", null, 1, 0, 0)), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of());
        Step waiting = MigrationPhases.decide(mj, running);
        assertThat(waiting.phase()).isEqualTo(Phase.BackingUp);
        assertThat(waiting.action()).as("no migration Job before the backup succeeded").isEqualTo(Action.NONE);

        Pod done = pod("backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T095900Z.pgdump\",\"completedAt\":\"2026-03-01T09:59:00Z\"}");
        Facts succeeded = facts(Optional.of(job("shop-v2-backup", null, 1, 0, 0)), List.of(done), Optional.empty(), List.of(), Optional.empty(), List.of());
        Step migrate = MigrationPhases.decide(mj, succeeded);
        assertThat(migrate.action()).isEqualTo(Action.CREATE_MIGRATION);
        MigrationJobStatus status = STATUS.status(mj, migrate);
        assertThat(status.backup.job).isEqualTo("shop-v2-backup");
        assertThat(status.backup.name).isEqualTo("20260301T095900Z.pgdump");
        assertThat(status.backup.completedAt).isEqualTo("2026-03-01T09:59:00Z");
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionTypes.BACKUP_TAKEN)).isTrue();
    }

    @Test
    void aFailedRequiredBackupFailsTheMigrationWithoutRunningIt() {
        MigrationJob mj = mj("backup: {policy: nightly}");
        Pod failed = pod("backup", 1, "{\"result\":\"Failed\",\"message\":\"pg_dump: connection refused\"}");
        Step step = MigrationPhases.decide(mj, facts(Optional.of(job("shop-v2-backup", "Failed", 0, 1, 0)), List.of(failed),
                Optional.empty(), List.of(), Optional.empty(), List.of()));
        assertThat(step.phase()).isEqualTo(Phase.Failed);
        assertThat(step.action()).isEqualTo(Action.NONE);
        assertThat(step.failure()).contains("pg_dump: connection refused");
    }

    @Test
    void anOptionalBackupDoesNotHoldTheMigration() {
        MigrationJob mj = mj("backup: {policy: nightly, required: false}");
        Facts running = facts(Optional.of(job("shop-v2-backup", null, 1, 0, 0)), List.of(), Optional.empty(), List.of(), Optional.empty(), List.of());
        assertThat(MigrationPhases.decide(mj, running).action()).isEqualTo(Action.CREATE_MIGRATION);
        Facts production = new Facts(Optional.of(POLICY), Optional.of(SECRET), true, running.backupJob(), List.of(), Optional.empty(),
                List.of(), Optional.empty(), List.of());
        assertThat(MigrationPhases.decide(mj, production).phase()).as("Production forces the backup").isEqualTo(Phase.BackingUp);
    }

    @Test
    void aFailedMigrationRunsTheRollbackAndEndsRolledBack() {
        MigrationJob mj = mj("rollback: {command: [undo]}");
        Pod crashed = pod("migrate", 1, "ERROR: relation \"orders\" already exists");
        Optional<Job> failedJob = Optional.of(job("shop-v2-migrate", "Failed", 0, 2, 0));
        Step rollingBack = MigrationPhases.decide(mj, facts(Optional.empty(), List.of(), failedJob, List.of(crashed), Optional.empty(), List.of()));
        assertThat(rollingBack.phase()).isEqualTo(Phase.RollingBack);
        assertThat(rollingBack.action()).isEqualTo(Action.CREATE_ROLLBACK);
        MigrationJobStatus status = STATUS.status(mj, rollingBack);
        assertThat(status.message).isEqualTo("ERROR: relation \"orders\" already exists");
        assertThat(status.attempts).isEqualTo(2);
        assertThat(status.rollbackJob).isEqualTo("shop-v2-rollback");
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionTypes.FAILED)).isTrue();

        Step rolledBack = MigrationPhases.decide(mj, facts(Optional.empty(), List.of(), failedJob, List.of(crashed),
                Optional.of(job("shop-v2-rollback", "Complete", 0, 0, 1)), List.of()));
        assertThat(rolledBack.phase()).isEqualTo(Phase.RolledBack);
        withStatus(mj, rolledBack);
        assertThat(mj.getStatus().completedAt).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(ConditionFactory.isTrue(mj.getStatus().conditions, ConditionFactory.STALLED)).isTrue();
        // Final: even with its Jobs gone nothing is created again.
        assertThat(MigrationPhases.decide(mj, nothing()).action()).isEqualTo(Action.NONE);
        assertThat(MigrationPhases.decide(mj, nothing()).phase()).isEqualTo(Phase.RolledBack);
    }

    @Test
    void aFailedRollbackOrNoneEndsFailed() {
        Optional<Job> failedJob = Optional.of(job("shop-v2-migrate", "Failed", 0, 1, 0));
        Step none = MigrationPhases.decide(mj(""), facts(Optional.empty(), List.of(), failedJob, List.of(), Optional.empty(), List.of()));
        assertThat(none.phase()).isEqualTo(Phase.Failed);
        assertThat(none.failure()).as("the Job's reason when no pod said why").startsWith("BackoffLimitExceeded");

        Step failedRollback = MigrationPhases.decide(mj("rollback: {command: [undo]}"), facts(Optional.empty(), List.of(), failedJob, List.of(),
                Optional.of(job("shop-v2-rollback", "Failed", 0, 1, 0)), List.of(pod("rollback", 2, "undo: nothing to undo"))));
        assertThat(failedRollback.phase()).isEqualTo(Phase.Failed);
        assertThat(failedRollback.failure()).contains("rollback failed: undo: nothing to undo");
    }

    @Test
    void succeededIsFinalAndASecondReconcileWritesTheSameStatus() {
        MigrationJob mj = mj("");
        Step done = MigrationPhases.decide(mj, facts(Optional.empty(), List.of(), Optional.of(job("shop-v2-migrate", "Complete", 0, 0, 1)),
                List.of(), Optional.empty(), List.of()));
        assertThat(done.phase()).isEqualTo(Phase.Succeeded);
        withStatus(mj, done);
        assertThat(ConditionFactory.isTrue(mj.getStatus().conditions, ConditionFactory.READY)).isTrue();
        assertThat(ConditionFactory.isTrue(mj.getStatus().conditions, ConditionTypes.COMPLETE)).isTrue();
        MigrationJobStatus again = STATUS.status(mj, MigrationPhases.decide(mj, nothing()));
        assertThat(Serialization.asJson(again)).isEqualTo(Serialization.asJson(mj.getStatus()));
        assertThat(STATUS.transitions(mj.getStatus(), again)).isEmpty();
    }

    @Test
    void missingPolicyOrSecretStallsWithARemedy() {
        Facts noPolicy = new Facts(Optional.empty(), Optional.of(SECRET), false, Optional.empty(), List.of(), Optional.empty(), List.of(),
                Optional.empty(), List.of());
        Step step = MigrationPhases.decide(mj("backup: {policy: nightly}"), noPolicy);
        assertThat(step.reason()).isEqualTo("BackupPolicyNotFound");
        assertThat(step.message()).contains("BackupPolicy nightly not found in shop; create it");
        assertThat(step.outcome()).isEqualTo(MigrationPhases.Outcome.STALLED);

        Facts noSecret = new Facts(Optional.empty(), Optional.empty(), false, Optional.empty(), List.of(), Optional.empty(), List.of(),
                Optional.empty(), List.of());
        Step secret = MigrationPhases.decide(mj(""), noSecret);
        assertThat(secret.reason()).isEqualTo("SecretNotFound");
        assertThat(secret.action()).isEqualTo(Action.NONE);
        assertThat(secret.message()).contains("Secret shop-db not found in shop; create it with keys host, port, database, username, password");
        var transitions = STATUS.transitions(null, STATUS.status(mj(""), secret));
        assertThat(transitions).singleElement().satisfies(t -> {
            assertThat(t.warning()).isTrue();
            assertThat(t.reason()).isEqualTo("SecretNotFound");
            assertThat(t.message()).doesNotContain("not-real");
        });
    }

    @Test
    void engineKeyPicksTheVariables() {
        assertThat(MigrationJobFactory.engine(null)).contains(dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine.PostgreSQL);
        assertThat(MigrationJobFactory.engine("mariadb")).contains(dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine.MySQL);
        assertThat(MigrationJobFactory.engine("oracle")).isEmpty();
        Secret oracle = new SecretBuilder().withNewMetadata().withName("shop-db").endMetadata().withStringData(Map.of("engine", "Oracle")).build();
        Step step = MigrationPhases.decide(mj(""), new Facts(Optional.empty(), Optional.of(oracle), false, Optional.empty(), List.of(),
                Optional.empty(), List.of(), Optional.empty(), List.of()));
        assertThat(step.reason()).isEqualTo("UnsupportedEngine");
    }

    @Test
    void longNamesStayWithinSixtyThreeCharacters() {
        String name = "a".repeat(60);
        assertThat(MigrationNames.child(name, "rollback")).hasSizeLessThanOrEqualTo(63).endsWith("-rollback");
        assertThat(MigrationNames.child(name, "rollback")).isNotEqualTo(MigrationNames.child("a".repeat(59) + "b", "rollback"));
        assertThat(MigrationNames.forImage("b".repeat(80), "shop:1")).hasSize(63).matches("[a-z0-9-]+");
        assertThat(MigrationNames.forImage("shop", "shop:1")).matches("shop-[0-9a-f]{8}");
    }
}
