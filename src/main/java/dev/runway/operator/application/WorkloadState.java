package dev.runway.operator.application;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

/** The facts about a Deployment the Application status is made of. */
record WorkloadState(int desired, int ready, int updated, int available, boolean rolledOut,
        Optional<DeploymentCondition> deadlineExceeded) {

    static WorkloadState of(Optional<Deployment> deployment, ApplicationPlan plan, boolean autoscaled) {
        int desired = plan.replicas();
        if (autoscaled && deployment.isPresent() && deployment.get().getSpec().getReplicas() != null) {
            desired = deployment.get().getSpec().getReplicas();
        }
        var ds = deployment.map(Deployment::getStatus).orElse(null);
        int ready = ds == null || ds.getReadyReplicas() == null ? 0 : ds.getReadyReplicas();
        int updated = ds == null || ds.getUpdatedReplicas() == null ? 0 : ds.getUpdatedReplicas();
        int available = ds == null || ds.getAvailableReplicas() == null ? 0 : ds.getAvailableReplicas();
        int total = ds == null || ds.getReplicas() == null ? 0 : ds.getReplicas();
        boolean observed = deployment.map(d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()).orElse(false);
        boolean runsPlannedImage = deployment.map(d -> plan.image().equals(
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())).orElse(false);
        boolean rolledOut = observed && runsPlannedImage && updated >= desired && available >= desired && total == updated;
        Optional<DeploymentCondition> deadline = observed && ds != null
                ? ds.getConditions().stream()
                        .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                        .findFirst()
                : Optional.empty();
        return new WorkloadState(desired, ready, updated, available, rolledOut, deadline);
    }
}
