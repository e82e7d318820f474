package dev.runway.operator.restore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreSpec.BackupSelector.Select;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.api.v1alpha1.RestoreStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.Transition;
import dev.runway.operator.restore.RestorePhases.Action;
import dev.runway.operator.restore.RestorePhases.Outcome;
import dev.runway.operator.restore.RestorePhases.Step;

/** Turns a {@link Step} into a Restore's status (Ready, Reconciling, Stalled) and names the changes worth an Event. */
public class RestoreStatusFactory {
    private final ConditionFactory conditions;

    public RestoreStatusFactory(Clock clock) {
        this.conditions = new ConditionFactory(clock);
    }


    public RestoreStatus status(Restore restore, Step step) {
        RestoreStatus status = StatusSupport.copy(restore.getStatus(), RestoreStatus.class);
        status = status == null ? new RestoreStatus() : status;
        long generation = restore.getMetadata().getGeneration() == null ? 1L : restore.getMetadata().getGeneration();
        status.observedGeneration = generation;
        status.phase = step.phase();
        var spec = restore.getSpec();
        Select select = spec.backup == null || spec.backup.select == null ? Select.Latest : spec.backup.select;
        if (status.backup == null) {
            status.backup = new RestoreStatus.BackupUsed();
        }
        status.backup.select = select.name();
        if (step.backup() != null) {
            status.backup.name = step.backup();
        }
        if (status.target == null) {
            status.target = new RestoreStatus.TargetInfo();
            boolean inPlace = RestorePhases.inPlace(spec);
            status.target.inPlace = inPlace;
            status.target.database = inPlace ? null : RestoreNames.targetDatabase(restore);
        }
        if (step.safety() != null) {
            status.safetyBackup = step.safety();
        } else if (step.action() == Action.CREATE_SAFETY_BACKUP || step.phase() == Phase.SafetyBackup) {
            status.safetyBackup = new RestoreStatus.SafetyBackup();
            status.safetyBackup.job = RestoreNames.safetyBackupJob(restore);
        }
        if (step.action() == Action.CREATE_RESTORE || step.phase() == Phase.Restoring) {
            status.job = RestoreNames.restoreJob(restore);
        }
        RestoreReport report = step.report();
        if (report != null) {
            if (report.backup() != null) {
                status.backup.name = report.backup();
            }
            status.backup.sha256 = report.sha256();
            if (report.target() != null) {
                status.target.database = report.target();
            }
            status.tables = report.tables();
            status.rows = report.rows();
            status.startedAt = report.startedAt();
            status.completedAt = report.completedAt();
            status.durationSeconds = report.durationSeconds();
        }
        status.message = step.outcome() == Outcome.SUCCEEDED || step.outcome() == Outcome.PROGRESSING ? null : step.message();
        if (step.reason() != null) {
            conditions.summary(status.conditions, switch (step.outcome()) {
                case SUCCEEDED -> ConditionFactory.Outcome.READY;
                case PROGRESSING, WAITING -> ConditionFactory.Outcome.RECONCILING;
                case STALLED, FAILED -> ConditionFactory.Outcome.STALLED;
            }, step.reason(), step.message(), generation);
        }
        return status;
    }

    /** Status when the reconcile itself failed (API error, quota, permission): the phase stays, Runway retries. */
    public RestoreStatus error(Restore restore, String message) {
        RestoreStatus status = StatusSupport.copy(restore.getStatus(), RestoreStatus.class);
        status = status == null ? new RestoreStatus() : status;
        if (status.phase == null) {
            status.phase = Phase.Pending;
        }
        long generation = restore.getMetadata().getGeneration() == null ? 1L : restore.getMetadata().getGeneration();
        status.observedGeneration = generation;
        conditions.retrying(status.conditions, message, generation);
        return status;
    }

    /** Events: every phase change, and a new reason while the phase stays. */
    public List<Transition> transitions(RestoreStatus before, RestoreStatus after) {
        List<Transition> out = new ArrayList<>();
        String oldReason = before == null ? null : readyReason(before);
        String newReason = readyReason(after);
        Phase oldPhase = before == null ? null : before.phase;
        if (newReason != null && (after.phase != oldPhase || !Objects.equals(oldReason, newReason))) {
            boolean warning = after.phase == Phase.Failed || ConditionFactory.isTrue(after.conditions, ConditionFactory.STALLED);
            String message = ConditionFactory.find(after.conditions, ConditionFactory.READY).map(c -> c.getMessage()).orElse("");
            out.add(new Transition(warning, newReason, message));
        }
        return out;
    }

    private static String readyReason(RestoreStatus status) {
        return ConditionFactory.find(status.conditions, ConditionFactory.READY).map(c -> c.getReason()).orElse(null);
    }
}
