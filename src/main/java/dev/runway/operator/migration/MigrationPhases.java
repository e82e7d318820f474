package dev.runway.operator.migration;

import java.util.List;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobSpec;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.BackupRef;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.backup.BackupJobs;
import dev.runway.operator.backup.TerminationMessages;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The phase machine of a MigrationJob: Pending → BackingUp → Running → Succeeded | Failed, and on a
 * failed migration with a rollback command RollingBack → RolledBack (or Failed). Pure: given the
 * MigrationJob and what the informers hold, it says the phase and the one Job to create, if any.
 * Succeeded, Failed and RolledBack are final: nothing is created after them, whatever happens to
 * the Jobs (they may be deleted by then).
 */
public final class MigrationPhases {
    private MigrationPhases() {
    }

    /** What to create in this reconcile. */
    public enum Action { NONE, CREATE_BACKUP, CREATE_MIGRATION, CREATE_ROLLBACK }

    /** Where the MigrationJob is; {@code stalled} when it waits for a human (a missing object, a final failure). */
    public enum Outcome { SUCCEEDED, PROGRESSING, STALLED }

    /**
     * What the informers hold for one MigrationJob.
     *
     * @param policy     the named BackupPolicy, if spec.backup is set and it exists
     * @param secret     the database Secret, if it exists
     * @param production the namespace belongs to a Production-tier Environment
     */
    public record Facts(Optional<BackupPolicy> policy, Optional<Secret> secret, boolean production,
            Optional<Job> backupJob, List<Pod> backupPods, Optional<Job> migrateJob, List<Pod> migratePods,
            Optional<Job> rollbackJob, List<Pod> rollbackPods) {
    }

    /**
     * The decision.
     *
     * @param backup       the backup taken, once known
     * @param backupReason reason of the BackupTaken condition; {@code BackupTaken} when backup is set
     * @param failure      status.message: why the migration (or its backup, or rollback) failed
     */
    public record Step(Phase phase, Action action, Outcome outcome, String reason, String message, Engine engine,
            BackupRef backup, String backupReason, String backupMessage, String failure, JobOutcome migration) {
    }

    /** Whether the migration waits for its backup: named policy and required (default true; always in Production). */
    public static boolean backupRequired(MigrationJobSpec spec, boolean production) {
        return spec.backup != null && (production || spec.backup.required == null || spec.backup.required);
    }

    public static Step decide(MigrationJob mj, Facts facts) {
        MigrationJobSpec spec = mj.getSpec();
        var previous = mj.getStatus();
        Phase before = previous == null ? null : previous.phase;
        BackupRef knownBackup = previous == null ? null : previous.backup;
        JobOutcome migration = JobOutcome.of(facts.migrateJob(), facts.migratePods(), MigrationJobFactory.MIGRATE_CONTAINER);
        Backup backup = backup(spec, facts, knownBackup);

        if (before == Phase.Succeeded || before == Phase.Failed || before == Phase.RolledBack) {
            return new Step(before, Action.NONE, before == Phase.Succeeded ? Outcome.SUCCEEDED : Outcome.STALLED,
                    reason(previous), readyMessage(previous), null, knownBackup, backup.reason, backup.message, previous.message, migration);
        }
        Optional<Engine> engine = facts.secret().flatMap(s -> MigrationJobFactory.engine(SecretKeys.text(s, "engine")));

        switch (migration.state()) {
            case SUCCEEDED:
                return step(Phase.Succeeded, Action.NONE, Outcome.SUCCEEDED, "MigrationSucceeded",
                        "migration Job " + MigrationNames.migrateJob(mj) + " completed", backup, null, migration);
            case RUNNING:
                return step(Phase.Running, Action.NONE, Outcome.PROGRESSING, "MigrationRunning",
                        "migration Job " + MigrationNames.migrateJob(mj) + " is running (attempts: " + migration.attempts() + ")",
                        backup, null, migration);
            case FAILED:
                return afterFailure(mj, facts, engine, backup, migration);
            default:
                break;
        }

        // No migration Job yet: the backup comes first.
        if (spec.backup != null) {
            if (facts.policy().isEmpty()) {
                return step(Phase.Pending, Action.NONE, Outcome.STALLED, "BackupPolicyNotFound", "BackupPolicy " + spec.backup.policy
                        + " not found in " + mj.getMetadata().getNamespace() + "; create it, or create a new MigrationJob without "
                        + "spec.backup (or naming an existing policy). Nothing runs until it exists.", backup, null, migration);
            }
            boolean required = backupRequired(spec, facts.production());
            if (facts.backupJob().isEmpty() && backup.ref == null) {
                return step(Phase.BackingUp, Action.CREATE_BACKUP, Outcome.PROGRESSING, "BackupStarted",
                        "starting backup Job " + MigrationNames.backupJob(mj) + " of BackupPolicy " + spec.backup.policy, backup, null, migration);
            }
            if (required && backup.failed) {
                return step(Phase.Failed, Action.NONE, Outcome.STALLED, "BackupFailed", "the backup before the migration failed: "
                        + backup.message + "; the migration did not run. Fix the backup and create a new MigrationJob.",
                        backup, backup.message, migration);
            }
            if (required && backup.ref == null) {
                return step(Phase.BackingUp, Action.NONE, Outcome.PROGRESSING, "BackingUp", "waiting for backup Job "
                        + MigrationNames.backupJob(mj) + " of BackupPolicy " + spec.backup.policy + " to succeed", backup, null, migration);
            }
        }
        Optional<Step> blocked = databaseBlocked(mj, facts, engine, backup, migration);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        return new Step(Phase.Running, Action.CREATE_MIGRATION, Outcome.PROGRESSING, "MigrationStarted",
                "starting migration Job " + MigrationNames.migrateJob(mj), engine.get(), backup.ref, backup.reason, backup.message, null, migration);
    }

    private static Step afterFailure(MigrationJob mj, Facts facts, Optional<Engine> engine, Backup backup, JobOutcome migration) {
        String failed = "migration Job " + MigrationNames.migrateJob(mj) + " failed: " + migration.message();
        if (mj.getSpec().rollback == null) {
            return step(Phase.Failed, Action.NONE, Outcome.STALLED, "MigrationFailed", failed
                    + ". No rollback command is set; fix the migration and create a new MigrationJob.", backup, migration.message(), migration);
        }
        JobOutcome rollback = JobOutcome.of(facts.rollbackJob(), facts.rollbackPods(), MigrationJobFactory.ROLLBACK_CONTAINER);
        switch (rollback.state()) {
            case SUCCEEDED:
                return step(Phase.RolledBack, Action.NONE, Outcome.STALLED, "RolledBack", failed + "; rollback Job "
                        + MigrationNames.rollbackJob(mj) + " completed.", backup, migration.message(), migration);
            case FAILED:
                return step(Phase.Failed, Action.NONE, Outcome.STALLED, "RollbackFailed", failed + "; the rollback failed too: "
                        + rollback.message() + ". The database needs a human (backup: "
                        + (backup.ref == null ? "none" : backup.ref.name) + ").", backup,
                        migration.message() + "; rollback failed: " + rollback.message(), migration);
            case RUNNING:
                return step(Phase.RollingBack, Action.NONE, Outcome.PROGRESSING, "RollingBack", failed + "; rollback Job "
                        + MigrationNames.rollbackJob(mj) + " is running", backup, migration.message(), migration);
            default:
                Optional<Step> blocked = databaseBlocked(mj, facts, engine, backup, migration);
                if (blocked.isPresent()) {
                    return blocked.get();
                }
                return new Step(Phase.RollingBack, Action.CREATE_ROLLBACK, Outcome.PROGRESSING, "RollingBack", failed
                        + "; starting rollback Job " + MigrationNames.rollbackJob(mj), engine.get(), backup.ref, backup.reason,
                        backup.message, migration.message(), migration);
        }
    }

    /** A Job cannot start without the database Secret or with an engine Runway does not know. */
    private static Optional<Step> databaseBlocked(MigrationJob mj, Facts facts, Optional<Engine> engine, Backup backup, JobOutcome migration) {
        Phase phase = migration.state() == JobOutcome.State.FAILED ? Phase.RollingBack : Phase.Pending;
        String secret = mj.getSpec().databaseSecretRef;
        if (facts.secret().isEmpty()) {
            return Optional.of(step(phase, Action.NONE, Outcome.STALLED, "SecretNotFound", "Secret " + secret + " not found in "
                    + mj.getMetadata().getNamespace() + "; create it with keys host, port, database, username, password "
                    + "(and optionally engine), the Secret spec.databaseSecretRef names. The Job starts once it exists.", backup, migration.message(), migration));
        }
        if (engine.isEmpty()) {
            return Optional.of(step(phase, Action.NONE, Outcome.STALLED, "UnsupportedEngine", "Secret " + secret
                    + " names an engine Runway does not know in its key engine; use PostgreSQL or MySQL.", backup, migration.message(), migration));
        }
        return Optional.empty();
    }

    private static Step step(Phase phase, Action action, Outcome outcome, String reason, String message, Backup backup, String failure,
            JobOutcome migration) {
        return new Step(phase, action, outcome, reason, message, null, backup.ref, backup.reason, backup.message, failure, migration);
    }

    private static String reason(dev.runway.operator.api.v1alpha1.MigrationJobStatus status) {
        return status.conditions.stream().filter(c -> "Ready".equals(c.getType())).map(c -> c.getReason()).findFirst()
                .orElse(status.phase.name());
    }

    private static String readyMessage(dev.runway.operator.api.v1alpha1.MigrationJobStatus status) {
        return status.conditions.stream().filter(c -> "Ready".equals(c.getType())).map(c -> c.getMessage()).findFirst()
                .orElse(status.message);
    }

    /** The pre-migration backup as far as known: taken (ref), failed, or neither yet. */
    record Backup(BackupRef ref, boolean failed, String reason, String message) {
    }

    static Backup backup(MigrationJobSpec spec, Facts facts, BackupRef known) {
        if (known != null) {
            return new Backup(known, false, "BackupTaken", "backup " + known.name + " taken by Job " + known.job);
        }
        if (spec.backup == null) {
            return new Backup(null, false, facts.production() ? "NoBackupPolicy" : "NotRequested", facts.production()
                    ? "no backup: this Production-tier MigrationJob names no BackupPolicy in spec.backup"
                    : "spec.backup is not set");
        }
        if (facts.backupJob().isEmpty()) {
            return new Backup(null, false, "BackupPending", "the backup Job has not been created yet");
        }
        Job job = facts.backupJob().get();
        var report = JobOutcome.lastTerminated(facts.backupPods(), BackupJobs.BACKUP_CONTAINER)
                .flatMap(t -> TerminationMessages.backup(t.getMessage()));
        if (report.isPresent() && report.get().succeeded()) {
            BackupRef ref = new BackupRef();
            ref.job = job.getMetadata().getName();
            ref.name = report.get().name();
            ref.completedAt = report.get().completedAt();
            ref.pinnedUntil = BackupJobs.pinEnd(job).orElse(null);
            return new Backup(ref, false, "BackupTaken", "backup " + ref.name + " taken by Job " + ref.job);
        }
        JobOutcome outcome = JobOutcome.of(facts.backupJob(), facts.backupPods(), BackupJobs.BACKUP_CONTAINER);
        if (report.isPresent() || outcome.state() == JobOutcome.State.FAILED) {
            String message = report.map(r -> r.message()).filter(m -> m != null && !m.isBlank()).orElse(outcome.message());
            return new Backup(null, true, "BackupFailed", "backup Job " + job.getMetadata().getName() + " failed: " + message);
        }
        return new Backup(null, false, "BackupInProgress", "backup Job " + job.getMetadata().getName() + " is running");
    }
}
