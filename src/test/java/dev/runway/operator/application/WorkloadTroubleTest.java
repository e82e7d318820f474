package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Incidents read from the workload objects: quota, a controller that does not observe, an HPA at its maximum. */
@Tag(Tiers.UNIT)
class WorkloadTroubleTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static Deployment deployment(long generation, long observed, String appliedAt, String replicaFailure) {
        return YAML.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: shop
                  generation: %d
                  managedFields:
                  - {manager: runway-operator, operation: Apply, time: "%s"}
                  - {manager: kube-controller-manager, operation: Update, subresource: status, time: "2026-01-01T00:09:59Z"}
                status:
                  observedGeneration: %d
                  conditions: %s
                """.formatted(generation, appliedAt, observed, replicaFailure == null ? "[]"
                : "[{type: ReplicaFailure, status: \"True\", reason: FailedCreate, message: '" + replicaFailure + "'}]"), Deployment.class);
    }

    @Test
    void anExceededQuotaIsNamedWithTheQuotasOwnMessage() {
        String message = "pods \"shop-5d9c-x\" is forbidden: exceeded quota: quota, requested: pods=1, used: pods=1, limited: pods=1";
        var trouble = WorkloadTrouble.failedCreate(Optional.of(deployment(2, 2, "2026-01-01T00:00:00Z", message))).orElseThrow();
        assertThat(trouble.reason()).isEqualTo("QuotaExceeded");
        assertThat(trouble.message()).contains(message).contains("spec.quota");
        assertThat(WorkloadTrouble.failedCreate(Optional.of(deployment(2, 2, "2026-01-01T00:00:00Z", "serviceaccount missing"))).orElseThrow()
                .reason()).isEqualTo("FailedCreate");
        assertThat(WorkloadTrouble.failedCreate(Optional.of(deployment(2, 2, "2026-01-01T00:00:00Z", null)))).isEmpty();
    }

    @Test
    void aGenerationNotObservedForMinutesAfterRunwayAppliedItIsNamed() {
        var stuck = WorkloadTrouble.notObserved(Optional.of(deployment(5, 4, "2026-01-01T00:05:00Z", null)), Optional.empty(), false, NOW);
        assertThat(stuck).get().satisfies(t -> {
            assertThat(t.reason()).isEqualTo("WorkloadNotObserved");
            assertThat(t.message()).contains("generation 5").contains("observed only 4").contains("2026-01-01T00:05:00Z")
                    .contains("kube-controller-manager");
        });
        assertThat(WorkloadTrouble.notObserved(Optional.of(deployment(5, 4, "2026-01-01T00:08:00Z", null)), Optional.empty(), false, NOW))
                .as("two minutes is not yet stuck").isEmpty();
        assertThat(WorkloadTrouble.notObserved(Optional.of(deployment(5, 5, "2026-01-01T00:00:00Z", null)), Optional.empty(), false, NOW))
                .isEmpty();

        Rollout rollout = YAML.unmarshal("""
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: shop
                  generation: 7
                  managedFields: [{manager: runway-operator, operation: Apply, time: "2026-01-01T00:00:00Z"}]
                status: {observedGeneration: "6"}
                """, Rollout.class);
        assertThat(WorkloadTrouble.notObserved(Optional.empty(), Optional.of(rollout), true, NOW)).get()
                .satisfies(t -> assertThat(t.message()).contains("Argo Rollouts controller").contains("observed only 6"));
    }

    @Test
    void anHpaAtItsMaximumWithCpuOverTargetIsShortOfCapacity() {
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: shop}
                spec:
                  maxReplicas: 5
                  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
                status:
                  currentReplicas: %d
                  currentMetrics: [{type: Resource, resource: {name: cpu, current: {averageUtilization: %d}}}]
                """;
        var atMax = WorkloadTrouble.atMaxReplicas(Optional.of(YAML.unmarshal(hpa.formatted(5, 140), HorizontalPodAutoscaler.class)));
        assertThat(atMax).get().satisfies(t -> {
            assertThat(t.reason()).isEqualTo("AtMaxReplicas");
            assertThat(t.message()).contains("runs 5 pods, its maxReplicas").contains("cpu is at 140%").contains("target 70%")
                    .contains("spec.autoscaling.maxReplicas");
        });
        assertThat(WorkloadTrouble.atMaxReplicas(Optional.of(YAML.unmarshal(hpa.formatted(5, 60), HorizontalPodAutoscaler.class)))).isEmpty();
        assertThat(WorkloadTrouble.atMaxReplicas(Optional.of(YAML.unmarshal(hpa.formatted(3, 140), HorizontalPodAutoscaler.class)))).isEmpty();
    }
}
