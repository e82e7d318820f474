package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Canary Applications with the real Argo Rollouts controller scaling the ReplicaSets: the new
 * revision's share of the pods follows the steps, a pause without seconds waits for
 * runway.dev/promote, an Environment that requires approval holds the new revision at zero pods,
 * and runway.dev/abort scales it back while the stable revision serves.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class CanaryTest extends EnvironmentClusterTest {
    private static final String V1 = "example.com/shop:1.0.0";
    private static final String V2 = "example.com/shop:2.0.0";

    @Test
    void aCanaryTakesItsShareOfThePodsStepByStepAndWaitsAtAPauseForPromotion() {
        String ns = environment("canary", false);
        application(ns, """
                steps:
                  - setWeight: 25
                  - pause: {}
                  - setWeight: 50
                  - pause: {seconds: 3}
                """);
        awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V1.equals(a.getStatus().stableImage));

        setImage(ns, V2);
        Application waiting = awaitApplication(ns, a -> a.getStatus().phase == Phase.AwaitingPromotion);
        assertThat(waiting.getStatus().canary.image).isEqualTo(V2);
        assertThat(waiting.getStatus().canary.step).isEqualTo(1);
        assertThat(waiting.getStatus().canary.steps).isEqualTo(4);
        assertThat(waiting.getStatus().canary.weight).isEqualTo(25);
        assertThat(waiting.getStatus().canary.current).isEqualTo("pause until runway.dev/promote");
        assertThat(waiting.getStatus().stableImage).isEqualTo(V1);
        assertThat(condition(waiting, ConditionFactory.READY).orElseThrow().getMessage())
                .contains("canary " + V2 + " at step 2/4 (pause until runway.dev/promote), 25% of the pods")
                .contains(V1 + " serves the rest").contains("runway.dev/promote=");
        assertThat(condition(waiting, "AwaitingPromotion").orElseThrow().getStatus()).isEqualTo("True");
        // 25 % of 4 pods: one runs the canary, three the stable revision, all behind the one Service.
        await().atMost(CONVERGED).untilAsserted(() -> assertThat(podImages(ns)).containsEntry(V2, 1L).containsEntry(V1, 3L));

        annotate(ns, "runway.dev/promote", "");
        Application promoted = awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V2.equals(a.getStatus().stableImage));
        assertThat(promoted.getStatus().canary).isNull();
        assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("runway.dev/promote");
        assertThat(promoted.getStatus().history.get(0).image).isEqualTo(V2);
        await().atMost(CONVERGED).untilAsserted(() -> assertThat(podImages(ns)).containsOnlyKeys(V2).containsEntry(V2, 4L));
    }

    @Test
    void anEnvironmentThatRequiresApprovalHoldsTheCanaryAtZeroPodsUntilPromoted() {
        String ns = environment("canary-approval", true);
        application(ns, """
                steps:
                  - setWeight: 50
                """);
        awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V1.equals(a.getStatus().stableImage));
        assertThat(client.resources(Rollout.class).inNamespace(ns).withName("shop").get().getSpec().getStrategy().getCanary().getSteps())
                .as("the approval pause comes first").hasSize(2)
                .first().satisfies(s -> assertThat(s.getPause()).isNotNull());

        setImage(ns, V2);
        Application held = awaitApplication(ns, a -> a.getStatus().phase == Phase.AwaitingPromotion);
        assertThat(held.getStatus().canary.weight).isZero();
        assertThat(held.getStatus().canary.step).isZero();
        var gate = condition(held, "PromotionReady").orElseThrow();
        assertThat(gate.getStatus()).isEqualTo("False");
        assertThat(gate.getMessage()).contains("approval: waiting");
        // A few seconds later still: no pod of the new image exists before approval.
        await().pollDelay(java.time.Duration.ofSeconds(3)).atMost(CONVERGED)
                .untilAsserted(() -> assertThat(podImages(ns)).containsOnlyKeys(V1).containsEntry(V1, 4L));

        annotate(ns, "runway.dev/promote", "");
        awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V2.equals(a.getStatus().stableImage));
        await().atMost(CONVERGED).untilAsserted(() -> assertThat(podImages(ns)).containsOnlyKeys(V2));
    }

    @Test
    void abortScalesTheCanaryBackWhileTheStableRevisionServes() {
        String ns = environment("canary-abort", false);
        application(ns, """
                steps:
                  - setWeight: 50
                  - pause: {}
                """);
        awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V1.equals(a.getStatus().stableImage));
        setImage(ns, V2);
        awaitApplication(ns, a -> a.getStatus().phase == Phase.AwaitingPromotion);
        await().atMost(CONVERGED).untilAsserted(() -> assertThat(podImages(ns)).containsEntry(V2, 2L));

        annotate(ns, "runway.dev/abort", "");
        Application aborted = awaitApplication(ns, a -> a.getStatus().phase == Phase.Degraded);
        assertThat(aborted.getStatus().stableImage).isEqualTo(V1);
        assertThat(condition(aborted, ConditionFactory.READY).orElseThrow().getMessage()).contains(V1 + " keeps serving");
        assertThat(aborted.getStatus().history.get(0).outcome).isEqualTo("Aborted");
        await().atMost(CONVERGED).untilAsserted(() -> assertThat(podImages(ns)).containsOnlyKeys(V1).containsEntry(V1, 4L));
    }

    /**
     * From BlueGreen to Canary on the same Rollout: the Service, which Argo had narrowed to the
     * active revision, selects every pod of the Application again, so the canary's share of the
     * pods is its share of the traffic; the preview Service goes.
     */
    @Test
    void aBlueGreenApplicationSwitchesToCanary() {
        String ns = environment("canary-switch", false);
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop, namespace: %s}
                spec:
                  image: %s
                  replicas: 4
                  strategy: {type: BlueGreen, blueGreen: {scaleDownDelaySeconds: 0}}
                """.formatted(ns, V1), Application.class);
        client.resource(app).create();
        awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V1.equals(a.getStatus().stableImage));
        assertThat(client.services().inNamespace(ns).withName("shop").get().getSpec().getSelector()).containsKey("rollouts-pod-template-hash");

        editApplication(ns, "shop", a -> {
            a.getSpec().image = V2;
            a.getSpec().strategy = client.getKubernetesSerialization().unmarshal(
                    "{\"type\": \"Canary\", \"canary\": {\"steps\": [{\"setWeight\": 50}, {\"pause\": {}}]}}", dev.runway.operator.api.v1alpha1.Strategy.class);
            return a;
        });
        Application waiting = awaitApplication(ns, a -> a.getStatus().phase == Phase.AwaitingPromotion);
        assertThat(waiting.getStatus().canary.weight).isEqualTo(50);
        await().atMost(CONVERGED).untilAsserted(() -> {
            assertThat(client.services().inNamespace(ns).withName("shop").get().getSpec().getSelector())
                    .as("the Service selects both revisions").doesNotContainKey("rollouts-pod-template-hash");
            assertThat(podImages(ns)).containsEntry(V2, 2L).containsEntry(V1, 2L);
            assertThat(client.services().inNamespace(ns).withName("shop-preview").get()).isNull();
        });
        annotate(ns, "runway.dev/promote", "");
        awaitApplication(ns, a -> a.getStatus().phase == Phase.Healthy && V2.equals(a.getStatus().stableImage));
    }

    private String environment(String prefix, boolean requireApproval) {
        String ns = unique(prefix);
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging, promotion: {requireApproval: %s}}
                """.formatted(ns, requireApproval)));
        return ns;
    }

    private static void application(String ns, String canary) {
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop, namespace: %s}
                spec:
                  image: %s
                  replicas: 4
                  strategy:
                    type: Canary
                    canary:
                %s""".formatted(ns, V1, canary.indent(6)), Application.class);
        client.resource(app).create();
    }

    private static Application awaitApplication(String ns, Predicate<Application> until) {
        return client.resources(Application.class).inNamespace(ns).withName("shop").waitUntilCondition(a -> a != null
                && a.getStatus() != null && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration) && until.test(a),
                120, TimeUnit.SECONDS);
    }

    private static void setImage(String ns, String image) {
        editApplication(ns, "shop", a -> {
            a.getSpec().image = image;
            return a;
        });
    }

    private static void annotate(String ns, String key, String value) {
        annotateApplication(ns, "shop", key, value);
    }

    /** Running, not terminating pods of the Application, counted by image. */
    private static Map<String, Long> podImages(String ns) {
        return client.pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "shop").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(java.util.stream.Collectors.groupingBy((Pod p) -> p.getSpec().getContainers().get(0).getImage(),
                        java.util.stream.Collectors.counting()));
    }
}
