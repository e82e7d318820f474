package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ChildWrites;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.ReconcileCounter;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Another client keeps changing the children (a label on the Deployment, an annotation on the
 * ConfigMap, every 100 ms for 10 s, each write a new resourceVersion) while the operator rolls out
 * a spec change: both writers' changes survive, and the operator neither loops nor rewrites the
 * children on every foreign write.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class ConcurrentWriterTest extends KubernetesTest {
    static final String WRITER = "concurrent-test-writer";
    static final int TICKS = 100;

    @Inject
    MeterRegistry registry;

    @Test
    void aForeignWriterLosesNothingAndCausesNoHotLoop() throws Exception {
        try (TestNamespace ns = TestNamespace.create(client, "concurrent-writer");
                KubernetesClient writer = ChildWrites.otherClient(client, WRITER)) {
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: busy}
                    spec: {image: example.com/busy:1, replicas: 2, env: {LEVEL: info}}
                    """)).create();
            waitFor(client, ns.name(), "busy", 90, a -> condition(a, "Ready", "True")
                    && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
            String hashBefore = configHash(ns);
            AuditLog audit = AuditLog.ofTestCluster();
            AuditLog.Mark mark = audit.mark();
            double reconcilesBefore = ReconcileCounter.started(registry, ns.name(), "busy");

            // Merge patches without a resourceVersion: the writer never conflicts, it only moves the objects on.
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> foreign = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= TICKS; i++) {
                    writer.apps().deployments().inNamespace(ns.name()).withName("busy").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"labels\":{\"example.com/poked\":\"" + i + "\"}}}");
                    writer.configMaps().inNamespace(ns.name()).withName("busy-env").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"example.com/poked\":\"" + i + "\"}}}");
                    written.set(i);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            await(10).until(() -> written.get() >= 10);
            ClusterTestSupport.update(client, ns.name(), "busy", a -> {
                a.getSpec().env.put("LEVEL", "debug");
                a.getSpec().replicas = 3;
            });
            // The operator's change lands while the writer is still busy.
            await(30).untilAsserted(() -> {
                assertThat(client.configMaps().inNamespace(ns.name()).withName("busy-env").get().getData()).containsEntry("LEVEL", "debug");
                assertThat(deployment(ns).getSpec().getReplicas()).isEqualTo(3);
                assertThat(configHash(ns)).isNotEqualTo(hashBefore);
            });
            assertThat(foreign.isDone()).as("the spec change landed during the foreign writes").isFalse();
            foreign.get();

            // Nothing lost: the writer's last values and the operator's change are both there.
            assertThat(deployment(ns).getMetadata().getLabels()).containsEntry("example.com/poked", String.valueOf(TICKS));
            var configMap = client.configMaps().inNamespace(ns.name()).withName("busy-env").get();
            assertThat(configMap.getMetadata().getAnnotations()).containsEntry("example.com/poked", String.valueOf(TICKS));
            assertThat(configMap.getData()).containsEntry("LEVEL", "debug");
            waitFor(client, ns.name(), "busy", 60, a -> condition(a, "Ready", "True")
                    && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));

            // No hot loop: the reconciles stop once the writer does, and there are no more of them than triggers.
            double[] last = { -1 };
            Awaitility.await("reconciles of busy settle").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(500)).until(() -> ReconcileCounter.started(registry, ns.name(), "busy"), n -> {
                        boolean same = n == last[0];
                        last[0] = n;
                        return same;
                    });
            double reconciles = last[0] - reconcilesBefore;
            List<AuditLog.Entry> foreignWrites = ChildWrites.by(audit, mark, WRITER, "deployments", ns.name(), "busy");
            foreignWrites.addAll(ChildWrites.by(audit, mark, WRITER, "configmaps", ns.name(), "busy-env"));
            List<AuditLog.Entry> deploymentWrites = ChildWrites.byOperator(audit, mark, "deployments", ns.name(), "busy");
            List<AuditLog.Entry> configMapWrites = ChildWrites.byOperator(audit, mark, "configmaps", ns.name(), "busy-env");
            System.out.printf("concurrent writer: %d foreign writes, %.0f reconciles, operator writes: Deployment %s, ConfigMap %s%n",
                    foreignWrites.size(), reconciles, deploymentWrites, configMapWrites);
            assertThat(foreignWrites).hasSize(2 * TICKS);
            // At most one reconcile per trigger (each foreign write, the spec change, the operator's own status
            // and child echoes, the Deployment controller's status updates): more would be the operator feeding itself.
            assertThat(reconciles).as("reconciles during %d foreign writes", foreignWrites.size()).isPositive()
                    .isLessThanOrEqualTo(foreignWrites.size() + 40);
            // The spec change needs one write per child; a retry after a conflict may add one. Writing on
            // every foreign change would be ~100 each.
            assertThat(deploymentWrites).as("operator writes to the Deployment").isNotEmpty().hasSizeLessThanOrEqualTo(3);
            assertThat(configMapWrites).as("operator writes to the ConfigMap").isNotEmpty().hasSizeLessThanOrEqualTo(3);
        }
    }

    static Deployment deployment(TestNamespace ns) {
        return client.apps().deployments().inNamespace(ns.name()).withName("busy").get();
    }

    static String configHash(TestNamespace ns) {
        return deployment(ns).getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }
}
