package dev.runway.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The local control plane's real node (hack/node.sh): a kubelet with containerd and runc, whose
 * pods are real containers from the images hack/images.sh builds into the local registry. It is
 * tainted, so a test asks for it with {@link #namespace}: every pod of that namespace is placed
 * there by the API server's PodNodeSelector and PodTolerationRestriction admission.
 */
public final class RealNode {
    public static final String NAME = "runway-node";
    static final String TAINT = "runway.dev/real-node";

    private RealNode() {
    }

    /** The local registry, as pods name it: plain HTTP on loopback (RUNWAY_PORT_BASE + 70). */
    public static String registry() {
        return "127.0.0.1:" + (portBase() + 70);
    }

    private static int portBase() {
        return Integer.parseInt(System.getenv().getOrDefault("RUNWAY_PORT_BASE", "16400"));
    }

    /** The real node's pod subnet prefix: one /24 per port base (hack/node.sh NODE_SLOT). */
    static String podSubnetPrefix() {
        int offset = portBase() - 16400;
        int slot = offset >= 0 && offset <= 9000 && offset % 1000 == 0 ? offset / 1000 : 0;
        return "10." + (89 + slot) + ".0.";
    }

    /** An image hack/images.sh built, e.g. {@code image("runway-sample-app:1.0.0")}. */
    public static String image(String nameAndTag) {
        return registry() + "/runway/" + nameAndTag;
    }

    /** Fails the test (never skips it) unless the real node is registered and Ready. */
    public static Node requireReady(KubernetesClient client) {
        Node node = client.nodes().withName(NAME).get();
        assertThat(node).as("node %s (hack/cluster.sh up starts it; logs in ~/.cache/runway/cluster/logs/kubelet.log)", NAME)
                .isNotNull();
        assertThat(node.getStatus().getConditions()).as("conditions of node %s", NAME)
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
        return node;
    }

    /** A fresh namespace whose pods all run on the real node, enforcing the restricted Pod Security profile. */
    public static TestNamespace namespace(KubernetesClient client, String prefix) {
        return namespace(client, prefix, "restricted");
    }

    /** A fresh namespace whose pods all run on the real node, enforcing the Pod Security {@code level}. */
    public static TestNamespace namespace(KubernetesClient client, String prefix, String level) {
        requireReady(client);
        return TestNamespace.create(client, prefix, Map.of("pod-security.kubernetes.io/enforce", level), Map.of(
                "scheduler.alpha.kubernetes.io/node-selector", "runway.dev/node=real",
                "scheduler.alpha.kubernetes.io/defaultTolerations",
                "[{\"key\":\"" + TAINT + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"));
    }

    /** GET through the API server's service proxy: a ready endpoint of the Service answers, or empty. */
    public static Optional<String> viaService(KubernetesClient client, String namespace, String service, String port, String path) {
        return raw(client, "/api/v1/namespaces/" + namespace + "/services/" + service + ":" + port + "/proxy" + path);
    }

    /** GET through the API server's pod proxy: the pod itself answers, or empty. */
    public static Optional<String> viaPod(KubernetesClient client, Pod pod, int port, String path) {
        return raw(client, "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName()
                + ":" + port + "/proxy" + path);
    }

    private static Optional<String> raw(KubernetesClient client, String uri) {
        try {
            return Optional.ofNullable(client.raw(uri));
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    /** A pod really ran on the real node: scheduled there, its containers started from a pulled image with a digest. */
    public static void assertRanHere(Pod pod) {
        assertThat(pod.getSpec().getNodeName()).as("node of pod %s", pod.getMetadata().getName()).isEqualTo(NAME);
        assertThat(pod.getStatus().getPodIP()).as("pod IP on the real node's bridge").startsWith(podSubnetPrefix());
        assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(c -> {
            assertThat(c.getImageID()).as("image ID containerd reports for %s", c.getName()).contains("sha256:");
            assertThat(c.getContainerID()).as("container ID of %s", c.getName()).startsWith("containerd://");
        });
    }
}
