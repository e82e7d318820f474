package dev.runway.operator.restore;

import java.util.List;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreSpec;
import dev.runway.operator.api.v1alpha1.RestoreSpec.BackupSelector.Select;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.api.v1alpha1.RestoreStatus.Phase;
import dev.runway.operator.backup.BackupJobs;
import dev.runway.operator.backup.TerminationMessages;
import dev.runway.operator.backup.VolumeUsers;
import dev.runway.operator.migration.JobOutcome;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The next step of a Restore, decided from what the informers hold. Pure. The order is fixed:
 * inputs (policy, Secret, the backup to use) → in place only: the safety backup → the restore Job
 * → its report. Each Job is created once; a finished Restore never starts anything again.
 */
public final class RestorePhases {
    private RestorePhases() {
    }

    /** What exists now. {@code busy}: another running Job of the policy (the volume is in use). */
    public record Facts(Optional<BackupPolicy> policy, Optional<Secret> secret, Optional<MigrationJob> migrationJob,
            Optional<Job> restoreJob, List<Pod> restorePods, boolean restoreJobGone,
            Optional<Job> safetyJob, List<Pod> safetyPods, Optional<Job> busy) {
    }

    public enum Action { NONE, CREATE_SAFETY_BACKUP, CREATE_RESTORE }

    /** How the step stands for the conditions: under way, waiting, needing a human, done. */
    public enum Outcome { PROGRESSING, WAITING, STALLED, SUCCEEDED, FAILED }

    /**
     * @param backup     the backup file to restore (null: the newest, chosen by the Job)
     * @param safety     the safety backup once it succeeded (in place only)
     * @param report     the restore Job's report once it finished
     */
    public record Step(Phase phase, Action action, Outcome outcome, String reason, String message, String backup,
            RestoreStatus.SafetyBackup safety, RestoreReport report) {
        static Step stalled(String reason, String message) {
            return new Step(Phase.Pending, Action.NONE, Outcome.STALLED, reason, message, null, null, null);
        }
    }

    public static Step decide(Restore restore, Facts facts) {
        RestoreSpec spec = restore.getSpec();
        RestoreStatus previous = restore.getStatus();
        String ns = restore.getMetadata().getNamespace();
        if (previous != null && (previous.phase == Phase.Succeeded || previous.phase == Phase.Failed)) {
            // The record stays as it is, even after its Jobs are gone.
            return new Step(previous.phase, Action.NONE, previous.phase == Phase.Succeeded ? Outcome.SUCCEEDED : Outcome.FAILED,
                    null, previous.message, previous.backup == null ? null : previous.backup.name, previous.safetyBackup, null);
        }
        RestoreStatus.SafetyBackup knownSafety = previous == null ? null : previous.safetyBackup;
        String knownBackup = previous == null || previous.backup == null ? null : previous.backup.name;

        if (facts.restoreJob().isPresent()) {
            return fromRestoreJob(facts, knownBackup, knownSafety);
        }
        if (facts.restoreJobGone()) {
            return new Step(Phase.Failed, Action.NONE, Outcome.FAILED, "RestoreJobDeleted", "the restore Job "
                    + RestoreNames.restoreJob(restore) + " was deleted before it reported a result; check the database by hand, then create a new Restore",
                    knownBackup, knownSafety, null);
        }

        // Inputs.
        if (facts.policy().isEmpty()) {
            return Step.stalled("BackupPolicyNotFound", "BackupPolicy " + spec.backupPolicy + " not found in " + ns
                    + "; create it or fix spec.backupPolicy");
        }
        BackupPolicy policy = facts.policy().get();
        String secretName = policy.getSpec().database.secretRef;
        if (facts.secret().isEmpty()) {
            return Step.stalled("SecretNotFound", "Secret " + secretName + " (spec.database.secretRef of BackupPolicy "
                    + spec.backupPolicy + ") not found in " + ns + "; create it");
        }
        Select select = spec.backup == null || spec.backup.select == null ? Select.Latest : spec.backup.select;
        String backup;
        switch (select) {
            case Named -> backup = spec.backup.name;
            case LatestVerified -> {
                var v = policy.getStatus() == null ? null : policy.getStatus().lastVerification;
                if (knownBackup != null) {
                    backup = knownBackup;
                } else if (v == null || !"Passed".equals(v.result) || v.backup == null) {
                    return Step.stalled("NoVerifiedBackup", "BackupPolicy " + spec.backupPolicy + " has no passed verification"
                            + (v == null ? " yet" : " (its newest verification " + (v.result == null ? "reported nothing" : v.result) + ")")
                            + "; wait for one, or choose spec.backup.select: Named or Latest");
                } else {
                    backup = v.backup;
                }
            }
            case PreMigration -> {
                String mjName = spec.backup.migrationJob;
                if (facts.migrationJob().isEmpty()) {
                    return Step.stalled("MigrationJobNotFound", "MigrationJob " + mjName + " (spec.backup.migrationJob) not found in " + ns);
                }
                MigrationJob mj = facts.migrationJob().get();
                if (mj.getSpec().backup == null || !spec.backupPolicy.equals(mj.getSpec().backup.policy)) {
                    return Step.stalled("MigrationBackupElsewhere", "MigrationJob " + mjName + (mj.getSpec().backup == null
                            ? " takes no backup (its spec.backup is unset)"
                            : " keeps its backup on BackupPolicy " + mj.getSpec().backup.policy + ", not spec.backupPolicy " + spec.backupPolicy));
                }
                if (mj.getStatus() == null || mj.getStatus().backup == null || mj.getStatus().backup.name == null) {
                    return Step.stalled("MigrationBackupNotFound", "MigrationJob " + mjName + " has no pre-migration backup (status.backup.name is unset)");
                }
                backup = mj.getStatus().backup.name;
            }
            default -> backup = null;
        }
        String policyName = policy.getMetadata().getName();

        // In place: a fresh, pinned backup of what is there first.
        RestoreStatus.SafetyBackup safety = knownSafety;
        if (inPlace(spec) && (safety == null || safety.name == null)) {
            if (facts.safetyJob().isEmpty()) {
                if (facts.busy().isPresent()) {
                    return waiting(facts, policyName, backup);
                }
                return new Step(Phase.SafetyBackup, Action.CREATE_SAFETY_BACKUP, Outcome.PROGRESSING, "TakingSafetyBackup",
                        "backing up the policy's database before replacing its data (Job " + RestoreNames.safetyBackupJob(restore) + ")",
                        backup, null, null);
            }
            Job job = facts.safetyJob().get();
            JobOutcome outcome = JobOutcome.of(facts.safetyJob(), facts.safetyPods(), BackupJobs.BACKUP_CONTAINER);
            switch (outcome.state()) {
                case FAILED -> {
                    return new Step(Phase.Failed, Action.NONE, Outcome.FAILED, "SafetyBackupFailed", "the safety backup (Job "
                            + job.getMetadata().getName() + ") failed, so nothing was replaced: " + outcome.message(), backup, null, null);
                }
                case SUCCEEDED -> {
                    var report = JobOutcome.lastTerminated(facts.safetyPods(), BackupJobs.BACKUP_CONTAINER)
                            .flatMap(t -> TerminationMessages.backup(t.getMessage()));
                    if (report.isEmpty() || report.get().name() == null) {
                        return new Step(Phase.Failed, Action.NONE, Outcome.FAILED, "SafetyBackupFailed", "the safety backup (Job "
                                + job.getMetadata().getName() + ") reported no backup name, so nothing was replaced", backup, null, null);
                    }
                    safety = new RestoreStatus.SafetyBackup();
                    safety.job = job.getMetadata().getName();
                    safety.name = report.get().name();
                    safety.completedAt = report.get().completedAt();
                }
                default -> {
                    return new Step(Phase.SafetyBackup, Action.NONE, Outcome.PROGRESSING, "TakingSafetyBackup",
                            "backing up the policy's database before replacing its data (Job " + job.getMetadata().getName() + ")",
                            backup, null, null);
                }
            }
        }

        if (facts.busy().isPresent()) {
            Step wait = waiting(facts, policyName, backup);
            return new Step(wait.phase(), wait.action(), wait.outcome(), wait.reason(), wait.message(), backup, safety, null);
        }
        return new Step(Phase.Restoring, Action.CREATE_RESTORE, Outcome.PROGRESSING, "Restoring",
                "restoring " + (backup == null ? "the newest backup" : backup) + " (Job " + RestoreNames.restoreJob(restore) + ")",
                backup, safety, null);
    }

    static boolean inPlace(RestoreSpec spec) {
        return spec.target != null && Boolean.TRUE.equals(spec.target.inPlace);
    }

    private static Step waiting(Facts facts, String policy, String backup) {
        return new Step(Phase.Pending, Action.NONE, Outcome.WAITING, "WaitingForVolume", VolumeUsers.waitingFor(facts.busy().get(), policy),
                backup, null, null);
    }

    private static Step fromRestoreJob(Facts facts, String knownBackup, RestoreStatus.SafetyBackup safety) {
        Job job = facts.restoreJob().get();
        JobOutcome outcome = JobOutcome.of(facts.restoreJob(), facts.restorePods(), BackupJobs.RESTORE_CONTAINER);
        Optional<RestoreReport> report = JobOutcome.lastTerminated(facts.restorePods(), BackupJobs.RESTORE_CONTAINER)
                .flatMap(t -> RestoreReport.parse(t.getMessage()));
        String backup = report.map(RestoreReport::backup).orElse(knownBackup);
        String name = job.getMetadata().getName();
        switch (outcome.state()) {
            case SUCCEEDED -> {
                if (report.isEmpty() || !report.get().succeeded()) {
                    return new Step(Phase.Failed, Action.NONE, Outcome.FAILED, "NoReport", "the restore Job " + name
                            + " completed without reporting what it restored; check the target database by hand", backup, safety, null);
                }
                RestoreReport r = report.get();
                return new Step(Phase.Succeeded, Action.NONE, Outcome.SUCCEEDED, "Restored", "restored " + r.backup() + " into "
                        + r.target() + (Boolean.TRUE.equals(r.inPlace()) ? " (in place)" : "") + ": " + r.tables() + " tables, "
                        + r.rows() + " rows in " + r.durationSeconds() + "s", backup, safety, r);
            }
            case FAILED -> {
                String field = report.map(RestoreReport::field).orElse(null);
                String reason = field == null ? "RestoreFailed"
                        : field.startsWith("spec.target") ? "TargetRefused" : field.startsWith("spec.backup") ? "BackupNotFound" : "RestoreFailed";
                String message = report.filter(r -> r.message() != null).map(RestoreReport::message).orElse(outcome.message());
                return new Step(Phase.Failed, Action.NONE, Outcome.FAILED, reason,
                        (field == null ? "" : field + ": ") + message, backup, safety, report.orElse(null));
            }
            default -> {
                return new Step(Phase.Restoring, Action.NONE, Outcome.PROGRESSING, "Restoring",
                        "restoring " + (backup == null ? "the newest backup" : backup) + " (Job " + name + ")", backup, safety, null);
            }
        }
    }

}
