package dev.runway.operator.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local control plane's API server audit log ({@code logs/audit.log} next to the kubeconfig;
 * policy in {@code hack/audit-policy.yaml}: every write, and every request of a ServiceAccount, at
 * Metadata level), one JSON event per line. A {@link Mark} remembers where the log ended, so a test
 * counts only the requests made after it.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private AuditLog(Path file) {
        this.file = file;
    }

    /** The audit log of the cluster whose kubeconfig is {@code kubeconfig} (it may not exist: k3s). */
    public static AuditLog of(Path kubeconfig) {
        return new AuditLog(kubeconfig.toAbsolutePath().getParent().resolve("logs").resolve("audit.log"));
    }

    /** The audit log of the local control plane the tests run on; fails on a cluster without one (k3s). */
    public static AuditLog ofTestCluster() {
        AuditLog log = of(LocalControlPlane.kubeconfig());
        if (!log.exists()) {
            throw new IllegalStateException("no audit log at " + log.file + ": these tests need the local control plane (hack/cluster.sh)");
        }
        return log;
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

    /** The current end of the log (and which file it is, to follow a rotation). */
    public Mark mark() {
        return new Mark(size(), fileKey(file));
    }

    private static Object fileKey(Path path) {
        try {
            return Files.isRegularFile(path) ? Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Requests logged since {@code mark} with a response code that {@code filter} accepts, one per
     * request (a watch is logged when its response starts and again when it ends).
     */
    public List<Entry> since(Mark mark, Predicate<Entry> filter) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        // The API server rotates at 200 MB: it renames the log (same file) and starts a new one. After a
        // rotation, the marked file is read on from the mark under its new name, then the new log whole.
        Object current = fileKey(file);
        Path rotated = mark.fileKey() == null || mark.fileKey().equals(current) ? null : renamed(mark.fileKey());
        if (rotated != null) {
            read(rotated, mark.offset, filter, entries);
            read(file, 0, filter, entries);
        } else {
            read(file, size() >= mark.offset ? mark.offset : 0, filter, entries);
        }
        return new ArrayList<>(entries.values());
    }

    /** The rotated log that was the marked file, if the API server kept it. */
    private Path renamed(Object key) {
        try (var siblings = Files.list(file.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith("audit-") && key.equals(fileKey(p))).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void read(Path log, long offset, Predicate<Entry> filter, Map<String, Entry> entries) {
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            in.seek(Math.min(offset, in.length()));
            byte[] rest = new byte[(int) (in.length() - in.getFilePointer())];
            in.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                JsonNode object = event.path("objectRef");
                Entry entry = new Entry(event.path("auditID").asText(), event.path("verb").asText(),
                        event.path("userAgent").asText(), event.path("user").path("username").asText(),
                        object.path("resource").asText(), object.path("subresource").asText(""),
                        object.path("namespace").asText(""), object.path("name").asText(""),
                        event.path("requestURI").asText(), event.path("responseStatus").path("code").asInt(),
                        event.path("responseStatus").path("message").asText(""),
                        received(event.path("requestReceivedTimestamp").asText("")));
                if (entry.code() != 0 && filter.test(entry)) {
                    entries.putIfAbsent(entry.auditId(), entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests since {@code mark} sent with the User-Agent of {@code operator}. */
    public List<Entry> writesBy(Mark mark, OperatorProcess operator) {
        return since(mark, e -> e.userAgent().startsWith(operator.userAgent()));
    }

    /**
     * Waits until {@code operator} has sent nothing for {@code quiet} (at most {@code max}, then
     * returns anyway) and returns a mark from the start of that quiet spell: writes still landing
     * from earlier work (Events, a last status patch) come before it.
     */
    public Mark awaitQuiet(OperatorProcess operator, Duration quiet, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            Mark mark = mark();
            try {
                Thread.sleep(quiet.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return mark;
            }
            if (writesBy(mark, operator).isEmpty() || System.nanoTime() > end) {
                return mark;
            }
        }
    }

    /** Requests of the authenticated {@code user} logged after byte {@code offset}. */
    public List<Entry> requests(String user, long offset) {
        return since(new Mark(offset), e -> e.user().equals(user));
    }

    /** A position in the log, and the file it is in ({@code null}: the current log, whatever it is). */
    public record Mark(long offset, Object fileKey) {
        public Mark(long offset) {
            this(offset, null);
        }
    }

    private static java.time.Instant received(String timestamp) {
        return timestamp.isEmpty() ? null : java.time.Instant.parse(timestamp);
    }

    /** One audited request; {@code received}: when the API server received it (null if not logged). */
    public record Entry(String auditId, String verb, String userAgent, String user, String resource, String subresource,
            String namespace, String name, String uri, int code, String message, java.time.Instant received) {
        @Override
        public String toString() {
            return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " "
                    + (namespace.isEmpty() ? "" : namespace + "/") + name + " -> " + code
                    + (message.isEmpty() ? "" : ": " + message);
        }
    }
}
