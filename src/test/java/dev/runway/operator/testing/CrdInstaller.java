package dev.runway.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Installs CRDs from files: Runway's from crds/, third-party ones from the build cache. */
public final class CrdInstaller {
    private CrdInstaller() {
    }

    static void installAll(KubernetesClient client) throws IOException {
        install(client, LocalControlPlane.repoRoot().resolve("crds"));
        Path cache = Path.of(System.getProperty("user.home"), ".cache/runway/crds");
        if (Files.isDirectory(cache)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(cache)) {
                for (Path dir : dirs) {
                    install(client, dir);
                }
            }
        }
    }

    /** Server-side applies every YAML file in {@code dir} and waits until each CRD is established. */
    public static void install(KubernetesClient client, Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{yml,yaml}")) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith("kustomization.")) {
                    continue; // crds/ also holds the kustomization config/ builds on
                }
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                    crd.getMetadata().setManagedFields(null);
                    client.resource(crd).fieldManager("runway-tests").forceConflicts().serverSideApply();
                    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                            .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                                    .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
                }
            }
        }
    }
}
