package dev.runway.operator.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local control plane's API server audit log ({@code $RUNWAY_CLUSTER_DIR/logs/audit.log}, next
 * to the kubeconfig; policy in hack/audit-policy.yaml), read from a byte offset on, one JSON event
 * per line.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    private AuditLog(Path file) {
        this.file = file;
    }

    /** The audit log of the cluster whose kubeconfig is {@code kubeconfig}. */
    public static AuditLog of(Path kubeconfig) {
        return new AuditLog(kubeconfig.toAbsolutePath().getParent().resolve("logs").resolve("audit.log"));
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /** Bytes written so far: where later requests start. */
    public long size() {
        try {
            return exists() ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request as the audit log records it (Metadata level). */
    public record Request(String auditId, String user, String verb, String uri, int code, String decision, String message) {
        @Override
        public String toString() {
            return code + " " + verb + " " + uri + " (" + decision + "): " + message;
        }
    }

    /**
     * Requests of {@code user} (the authenticated user name) logged after byte {@code offset} with a
     * response code, one per request (a watch is logged when its response starts and again when it ends).
     */
    public List<Request> requests(String user, long offset) {
        Map<String, Request> found = new LinkedHashMap<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            String raw;
            while ((raw = in.readLine()) != null) {
                String line = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                JsonNode event = JSON.readTree(line);
                int code = event.path("responseStatus").path("code").asInt();
                if (!user.equals(event.path("user").path("username").asText()) || code == 0) {
                    continue;
                }
                found.putIfAbsent(event.path("auditID").asText(), new Request(event.path("auditID").asText(), user,
                        event.path("verb").asText(), event.path("requestURI").asText(), code,
                        event.path("annotations").path("authorization.k8s.io/decision").asText(""),
                        event.path("responseStatus").path("message").asText("")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(found.values());
    }
}
