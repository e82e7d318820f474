package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.annotate;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.events;
import static dev.runway.operator.testing.ClusterTestSupport.update;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ChildWrites;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;

/** BlueGreen Applications with the real Argo Rollouts controller doing the traffic switch. */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class BlueGreenTest extends KubernetesTest {
    TestNamespace ns;

    @BeforeEach
    void namespace(TestInfo info) {
        String method = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z]", "");
        ns = TestNamespace.create(client, "bg-" + method.substring(0, Math.min(12, method.length())));
    }

    @AfterEach
    void cleanup() {
        ns.close();
    }

    Application create(String name, String image, String blueGreen) {
        return client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s}
                spec:
                  image: %s
                  replicas: 2
                  strategy: {type: BlueGreen, blueGreen: %s}
                """.formatted(name, image, blueGreen))).create();
    }

    Application waitPhase(String name, Phase phase, int seconds) {
        return waitFor(client, ns.name(), name, seconds, a -> a.getStatus() != null && a.getStatus().phase == phase
                && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
    }

    String activeHash(String name) {
        var svc = client.services().inNamespace(ns.name()).withName(name).get();
        return svc == null || svc.getSpec().getSelector() == null ? null : svc.getSpec().getSelector().get("rollouts-pod-template-hash");
    }

    Rollout rollout(String name) {
        return client.resources(Rollout.class).inNamespace(ns.name()).withName(name).get();
    }

    String imageOfHash(String hash) {
        return client.apps().replicaSets().inNamespace(ns.name()).withLabel("rollouts-pod-template-hash", hash).list().getItems()
                .stream().findFirst().map(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).orElse(null);
    }

    @Test
    void newImageWaitsOnPreviewUntilPromotedThenOldPodsGo() {
        create("shop", "example.com/shop:1", "{autoPromotion: false, scaleDownDelaySeconds: 5}");
        Application first = waitPhase("shop", Phase.Healthy, 120);
        assertThat(first.getStatus().stableImage).isEqualTo("example.com/shop:1");
        assertThat(client.services().inNamespace(ns.name()).withName("shop-preview").get()).isNotNull();
        String oldHash = activeHash("shop");
        assertThat(imageOfHash(oldHash)).isEqualTo("example.com/shop:1");

        update(client, ns.name(), "shop", a -> a.getSpec().image = "example.com/shop:2");
        Application waiting = waitPhase("shop", Phase.AwaitingPromotion, 120);
        assertThat(waiting.getStatus().previewImage).isEqualTo("example.com/shop:2");
        assertThat(waiting.getStatus().stableImage).isEqualTo("example.com/shop:1");
        assertThat(condition(waiting, "AwaitingPromotion", "True")).isTrue();
        assertThat(condition(waiting, "Ready", "False")).isTrue();
        assertThat(activeHash("shop")).as("the old version stays active").isEqualTo(oldHash);
        String previewHash = client.services().inNamespace(ns.name()).withName("shop-preview").get().getSpec().getSelector()
                .get("rollouts-pod-template-hash");
        assertThat(imageOfHash(previewHash)).isEqualTo("example.com/shop:2");

        annotate(client, ns.name(), "shop", "runway.dev/promote", "");
        await(60).until(() -> previewHash.equals(activeHash("shop")));
        Application promoted = waitPhase("shop", Phase.Healthy, 90);
        assertThat(promoted.getStatus().stableImage).isEqualTo("example.com/shop:2");
        assertThat(promoted.getStatus().history.get(0).outcome).isEqualTo("Promoted");
        assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("runway.dev/promote");
        assertThat(events(client, ns.name(), "shop", "PromotionRequested")).isNotEmpty();
        // After scaleDownDelaySeconds the old ReplicaSet has no pods.
        await(60).until(() -> {
            ReplicaSet old = client.apps().replicaSets().inNamespace(ns.name()).withLabel("rollouts-pod-template-hash", oldHash)
                    .list().getItems().stream().findFirst().orElse(null);
            return old == null || old.getSpec().getReplicas() == 0;
        });
    }

    @Test
    void abortKeepsTheOldVersionActive() {
        create("abort", "example.com/abort:1", "{autoPromotion: false}");
        waitPhase("abort", Phase.Healthy, 120);
        String stableHash = activeHash("abort");
        update(client, ns.name(), "abort", a -> a.getSpec().image = "example.com/abort:2");
        waitPhase("abort", Phase.AwaitingPromotion, 120);

        annotate(client, ns.name(), "abort", "runway.dev/abort", "");
        Application degraded = waitPhase("abort", Phase.Degraded, 60);
        assertThat(activeHash("abort")).isEqualTo(stableHash);
        assertThat(degraded.getStatus().stableImage).isEqualTo("example.com/abort:1");
        assertThat(degraded.getStatus().history.get(0).outcome).isEqualTo("Aborted");
        assertThat(condition(degraded, "Stalled", "True")).isTrue();
        assertThat(rollout("abort").getStatus().getAbort()).isTrue();
        await(20).until(() -> !events(client, ns.name(), "abort", "AbortRequested").isEmpty());
    }

    @Test
    void autoPromotionPromotesByItself() throws InterruptedException {
        AuditLog audit = AuditLog.ofTestCluster();
        AuditLog.Mark mark = audit.mark();
        create("auto", "example.com/auto:1", "{autoPromotion: true, scaleDownDelaySeconds: 0}");
        waitPhase("auto", Phase.Healthy, 120);
        // Argo Rollouts' own write of the new Rollout (its revision annotation) leaves the pod template
        // to Runway, so Runway applied the Rollout once.
        Thread.sleep(2000);
        for (var entry : rollout("auto").getMetadata().getManagedFields()) {
            Object spec = Labels.MANAGER.equals(entry.getManager()) ? null : entry.getFieldsV1().getAdditionalProperties().get("f:spec");
            assertThat(spec instanceof java.util.Map<?, ?> m && m.containsKey("f:template")).as(entry.getManager() + " owns part of the pod template")
                    .isFalse();
        }
        assertThat(ChildWrites.byOperator(audit, mark, "rollouts", ns.name(), "auto")).as("Runway's writes of the Rollout").hasSize(1);
        update(client, ns.name(), "auto", a -> a.getSpec().image = "example.com/auto:2");
        Application promoted = waitFor(client, ns.name(), "auto", 120, a -> a.getStatus().phase == Phase.Healthy
                && "example.com/auto:2".equals(a.getStatus().stableImage));
        assertThat(imageOfHash(activeHash("auto"))).isEqualTo("example.com/auto:2");
        assertThat(promoted.getStatus().previewImage).isNull();
    }

    @Test
    void aBadImageDegradesAndAGoodOneHealsIt() {
        client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: heal}
                spec:
                  image: example.com/heal:1
                  replicas: 2
                  strategy: {type: BlueGreen, blueGreen: {autoPromotion: true, progressDeadlineSeconds: 15}}
                """)).create();
        waitPhase("heal", Phase.Healthy, 120);
        String goodHash = activeHash("heal");
        // Pods of a crashloop image never become ready: the revision misses a short deadline.
        update(client, ns.name(), "heal", a -> a.getSpec().image = "example.com/heal:crashloop");
        Application degraded = waitFor(client, ns.name(), "heal", 150, a -> a.getStatus().phase == Phase.Degraded);
        assertThat(activeHash("heal")).isEqualTo(goodHash);
        assertThat(degraded.getStatus().stableImage).isEqualTo("example.com/heal:1");
        assertThat(degraded.getStatus().conditions).filteredOn(c -> "Ready".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("example.com/heal:crashloop"));

        update(client, ns.name(), "heal", a -> a.getSpec().image = "example.com/heal:3");
        Application healed = waitFor(client, ns.name(), "heal", 150, a -> a.getStatus().phase == Phase.Healthy
                && "example.com/heal:3".equals(a.getStatus().stableImage));
        assertThat(imageOfHash(activeHash("heal"))).isEqualTo("example.com/heal:3");
        assertThat(condition(healed, "Ready", "True")).isTrue();
    }

    @Test
    void switchingStrategiesNeverLeavesTheServiceWithoutPods() throws InterruptedException {
        client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: sw}
                spec: {image: example.com/sw:1, replicas: 2}
                """)).create();
        waitPhase("sw", Phase.Healthy, 90);
        List<Integer> endpointSamples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> endpointSamples.add(readyEndpoints("sw")), 0, 200, TimeUnit.MILLISECONDS);
        try {
            update(client, ns.name(), "sw", a -> {
                a.getSpec().strategy = new Strategy();
                a.getSpec().strategy.type = Strategy.Type.BlueGreen;
            });
            await(120).until(() -> rollout("sw") != null && client.apps().deployments().inNamespace(ns.name()).withName("sw").get() == null);
            Application bg = waitPhase("sw", Phase.Healthy, 60);
            assertThat(bg.getStatus().stableImage).isEqualTo("example.com/sw:1");
            assertThat(activeHash("sw")).isNotNull();

            update(client, ns.name(), "sw", a -> a.getSpec().strategy.type = Strategy.Type.RollingUpdate);
            await(120).until(() -> rollout("sw") == null && activeHash("sw") == null
                    && client.apps().replicaSets().inNamespace(ns.name()).withLabel("rollouts-pod-template-hash").list().getItems().isEmpty());
            waitPhase("sw", Phase.Healthy, 60);
            Thread.sleep(2000);
        } finally {
            sampler.shutdownNow();
        }
        assertThat(endpointSamples).as("ready endpoints sampled every 200ms during both switches").hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(n -> assertThat(n).isPositive());
        assertThat(client.services().inNamespace(ns.name()).withName("sw-preview").get()).isNull();
        assertThat(client.pods().inNamespace(ns.name()).list().getItems()).allSatisfy(p ->
                assertThat(p.getMetadata().getLabels()).containsKey("pod-template-hash").doesNotContainKey("rollouts-pod-template-hash"));
    }

    private int readyEndpoints(String service) {
        return client.discovery().v1().endpointSlices().inNamespace(ns.name()).withLabel("kubernetes.io/service-name", service)
                .list().getItems().stream()
                .flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.empty() : s.getEndpoints().stream())
                .mapToInt(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()) ? 1 : 0).sum();
    }
}
