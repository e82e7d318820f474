package dev.runway.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The Kubernetes API server the API-server and cluster tiers run against, started once per test
 * JVM. In order of preference:
 * <ol>
 * <li>{@code -Drunway.test.cluster=k3s}: a k3s container through Testcontainers (needs Docker);</li>
 * <li>the cluster named by {@code KUBECONFIG} (or {@code -Drunway.test.kubeconfig}) when it answers;</li>
 * <li>the local control plane of {@code hack/cluster.sh up}, stopped again when the JVM exits.</li>
 * </ol>
 * There is no fallback to a mock: when none of these can start, the tests fail and say why.
 */
public final class LocalControlPlane {
    private static Path kubeconfig;

    private LocalControlPlane() {
    }

    /** Path of a kubeconfig for the running cluster, starting one if needed. */
    public static synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            kubeconfig = start();
            // Fabric8 clients built anywhere in this JVM, the operator's included, read this property.
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
            System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "true");
        }
        return kubeconfig;
    }

    /** A new client for the test cluster; callers close it. */
    public static KubernetesClient client() {
        try {
            String content = Files.readString(kubeconfig(), StandardCharsets.UTF_8);
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(content)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kubeconfig " + kubeconfig, e);
        }
    }

    private static Path start() {
        String mode = System.getProperty("runway.test.cluster", "local");
        if ("k3s".equals(mode)) {
            return K3sCluster.start();
        }
        String named = System.getProperty("runway.test.kubeconfig", System.getenv("KUBECONFIG"));
        if (named != null && !named.isBlank() && answers(Path.of(named))) {
            return Path.of(named);
        }
        return startLocal();
    }

    private static boolean answers(Path config) {
        if (!Files.isReadable(config)) {
            return false;
        }
        try (KubernetesClient c = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(config))).build()) {
            c.getKubernetesVersion();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Path startLocal() {
        Path script = repoRoot().resolve("hack/cluster.sh");
        run(script.toString(), "up");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> run(script.toString(), "down")));
        return Path.of(output(script.toString(), "kubeconfig").trim());
    }

    /** Where hack/ keeps built binaries and extracted CRDs: $RUNWAY_CACHE, else ~/.cache/runway. */
    public static Path cacheDir() {
        String cache = System.getenv("RUNWAY_CACHE");
        return cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "runway");
    }

    /** A version pinned in hack/versions.env ({@code NAME=value}). */
    public static String pinned(String name) {
        Path versions = repoRoot().resolve("hack/versions.env");
        try {
            return Files.readAllLines(versions).stream().filter(l -> l.startsWith(name + "="))
                    .map(l -> l.substring(l.indexOf('=') + 1).trim()).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " is not set in " + versions));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The repository's root directory, for tests that read its files (examples, charts). */
    public static Path repoRootForTests() {
        return repoRoot();
    }

    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("hack/cluster.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("hack/cluster.sh not found above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue()
                        + "); see ~/.cache/runway/cluster/logs");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(1, TimeUnit.MINUTES);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
