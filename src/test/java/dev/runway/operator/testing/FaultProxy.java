package dev.runway.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;

/**
 * A small HTTP proxy between an operator process and the test cluster's API server that answers
 * some requests with an error (429 Too Many Requests or 503, with {@code Retry-After}) for a
 * while, and passes everything else through, watches included (streamed). The operator talks
 * plain HTTP to the proxy (its {@link #kubeconfig()} has no credentials); the proxy talks TLS to
 * the API server with the client certificate of the test cluster's kubeconfig. Every request
 * is recorded, so a test can check when a client came back after being told to wait.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "keep-alive",
            "transfer-encoding", "upgrade", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient upstream;
    private final URI apiServer;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Fault fault;

    /** A request as the proxy saw it, and the status it answered itself (0: passed through). */
    public record Request(long nanos, String method, String uri, int injected) {
    }

    private record Fault(int status, int retryAfterSeconds, long untilNanos, Predicate<HttpExchange> applies) {
    }

    private FaultProxy(Config config) throws Exception {
        SSLContext ssl = SSLUtils.sslContext(SSLUtils.keyManagers(config), SSLUtils.trustManagers(config));
        this.upstream = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.apiServer = URI.create(config.getMasterUrl().replaceAll("/+$", ""));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of the test cluster's API server. */
    public static FaultProxy forTestCluster() {
        try {
            return new FaultProxy(Config.fromKubeconfig(Files.readString(LocalControlPlane.kubeconfig())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    /**
     * From now on and for {@code duration}, requests that {@code applies} accepts are answered
     * {@code status} with {@code Retry-After: retryAfterSeconds}.
     */
    public void inject(int status, int retryAfterSeconds, Duration duration, Predicate<HttpExchange> applies) {
        fault = new Fault(status, retryAfterSeconds, System.nanoTime() + duration.toNanos(), applies);
    }

    /** Writes: every verb but GET (and watches, which are GETs). */
    public static Predicate<HttpExchange> writesIn(String namespace) {
        return e -> !e.getRequestMethod().equals("GET") && e.getRequestURI().getPath().contains("/namespaces/" + namespace + "/");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A kubeconfig that sends a client through this proxy. */
    public Path kubeconfig() {
        try {
            Path file = Files.createTempFile("fault-proxy-", ".kubeconfig");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: proxy, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: proxied, user: {}}]
                    contexts: [{name: proxy, context: {cluster: proxy, user: proxied}}]
                    current-context: proxy
                    """.formatted(server.getAddress().getPort()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String uri = exchange.getRequestURI().toString();
        Fault current = fault;
        try (exchange) {
            if (current != null && now - current.untilNanos() < 0 && current.applies().test(exchange)) {
                requests.add(new Request(now, exchange.getRequestMethod(), uri, current.status()));
                exchange.getRequestBody().readAllBytes();
                byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected by the test's fault proxy\","
                        + "\"reason\":\"" + (current.status() == 429 ? "TooManyRequests" : "ServiceUnavailable") + "\",\"code\":"
                        + current.status() + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(current.retryAfterSeconds()));
                exchange.sendResponseHeaders(current.status(), body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            requests.add(new Request(now, exchange.getRequestMethod(), uri, 0));
            forward(exchange, uri);
        } catch (IOException | RuntimeException e) {
            System.err.println("fault proxy: " + exchange.getRequestMethod() + " " + uri + " failed: " + e);
            throw e;
        }
    }

    private void forward(HttpExchange exchange, String uri) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiServer + uri))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            return;
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            boolean noBody = response.statusCode() == 204 || response.statusCode() == 304;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : 0);
            if (noBody) {
                return;
            }
            // Chunk by chunk, flushed: a watch is an endless response whose events must arrive as they come.
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
