package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The acceptance checks of the local control plane itself: the controllers a Runway feature
 * relies on really run (Deployments, CronJobs, garbage collection, Argo Rollouts blue-green).
 */
@Tag(Tiers.CLUSTER)
class ControlPlaneTest extends KubernetesTest {
    static final ResourceDefinitionContext ROLLOUT = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();


    @Test
    void deploymentWithTwoReplicasBecomesAvailable() {
        try (TestNamespace ns = TestNamespace.create(client, "cp-deploy")) {
            client.resource(deployment(ns.name(), "web", "example.com/web:1", 2)).create();
            Deployment ready = client.apps().deployments().inNamespace(ns.name()).withName("web")
                    .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()),
                            90, TimeUnit.SECONDS);
            assertThat(ready.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(client.pods().inNamespace(ns.name()).list().getItems())
                    .hasSize(2)
                    .allSatisfy(p -> {
                        assertThat(p.getSpec().getNodeName()).startsWith("kwok-node-");
                        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                    });
        }
    }

    @Test
    void cronJobCreatesAJob() {
        try (TestNamespace ns = TestNamespace.create(client, "cp-cron")) {
            client.resource(new CronJobBuilder().withNewMetadata().withName("tick").withNamespace(ns.name()).endMetadata()
                    .withNewSpec().withSchedule("* * * * *")
                    .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("c").withImage("example.com/tick:1").endContainer()
                    .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
            // The CronJob controller fires on the next minute boundary.
            var jobs = client.batch().v1().jobs().inNamespace(ns.name());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !jobs.list().getItems().isEmpty());
            assertThat(jobs.list().getItems().get(0).getMetadata().getOwnerReferences())
                    .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("CronJob"));
        }
    }

    @Test
    void deletingAnOwnerGarbageCollectsItsChildren() {
        try (TestNamespace ns = TestNamespace.create(client, "cp-gc")) {
            ConfigMap owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("owner")
                    .withNamespace(ns.name()).endMetadata().build()).create();
            client.resource(new ConfigMapBuilder().withNewMetadata().withName("child").withNamespace(ns.name())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                            .withName("owner").withUid(owner.getMetadata().getUid()).build())
                    .endMetadata().build()).create();
            client.resource(owner).delete();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> client.configMaps().inNamespace(ns.name()).withName("child").get() == null);
        }
    }

    @Test
    void blueGreenRolloutSwitchesTheActiveServiceAfterPromotion() {
        try (TestNamespace ns = TestNamespace.create(client, "cp-rollout")) {
            for (String svc : List.of("web", "web-preview")) {
                client.resource(new ServiceBuilder().withNewMetadata().withName(svc).withNamespace(ns.name()).endMetadata()
                        .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withPort(80).endPort().endSpec().build()).create();
            }
            GenericKubernetesResource rollout = Serialization.unmarshal("""
                    apiVersion: argoproj.io/v1alpha1
                    kind: Rollout
                    metadata: {name: web}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec: {containers: [{name: web, image: "example.com/web:1"}]}
                      strategy:
                        blueGreen: {activeService: web, previewService: web-preview, autoPromotionEnabled: false, scaleDownDelaySeconds: 5}
                    """, GenericKubernetesResource.class);
            rollout.getMetadata().setNamespace(ns.name());
            var rollouts = client.genericKubernetesResources(ROLLOUT).inNamespace(ns.name());
            rollouts.resource(rollout).create();
            waitForPhase(rollouts.withName("web"), "Healthy");
            String firstHash = activeSelectorHash(ns.name());
            assertThat(firstHash).isNotBlank();

            rollouts.withName("web").patch(PatchContext.of(PatchType.JSON),
                    "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"example.com/web:2\"}]");
            waitForPhase(rollouts.withName("web"), "Paused");
            assertThat(activeSelectorHash(ns.name())).as("old version stays active until promoted").isEqualTo(firstHash);

            // What `kubectl argo rollouts promote` does for a paused blue-green rollout.
            rollouts.withName("web").subresource("status").patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"pauseConditions\":null}}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> !firstHash.equals(activeSelectorHash(ns.name())));
            waitForPhase(rollouts.withName("web"), "Healthy");
        }
    }

    private static String activeSelectorHash(String namespace) {
        var svc = client.services().inNamespace(namespace).withName("web").get();
        return svc.getSpec().getSelector().get("rollouts-pod-template-hash");
    }

    @SuppressWarnings("unchecked")
    private static void waitForPhase(io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> rollout, String phase) {
        rollout.waitUntilCondition(r -> r != null && r.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                && phase.equals(((Map<String, Object>) s).get("phase")), 120, TimeUnit.SECONDS);
    }

    static Deployment deployment(String namespace, String name, String image, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
