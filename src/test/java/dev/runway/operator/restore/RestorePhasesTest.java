package dev.runway.operator.restore;

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
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.api.v1alpha1.RestoreStatus.Phase;
import dev.runway.operator.backup.BackupJobs;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.restore.RestorePhases.Action;
import dev.runway.operator.restore.RestorePhases.Facts;
import dev.runway.operator.restore.RestorePhases.Step;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The Restore's steps, one observed situation at a time, and the status each leads to. */
@Tag(Tiers.UNIT)
class RestorePhasesTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    static final RestoreStatusFactory STATUS = new RestoreStatusFactory(CLOCK);
    static final Secret SECRET = new SecretBuilder().withNewMetadata().withName("shop-db").endMetadata().build();
    static final BackupPolicy POLICY = Serialization.unmarshal("""
            apiVersion: runway.dev/v1alpha1
            kind: BackupPolicy
            metadata: {name: nightly, namespace: shop}
            spec:
              database: {engine: PostgreSQL, secretRef: shop-db}
              schedule: "0 2 * * *"
              storage: {persistentVolumeClaim: {size: 1Gi}}
            """, BackupPolicy.class);

    static Restore restore(String spec) {
        return Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Restore
                metadata: {name: shop-back, namespace: shop, generation: 1}
                spec:
                  backupPolicy: nightly
                """ + spec.indent(2), Restore.class);
    }

    static Facts facts(Optional<Job> restoreJob, List<Pod> restorePods, Optional<Job> safety, List<Pod> safetyPods, Optional<Job> busy) {
        return new Facts(Optional.of(POLICY), Optional.of(SECRET), Optional.empty(), restoreJob, restorePods, false, safety, safetyPods, busy);
    }

    static Facts nothingYet() {
        return facts(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty());
    }

    static Job job(String name, String condition) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName(name).withNamespace("shop")
                .withCreationTimestamp("2026-03-01T09:00:00Z").endMetadata();
        if (condition != null) {
            b.withNewStatus().addNewCondition().withType(condition).withStatus("True").endCondition().endStatus();
        }
        return b.build();
    }

    static Pod finished(String job, String container, int exitCode, String message) {
        return new PodBuilder().withNewMetadata().withName(job + "-x").addToLabels("batch.kubernetes.io/job-name", job).endMetadata()
                .withNewStatus().addNewContainerStatus().withName(container).withNewState().withNewTerminated().withExitCode(exitCode)
                .withMessage(message).withFinishedAt("2026-03-01T09:30:00Z").endTerminated().endState().endContainerStatus().endStatus()
                .build();
    }

    static RestoreStatus apply(Restore r, Step step) {
        RestoreStatus status = STATUS.status(r, step);
        r.setStatus(status);
        return status;
    }

    @Test
    void aNewDatabaseRestoreCreatesItsJobAtOnceAndNamesItsTarget() {
        Restore r = restore("");
        Step step = RestorePhases.decide(r, nothingYet());
        assertThat(step.action()).isEqualTo(Action.CREATE_RESTORE);
        assertThat(RestoreReconciler.restoreEnv(r, step)).containsEntry("RESTORE_TARGET", "shop_back")
                .containsEntry("RESTORE_IN_PLACE", "false").containsEntry("RESTORE_BACKUP", "").doesNotContainKey("RESTORE_SAFETY_BACKUP");
        RestoreStatus status = apply(r, step);
        assertThat(status.phase).isEqualTo(Phase.Restoring);
        assertThat(status.job).isEqualTo("shop-back-restore");
        assertThat(status.target.database).isEqualTo("shop_back");
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.RECONCILING)).isTrue();
    }

    @Test
    void theJobsReportBecomesTheStatusAndNothingStartsAgain() {
        Restore r = restore("backup: {select: Named, name: 20260301T020000Z.pgdump}\ntarget: {database: shop_copy}");
        apply(r, RestorePhases.decide(r, nothingYet()));
        String report = "{\"result\":\"Succeeded\",\"backup\":\"20260301T020000Z.pgdump\",\"sha256\":\"ab\",\"target\":\"shop_copy\","
                + "\"inPlace\":false,\"tables\":3,\"rows\":7503,\"durationSeconds\":4,\"startedAt\":\"2026-03-01T09:29:56Z\","
                + "\"completedAt\":\"2026-03-01T09:30:00Z\"}";
        Step done = RestorePhases.decide(r, facts(Optional.of(job("shop-back-restore", "Complete")),
                List.of(finished("shop-back-restore", BackupJobs.RESTORE_CONTAINER, 0, report)), Optional.empty(), List.of(), Optional.empty()));
        RestoreStatus status = apply(r, done);
        assertThat(status.phase).isEqualTo(Phase.Succeeded);
        assertThat(status.rows).isEqualTo(7503L);
        assertThat(status.tables).isEqualTo(3);
        assertThat(status.durationSeconds).isEqualTo(4L);
        assertThat(status.backup.name).isEqualTo("20260301T020000Z.pgdump");
        assertThat(status.backup.sha256).isEqualTo("ab");
        assertThat(ConditionFactory.find(status.conditions, "Ready").get().getMessage())
                .isEqualTo("restored 20260301T020000Z.pgdump into shop_copy: 3 tables, 7503 rows in 4s");
        // Its Jobs gone (or a later event): the record stays, nothing is created.
        Step later = RestorePhases.decide(r, nothingYet());
        assertThat(later.action()).isEqualTo(Action.NONE);
        assertThat(STATUS.status(r, later)).usingRecursiveComparison().isEqualTo(status);
    }

    @Test
    void aTargetThatExistsIsAFailureNamingTheField() {
        Restore r = restore("");
        apply(r, RestorePhases.decide(r, nothingYet()));
        String report = "{\"result\":\"Failed\",\"backup\":\"b.pgdump\",\"target\":\"shop_back\",\"field\":\"spec.target.database\","
                + "\"message\":\"database shop_back already exists\"}";
        RestoreStatus status = apply(r, RestorePhases.decide(r, facts(Optional.of(job("shop-back-restore", "Failed")),
                List.of(finished("shop-back-restore", BackupJobs.RESTORE_CONTAINER, 1, report)), Optional.empty(), List.of(), Optional.empty())));
        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.STALLED)).isTrue();
        assertThat(ConditionFactory.find(status.conditions, "Ready").get().getReason()).isEqualTo("TargetRefused");
        assertThat(status.message).isEqualTo("spec.target.database: database shop_back already exists");
    }

    @Test
    void inPlaceTakesThePinnedSafetyBackupFirstAndPassesItsName() {
        Restore r = restore("target: {inPlace: true, replaceExistingData: true}");
        Step first = RestorePhases.decide(r, nothingYet());
        assertThat(first.action()).isEqualTo(Action.CREATE_SAFETY_BACKUP);
        assertThat(apply(r, first).phase).isEqualTo(Phase.SafetyBackup);
        Step running = RestorePhases.decide(r, facts(Optional.empty(), List.of(), Optional.of(job("shop-back-safety-backup", null)),
                List.of(), Optional.empty()));
        assertThat(running.action()).isEqualTo(Action.NONE);
        String backup = "{\"result\":\"Succeeded\",\"name\":\"20260301T093000Z.pgdump\",\"completedAt\":\"2026-03-01T09:30:00Z\","
                + "\"pinned\":true}";
        Step restoring = RestorePhases.decide(r, facts(Optional.empty(), List.of(), Optional.of(job("shop-back-safety-backup", "Complete")),
                List.of(finished("shop-back-safety-backup", BackupJobs.BACKUP_CONTAINER, 0, backup)), Optional.empty()));
        assertThat(restoring.action()).isEqualTo(Action.CREATE_RESTORE);
        assertThat(RestoreReconciler.restoreEnv(r, restoring)).containsEntry("RESTORE_IN_PLACE", "true")
                .containsEntry("RESTORE_REPLACE_EXISTING_DATA", "true").containsEntry("RESTORE_SAFETY_BACKUP", "20260301T093000Z.pgdump")
                .doesNotContainKey("RESTORE_TARGET");
        RestoreStatus status = apply(r, restoring);
        assertThat(status.safetyBackup.name).isEqualTo("20260301T093000Z.pgdump");
        assertThat(status.safetyBackup.job).isEqualTo("shop-back-safety-backup");
    }

    @Test
    void aFailedSafetyBackupReplacesNothing() {
        Restore r = restore("target: {inPlace: true, replaceExistingData: true}");
        Step step = RestorePhases.decide(r, facts(Optional.empty(), List.of(), Optional.of(job("shop-back-safety-backup", "Failed")),
                List.of(finished("shop-back-safety-backup", BackupJobs.BACKUP_CONTAINER, 1, "{\"result\":\"Failed\",\"message\":\"disk full\"}")),
                Optional.empty()));
        assertThat(step.action()).isEqualTo(Action.NONE);
        assertThat(step.phase()).isEqualTo(Phase.Failed);
        assertThat(step.message()).contains("nothing was replaced");
    }

    @Test
    void anotherJobOnTheVolumeMakesTheRestoreWait() {
        Restore r = restore("");
        Step step = RestorePhases.decide(r, facts(Optional.empty(), List.of(), Optional.empty(), List.of(),
                Optional.of(job("nightly-backup-2903", null))));
        assertThat(step.action()).isEqualTo(Action.NONE);
        RestoreStatus status = apply(r, step);
        assertThat(status.phase).isEqualTo(Phase.Pending);
        assertThat(ConditionFactory.find(status.conditions, "Ready").get().getMessage())
                .contains("waiting for Job nightly-backup-2903 of BackupPolicy nightly");
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.RECONCILING)).isTrue();
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.STALLED)).isFalse();
    }

    @Test
    void missingInputsStallWithTheFieldNamed() {
        Restore r = restore("backup: {select: PreMigration, migrationJob: shop-v2}");
        Step noPolicy = RestorePhases.decide(r, new Facts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                false, Optional.empty(), List.of(), Optional.empty()));
        assertThat(noPolicy.message()).contains("BackupPolicy nightly not found in shop").contains("spec.backupPolicy");
        Step noSecret = RestorePhases.decide(r, new Facts(Optional.of(POLICY), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                false, Optional.empty(), List.of(), Optional.empty()));
        assertThat(noSecret.message()).contains("Secret shop-db").contains("not found");
        Step noMigration = RestorePhases.decide(r, nothingYet());
        assertThat(noMigration.reason()).isEqualTo("MigrationJobNotFound");
        assertThat(noMigration.message()).contains("spec.backup.migrationJob");
        MigrationJob mj = Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: shop-v2, namespace: shop}
                spec: {image: "shop:2", command: [migrate], databaseSecretRef: shop-db, backup: {policy: nightly}}
                status: {phase: Succeeded, backup: {job: shop-v2-backup, name: 20260301T080000Z.pgdump}}
                """, MigrationJob.class);
        Step pinned = RestorePhases.decide(r, new Facts(Optional.of(POLICY), Optional.of(SECRET), Optional.of(mj), Optional.empty(), List.of(),
                false, Optional.empty(), List.of(), Optional.empty()));
        assertThat(pinned.action()).isEqualTo(Action.CREATE_RESTORE);
        assertThat(pinned.backup()).isEqualTo("20260301T080000Z.pgdump");
        for (Step s : List.of(noPolicy, noSecret, noMigration)) {
            assertThat(s.action()).isEqualTo(Action.NONE);
            RestoreStatus status = STATUS.status(r, s);
            assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.STALLED)).isTrue();
            assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.READY)).isFalse();
        }
    }

    @Test
    void latestVerifiedTakesThePassedVerificationsBackupOrWaitsForOne() {
        Restore r = restore("backup: {select: LatestVerified}");
        Step none = RestorePhases.decide(r, nothingYet());
        assertThat(none.reason()).isEqualTo("NoVerifiedBackup");
        BackupPolicy verified = Serialization.clone(POLICY);
        verified.setStatus(Serialization.unmarshal("{\"lastVerification\":{\"backup\":\"20260301T020000Z.pgdump\",\"result\":\"Passed\"}}",
                dev.runway.operator.api.v1alpha1.BackupPolicyStatus.class));
        Step step = RestorePhases.decide(r, new Facts(Optional.of(verified), Optional.of(SECRET), Optional.empty(), Optional.empty(),
                List.of(), false, Optional.empty(), List.of(), Optional.empty()));
        assertThat(step.action()).isEqualTo(Action.CREATE_RESTORE);
        assertThat(RestoreReconciler.restoreEnv(r, step)).containsEntry("RESTORE_BACKUP", "20260301T020000Z.pgdump");
    }

    @Test
    void aDeletedRestoreJobIsAFailureNotASecondRun() {
        Restore r = restore("");
        apply(r, RestorePhases.decide(r, nothingYet()));
        Step step = RestorePhases.decide(r, new Facts(Optional.of(POLICY), Optional.of(SECRET), Optional.empty(), Optional.empty(), List.of(),
                true, Optional.empty(), List.of(), Optional.empty()));
        assertThat(step.action()).isEqualTo(Action.NONE);
        assertThat(step.phase()).isEqualTo(Phase.Failed);
        assertThat(Map.of("reason", step.reason())).containsEntry("reason", "RestoreJobDeleted");
    }
}
