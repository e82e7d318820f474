package dev.runway.operator.migration;

import static dev.runway.operator.api.v1alpha1.ConditionTypes.BACKUP_TAKEN;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.COMPLETE;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.FAILED;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.Transition;
import dev.runway.operator.migration.MigrationPhases.Outcome;
import dev.runway.operator.migration.MigrationPhases.Step;

/** Turns a {@link Step} into a MigrationJob's status, and tells which changes deserve an Event. */
public class MigrationStatusFactory {

    private final Clock clock;
    private final ConditionFactory conditions;

    public MigrationStatusFactory(Clock clock) {
        this.clock = clock;
        this.conditions = new ConditionFactory(clock);
    }


    public MigrationJobStatus status(MigrationJob mj, Step step) {
        MigrationJobStatus status = StatusSupport.copy(mj.getStatus(), MigrationJobStatus.class);
        status = status == null ? new MigrationJobStatus() : status;
        long generation = mj.getMetadata().getGeneration() == null ? 1L : mj.getMetadata().getGeneration();
        boolean changedPhase = status.phase != step.phase();
        status.observedGeneration = generation;
        status.phase = step.phase();
        if (step.backup() != null) {
            status.backup = step.backup();
        }
        JobOutcome migration = step.migration();
        if (migration.state() != JobOutcome.State.ABSENT || step.action() == MigrationPhases.Action.CREATE_MIGRATION) {
            status.job = MigrationNames.migrateJob(mj);
            if (status.startedAt == null) {
                status.startedAt = now();
            }
        }
        if (migration.state() != JobOutcome.State.ABSENT && migration.attempts() > 0) {
            status.attempts = migration.attempts();
        } else if (status.job != null && status.attempts == null) {
            status.attempts = 0;
        }
        if (step.phase() == Phase.RollingBack || step.phase() == Phase.RolledBack
                || (step.phase() == Phase.Failed && "RollbackFailed".equals(step.reason()))) {
            status.rollbackJob = MigrationNames.rollbackJob(mj);
        }
        status.message = step.failure();
        boolean done = step.phase() == Phase.Succeeded || step.phase() == Phase.Failed || step.phase() == Phase.RolledBack;
        if (done && (changedPhase || status.completedAt == null)) {
            status.completedAt = now();
        }
        boolean failed = step.phase() == Phase.Failed || step.phase() == Phase.RollingBack || step.phase() == Phase.RolledBack;
        var list = status.conditions;
        conditions.set(list, BACKUP_TAKEN, status.backup != null, status.backup != null ? "BackupTaken" : step.backupReason(),
                status.backup != null ? "backup " + status.backup.name + " taken by Job " + status.backup.job : step.backupMessage(), generation);
        conditions.set(list, COMPLETE, step.phase() == Phase.Succeeded, step.phase() == Phase.Succeeded ? "MigrationSucceeded" : step.reason(),
                step.phase() == Phase.Succeeded ? step.message() : "the migration has not completed", generation);
        conditions.set(list, FAILED, failed, failed ? step.reason() : "NotFailed", failed ? step.message() : "the migration has not failed",
                generation);
        conditions.summary(list, switch (step.outcome()) {
            case SUCCEEDED -> ConditionFactory.Outcome.READY;
            case PROGRESSING -> ConditionFactory.Outcome.RECONCILING;
            case STALLED -> ConditionFactory.Outcome.STALLED;
        }, step.reason(), step.message(), generation);
        return status;
    }

    /** Status when the reconcile itself failed (API error, quota, permission): the phase stays, Runway retries. */
    public MigrationJobStatus error(MigrationJob mj, String message) {
        MigrationJobStatus status = StatusSupport.copy(mj.getStatus(), MigrationJobStatus.class);
        status = status == null ? new MigrationJobStatus() : status;
        if (status.phase == null) {
            status.phase = Phase.Pending;
        }
        long generation = mj.getMetadata().getGeneration() == null ? 1L : mj.getMetadata().getGeneration();
        status.observedGeneration = generation;
        conditions.retrying(status.conditions, message, generation);
        return status;
    }

    /** Events for what changed: every phase change, and a new reason for being stuck. */
    public List<Transition> transitions(MigrationJobStatus before, MigrationJobStatus after) {
        List<Transition> out = new ArrayList<>();
        String oldReason = before == null ? null : readyReason(before);
        String newReason = readyReason(after);
        Phase oldPhase = before == null ? null : before.phase;
        if (after.phase != oldPhase || !Objects.equals(oldReason, newReason)) {
            boolean warning = after.phase == Phase.Failed || after.phase == Phase.RollingBack || after.phase == Phase.RolledBack
                    || ConditionFactory.isTrue(after.conditions, ConditionFactory.STALLED);
            String message = ConditionFactory.find(after.conditions, ConditionFactory.READY).map(c -> c.getMessage()).orElse("");
            out.add(new Transition(warning, newReason, message));
        }
        return out;
    }

    private static String readyReason(MigrationJobStatus status) {
        return ConditionFactory.find(status.conditions, ConditionFactory.READY).map(c -> c.getReason()).orElse(null);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
