package dev.runway.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The same cluster tests on k3s, for machines with Docker ({@code -Drunway.test.cluster=k3s}).
 * k3s runs real pods, so tests that simulate the kubelet still work: their writes are just racing
 * a real kubelet. The Runway CRDs are applied from {@code crds/}; the Argo Rollouts and Prometheus
 * Operator CRDs from the directories {@code hack/cluster.sh} extracts.
 */
final class K3sCluster {
    private K3sCluster() {
    }

    @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
    static Path start() {
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(
                System.getProperty("runway.test.k3s-image", "rancher/k3s:v1.34.4-k3s1")));
        k3s.start();
        try {
            Path file = Files.createTempFile("runway-k3s", ".kubeconfig");
            Files.writeString(file, k3s.getKubeConfigYaml());
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build()) {
                CrdInstaller.installAll(client);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the k3s kubeconfig", e);
        }
    }
}
