package dev.runway.operator.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local control plane's audit log ({@code hack/audit-policy.yaml}: every write, at Metadata
 * level, next to the kubeconfig under {@code logs/audit.log}). A {@link Mark} remembers where the
 * log ended, so a test counts only the requests made after it.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private AuditLog(Path file) {
        this.file = file;
    }

    /** The audit log of the local control plane the tests run on; fails on a cluster without one (k3s). */
    public static AuditLog ofTestCluster() {
        Path file = LocalControlPlane.kubeconfig().toAbsolutePath().getParent().resolve("logs/audit.log");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no audit log at " + file + ": these tests need the local control plane (hack/cluster.sh)");
        }
        return new AuditLog(file);
    }

    /** The current end of the log. */
    public Mark mark() {
        try {
            return new Mark(Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Completed requests logged since {@code mark} that {@code filter} accepts. */
    public List<Entry> since(Mark mark, Predicate<Entry> filter) {
        List<Entry> entries = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            // The API server rotates at 200 MB; a log shorter than the mark was rotated: read it all.
            in.seek(in.length() >= mark.offset ? mark.offset : 0);
            byte[] rest = new byte[(int) (in.length() - in.getFilePointer())];
            in.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                if (!"ResponseComplete".equals(event.path("stage").asText())) {
                    continue;
                }
                Entry entry = new Entry(event.path("verb").asText(), event.path("userAgent").asText(),
                        event.path("user").path("username").asText(),
                        event.path("objectRef").path("resource").asText(),
                        event.path("objectRef").path("subresource").asText(""),
                        event.path("objectRef").path("namespace").asText(""),
                        event.path("objectRef").path("name").asText(""),
                        event.path("responseStatus").path("code").asInt());
                if (filter.test(entry)) {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** Requests since {@code mark} sent with the User-Agent of {@code operator}. */
    public List<Entry> writesBy(Mark mark, OperatorProcess operator) {
        return since(mark, e -> e.userAgent().startsWith(operator.userAgent()));
    }

    /** A position in the log. */
    public record Mark(long offset) {
    }

    /** One audited request. */
    public record Entry(String verb, String userAgent, String user, String resource, String subresource,
            String namespace, String name, int code) {
        @Override
        public String toString() {
            return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " "
                    + (namespace.isEmpty() ? "" : namespace + "/") + name + " -> " + code;
        }
    }
}
