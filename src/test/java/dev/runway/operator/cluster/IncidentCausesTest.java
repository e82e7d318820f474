package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.Tiers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Causes of an incident the Application's status names, on the cluster tier (real API server,
 * ResourceQuota admission and controller-manager; kwok nodes): here an exceeded quota, which the
 * ReplicaSet reports as FailedCreate and the Deployment as ReplicaFailure.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class IncidentCausesTest extends EnvironmentClusterTest {

    @Test
    void anExceededQuotaIsTheCauseAndWithNothingServingTheApplicationIsDegraded() {
        String ns = unique("quota");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, quota: {pods: "1"}}
                """.formatted(ns)));
        createApplication(ns, "first", "example.com/shop:1.0.0");
        awaitApplicationReady(ns, "first", a -> true);

        // The namespace holds its one pod: the second Application's ReplicaSet cannot create any.
        createApplication(ns, "second", "example.com/shop:1.0.0");
        Application second = client.resources(Application.class).inNamespace(ns).withName("second").waitUntilCondition(a ->
                condition(a, ConditionFactory.READY).map(c -> "QuotaExceeded".equals(c.getReason())).orElse(false), 90, TimeUnit.SECONDS);
        assertThat(second.getStatus().phase).as("nothing of it serves").isEqualTo(Phase.Degraded);
        assertThat(condition(second, ConditionFactory.READY).orElseThrow().getMessage())
                .contains("exceeded quota").contains("pods=1").contains("Raise the Environment's spec.quota");
        assertThat(condition(second, ConditionFactory.STALLED).orElseThrow().getStatus()).as("retried: it clears once quota frees")
                .isEqualTo("False");
        await().atMost(CONVERGED).until(() -> events(ns, "second").stream()
                .anyMatch(e -> "QuotaExceeded".equals(e.getReason()) && "Warning".equals(e.getType())));

        // Freeing the quota clears it by itself.
        client.resources(Application.class).inNamespace(ns).withName("first").delete();
        awaitApplicationReady(ns, "second", a -> a.getStatus().phase == Phase.Healthy);
        // One per incident, not one per reconcile (the Application was reconciled many times while
        // it waited); a reconcile retried on a stale read can repeat it once.
        assertThat(events(ns, "second")).filteredOn(e -> "QuotaExceeded".equals(e.getReason()))
                .as("Warnings for the incident").hasSizeBetween(1, 2);
    }
}
