package dev.runway.operator.application;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.runway.operator.common.Labels;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;

/**
 * Incidents the workload objects themselves show, read from the informers' caches (no API call):
 * pods the ReplicaSet could not create (an exceeded ResourceQuota, from its FailedCreate, which the
 * Deployment reports as ReplicaFailure), a Deployment or Rollout whose own controller has not acted
 * on its latest generation for minutes, an HPA at maxReplicas while its metric is over target.
 */
final class WorkloadTrouble {
    static final String QUOTA_EXCEEDED = "QuotaExceeded";
    static final String FAILED_CREATE = "FailedCreate";
    static final String NOT_OBSERVED = "WorkloadNotObserved";
    static final String AT_MAX_REPLICAS = "AtMaxReplicas";
    /** How long a workload controller may take to observe a new generation before it counts as stuck. */
    static final Duration OBSERVE_DEADLINE = Duration.ofMinutes(3);

    private WorkloadTrouble() {
    }

    /** Pods the Deployment's ReplicaSet could not create. */
    static Optional<PodTrouble> failedCreate(Optional<Deployment> deployment) {
        return deployment.map(Deployment::getStatus).map(s -> s.getConditions()).orElse(List.of()).stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst()
                .map(c -> {
                    String message = c.getMessage() == null ? "" : c.getMessage();
                    if (message.contains("exceeded quota")) {
                        return new PodTrouble(QUOTA_EXCEEDED, "the ReplicaSet cannot create pods, the namespace's ResourceQuota is "
                                + "exhausted: " + message + ". Raise the Environment's spec.quota, or lower spec.replicas or "
                                + "spec.resources (or those of other Applications in the namespace).");
                    }
                    return new PodTrouble(FAILED_CREATE, "the ReplicaSet cannot create pods: " + message
                            + ". Fix what the message names; the ReplicaSet retries by itself.");
                });
    }

    /**
     * A workload whose controller has not observed its latest generation, for longer than
     * {@link #OBSERVE_DEADLINE} after Runway last applied it (the time of Runway's managedFields
     * entry): the controller is down, stuck, or cannot write the object's status.
     */
    static Optional<PodTrouble> notObserved(HasMetadata workload, String observedGeneration, Instant now) {
        Long generation = workload.getMetadata().getGeneration();
        if (generation == null || Objects.equals(String.valueOf(generation), observedGeneration)) {
            return Optional.empty();
        }
        if (observedGeneration != null) {
            try {
                if (Long.parseLong(observedGeneration) >= generation) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // Argo Rollouts once wrote a hash here: treat as not observed.
            }
        }
        Instant applied = appliedAt(workload);
        if (applied == null || Duration.between(applied, now).compareTo(OBSERVE_DEADLINE) < 0) {
            return Optional.empty();
        }
        String kind = workload.getKind() == null ? (workload instanceof Rollout ? "Rollout" : "Deployment") : workload.getKind();
        String controller = "Rollout".equals(kind) ? "the Argo Rollouts controller" : "the Deployment controller (kube-controller-manager)";
        return Optional.of(new PodTrouble(NOT_OBSERVED, kind + " " + workload.getMetadata().getName() + " is at generation " + generation
                + " but " + controller + " has observed only " + (observedGeneration == null ? "none" : observedGeneration)
                + " since Runway applied it at " + applied + ": nothing rolls out. Check that the controller runs and what its log says "
                + "(e.g. a status update it keeps retrying)."));
    }

    static Optional<PodTrouble> notObserved(Optional<Deployment> deployment, Optional<Rollout> rollout, boolean blueGreen, Instant now) {
        if (blueGreen) {
            return rollout.flatMap(r -> notObserved(r, r.getStatus() == null ? null : r.getStatus().getObservedGeneration(), now));
        }
        return deployment.flatMap(d -> notObserved(d, d.getStatus() == null || d.getStatus().getObservedGeneration() == null ? null
                : String.valueOf(d.getStatus().getObservedGeneration()), now));
    }

    /** An HPA that cannot add pods although its CPU is above target: the app is short of capacity. */
    static Optional<PodTrouble> atMaxReplicas(Optional<HorizontalPodAutoscaler> hpa) {
        if (hpa.isEmpty() || hpa.get().getStatus() == null || hpa.get().getSpec() == null) {
            return Optional.empty();
        }
        var h = hpa.get();
        Integer current = h.getStatus().getCurrentReplicas();
        Integer max = h.getSpec().getMaxReplicas();
        if (current == null || max == null || current < max) {
            return Optional.empty();
        }
        for (MetricStatus m : h.getStatus().getCurrentMetrics() == null ? List.<MetricStatus>of() : h.getStatus().getCurrentMetrics()) {
            if (m.getResource() == null || m.getResource().getCurrent() == null || m.getResource().getCurrent().getAverageUtilization() == null) {
                continue;
            }
            Integer target = h.getSpec().getMetrics() == null ? null : h.getSpec().getMetrics().stream()
                    .filter(t -> t.getResource() != null && Objects.equals(t.getResource().getName(), m.getResource().getName())
                            && t.getResource().getTarget() != null)
                    .map(t -> t.getResource().getTarget().getAverageUtilization()).filter(Objects::nonNull).findFirst().orElse(null);
            int now = m.getResource().getCurrent().getAverageUtilization();
            if (target != null && now > target) {
                return Optional.of(new PodTrouble(AT_MAX_REPLICAS, "HorizontalPodAutoscaler " + h.getMetadata().getName() + " runs "
                        + current + " pods, its maxReplicas, while " + m.getResource().getName() + " is at " + now + "% of requests (target "
                        + target + "%): the app is short of capacity. Raise spec.autoscaling.maxReplicas (within the Environment's "
                        + "quota) or make the app cheaper per request."));
            }
        }
        return Optional.empty();
    }

    private static Instant appliedAt(HasMetadata workload) {
        List<ManagedFieldsEntry> entries = workload.getMetadata().getManagedFields();
        if (entries == null) {
            return null;
        }
        return entries.stream()
                .filter(e -> Labels.MANAGER.equals(e.getManager()) && "Apply".equals(e.getOperation()) && e.getTime() != null
                        && (e.getSubresource() == null || e.getSubresource().isEmpty()))
                .map(e -> {
                    try {
                        return Instant.parse(e.getTime());
                    } catch (java.time.format.DateTimeParseException ex) {
                        return null;
                    }
                })
                .filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }
}
