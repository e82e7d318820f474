package dev.runway.operator.backup;

import static dev.runway.operator.api.v1alpha1.ConditionTypes.BACKUPS_FRESH;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.VERIFIED;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.MONITORING;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.RECOVERY_TIME_OBJECTIVE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.runway.operator.common.Times;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus.BackupInfo;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus.Failure;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus.VerificationInfo;
import dev.runway.operator.backup.BackupResults.Observed;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.ConditionFactory.Outcome;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.Transition;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The status of a BackupPolicy: results merged into what status already holds (so nothing is
 * forgotten when Kubernetes deletes old Jobs), and the conditions Ready, Stalled, Reconciling,
 * BackupsFresh, Verified and Monitoring. Time comes from the injected clock only.
 */
public class BackupStatusFactory {
    /** How often a policy is looked at again while the PrometheusRule CRD is missing, to notice it being installed. */
    static final Duration MONITORING_RECHECK = Duration.ofMinutes(5);

    private final Clock clock;
    private final ConditionFactory conditions;

    public BackupStatusFactory(Clock clock) {
        this.clock = clock;
        this.conditions = new ConditionFactory(clock);
    }


    /** The status for {@code policy}, given the plan and what its pods and Jobs report. */
    public BackupPolicyStatus status(BackupPolicy policy, BackupPlan plan, Observed observed) {
        Instant now = clock.instant();
        BackupPolicyStatus status = base(policy);
        merge(status, observed);
        status.nextScheduleTime = plan.nextRun() == null ? null : plan.nextRun().toString();
        Long generation = policy.getMetadata().getGeneration();
        var list = status.conditions;
        if (plan.blocked()) {
            conditions.summary(list, Outcome.STALLED, plan.problem(), plan.problemText(), generation);
        } else {
            boolean suspended = Boolean.TRUE.equals(policy.getSpec().suspend);
            conditions.summary(list, Outcome.READY, suspended ? "Suspended" : "Scheduled", scheduledMessage(policy, suspended), generation);
        }
        fresh(status, policy, plan, now);
        verified(status, policy);
        recoveryTime(status, policy);
        if (plan.monitoring()) {
            conditions.set(list, MONITORING, true, "PrometheusRuleApplied", "PrometheusRule " + BackupNames.alerts(policy)
                    + " alerts on BackupStale, BackupFailed and VerificationFailed", generation);
        } else {
            conditions.set(list, MONITORING, false, "PrometheusOperatorNotInstalled", "the monitoring.coreos.com/v1 PrometheusRule CRD"
                    + " is not installed, so there are no backup alerts; install the Prometheus Operator to get them"
                    + " (the runway_backup_* metrics are exported either way)", generation);
        }
        return status;
    }

    /** The status when the reconcile itself failed (API error, permission, quota): results kept, Reconciling while retrying. */
    public BackupPolicyStatus error(BackupPolicy policy, String message) {
        BackupPolicyStatus status = base(policy);
        Long generation = policy.getMetadata().getGeneration();
        conditions.retrying(status.conditions, message, generation);
        return status;
    }

    /** When BackupsFresh would turn False if no backup succeeds before; empty when that cannot be said or has happened. */
    Optional<Instant> staleAt(BackupPolicy policy, BackupPlan plan, BackupPolicyStatus status) {
        if (plan.staleAfter() == null) {
            return Optional.empty();
        }
        Instant last = Times.parse(status.lastSuccessfulBackupTime);
        Instant from = last != null ? last : created(policy);
        return Optional.of(from.plus(plan.staleAfter()));
    }

    /** How long until this policy must be looked at again without any event: freshness expiring, or the CRD check. */
    Optional<Duration> recheckAfter(BackupPolicy policy, BackupPlan plan, BackupPolicyStatus status) {
        Instant now = clock.instant();
        Optional<Duration> untilStale = staleAt(policy, plan, status).filter(t -> t.isAfter(now))
                // One second late, so that the reconcile then sees the deadline passed.
                .map(t -> Duration.between(now, t).plusSeconds(1));
        if (plan.monitoring()) {
            return untilStale;
        }
        return Optional.of(untilStale.filter(d -> d.compareTo(MONITORING_RECHECK) < 0).orElse(MONITORING_RECHECK));
    }

    /** Events for what changed between {@code before} and {@code after}. */
    public List<Transition> transitions(BackupPolicy policy, BackupPolicyStatus before, BackupPolicyStatus after) {
        List<Transition> out = new ArrayList<>();
        String ns = policy.getMetadata().getNamespace();
        BackupInfo b = after.lastBackup;
        if (b != null && (before == null || before.lastBackup == null || !Objects.equals(before.lastBackup.job, b.job)
                || !Objects.equals(before.lastBackup.completedAt, b.completedAt))) {
            out.add(new Transition(false, "BackupSucceeded", "backup " + (b.name == null ? "(unnamed)" : b.name) + " written by Job "
                    + b.job + " at " + b.completedAt + (b.sizeBytes == null ? "" : ", " + b.sizeBytes + " bytes")
                    + (b.durationSeconds == null ? "" : " in " + b.durationSeconds + "s")
                    + (after.backups == null ? "" : "; " + after.backups + " backups on storage")));
        }
        Failure f = after.lastFailure;
        if (f != null && (before == null || before.lastFailure == null || !Objects.equals(before.lastFailure.job, f.job)
                || !Objects.equals(before.lastFailure.failedAt, f.failedAt))) {
            out.add(new Transition(true, "BackupFailed", "Job " + f.job + " failed at " + f.failedAt + ": " + f.message
                    + ". See kubectl logs job/" + f.job + " -n " + ns + " while the Job exists, and check Secret "
                    + policy.getSpec().database.secretRef + "."));
        }
        VerificationInfo v = after.lastVerification;
        if (v != null && (before == null || before.lastVerification == null || !Objects.equals(before.lastVerification.job, v.job)
                || !Objects.equals(before.lastVerification.completedAt, v.completedAt))) {
            if ("Passed".equals(v.result)) {
                out.add(new Transition(false, "VerificationPassed", verifiedMessage(v)));
            } else {
                out.add(new Transition(true, "VerificationFailed", verifiedMessage(v)));
            }
        }
        Optional<Condition> fresh = ConditionFactory.find(after.conditions, BACKUPS_FRESH);
        if (fresh.filter(c -> ConditionFactory.FALSE.equals(c.getStatus())).isPresent()
                && !statusOf(before, BACKUPS_FRESH).equals(ConditionFactory.FALSE)) {
            out.add(new Transition(true, "BackupStale", fresh.get().getMessage()));
        }
        Optional<Condition> stalled = ConditionFactory.find(after.conditions, ConditionFactory.STALLED);
        if (stalled.filter(c -> ConditionFactory.TRUE.equals(c.getStatus())).isPresent()
                && (!statusOf(before, ConditionFactory.STALLED).equals(ConditionFactory.TRUE)
                        || !Objects.equals(reasonOf(before, ConditionFactory.STALLED), stalled.get().getReason()))) {
            out.add(new Transition(true, stalled.get().getReason(), stalled.get().getMessage()));
        }
        Optional<Condition> monitoring = ConditionFactory.find(after.conditions, MONITORING);
        if (monitoring.filter(c -> ConditionFactory.FALSE.equals(c.getStatus())).isPresent()
                && !statusOf(before, MONITORING).equals(ConditionFactory.FALSE)) {
            out.add(new Transition(false, monitoring.get().getReason(), monitoring.get().getMessage()));
        }
        return out;
    }

    private BackupPolicyStatus base(BackupPolicy policy) {
        BackupPolicyStatus status = StatusSupport.copy(policy.getStatus(), BackupPolicyStatus.class);
        status = status == null ? new BackupPolicyStatus() : status;
        status.observedGeneration = policy.getMetadata().getGeneration();
        return status;
    }

    /** Newer results replace older ones; a failure older than the newest success is history, not news. */
    private static void merge(BackupPolicyStatus status, Observed observed) {
        Optional<BackupInfo> known = Optional.ofNullable(status.lastBackup);
        Optional<BackupInfo> newest = BackupResults.newer(known, observed.success().map(BackupResults.Success::info), b -> b.completedAt);
        if (newest.isPresent() && newest != known) {
            status.lastBackup = newest.get();
            status.lastSuccessfulBackupTime = newest.get().completedAt;
            Integer backups = observed.success().get().backups();
            if (backups != null) {
                status.backups = backups;
            }
            List<TerminationMessages.Pin> pins = observed.success().get().pins();
            if (pins != null) {
                status.pinnedBackups = pins.isEmpty() ? null : pins.stream().map(p -> {
                    BackupPolicyStatus.Pin pin = new BackupPolicyStatus.Pin();
                    pin.name = p.name();
                    pin.until = p.until();
                    return pin;
                }).toList();
            }
        }
        status.lastFailure = BackupResults.newer(Optional.ofNullable(status.lastFailure), observed.failure(), x -> x.failedAt).orElse(null);
        if (status.lastFailure != null && status.lastSuccessfulBackupTime != null
                && Times.compare(status.lastFailure.failedAt, status.lastSuccessfulBackupTime) <= 0) {
            status.lastFailure = null;
        }
        status.lastVerification = BackupResults.newer(Optional.ofNullable(status.lastVerification), observed.verification(),
                x -> x.completedAt).orElse(null);
    }

    private void fresh(BackupPolicyStatus status, BackupPolicy policy, BackupPlan plan, Instant now) {
        Long generation = policy.getMetadata().getGeneration();
        Optional<Instant> staleAt = staleAt(policy, plan, status);
        if (staleAt.isEmpty()) {
            conditions.set(status.conditions, BACKUPS_FRESH, ConditionFactory.UNKNOWN, "ScheduleUnusable",
                    "freshness cannot be judged until the schedule can be read; see the Stalled condition", generation);
            return;
        }
        String name = policy.getMetadata().getName();
        String limit = Times.human(plan.staleAfter());
        String source = Objectives.recoveryPoint(policy.getSpec()).isPresent() ? "spec.objectives.recoveryPoint" : "twice the schedule interval";
        String check = "check status.lastFailure and the backup Jobs (kubectl get jobs -n " + policy.getMetadata().getNamespace()
                + " -l " + BackupNames.POLICY_LABEL + "=" + name + "), or take one now with kubectl annotate backuppolicy " + name + " "
                + OnDemandBackups.ANNOTATION + "=";
        boolean expired = now.isAfter(staleAt.get());
        if (status.lastSuccessfulBackupTime != null) {
            String newest = "the newest backup" + (status.lastBackup.name == null ? "" : " " + status.lastBackup.name)
                    + " completed at " + status.lastSuccessfulBackupTime;
            if (expired) {
                conditions.set(status.conditions, BACKUPS_FRESH, false, "BackupStale", newest + ", more than " + limit
                        + " (" + source + ") ago; " + check, generation);
            } else {
                conditions.set(status.conditions, BACKUPS_FRESH, true, "BackupRecent", newest + "; it counts as stale after "
                        + staleAt.get() + " (" + source + ", " + limit + ")", generation);
            }
        } else if (expired) {
            conditions.set(status.conditions, BACKUPS_FRESH, false, "NoBackupYet", "no backup has succeeded since the policy was created at "
                    + created(policy) + ", more than " + limit + " (" + source + ") ago; " + check, generation);
        } else {
            conditions.set(status.conditions, BACKUPS_FRESH, ConditionFactory.UNKNOWN, "AwaitingFirstBackup", "no backup yet; BackupsFresh"
                    + " turns False at " + staleAt.get() + " unless one succeeds before", generation);
        }
    }

    /** RecoveryTimeObjective, only while spec.objectives.recoveryTime is set: the newest verification's restore time against it. */
    private void recoveryTime(BackupPolicyStatus status, BackupPolicy policy) {
        Optional<Duration> objective = Objectives.recoveryTime(policy.getSpec());
        if (objective.isEmpty()) {
            status.conditions.removeIf(c -> RECOVERY_TIME_OBJECTIVE.equals(c.getType()));
            return;
        }
        Long generation = policy.getMetadata().getGeneration();
        String target = policy.getSpec().objectives.recoveryTime;
        VerificationInfo v = status.lastVerification;
        if (policy.getSpec().verification == null) {
            conditions.set(status.conditions, RECOVERY_TIME_OBJECTIVE, ConditionFactory.UNKNOWN, "VerificationNotConfigured",
                    "spec.objectives.recoveryTime is " + target + ", but nothing measures a restore: set spec.verification.schedule", generation);
        } else if (v == null || !"Passed".equals(v.result) || v.durationSeconds == null) {
            conditions.set(status.conditions, RECOVERY_TIME_OBJECTIVE, ConditionFactory.UNKNOWN, "NotMeasuredYet",
                    "no passed verification restore has measured a restore yet (spec.objectives.recoveryTime " + target + ")", generation);
        } else if (v.durationSeconds > objective.get().toSeconds()) {
            conditions.set(status.conditions, RECOVERY_TIME_OBJECTIVE, false, "RecoveryTimeObjectiveMissed", "restoring backup " + v.backup
                    + " took " + Times.human(Duration.ofSeconds(v.durationSeconds)) + " (verification Job " + v.job + "), more than "
                    + "spec.objectives.recoveryTime " + target + ": restore to a faster volume or database, back up less, or raise the objective",
                    generation);
        } else {
            conditions.set(status.conditions, RECOVERY_TIME_OBJECTIVE, true, "RecoveryTimeObjectiveMet", "restoring backup " + v.backup
                    + " took " + Times.human(Duration.ofSeconds(v.durationSeconds)) + ", within spec.objectives.recoveryTime " + target,
                    generation);
        }
    }

    private void verified(BackupPolicyStatus status, BackupPolicy policy) {
        Long generation = policy.getMetadata().getGeneration();
        VerificationInfo v = status.lastVerification;
        if (v != null) {
            boolean passed = "Passed".equals(v.result);
            conditions.set(status.conditions, VERIFIED, passed, passed ? "VerificationPassed" : "VerificationFailed", verifiedMessage(v),
                    generation);
        } else if (policy.getSpec().verification == null) {
            conditions.set(status.conditions, VERIFIED, ConditionFactory.UNKNOWN, "VerificationNotConfigured",
                    "backups are not restored to check them; set spec.verification.schedule to do that regularly", generation);
        } else {
            conditions.set(status.conditions, VERIFIED, ConditionFactory.UNKNOWN, "NotVerifiedYet",
                    "no verification has run yet (schedule '" + policy.getSpec().verification.schedule.trim() + "')", generation);
        }
    }

    private static String verifiedMessage(VerificationInfo v) {
        String backup = v.backup == null ? "the newest backup" : "backup " + v.backup;
        if ("Passed".equals(v.result)) {
            return backup + " was restored into a scratch database at " + v.completedAt
                    + (v.tables == null ? "" : " with " + v.tables + " tables")
                    + (v.rows == null ? "" : ", " + v.rows + " rows") + (v.dumpedRows == null ? "" : " (as many as were dumped)")
                    + (v.durationSeconds == null ? "" : " in " + v.durationSeconds + "s")
                    + " (Job " + v.job + ")";
        }
        return "restoring " + backup + " failed at " + v.completedAt + ": " + v.message + " (Job " + v.job + ")";
    }

    private static String scheduledMessage(BackupPolicy policy, boolean suspended) {
        if (suspended) {
            return "scheduled backups and verifications are suspended (spec.suspend); on-demand backups still run";
        }
        var spec = policy.getSpec();
        String zone = spec.timeZone == null ? "" : " " + spec.timeZone;
        return "backups run on '" + spec.schedule.trim() + "'" + zone + " into PVC " + BackupNames.pvc(policy)
                + (spec.verification == null ? "" : "; verification on '" + spec.verification.schedule.trim() + "'");
    }

    private Instant created(BackupPolicy policy) {
        Instant created = Times.parse(policy.getMetadata().getCreationTimestamp());
        return created != null ? created : clock.instant();
    }

    private static String statusOf(BackupPolicyStatus status, String type) {
        return status == null ? "" : ConditionFactory.find(status.conditions, type).map(Condition::getStatus).orElse("");
    }

    private static String reasonOf(BackupPolicyStatus status, String type) {
        return status == null ? null : ConditionFactory.find(status.conditions, type).map(Condition::getReason).orElse(null);
    }
}
