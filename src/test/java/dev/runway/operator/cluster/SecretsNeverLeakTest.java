package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.application.ApplicationPlanner;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No Secret value ever reaches a log line, an Event, a Runway status or a ConfigMap (issues #8 and
 * #11). A full flow runs with DEBUG logging of the operator and JOSDK captured in this JVM: an
 * Environment adopting the namespace, an Application with a referenced Secret and a generated one
 * (rotated once), a BackupPolicy and a MigrationJob on a database Secret. Then everything the
 * operator wrote where people read is searched for every secret value, as written and base64-encoded.
 * The same search must find control values that are meant to be there, or it proves nothing.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class SecretsNeverLeakTest extends KubernetesTest {
    static final int WAIT = 90;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void noSecretValueInLogsEventsStatusOrConfigMaps() {
        String apiToken = "tok" + random(24);
        String dbPassword = "pw" + random(24);
        String logControl = "logcontrol" + random(12);
        String configControl = "cfgcontrol" + random(12);
        String imageTag = "v" + random(10).toLowerCase();
        List<String> logs;
        try (CapturedLogs captured = CapturedLogs.atDebug("dev.runway", "io.javaoperatorsdk");
                TestNamespace ns = TestNamespace.create(client, "no-leak")) {
            String env = ns.name();
            client.resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Environment
                    metadata: {name: %s}
                    spec: {tier: Development, namespace: %s, adoptExisting: true, config: {REGION: eu-test}}
                    """.formatted(env, ns.name()), Environment.class)).create();
            secret(ns, "app-secrets", Map.of("API_TOKEN", apiToken));
            secret(ns, "shop-db", Map.of("host", "db.example.invalid", "port", "5432", "database", "shop", "username", "shop",
                    "password", dbPassword));
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec:
                      image: example.com/shop:%s
                      env: {CONTROL: %s}
                      secretRefs: [app-secrets]
                      generatedSecrets: [{key: JWT_SECRET, length: 48}, {key: SESSION_KEY, length: 32}]
                    """.formatted(imageTag, configControl))).create();
            ClusterTestSupport.createFromYaml(client, ns.name(), BackupPolicy.class, MigrationJobTest.NIGHTLY_POLICY);
            ClusterTestSupport.createFromYaml(client, ns.name(), MigrationJob.class, """
                    apiVersion: runway.dev/v1alpha1
                    kind: MigrationJob
                    metadata: {name: schema-v2}
                    spec: {image: example.com/shop:2, command: [migrate, up], databaseSecretRef: shop-db}
                    """);
            FakeKubelet.finish(client, ns.name(), "schema-v2-migrate", 0, "migrated 2 steps");
            client.resources(MigrationJob.class).inNamespace(ns.name()).withName("schema-v2").waitUntilCondition(m -> m != null
                    && m.getStatus() != null && m.getStatus().phase == MigrationJobStatus.Phase.Succeeded, WAIT, TimeUnit.SECONDS);

            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null && a.getStatus().phase == ApplicationStatus.Phase.Healthy);
            List<String> secretValues = new ArrayList<>(List.of(apiToken, dbPassword));
            Map<String, String> first = generated(ns);
            assertThat(first).containsOnlyKeys("JWT_SECRET", "SESSION_KEY");
            secretValues.addAll(first.values());

            // Rotate the generated values once: the new ones must not leak either, nor the old ones.
            ClusterTestSupport.annotate(client, ns.name(), "shop", ApplicationPlanner.ROTATE_SECRETS_ANNOTATION, "");
            client.secrets().inNamespace(ns.name()).withName("shop-generated").waitUntilCondition(s -> s != null
                    && !Objects.equals(decode(s).get("JWT_SECRET"), first.get("JWT_SECRET")), WAIT, TimeUnit.SECONDS);
            Map<String, String> second = generated(ns);
            assertThat(second.values()).doesNotContainAnyElementsOf(first.values());
            secretValues.addAll(second.values());
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && !a.getMetadata().getAnnotations().containsKey(ApplicationPlanner.ROTATE_SECRETS_ANNOTATION));
            client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("nightly").waitUntilCondition(p -> p != null
                    && p.getStatus() != null && !p.getStatus().conditions.isEmpty(), WAIT, TimeUnit.SECONDS);
            // A Restore of that policy's backups: its Job reads the same Secret, by reference only.
            ClusterTestSupport.createFromYaml(client, ns.name(), Restore.class, """
                    apiVersion: runway.dev/v1alpha1
                    kind: Restore
                    metadata: {name: back}
                    spec: {backupPolicy: nightly}
                    """);
            client.resources(Restore.class).inNamespace(ns.name()).withName("back").waitUntilCondition(r -> r != null
                    && r.getStatus() != null && r.getStatus().phase == RestoreStatus.Phase.Restoring, WAIT, TimeUnit.SECONDS);
            org.jboss.logging.Logger.getLogger("dev.runway.operator.test").debugf("control value %s", logControl);

            logs = captured.lines();
            List<String> events = client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                    .map(e -> client.getKubernetesSerialization().asJson(e)).toList();
            List<String> eventsOfTheEnvironment = client.v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(e -> env.equals(e.getInvolvedObject().getName()) && "Environment".equals(e.getInvolvedObject().getKind()))
                    .map(e -> client.getKubernetesSerialization().asJson(e)).toList();
            List<String> statuses = Stream.of(
                    client.resources(Application.class).inNamespace(ns.name()).list().getItems().stream().map(Application::getStatus),
                    client.resources(BackupPolicy.class).inNamespace(ns.name()).list().getItems().stream().map(BackupPolicy::getStatus),
                    client.resources(MigrationJob.class).inNamespace(ns.name()).list().getItems().stream().map(MigrationJob::getStatus),
                    client.resources(Restore.class).inNamespace(ns.name()).list().getItems().stream().map(Restore::getStatus),
                    Stream.of(client.resources(Environment.class).withName(env).get().getStatus()))
                    .flatMap(s -> s).map(s -> client.getKubernetesSerialization().asJson(s)).toList();
            List<String> configMaps = client.configMaps().inNamespace(ns.name()).list().getItems().stream()
                    .map(c -> client.getKubernetesSerialization().asJson(c)).toList();

            // The search works: each place holds what it should, found the way secrets are looked for.
            assertThat(logs).as("captured log lines").hasSizeGreaterThan(20);
            assertThat(logs).as("DEBUG reconcile lines of the Application")
                    .anyMatch(l -> l.contains("DEBUG") && l.contains(ns.name()) && l.contains("shop"));
            assertThat(hits(logs, List.of(logControl))).as("the control value logged at DEBUG").isNotEmpty();
            assertThat(hits(configMaps, List.of(configControl))).as("spec.env in the Application's ConfigMap").isNotEmpty();
            assertThat(hits(statuses, List.of(imageTag))).as("the image in status").isNotEmpty();
            assertThat(hits(events, List.of("schema-v2"))).as("the MigrationJob's events").isNotEmpty();
            assertThat(statuses).hasSize(5);
            assertThat(hits(events, List.of("back-restore"))).as("the Restore's events").isNotEmpty();
            List<String> jobs = client.batch().v1().jobs().inNamespace(ns.name()).list().getItems().stream()
                    .map(j -> client.getKubernetesSerialization().asJson(j)).toList();
            assertThat(hits(jobs, List.of("restore.sh"))).as("the restore Job").isNotEmpty();

            List<String> needles = secretValues.stream().flatMap(v -> Stream.of(v, base64(v))).toList();
            assertThat(needles).hasSize(12);
            assertThat(hits(logs, needles)).as("secret values in the operator's log").isEmpty();
            assertThat(hits(events, needles)).as("secret values in Events of " + ns.name()).isEmpty();
            assertThat(hits(eventsOfTheEnvironment, needles)).as("secret values in Events of the Environment").isEmpty();
            assertThat(hits(statuses, needles)).as("secret values in status").isEmpty();
            assertThat(hits(configMaps, needles)).as("secret values in ConfigMaps").isEmpty();
            assertThat(hits(jobs, needles)).as("secret values in Jobs (the restore Job among them)").isEmpty();

            client.resources(Environment.class).withName(env).delete();
        }
    }

    /**
     * The lines of {@code haystack} that contain any of {@code needles}, shortened around the first
     * hit and with every searched value masked, so that a failure does not print the values it found.
     */
    static List<String> hits(Collection<String> haystack, Collection<String> needles) {
        String mask = "<a searched value>";
        List<String> found = new ArrayList<>();
        for (String line : haystack) {
            String masked = line;
            for (String needle : needles) {
                masked = masked.replace(needle, mask);
            }
            if (!masked.equals(line)) {
                int at = masked.indexOf(mask);
                found.add(masked.substring(Math.max(0, at - 120), Math.min(masked.length(), at + 160)));
            }
        }
        return found;
    }

    Map<String, String> generated(TestNamespace ns) {
        return decode(client.secrets().inNamespace(ns.name()).withName("shop-generated").get());
    }

    static Map<String, String> decode(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    void secret(TestNamespace ns, String name, Map<String, String> data) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns.name()).endMetadata()
                .withStringData(data).build()).create();
    }

    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String random(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /**
     * Every log record of this JVM while open, formatted with level, logger, MDC, message and stack
     * trace; the given categories log at DEBUG meanwhile, and get their levels back on close.
     */
    static final class CapturedLogs extends Handler implements AutoCloseable {
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        private final List<Logger> loggers = new ArrayList<>();
        private final List<Level> previous = new ArrayList<>();

        static CapturedLogs atDebug(String... categories) {
            CapturedLogs captured = new CapturedLogs();
            captured.setLevel(Level.ALL);
            for (String category : categories) {
                Logger logger = Logger.getLogger(category);
                captured.loggers.add(logger);
                captured.previous.add(logger.getLevel());
                logger.setLevel(org.jboss.logmanager.Level.DEBUG);
            }
            Logger.getLogger("").addHandler(captured);
            return captured;
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder().append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ');
            String message;
            if (record instanceof ExtLogRecord ext) {
                line.append(ext.getMdcCopy()).append(' ');
                message = ext.getFormattedMessage();
            } else {
                message = new SimpleFormatter().formatMessage(record);
            }
            line.append(message);
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(previous.get(i));
            }
        }
    }
}
