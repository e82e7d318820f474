package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The Argo CD health checks and actions in config/argocd, run by a real Lua 5.1 interpreter
 * (Argo CD embeds gopher-lua, a Lua 5.1) on objects whose conditions come from ConditionFactory.
 * Needs the {@code lua5.1} binary (Debian package lua5.1).
 */
@Tag(Tiers.UNIT)
class ArgoCdHealthTest {
    static final Path ARGOCD = Path.of(System.getProperty("user.dir"), "config", "argocd", "runway.dev");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ConditionFactory CONDITIONS = new ConditionFactory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @TempDir
    Path tmp;

    /** What each status outcome sets, as the status factories do: Ready, Reconciling, Stalled. */
    static List<Condition> conditions(String outcome, String message, long generation) {
        List<Condition> list = new ArrayList<>();
        CONDITIONS.set(list, ConditionFactory.READY, outcome.equals("ready"), "Reason", message, generation);
        CONDITIONS.set(list, ConditionFactory.RECONCILING, List.of("progressing", "retrying", "waiting").contains(outcome), "Reason", message, generation);
        CONDITIONS.set(list, ConditionFactory.STALLED, outcome.equals("stalled"), "Reason", message, generation);
        return list;
    }

    static ObjectNode object(String kind, long generation, Long observedGeneration, String phase, String outcome, String message) {
        ObjectNode obj = JSON.createObjectNode();
        obj.put("apiVersion", "runway.dev/v1alpha1").put("kind", kind);
        obj.putObject("metadata").put("name", "demo").put("generation", generation);
        if (observedGeneration != null) {
            ObjectNode status = obj.putObject("status");
            status.put("observedGeneration", observedGeneration);
            if (phase != null) {
                status.put("phase", phase);
            }
            status.set("conditions", JSON.valueToTree(conditions(outcome, message, observedGeneration)));
        }
        return obj;
    }

    @ParameterizedTest(name = "Application {0} ({1}) is {2}")
    @CsvSource({
            "Pending,waiting,Progressing",
            "Migrating,progressing,Progressing",
            "Progressing,progressing,Progressing",
            "AwaitingPromotion,progressing,Suspended",
            "Healthy,ready,Healthy",
            "Degraded,stalled,Degraded",
            "RolledBack,stalled,Degraded",
            "Failed,stalled,Degraded",
            "Progressing,retrying,Progressing",
    })
    void applicationPhases(String phase, String outcome, String health) throws Exception {
        List<String> result = health("Application", object("Application", 3, 3L, phase, outcome, "the " + phase + " message"));
        assertThat(result.get(0)).isEqualTo(health);
        assertThat(result.get(1)).isEqualTo("the " + phase + " message");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "Application", "Environment", "BackupPolicy", "MigrationJob" })
    void everyKindFollowsObservedGenerationAndConditions(String kind) throws Exception {
        assertThat(health(kind, object(kind, 1, null, null, null, null)).get(0)).isEqualTo("Progressing");
        // A status about an older spec says nothing about the current one, even if it was Ready.
        List<String> stale = health(kind, object(kind, 5, 4L, null, "ready", "ok"));
        assertThat(stale.get(0)).isEqualTo("Progressing");
        assertThat(stale.get(1)).contains("generation 5");
        assertThat(health(kind, object(kind, 5, 5L, null, "ready", "all good"))).containsExactly("Healthy", "all good");
        assertThat(health(kind, object(kind, 5, 5L, null, "progressing", "working"))).containsExactly("Progressing", "working");
        assertThat(health(kind, object(kind, 5, 5L, null, "stalled", "fix the Secret"))).containsExactly("Degraded", "fix the Secret");
        // Ready=False with nothing under way and nothing stalled: not healthy, and not going to be by itself.
        assertThat(health(kind, object(kind, 5, 5L, null, "idle", "quota exceeded"))).containsExactly("Degraded", "quota exceeded");
        // Stalled wins over a Ready left True.
        ObjectNode both = object(kind, 2, 2L, null, "stalled", "stuck");
        ((ObjectNode) both.get("status").get("conditions").get(0)).put("status", "True");
        assertThat(health(kind, both).get(0)).isEqualTo("Degraded");
    }

    @Test
    void promoteAndAbortAreOfferedForAPreviewAndSetTheirAnnotation() throws Exception {
        ObjectNode awaiting = object("Application", 2, 2L, "AwaitingPromotion", "progressing", "preview ready");
        ((ObjectNode) awaiting.get("status")).put("previewImage", "example.com/app:2");
        assertThat(run(awaiting, ARGOCD.resolve("Application/actions/discovery.lua"),
                "for _, n in ipairs({'promote', 'abort'}) do print(n .. '=' .. tostring(result[n].disabled)) end"))
                .containsExactly("promote=false", "abort=false");
        ObjectNode healthy = object("Application", 2, 2L, "Healthy", "ready", "ok");
        assertThat(run(healthy, ARGOCD.resolve("Application/actions/discovery.lua"),
                "for _, n in ipairs({'promote', 'abort'}) do print(n .. '=' .. tostring(result[n].disabled)) end"))
                .containsExactly("promote=true", "abort=true");

        for (String lever : List.of("promote", "abort")) {
            List<String> annotations = run(awaiting, ARGOCD.resolve("Application/actions/" + lever + "/action.lua"), PRINT_ANNOTATIONS);
            assertThat(annotations).singleElement().satisfies(a -> assertThat(a).matches("runway\\.dev/" + lever + "=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        }
        // Existing annotations are kept.
        ((ObjectNode) awaiting.get("metadata")).putObject("annotations").put("team", "payments");
        assertThat(run(awaiting, ARGOCD.resolve("Application/actions/promote/action.lua"), PRINT_ANNOTATIONS))
                .contains("team=payments").anyMatch(a -> a.startsWith("runway.dev/promote="));
    }

    @Test
    void backupNowSetsItsAnnotationAndIsNotOfferedTwice() throws Exception {
        ObjectNode policy = object("BackupPolicy", 1, 1L, null, "ready", "ok");
        assertThat(run(policy, ARGOCD.resolve("BackupPolicy/actions/discovery.lua"), "print(tostring(result['backup-now'].disabled))"))
                .containsExactly("false");
        List<String> annotations = run(policy, ARGOCD.resolve("BackupPolicy/actions/backup-now/action.lua"), PRINT_ANNOTATIONS);
        assertThat(annotations).singleElement().satisfies(a -> assertThat(a).matches("runway\\.dev/backup-now=argocd-\\d{8}T\\d{6}Z"));
        ((ObjectNode) policy.get("metadata")).putObject("annotations").put("runway.dev/backup-now", "manual");
        assertThat(run(policy, ARGOCD.resolve("BackupPolicy/actions/discovery.lua"), "print(tostring(result['backup-now'].disabled))"))
                .containsExactly("true");
    }

    static final String PRINT_ANNOTATIONS = "for k, v in pairs(result.metadata.annotations) do print(k .. '=' .. v) end";

    List<String> health(String kind, JsonNode obj) throws Exception {
        List<String> out = run(obj, ARGOCD.resolve(kind).resolve("health.lua"), "print(result.status) print(result.message or '')");
        assertThat(out).hasSize(2);
        return out;
    }

    /** Runs {@code script} with the global {@code obj} set to {@code obj}, then {@code after} with its return value as {@code result}. */
    List<String> run(JsonNode obj, Path script, String after) throws Exception {
        Path harness = tmp.resolve("harness.lua");
        Files.writeString(harness, "obj = " + lua(obj) + "\n"
                + "local result = assert(loadfile(" + lua(JSON.getNodeFactory().textNode(script.toString())) + "))()\n"
                + after + "\n");
        Process lua = new ProcessBuilder("lua5.1", harness.toString()).redirectErrorStream(true).start();
        assertThat(lua.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(lua.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lua.exitValue()).as("lua5.1 %s: %s", script, output).isZero();
        return output.lines().toList();
    }

    /** A Lua table constructor for a JSON value (as Argo CD hands objects to its scripts). */
    static String lua(JsonNode node) {
        if (node.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                var field = it.next();
                sb.append('[').append(lua(JSON.getNodeFactory().textNode(field.getKey()))).append("]=").append(lua(field.getValue())).append(',');
            }
            return sb.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("{");
            node.forEach(e -> sb.append(lua(e)).append(','));
            return sb.append('}').toString();
        }
        if (node.isTextual()) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : node.textValue().toCharArray()) {
                sb.append(c == '"' || c == '\\' ? "\\" + c : c == '\n' ? "\\n" : String.valueOf(c));
            }
            return sb.append('"').toString();
        }
        return node.isNull() ? "nil" : node.asText();
    }

    @Test
    void luaConversionRoundTrips() throws IOException {
        assertThat(lua(JSON.readTree("{\"a\":[1,\"x\\\"y\"],\"b\":true}"))).isEqualTo("{[\"a\"]={1,\"x\\\"y\",},[\"b\"]=true,}");
    }
}
