package dev.runway.operator.backup;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the one JSON line the backup scripts write to their termination log:
 *
 * <pre>
 * backup.sh: {"result":"Succeeded","name":"...","completedAt":"...","sizeBytes":N,"sha256":"...","durationSeconds":N,"pinned":b,"backups":N,"pruned":N}
 *            {"result":"Failed","message":"..."}
 * verify.sh: {"result":"Passed","backup":"...","tables":N,"rows":N,"durationSeconds":N,"completedAt":"..."}
 *            {"result":"Failed","backup":"...","message":"..."}
 * </pre>
 *
 * The containers use {@code terminationMessagePolicy: FallbackToLogsOnError}, so a script that dies
 * before writing its line leaves the tail of its log instead: the last line that parses as a result
 * wins, and anything else is kept as plain text, shortened.
 */
public final class TerminationMessages {
    /** Longest message copied into status and events. */
    static final int MAX_MESSAGE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TerminationMessages() {
    }

    /** What backup.sh reported. Fields the script left out are null. */
    public record BackupReport(boolean succeeded, String name, String completedAt, Long sizeBytes, String sha256,
            Long durationSeconds, Boolean pinned, Integer backups, Integer pruned, String message, List<Pin> pins) {
    }

    /** A pinned backup backup.sh listed after its prune; {@code until} null: no end. */
    public record Pin(String name, String until) {
    }

    /** What verify.sh reported. */
    public record VerificationReport(boolean passed, String backup, Integer tables, String completedAt, String message, Long rows,
            Long durationSeconds, Long dumpedRows) {
    }

    public static Optional<BackupReport> backup(String terminationMessage) {
        return lastResult(terminationMessage).flatMap(json -> {
            String result = text(json, "result");
            if (!"Succeeded".equals(result) && !"Failed".equals(result)) {
                return Optional.empty();
            }
            return Optional.of(new BackupReport("Succeeded".equals(result), text(json, "name"), timestamp(json, "completedAt"),
                    longValue(json, "sizeBytes"), text(json, "sha256"), longValue(json, "durationSeconds"),
                    json.hasNonNull("pinned") ? json.get("pinned").asBoolean() : null, intValue(json, "backups"),
                    intValue(json, "pruned"), shorten(text(json, "message")), pins(json)));
        });
    }

    private static List<Pin> pins(JsonNode json) {
        if (!json.path("pins").isArray()) {
            return null;
        }
        List<Pin> pins = new ArrayList<>();
        for (JsonNode p : json.get("pins")) {
            if (pins.size() < 10 && text(p, "name") != null) {
                pins.add(new Pin(text(p, "name"), timestamp(p, "until")));
            }
        }
        return pins;
    }

    public static Optional<VerificationReport> verification(String terminationMessage) {
        return lastResult(terminationMessage).flatMap(json -> {
            String result = text(json, "result");
            if (!"Passed".equals(result) && !"Failed".equals(result)) {
                return Optional.empty();
            }
            return Optional.of(new VerificationReport("Passed".equals(result), text(json, "backup"), intValue(json, "tables"),
                    timestamp(json, "completedAt"), shorten(text(json, "message")), longValue(json, "rows"),
                    longValue(json, "durationSeconds"), longValue(json, "dumpedRows")));
        });
    }

    /** Plain text for status and events: one line, without control characters, at most {@value #MAX_MESSAGE} characters. */
    public static String shorten(String text) {
        if (text == null) {
            return null;
        }
        String line = text.strip().replaceAll("[\\p{Cntrl}&&[^\n]]", "").replaceAll("\\s*\n\\s*", " | ");
        return line.length() > MAX_MESSAGE ? "..." + line.substring(line.length() - (MAX_MESSAGE - 3)) : line;
    }

    private static Optional<JsonNode> lastResult(String message) {
        if (message == null) {
            return Optional.empty();
        }
        String[] lines = message.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{") && line.endsWith("}")) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node.isObject() && node.hasNonNull("result")) {
                        return Optional.of(node);
                    }
                } catch (JsonProcessingException e) {
                    // not the result line: keep looking further up
                }
            }
        }
        return Optional.empty();
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longValue(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : null;
    }

    private static Integer intValue(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v != null && v.canConvertToInt() ? v.asInt() : null;
    }

    /** RFC 3339 in UTC, whole seconds, as Kubernetes writes times; null when absent or unreadable. */
    private static String timestamp(JsonNode json, String field) {
        return normalize(text(json, field));
    }

    static String normalize(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(time).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
