package dev.runway.operator.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler works out before touching the cluster, shared with the dependents through
 * the reconcile context so that their {@code desired()} stays a pure function.
 *
 * @param image       the image of backup and verification pods
 * @param zone        the zone the schedules are evaluated in (UTC when spec.timeZone is unset)
 * @param staleAfter  twice the longest interval between scheduled backups; null when the schedule is unusable
 * @param nextRun     the next scheduled backup; null when suspended or the schedule is unusable
 * @param problem     why nothing can be applied (a reason such as InvalidSchedule or SecretNotFound); null when fine
 * @param problemText what is wrong and what to do, for the Ready and Stalled conditions
 * @param monitoring  whether the PrometheusRule CRD is installed
 */
public record BackupPlan(String image, ZoneId zone, Duration staleAfter, Instant nextRun, String problem, String problemText,
        boolean monitoring) {
    static final String KEY = BackupPlan.class.getName();

    static BackupPlan of(Context<?> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, BackupPlan.class);
    }

    boolean blocked() {
        return problem != null;
    }
}
