package dev.runway.operator.restore;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.operator.backup.TerminationMessages;

/**
 * The one JSON line restore.sh writes to its termination log:
 *
 * <pre>
 * {"result":"Succeeded","backup":"...","sha256":"...","target":"...","inPlace":false,"tables":N,"rows":N,
 *  "durationSeconds":N,"startedAt":"...","completedAt":"..."}
 * {"result":"Failed","backup":"..."|null,"target":"..."|null,"field":"spec.target.database"|null,"message":"..."}
 * </pre>
 *
 * With {@code FallbackToLogsOnError} a script that died early leaves its log tail: the last line
 * that parses as a result wins.
 */
public record RestoreReport(boolean succeeded, String backup, String sha256, String target, Boolean inPlace, Integer tables,
        Long rows, Long durationSeconds, String startedAt, String completedAt, String field, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Optional<RestoreReport> parse(String terminationMessage) {
        if (terminationMessage == null) {
            return Optional.empty();
        }
        String[] lines = terminationMessage.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.startsWith("{") || !line.endsWith("}")) {
                continue;
            }
            try {
                JsonNode json = JSON.readTree(line);
                String result = text(json, "result");
                if ("Succeeded".equals(result) || "Failed".equals(result)) {
                    return Optional.of(new RestoreReport("Succeeded".equals(result), text(json, "backup"), text(json, "sha256"),
                            text(json, "target"), json.hasNonNull("inPlace") ? json.get("inPlace").asBoolean() : null,
                            json.path("tables").canConvertToInt() ? json.get("tables").asInt() : null,
                            json.path("rows").canConvertToLong() ? json.get("rows").asLong() : null,
                            json.path("durationSeconds").canConvertToLong() ? json.get("durationSeconds").asLong() : null,
                            text(json, "startedAt"), text(json, "completedAt"), text(json, "field"),
                            TerminationMessages.shorten(text(json, "message"))));
                }
            } catch (JsonProcessingException e) {
                // not the result line: keep looking further up
            }
        }
        return Optional.empty();
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
