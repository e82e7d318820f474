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
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The approval gate on a RollingUpdate Application: in an Environment that requires approval a
 * new image waits for runway.dev/promote while the old one serves. The Deployment keeps the old
 * image, so no ReplicaSet (hence no pod) of the new image exists before the approval.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class PromotionApprovalTest extends EnvironmentClusterTest {
    private static final String V1 = "example.com/shop:1.0.0";
    private static final String V2 = "example.com/shop:2.0.0";

    @Test
    void aRollingUpdateWaitsForApprovalWhileTheOldImageServes() {
        String ns = unique("approval");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging, promotion: {requireApproval: true}}
                """.formatted(ns)));
        // The first image replaces nothing: it rolls out without approval (as Argo Rollouts' first revision does).
        createApplication(ns, "shop", V1);
        awaitApplicationReady(ns, "shop", a -> V1.equals(a.getStatus().stableImage));

        editApplication(ns, "shop", a -> {
            a.getSpec().image = V2;
            return a;
        });
        Application held = client.resources(Application.class).inNamespace(ns).withName("shop").waitUntilCondition(a -> a.getStatus() != null
                && V2.equals(a.getStatus().image) && condition(a, ConditionFactory.READY).map(c -> "AwaitingApproval".equals(c.getReason())).orElse(false),
                60, TimeUnit.SECONDS);
        assertThat(held.getStatus().phase).as("the old image serves healthy: the phase says so").isEqualTo(Phase.AwaitingPromotion);
        assertThat(held.getStatus().stableImage).isEqualTo(V1);
        assertThat(condition(held, ConditionFactory.READY).orElseThrow().getMessage())
                .contains(V2 + " waits for approval").contains(V1 + " keeps serving").contains("runway.dev/promote=");
        assertThat(condition(held, ConditionFactory.RECONCILING).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(condition(held, ConditionFactory.STALLED).orElseThrow().getStatus()).isEqualTo("False");
        var gate = condition(held, "PromotionReady").orElseThrow();
        assertThat(gate.getStatus()).isEqualTo("False");
        assertThat(gate.getReason()).isEqualTo("AwaitingApproval");
        assertThat(gate.getMessage()).startsWith("checks for " + V2 + ": ")
                .contains("upstream soak: not required").contains("migration: not required").contains("analysis: not required")
                .contains("approval: waiting (kubectl annotate application shop -n " + ns + " runway.dev/promote=)");
        await().atMost(CONVERGED).until(() -> events(ns, "shop").stream()
                .anyMatch(e -> "AwaitingApproval".equals(e.getReason()) && "Warning".equals(e.getType())));
        // A few reconciles later: still the old image, and no ReplicaSet of the new one was ever made.
        annotate(ns, "runway.dev/test-recheck", "1");
        await().pollDelay(java.time.Duration.ofSeconds(3)).atMost(CONVERGED).untilAsserted(() -> {
            assertThat(image(ns, "shop")).isEqualTo(V1);
            assertThat(replicaSetImages(ns)).containsOnly(V1);
        });

        annotate(ns, "runway.dev/promote", "");
        Application promoted = awaitApplicationReady(ns, "shop", a -> V2.equals(a.getStatus().stableImage));
        assertThat(promoted.getStatus().phase).isEqualTo(Phase.Healthy);
        assertThat(condition(promoted, "PromotionReady").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("runway.dev/promote");
        assertThat(image(ns, "shop")).isEqualTo(V2);
        await().atMost(CONVERGED).until(() -> events(ns, "shop").stream().anyMatch(e -> "PromotionApproved".equals(e.getReason()))
                && events(ns, "shop").stream().anyMatch(e -> "PromotionReady".equals(e.getReason())));
    }

    private static void annotate(String ns, String key, String value) {
        annotateApplication(ns, "shop", key, value);
    }

    private static java.util.List<String> replicaSetImages(String ns) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .map((ReplicaSet rs) -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).toList();
    }
}
