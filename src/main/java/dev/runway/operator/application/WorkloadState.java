package dev.runway.operator.application;

import java.util.Objects;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The facts about an Application's workload (Deployment or Rollout) its status is made of.
 *
 * @param exists            the workload exists
 * @param rolledOut         the planned revision runs, fully available, and nothing else does
 * @param failureReason     why the planned revision failed (deadline, abort, analysis), or null
 * @param failureMessage    what the workload says about the failure
 * @param awaitingPromotion a blue-green preview is ready and waits for runway.dev/promote
 * @param aborted           a blue-green or canary revision was aborted (by runway.dev/abort, a deadline or analysis)
 * @param canary            where a canary revision is in its steps, or null
 */
record WorkloadState(boolean exists, int desired, int ready, int updated, int available, boolean rolledOut,
        String failureReason, String failureMessage, boolean awaitingPromotion, boolean aborted,
        ApplicationStatus.CanaryProgress canary) {

    WorkloadState withFailure(String reason, String message) {
        return new WorkloadState(exists, desired, ready, updated, available, rolledOut, reason, message, awaitingPromotion, aborted, canary);
    }

    static WorkloadState of(Optional<Deployment> deployment, ApplicationPlan plan, boolean autoscaled) {
        int desired = plan.replicas();
        if (autoscaled && deployment.isPresent() && deployment.get().getSpec().getReplicas() != null) {
            desired = deployment.get().getSpec().getReplicas();
        }
        var ds = deployment.map(Deployment::getStatus).orElse(null);
        int ready = ds == null ? 0 : orZero(ds.getReadyReplicas());
        int updated = ds == null ? 0 : orZero(ds.getUpdatedReplicas());
        int available = ds == null ? 0 : orZero(ds.getAvailableReplicas());
        int total = ds == null ? 0 : orZero(ds.getReplicas());
        boolean observed = deployment.map(d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()).orElse(false);
        boolean runsPlannedImage = deployment.map(d -> plan.image().equals(
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())).orElse(false);
        boolean rolledOut = observed && runsPlannedImage && updated >= desired && available >= desired && total == updated;
        var deadline = observed && ds != null
                ? ds.getConditions().stream()
                        .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                        .findFirst()
                : Optional.<io.fabric8.kubernetes.api.model.apps.DeploymentCondition>empty();
        return new WorkloadState(deployment.isPresent(), desired, ready, updated, available, rolledOut,
                deadline.map(c -> "ProgressDeadlineExceeded").orElse(null), deadline.map(c -> c.getMessage()).orElse(null),
                false, false, null);
    }

    static WorkloadState of(Rollout rollout, ApplicationPlan plan, boolean autoscaled) {
        if (rollout == null) {
            return new WorkloadState(false, plan.replicas(), 0, 0, 0, false, null, null, false, false, null);
        }
        var rs = rollout.getStatus();
        int desired = autoscaled && rollout.getSpec().getReplicas() != null ? rollout.getSpec().getReplicas() : plan.replicas();
        if (rs == null) {
            return new WorkloadState(true, desired, 0, 0, 0, false, null, null, false, false, null);
        }
        boolean observed = String.valueOf(rollout.getMetadata().getGeneration()).equals(rs.getObservedGeneration());
        boolean runsPlannedImage = plan.image().equals(rollout.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        var canarySteps = CanarySteps.of(rollout);
        // Healthy with stableRS current can precede the switch of the active Service on a first
        // deploy: the revision serves once Argo has recorded it as the active selector.
        boolean healthy = "Healthy".equals(rs.getPhase()) && rs.getCurrentPodHash() != null
                && Objects.equals(rs.getCurrentPodHash(), rs.getStableRS())
                && (canarySteps != null
                        || rs.getBlueGreen() != null && Objects.equals(rs.getCurrentPodHash(), rs.getBlueGreen().getActiveSelector()));
        boolean aborted = Boolean.TRUE.equals(rs.getAbort());
        boolean paused = rs.getPauseConditions() != null && rs.getPauseConditions().stream()
                .anyMatch(p -> "BlueGreenPause".equals(p.getReason()) || "CanaryPauseStep".equals(p.getReason()));
        ApplicationStatus.CanaryProgress canary = null;
        if (canarySteps != null && !healthy && !aborted && rs.getCurrentPodHash() != null
                && !Objects.equals(rs.getCurrentPodHash(), rs.getStableRS()) && rs.getStableRS() != null) {
            canary = canarySteps.progress(plan.image(), rs.getCurrentStepIndex());
            // A timed pause resumes by itself: only a pause without a duration waits for runway.dev/promote.
            paused = paused && canarySteps.waitsForPromotion(rs.getCurrentStepIndex());
        }
        boolean degraded = "Degraded".equals(rs.getPhase());
        String reason = null;
        if (degraded || aborted) {
            reason = aborted ? "RolloutAborted" : "RolloutDegraded";
        }
        return new WorkloadState(true, desired, orZero(rs.getReadyReplicas()), orZero(rs.getUpdatedReplicas()),
                orZero(rs.getAvailableReplicas()), observed && runsPlannedImage && healthy, reason,
                reason == null ? null : rs.getMessage(), observed && paused && !aborted, aborted, canary);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
