package dev.runway.operator.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;

/**
 * A proxy between an operator process and the test cluster's API server that answers some
 * requests with an error (429 or 503 with {@code Retry-After}) for a while and relays the rest.
 * The operator talks plain HTTP/1.1 to it ({@link #kubeconfig()} has no credentials); the proxy
 * talks TLS to the API server with the client certificate of the test cluster's kubeconfig.
 * <p>
 * It reads each request's head (and body) to decide, then relays bytes as they are: one request
 * per upstream connection ({@code Connection: close}), so a watch streams as the API server sends
 * it and a WebSocket upgrade is relayed both ways. (An earlier version re-sent requests through
 * an HTTP client: watches it relayed were never counted as open by Fabric8's informers.)
 * Every request is recorded, so a test can check when a client came back after an error.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final SSLSocketFactory upstreamTls;
    private final URI apiServer;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    /** Dropped from relayed requests other than WebSocket upgrades (an h2c upgrade among them). */
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("connection", "keep-alive", "upgrade", "http2-settings");

    /** {@link Request#injected()} of a request whose connection was closed without an answer. */
    public static final int DROPPED = -1;

    /** A request as the proxy saw it, and the status it answered itself (0: relayed, {@value #DROPPED}: dropped). */
    public record Request(long nanos, String method, String uri, int injected) {
    }

    /** A request's line and headers (names lower-cased). */
    public record Head(String method, String uri, Map<String, String> headers) {
        public String path() {
            int query = uri.indexOf('?');
            return query < 0 ? uri : uri.substring(0, query);
        }
    }

    private record Fault(int status, int retryAfterSeconds, long untilNanos, Predicate<Head> applies) {
    }

    private FaultProxy(Config config) throws Exception {
        SSLContext ssl = SSLUtils.sslContext(SSLUtils.keyManagers(config), SSLUtils.trustManagers(config));
        this.upstreamTls = ssl.getSocketFactory();
        this.apiServer = URI.create(config.getMasterUrl());
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
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
     * {@code status} with {@code Retry-After: retryAfterSeconds}. When several faults apply to a
     * request, the one injected first answers it.
     */
    public void inject(int status, int retryAfterSeconds, Duration duration, Predicate<Head> applies) {
        faults.add(new Fault(status, retryAfterSeconds, System.nanoTime() + duration.toNanos(), applies));
    }

    /**
     * From now on and for {@code duration}, requests that {@code applies} accepts are read and then
     * their connection is closed without an answer (recorded with status {@value #DROPPED}), as a
     * pooled connection closed under a request ("Connection was closed").
     */
    public void dropConnections(Duration duration, Predicate<Head> applies) {
        faults.add(new Fault(DROPPED, 0, System.nanoTime() + duration.toNanos(), applies));
    }

    /** Writes: every verb but GET (and watches, which are GETs) in a namespace. */
    public static Predicate<Head> writesIn(String namespace) {
        return h -> !h.method().equals("GET") && h.path().contains("/namespaces/" + namespace + "/");
    }

    /** Writes of one resource (plural, e.g. {@code deployments}) in a namespace. */
    public static Predicate<Head> writesIn(String namespace, String resource) {
        String collection = "/namespaces/" + namespace + "/" + resource;
        return writesIn(namespace).and(h -> h.path().endsWith(collection) || h.path().contains(collection + "/"));
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
                    """.formatted(server.getLocalPort()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One request per client connection: its response ends with the upstream connection. */
    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            List<String> lines = readHead(in);
            if (lines.isEmpty()) {
                return;
            }
            String[] requestLine = lines.get(0).split(" ", 3);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            Head head = new Head(requestLine[0], requestLine[1], headers);
            byte[] body = readBody(in, headers);
            long now = System.nanoTime();
            boolean upgrade = "websocket".equalsIgnoreCase(headers.get("upgrade"));
            Fault fault = upgrade ? null
                    : faults.stream().filter(f -> now - f.untilNanos() < 0 && f.applies().test(head)).findFirst().orElse(null);
            requests.add(new Request(now, head.method(), head.uri(), fault == null ? 0 : fault.status()));
            if (fault != null) {
                if (fault.status() != DROPPED) {
                    answer(out, fault);
                }
                return;
            }
            relay(lines, upgrade, body, in, out);
        } catch (IOException e) {
            // the client or the API server went away: nothing to relay any more
        }
    }

    private void relay(List<String> lines, boolean upgrade, byte[] body, InputStream in, OutputStream out) throws IOException {
        try (Socket upstream = upstreamTls.createSocket(apiServer.getHost(), apiServer.getPort())) {
            StringBuilder head = new StringBuilder(lines.get(0)).append("\r\n");
            for (String line : lines.subList(1, lines.size())) {
                String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (upgrade || !HOP_BY_HOP.contains(name)) {
                    head.append(line).append("\r\n");
                }
            }
            if (!upgrade) {
                head.append("Connection: close\r\n"); // the response ends with the connection
            }
            OutputStream up = upstream.getOutputStream();
            up.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();
            if (upgrade) {
                threads.submit(() -> {
                    try (upstream) {
                        in.transferTo(up); // WebSocket frames from the client, until it closes
                    } catch (IOException e) {
                        // closed
                    }
                    return null;
                });
            }
            upstream.getInputStream().transferTo(out); // unbuffered: each read is passed on as it comes
        }
    }

    private static void answer(OutputStream out, Fault fault) throws IOException {
        String reason = fault.status() == 429 ? "TooManyRequests" : "ServiceUnavailable";
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected by the test's fault proxy\","
                + "\"reason\":\"" + reason + "\",\"code\":" + fault.status() + "}").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + fault.status() + " " + reason + "\r\nContent-Type: application/json\r\nRetry-After: "
                + fault.retryAfterSeconds() + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request line and header lines, up to the empty line; empty when the client closed first. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            lines.add(line);
        }
        return lines;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The body as sent (chunked framing kept, as the head still says so). */
    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if (headers.containsKey("content-length")) {
            return in.readNBytes(Integer.parseInt(headers.get("content-length")));
        }
        if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            if (size == null) {
                return body.toByteArray();
            }
            body.write((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            body.write(in.readNBytes(length));
            String end = readLine(in); // the CRLF after the chunk (or the last, empty trailer line)
            body.write(((end == null ? "" : end) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (length == 0) {
                return body.toByteArray();
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        threads.shutdownNow();
    }
}
