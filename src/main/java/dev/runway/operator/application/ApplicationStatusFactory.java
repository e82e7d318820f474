package dev.runway.operator.application;

import java.time.Clock;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.StatusSupport;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

/** Maps what the Application's workload reports into the Application's status. */
public class ApplicationStatusFactory {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private final ConditionFactory conditions;

    public ApplicationStatusFactory(Clock clock) {
        this.conditions = new ConditionFactory(clock);
    }

    /** The status for {@code app} given its Deployment (empty while it does not exist yet). */
    public ApplicationStatus fromDeployment(Application app, Optional<Deployment> deployment, String configHash) {
        ApplicationStatus status = StatusSupport.copy(app.getStatus(), ApplicationStatus.class);
        if (status == null) {
            status = new ApplicationStatus();
        }
        long generation = app.getMetadata().getGeneration();
        status.observedGeneration = generation;
        status.image = app.getSpec().image;
        status.configHash = configHash;
        status.url = "http://" + app.getMetadata().getName() + "." + app.getMetadata().getNamespace() + ".svc";

        int desired = Replicas.desired(app);
        var ds = deployment.map(Deployment::getStatus).orElse(null);
        int ready = ds == null || ds.getReadyReplicas() == null ? 0 : ds.getReadyReplicas();
        int updated = ds == null || ds.getUpdatedReplicas() == null ? 0 : ds.getUpdatedReplicas();
        int available = ds == null || ds.getAvailableReplicas() == null ? 0 : ds.getAvailableReplicas();
        int total = ds == null || ds.getReplicas() == null ? 0 : ds.getReplicas();
        if (app.getSpec().autoscaling != null && deployment.isPresent() && deployment.get().getSpec().getReplicas() != null) {
            desired = deployment.get().getSpec().getReplicas();
        }
        var replicas = new ApplicationStatus.Replicas();
        replicas.desired = desired;
        replicas.ready = ready;
        replicas.updated = updated;
        status.replicas = replicas;
        status.ready = ready + "/" + desired;

        boolean observed = deployment.map(d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()).orElse(false);
        boolean rolledOut = observed && updated >= desired && available >= desired && total == updated;
        Optional<DeploymentCondition> deadline = deployment.flatMap(d -> d.getStatus() == null ? Optional.empty()
                : d.getStatus().getConditions().stream()
                        .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                        .findFirst());

        var list = status.conditions;
        if (deadline.isPresent()) {
            status.phase = Phase.Degraded;
            String msg = "Deployment " + app.getMetadata().getName() + " did not become available within its progress deadline: "
                    + deadline.get().getMessage() + ". Check the pods' events (image pull, crash loop, probes).";
            conditions.set(list, ConditionFactory.READY, false, "ProgressDeadlineExceeded", msg, generation);
            conditions.set(list, PROGRESSING, false, "ProgressDeadlineExceeded", msg, generation);
            conditions.set(list, DEGRADED, true, "ProgressDeadlineExceeded", msg, generation);
            conditions.set(list, ConditionFactory.RECONCILING, false, "ProgressDeadlineExceeded", msg, generation);
            conditions.set(list, ConditionFactory.STALLED, true, "ProgressDeadlineExceeded", msg, generation);
        } else if (rolledOut) {
            status.phase = Phase.Healthy;
            status.stableImage = app.getSpec().image;
            String msg = ready + "/" + desired + " pods ready on " + app.getSpec().image;
            conditions.set(list, ConditionFactory.READY, true, "RolloutComplete", msg, generation);
            conditions.set(list, PROGRESSING, false, "RolloutComplete", msg, generation);
            conditions.set(list, DEGRADED, false, "RolloutComplete", msg, generation);
            conditions.set(list, ConditionFactory.RECONCILING, false, "RolloutComplete", msg, generation);
            conditions.set(list, ConditionFactory.STALLED, false, "RolloutComplete", msg, generation);
        } else {
            status.phase = deployment.isPresent() ? Phase.Progressing : Phase.Pending;
            String msg = deployment.isPresent()
                    ? "Rolling out " + app.getSpec().image + ": " + updated + "/" + desired + " updated, " + available + " available"
                    : "Creating the Deployment";
            conditions.set(list, ConditionFactory.READY, false, "RolloutInProgress", msg, generation);
            conditions.set(list, PROGRESSING, true, "RolloutInProgress", msg, generation);
            conditions.set(list, DEGRADED, false, "RolloutInProgress", msg, generation);
            conditions.set(list, ConditionFactory.RECONCILING, true, "RolloutInProgress", msg, generation);
            conditions.set(list, ConditionFactory.STALLED, false, "RolloutInProgress", msg, generation);
        }
        conditions.set(list, AVAILABLE, available >= Math.min(desired, 1) && available > 0 || desired == 0,
                available > 0 ? "MinimumReplicasAvailable" : "NoReplicasAvailable", available + " of " + desired + " pods available", generation);
        return status;
    }
}
