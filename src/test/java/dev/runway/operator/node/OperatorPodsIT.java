package dev.runway.operator.node;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.RealNode;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * The operator as its users run it: `helm install` of helm/runway-operator with the image this
 * build made (Quarkus Jib, pushed to the local registry), two pods on the real node under the
 * chart's ServiceAccount and the restricted Pod Security profile, one leader; it converges an
 * Environment and an Application, and a standby takes over when the leader's pod is killed.
 */
@Tag(Tiers.NODE)
class OperatorPodsIT extends KubernetesTest {
    /** The operator image of this build (the pom passes it; hack/images.sh names it the same way). */
    static String operatorImage() {
        return System.getProperty("runway.test.operator-image", RealNode.image("runway-operator:0.1.0-SNAPSHOT"));
    }

    @Test
    void theChartRunsTwoPodsOnTheRealNodeOneLeadsAndTheStandbyTakesOver() throws Exception {
        try (TestNamespace system = RealNode.namespace(client, "runway-system");
                TestNamespace apps = RealNode.namespace(client, "op-pods-apps")) {
            String image = operatorImage();
            String values = """
                    image: {repository: "%s", tag: "%s", pullPolicy: IfNotPresent}
                    watchNamespaces: ["%s"]
                    """.formatted(image.substring(0, image.lastIndexOf(':')), image.substring(image.lastIndexOf(':') + 1), apps.name());
            Path valuesFile = Files.createTempFile("runway-values", ".yaml");
            Files.writeString(valuesFile, values);
            String release = "runway";
            HelmChart.helm().install().withName(release).withNamespace(system.name())
                    .withKubeConfig(LocalControlPlane.kubeconfig()).withValuesFile(valuesFile).skipCrds().call();
            try {
                List<Pod> pods = await(300).until(() -> operatorPods(system.name()),
                        list -> list.size() == 2 && list.stream().allMatch(OperatorPodsIT::ready));
                for (Pod pod : pods) {
                    RealNode.assertRanHere(pod);
                    assertThat(pod.getSpec().getServiceAccountName()).startsWith(release);
                    assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(image);
                    // Readiness as the kubelet sees it, and as anyone can ask through the API server.
                    assertThat(RealNode.viaPod(client, pod, 8080, "/q/health/ready")).hasValueSatisfying(
                            body -> assertThat(body).contains("\"status\": \"UP\""));
                }
                String leader = await(120).until(() -> holder(system.name()), h -> h.isPresent()
                        && pods.stream().anyMatch(p -> h.get().startsWith(p.getMetadata().getName()))).get();

                client.resource(client.getKubernetesSerialization().unmarshal("""
                        apiVersion: runway.dev/v1alpha1
                        kind: Environment
                        metadata: {name: %s}
                        spec: {tier: Development, namespace: %s, deletionPolicy: Delete}
                        """.formatted(apps.name() + "-env", apps.name() + "-env"), Environment.class)).create();
                client.resource(client.getKubernetesSerialization().unmarshal("""
                        apiVersion: runway.dev/v1alpha1
                        kind: Application
                        metadata: {name: hello}
                        spec: {image: "%s", port: 8080, replicas: 1, env: {SHOW_ENV: GREETING, GREETING: one}}
                        """.formatted(RealNode.image("runway-sample-app:1.0.0")), Application.class)).inNamespace(apps.name()).create();
                client.resources(Environment.class).withName(apps.name() + "-env").waitUntilCondition(
                        e -> e != null && e.getStatus() != null && e.getStatus().conditions.stream()
                                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")), 120, TimeUnit.SECONDS);
                ClusterTestSupport.waitFor(client, apps.name(), "hello", 240,
                        a -> RealNodeApplicationIT.reason(a, "Ready").equals("RolloutComplete"));

                // The leader's pod dies without a goodbye; another pod (the standby, or the pod the
                // Deployment starts in its place) holds the Lease within its duration.
                Pod leaderPod = pods.stream().filter(p -> leader.startsWith(p.getMetadata().getName())).findFirst().orElseThrow();
                client.pods().inNamespace(system.name()).withName(leaderPod.getMetadata().getName()).withGracePeriod(0).delete();
                String next = await(90).until(() -> holder(system.name()),
                        h -> h.isPresent() && !h.get().startsWith(leaderPod.getMetadata().getName())).get();
                assertThat(operatorPods(system.name())).extracting(p -> p.getMetadata().getName())
                        .anySatisfy(n -> assertThat(next).startsWith(n));
                ClusterTestSupport.update(client, apps.name(), "hello", a -> a.getSpec().env.put("GREETING", "two"));
                await(240).until(() -> RealNode.viaService(client, apps.name(), "hello", "http", "/").orElse(""),
                        page -> page.contains("GREETING=two"));
                client.resources(Environment.class).withName(apps.name() + "-env").delete();
            } finally {
                com.marcnuri.helm.Helm.uninstall(release).withNamespace(system.name()).withKubeConfig(LocalControlPlane.kubeconfig()).call();
                Files.deleteIfExists(valuesFile);
            }
        }
    }

    private static List<Pod> operatorPods(String namespace) {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", "runway-operator").list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Optional<String> holder(String namespace) {
        Lease lease = client.leases().inNamespace(namespace).withName("runway-operator-lock").get();
        return lease == null || lease.getSpec() == null ? Optional.empty() : Optional.ofNullable(lease.getSpec().getHolderIdentity());
    }
}
