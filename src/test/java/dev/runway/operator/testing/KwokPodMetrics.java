package dev.runway.operator.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The request metrics kwok's pods cannot serve (no container runs on a fake node): an HTTP
 * endpoint on loopback that a real {@link PrometheusServer} scrapes, answering for every pod the
 * namespace's EndpointSlices list, with the target labels a ServiceMonitor would give
 * ({@code namespace}, {@code service}, {@code pod}). Every pod answers every request with 200 in
 * 20 ms: the counters grow by 10 per scrape. What it proves is that Argo Rollouts' AnalysisRuns
 * query a real Prometheus through the templates Runway writes; the behaviour of a real app under
 * analysis is RealNodeAnalysisIT's.
 */
public final class KwokPodMetrics implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong scrapes = new AtomicLong();

    private KwokPodMetrics(KubernetesClient client, String namespace) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = render(client, namespace, scrapes.incrementAndGet() * 10).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static KwokPodMetrics serving(KubernetesClient client, String namespace) {
        try {
            return new KwokPodMetrics(client, namespace);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /** host:port for a Prometheus static target. */
    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static String render(KubernetesClient client, String namespace, long requests) {
        Map<String, TreeSet<String>> servicesByPod = new HashMap<>();
        List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(namespace).list().getItems();
        for (EndpointSlice slice : slices) {
            String service = slice.getMetadata().getLabels() == null ? null : slice.getMetadata().getLabels().get("kubernetes.io/service-name");
            if (service == null || slice.getEndpoints() == null) {
                continue;
            }
            slice.getEndpoints().stream().filter(e -> e.getTargetRef() != null && "Pod".equals(e.getTargetRef().getKind()))
                    .forEach(e -> servicesByPod.computeIfAbsent(e.getTargetRef().getName(), p -> new TreeSet<>()).add(service));
        }
        StringBuilder out = new StringBuilder("# TYPE http_requests_total counter\n# TYPE http_request_duration_seconds histogram\n");
        servicesByPod.forEach((pod, services) -> services.forEach(service -> {
            String labels = "namespace=\"" + namespace + "\",service=\"" + service + "\",pod=\"" + pod + "\"";
            out.append("http_requests_total{").append(labels).append(",code=\"200\"} ").append(requests).append('\n');
            out.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"0.01\"} 0\n");
            out.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"0.025\"} ").append(requests).append('\n');
            out.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(requests).append('\n');
        }));
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
