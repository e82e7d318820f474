package dev.runway.operator.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server (built by {@code hack/build-binaries.sh prometheus} from the pinned
 * module) on loopback, RUNWAY_PORT_BASE + 92. It discovers the pods behind the Services of one
 * namespace through the API server (EndpointSlices, the test kubeconfig) and scrapes their port
 * named {@code http} every 2 s, labelling each series with {@code namespace} and {@code service}
 * as the AnalysisTemplates Runway writes expect. Scrapes go from the host to pod IPs on the real
 * node's bridge: no traffic leaves the machine.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server scraping the Services of {@code namespace}, and waits until it is ready. */
    public static PrometheusServer scraping(String namespace, Path kubeconfig) {
        int port = Integer.parseInt(System.getenv().getOrDefault("RUNWAY_PORT_BASE", "16400")) + 92;
        return start(port, """
                  - job_name: runway-applications
                    kubernetes_sd_configs:
                      - role: endpointslice
                        kubeconfig_file: %s
                        namespaces: {names: [%s]}
                    relabel_configs:
                      - {source_labels: [__meta_kubernetes_endpointslice_port_name], regex: http, action: keep}
                      - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
                      - {source_labels: [__meta_kubernetes_service_name], target_label: service}
                      - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
                """.formatted(kubeconfig.toAbsolutePath(), namespace));
    }

    /**
     * Starts a server on {@code port} scraping one loopback target that labels its own series
     * ({@code honor_labels}), e.g. {@link KwokPodMetrics}.
     */
    public static PrometheusServer scrapingTarget(String target, int port) {
        return start(port, """
                  - job_name: runway-applications
                    honor_labels: true
                    static_configs: [{targets: ["%s"]}]
                """.formatted(target));
    }

    private static PrometheusServer start(int port, String scrapeConfigs) {
        try {
            Path dir = Files.createTempDirectory("runway-prometheus-");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global: {scrape_interval: 2s, scrape_timeout: 1s, evaluation_interval: 2s}\nscrape_configs:\n"
                    + scrapeConfigs);
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(binary().toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=2h",
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(p, dir, port);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Prometheus", e);
        }
    }

    /** The address AnalysisTemplates query: {@code http://127.0.0.1:PORT}. */
    public String address() {
        return "http://127.0.0.1:" + port;
    }

    /** The body of {@code /api/v1/query} for {@code promql}, as Prometheus answers it (JSON). */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** What the server wrote to its log, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                fail("Prometheus exited with %d:%n%s", process.exitValue(), log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(address() + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        fail("Prometheus on %s was not ready within %s:%n%s", address(), timeout, log());
    }

    private String get(String path) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " from Prometheus: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /** ~/.cache/runway/bin/prometheus-$PROMETHEUS_VERSION/prometheus (or under $RUNWAY_CACHE). */
    static Path binary() throws IOException {
        String version = LocalControlPlane.pinned("PROMETHEUS_VERSION");
        Path root = LocalControlPlane.cacheDir();
        Path binary = root.resolve("bin").resolve("prometheus-" + version).resolve("prometheus");
        if (!Files.isExecutable(binary)) {
            fail("Prometheus " + version + " not found at " + binary + "; build it with: bash hack/build-binaries.sh prometheus");
        }
        return binary;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
