package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.backup.CronExamples;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Every bad input the API server rejects, across the four kinds, in one table: each case submits
 * the object (a dry-run create, or for rules on changes a dry-run update over a stored object) and
 * asserts HTTP 422 with the field path and the message. {@link #everyConstraintOfTheCrdsHasACase}
 * holds the table to the CRDs: every CEL rule, pattern, enum, bound and required field in
 * {@code crds/} has a case. {@code docs/reliability.md} carries the table ({@link #theDocListsEveryCase}).
 *
 * <p>What the schema cannot know is caught by the operator, which stalls the object with a
 * condition and a Warning event naming the field; those cases are cluster tests:
 * <ul>
 * <li>Application: a referenced Secret that does not exist ({@code spec.secretRefs}) —
 * {@code cluster/ApplicationTest#missingSecretIsReportedAndNothingIsRolledOutUntilItExists};</li>
 * <li>BackupPolicy: a schedule that never fires ({@code spec.schedule}) and a missing database Secret
 * ({@code spec.database.secretRef}) — {@code cluster/BackupPolicyTest#whatAdmissionCannotCheckStallsThePolicyUntilFixed};</li>
 * <li>MigrationJob: a missing BackupPolicy or database Secret —
 * {@code cluster/MigrationJobTest#aMissingBackupPolicyOrSecretIsReportedUntilItExists};</li>
 * <li>Environment: a namespace that exists already without {@code spec.adoptExisting} —
 * {@code cluster/EnvironmentTest#refusesAnExistingNamespaceUntilAdoptedAndNeverDeletesIt}.</li>
 * </ul>
 */
@Tag(Tiers.APISERVER)
class BadInputCatalogueTest {
    /** Environments are cluster-scoped: the stored ones (update rules) get a name of their own per run. */
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final String LONG_253 = "a".repeat(254);

    static KubernetesClient client;
    static TestNamespace namespace;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        namespace = TestNamespace.create(client, "bad-input");
    }

    @AfterAll
    static void close() {
        namespace.close();
        client.close();
    }

    static Stream<AdmissionCase> cases() {
        return Stream.of(application(), backupPolicy(), environment(), migrationJob(), restore(), SweepCases.application(),
                SweepCases.backupPolicy(), SweepCases.environment(), SweepCases.migrationJob(), SweepCases.restore()).flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(AdmissionCase c) {
        String ns = "Environment".equals(c.kind()) ? null : namespace.name();
        if (c.before() == null) {
            AdmissionAssertions.assertRejected(client, c, ns);
        } else {
            try {
                AdmissionAssertions.assertRejectedOnUpdate(client, c, ns);
            } finally {
                releasedNamespaceOf(c);
            }
        }
    }

    /** An operator running in this JVM (other test classes) may have made a stored Environment's namespace. */
    static void releasedNamespaceOf(AdmissionCase c) {
        if ("Environment".equals(c.kind())) {
            GenericKubernetesResource stored = AdmissionAssertions.parse(client, c.before(), null);
            Object spec = stored.getAdditionalProperties().get("spec");
            Object ns = spec instanceof Map<?, ?> m ? m.get("namespace") : null;
            client.namespaces().withName(ns != null ? ns.toString() : stored.getMetadata().getName()).delete();
        }
    }

    // --- Application -------------------------------------------------------------------------

    static AdmissionCase app(String name, String spec, String field, String message) {
        return new AdmissionCase(name, applicationYaml("bad", spec), field, message);
    }

    static String applicationYaml(String name, String spec) {
        return object("Application", name, spec);
    }

    /** A runway.dev/v1alpha1 object of {@code kind} with {@code spec} (YAML) as its spec. */
    static String object(String kind, String name, String spec) {
        return """
                apiVersion: runway.dev/v1alpha1
                kind: %s
                metadata: {name: %s}
                spec:
                """.formatted(kind, name) + spec.indent(2);
    }

    static List<AdmissionCase> application() {
        List<AdmissionCase> cases = new ArrayList<>(List.of(
                app("missing image", "port: 8080", "spec.image", "Required value"),
                app("empty image", "image: ''", "spec.image", "should be at least 1 chars long"),
                app("whitespace in image", "image: 'shop: 1.0'", "spec.image", "image reference without whitespace"),
                app("image longer than 512", "image: " + "a".repeat(513), "spec.image", "may not be more than 512 bytes"),
                app("negative replicas", "{image: a:1, replicas: -1}", "spec.replicas", "should be greater than or equal to 0"),
                app("replicas above 1000", "{image: a:1, replicas: 1001}", "spec.replicas", "should be less than or equal to 1000"),
                app("port zero", "{image: a:1, port: 0}", "spec.port", "should be greater than or equal to 1"),
                app("port above 65535", "{image: a:1, port: 70000}", "spec.port", "should be less than or equal to 65535"),
                app("invalid env var name", "{image: a:1, env: {'1BAD': x}}", "spec.env",
                        "spec.env keys must be valid environment variable names"),
                app("empty secretRefs entry", "{image: a:1, secretRefs: ['']}", "spec.secretRefs",
                        "spec.secretRefs entries must be Secret names of 1 to 253"),
                app("more than 20 secretRefs", "{image: a:1, secretRefs: " + names("s", 21) + "}", "spec.secretRefs",
                        "must have at most 20 items"),
                // autoscaling
                app("minReplicas above maxReplicas",
                        "{image: a:1, autoscaling: {minReplicas: 5, maxReplicas: 2, targetCPUUtilizationPercentage: 70}}",
                        "spec.autoscaling", "minReplicas must not exceed spec.autoscaling.maxReplicas"),
                app("autoscaling without a target", "{image: a:1, autoscaling: {minReplicas: 1, maxReplicas: 2}}",
                        "spec.autoscaling", "needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage"),
                app("autoscaling without minReplicas", "{image: a:1, autoscaling: {maxReplicas: 2, targetCPUUtilizationPercentage: 50}}",
                        "spec.autoscaling.minReplicas", "Required value"),
                app("autoscaling without maxReplicas", "{image: a:1, autoscaling: {minReplicas: 1, targetCPUUtilizationPercentage: 50}}",
                        "spec.autoscaling.maxReplicas", "Required value"),
                app("minReplicas zero", "{image: a:1, autoscaling: {minReplicas: 0, maxReplicas: 2, targetCPUUtilizationPercentage: 50}}",
                        "spec.autoscaling.minReplicas", "should be greater than or equal to 1"),
                app("maxReplicas above 1000",
                        "{image: a:1, autoscaling: {minReplicas: 1, maxReplicas: 1001, targetCPUUtilizationPercentage: 50}}",
                        "spec.autoscaling.maxReplicas", "should be less than or equal to 1000"),
                app("CPU target above 100%",
                        "{image: a:1, autoscaling: {minReplicas: 1, maxReplicas: 2, targetCPUUtilizationPercentage: 150}}",
                        "spec.autoscaling.targetCPUUtilizationPercentage", "should be less than or equal to 100"),
                app("memory target zero",
                        "{image: a:1, autoscaling: {minReplicas: 1, maxReplicas: 2, targetMemoryUtilizationPercentage: 0}}",
                        "spec.autoscaling.targetMemoryUtilizationPercentage", "should be greater than or equal to 1"),
                app("replicas outside autoscaling bounds",
                        "{image: a:1, replicas: 9, autoscaling: {minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50}}",
                        "spec", "spec.replicas must lie between spec.autoscaling.minReplicas and maxReplicas"),
                // probes (liveness path; the other probe fields follow below for all three probes)
                app("probe path without slash", "{image: a:1, probes: {liveness: {path: health}}}",
                        "spec.probes.liveness.path", "probe path must start with '/'"),
                // generated secrets
                app("generated secret too short", "{image: a:1, generatedSecrets: [{key: JWT, length: 8}]}",
                        "spec.generatedSecrets[0].length", "should be greater than or equal to 16"),
                app("generated secret too long", "{image: a:1, generatedSecrets: [{key: JWT, length: 1024}]}",
                        "spec.generatedSecrets[0].length", "should be less than or equal to 512"),
                app("duplicate generated keys", "{image: a:1, generatedSecrets: [{key: JWT}, {key: JWT}]}",
                        "spec.generatedSecrets", "spec.generatedSecrets keys must be unique"),
                app("generated secret without a key", "{image: a:1, generatedSecrets: [{length: 32}]}",
                        "spec.generatedSecrets[0].key", "Required value"),
                app("generated key not an env var name", "{image: a:1, generatedSecrets: [{key: 'jwt-secret'}]}",
                        "spec.generatedSecrets[0].key", "spec.generatedSecrets[].key must be a valid environment"),
                app("generated secret retention not in the enum", "{image: a:1, generatedSecretsRetention: Keep}",
                        "spec.generatedSecretsRetention", "Unsupported value: \"Keep\""),
                app("more than 32 generated secrets", "{image: a:1, generatedSecrets: ["
                        + String.join(", ", IntStream.range(0, 33).mapToObj(i -> "{key: K" + i + "}").toList()) + "]}",
                        "spec.generatedSecrets", "must have at most 32 items"),
                // ingress
                app("ingress without host", "{image: a:1, ingress: {path: /}}", "spec.ingress.host", "Required value"),
                app("ingress host not a DNS name", "{image: a:1, ingress: {host: 'Not A Host!'}}", "spec.ingress.host",
                        "spec.ingress.host must be a DNS name"),
                app("ingress path without slash", "{image: a:1, ingress: {host: a.example.com, path: shop}}", "spec.ingress.path",
                        "spec.ingress.path must start with '/'"),
                app("ingress className too long", "{image: a:1, ingress: {host: a.example.com, className: " + LONG_253 + "}}",
                        "spec.ingress.className", "may not be more than 253 bytes"),
                app("TLS with secretName and clusterIssuer",
                        "{image: a:1, ingress: {host: a.example.com, tls: {secretName: s, clusterIssuer: le}}}",
                        "spec.ingress.tls", "needs exactly one of secretName or clusterIssuer"),
                app("TLS secretName too long", "{image: a:1, ingress: {host: a.example.com, tls: {secretName: " + LONG_253 + "}}}",
                        "spec.ingress.tls.secretName", "may not be more than 253 bytes"),
                app("TLS clusterIssuer too long", "{image: a:1, ingress: {host: a.example.com, tls: {clusterIssuer: " + LONG_253 + "}}}",
                        "spec.ingress.tls.clusterIssuer", "may not be more than 253 bytes"),
                // strategy
                app("blueGreen settings with RollingUpdate", "{image: a:1, strategy: {type: RollingUpdate, blueGreen: {}}}",
                        "spec.strategy", "blueGreen is only allowed with spec.strategy.type BlueGreen"),
                app("rollingUpdate settings with BlueGreen",
                        "{image: a:1, strategy: {type: BlueGreen, rollingUpdate: {maxSurge: 1}}}",
                        "spec.strategy", "rollingUpdate is only allowed with spec.strategy.type RollingUpdate"),
                app("unknown strategy type", "{image: a:1, strategy: {type: Linear}}", "spec.strategy.type",
                        "Unsupported value: \"Linear\""),
                app("Canary without steps", "{image: a:1, strategy: {type: Canary}}", "spec.strategy",
                        "spec.strategy.canary (its steps) is required with spec.strategy.type Canary"),
                app("canary settings with BlueGreen", "{image: a:1, strategy: {type: BlueGreen, canary: {steps: [{setWeight: 20}]}}}",
                        "spec.strategy", "canary is only allowed with spec.strategy.type Canary"),
                app("canary with no steps", "{image: a:1, strategy: {type: Canary, canary: {steps: []}}}",
                        "spec.strategy.canary.steps", "should have at least 1 items"),
                app("canary step with two actions", "{image: a:1, strategy: {type: Canary, canary: {steps: [{setWeight: 20, pause: {}}]}}}",
                        "spec.strategy.canary.steps[0]", "exactly one of setWeight, pause, analysis"),
                app("canary step with no action", "{image: a:1, strategy: {type: Canary, canary: {steps: [{}]}}}",
                        "spec.strategy.canary.steps[0]", "exactly one of setWeight, pause, analysis"),
                app("canary weight above 100", "{image: a:1, strategy: {type: Canary, canary: {steps: [{setWeight: 150}]}}}",
                        "spec.strategy.canary.steps[0].setWeight", "should be less than or equal to 100"),
                app("canary pause of zero seconds", "{image: a:1, strategy: {type: Canary, canary: {steps: [{pause: {seconds: 0}}]}}}",
                        "spec.strategy.canary.steps[0].pause.seconds", "should be greater than or equal to 1"),
                app("canary analysis step without thresholds", "{image: a:1, strategy: {type: Canary, canary: {steps: [{analysis: true}]}}}",
                        "spec.strategy.canary.steps", "set spec.strategy.canary.analysis"),
                app("canary analysis step set to false",
                        "{image: a:1, strategy: {type: Canary, canary: {analysis: {successRatePercent: 99}, steps: [{analysis: false}]}}}",
                        "spec.strategy.canary.steps[0].analysis", "must be true when set"),
                app("canary settings without steps", "{image: a:1, strategy: {type: Canary, canary: {progressDeadlineSeconds: 60}}}",
                        "spec.strategy.canary.steps", "Required value"),
                app("canary success rate above 100%",
                        "{image: a:1, strategy: {type: Canary, canary: {analysis: {successRatePercent: 101}, steps: [{analysis: true}]}}}",
                        "spec.strategy.canary.analysis.successRatePercent", "should be less than or equal to 100"),
                app("canary success rate negative",
                        "{image: a:1, strategy: {type: Canary, canary: {analysis: {successRatePercent: -1}, steps: [{analysis: true}]}}}",
                        "spec.strategy.canary.analysis.successRatePercent", "should be greater than or equal to 0"),
                app("canary latency zero",
                        "{image: a:1, strategy: {type: Canary, canary: {analysis: {latencyP95Ms: 0}, steps: [{analysis: true}]}}}",
                        "spec.strategy.canary.analysis.latencyP95Ms", "should be greater than or equal to 1"),
                app("canary latency above 10 min",
                        "{image: a:1, strategy: {type: Canary, canary: {analysis: {latencyP95Ms: 600001}, steps: [{analysis: true}]}}}",
                        "spec.strategy.canary.analysis.latencyP95Ms", "should be less than or equal to 600000"),
                app("canary progress deadline under 10 s",
                        "{image: a:1, strategy: {type: Canary, canary: {progressDeadlineSeconds: 5, steps: [{setWeight: 50}]}}}",
                        "spec.strategy.canary.progressDeadlineSeconds", "should be greater than or equal to 10"),
                app("maxSurge percentage above 100", "{image: a:1, strategy: {rollingUpdate: {maxSurge: '150%'}}}",
                        "spec.strategy.rollingUpdate.maxSurge", "a count >= 0 or a percentage 0%-100%"),
                app("negative maxUnavailable", "{image: a:1, strategy: {rollingUpdate: {maxUnavailable: -1}}}",
                        "spec.strategy.rollingUpdate.maxUnavailable", "a count >= 0 or a percentage 0%-100%"),
                app("rolling progress deadline under 10 s", "{image: a:1, strategy: {rollingUpdate: {progressDeadlineSeconds: 5}}}",
                        "spec.strategy.rollingUpdate.progressDeadlineSeconds", "should be greater than or equal to 10"),
                app("negative scaleDownDelaySeconds",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {scaleDownDelaySeconds: -5}}}",
                        "spec.strategy.blueGreen.scaleDownDelaySeconds", "should be greater than or equal to 0"),
                app("previewReplicas zero", "{image: a:1, strategy: {type: BlueGreen, blueGreen: {previewReplicas: 0}}}",
                        "spec.strategy.blueGreen.previewReplicas", "should be greater than or equal to 1"),
                app("blue-green progress deadline above a day",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {progressDeadlineSeconds: 86401}}}",
                        "spec.strategy.blueGreen.progressDeadlineSeconds", "should be less than or equal to 86400"),
                app("success rate above 100%",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {prePromotionAnalysis: {successRatePercent: 120}}}}",
                        "spec.strategy.blueGreen.prePromotionAnalysis.successRatePercent", "should be less than or equal to 100"),
                app("pre-promotion latency zero",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {prePromotionAnalysis: {latencyP95Ms: 0}}}}",
                        "spec.strategy.blueGreen.prePromotionAnalysis.latencyP95Ms", "should be greater than or equal to 1"),
                app("post-promotion success rate negative",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {postPromotionAnalysis: {successRatePercent: -1}}}}",
                        "spec.strategy.blueGreen.postPromotionAnalysis.successRatePercent", "should be greater than or equal to 0"),
                app("post-promotion latency above 10 min",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {postPromotionAnalysis: {latencyP95Ms: 600001}}}}",
                        "spec.strategy.blueGreen.postPromotionAnalysis.latencyP95Ms", "should be less than or equal to 600000"),
                // resources
                app("invalid CPU quantity", "{image: a:1, resources: {requests: {cpu: lots}}}", "spec.resources.requests.cpu",
                        "cpu must be a Kubernetes quantity"),
                app("invalid memory request", "{image: a:1, resources: {requests: {memory: much}}}", "spec.resources.requests.memory",
                        "memory must be a Kubernetes quantity"),
                app("invalid CPU limit", "{image: a:1, resources: {limits: {cpu: 1 core}}}", "spec.resources.limits.cpu",
                        "cpu must be a Kubernetes quantity"),
                app("invalid memory limit", "{image: a:1, resources: {limits: {memory: 1 GB}}}", "spec.resources.limits.memory",
                        "memory must be a Kubernetes quantity"),
                app("requests above limits",
                        "{image: a:1, resources: {requests: {memory: 1Gi}, limits: {memory: 512Mi}}}",
                        "spec.resources", "requests.memory must not exceed resources.limits.memory"),
                app("CPU request above limit", "{image: a:1, resources: {requests: {cpu: '2'}, limits: {cpu: 500m}}}",
                        "spec.resources", "requests.cpu must not exceed resources.limits.cpu"),
                // migration
                app("migration without command", "{image: a:1, migration: {databaseSecretRef: db}}", "spec.migration.command",
                        "Required value"),
                app("migration without database secret", "{image: a:1, migration: {command: [migrate]}}",
                        "spec.migration.databaseSecretRef", "Required value"),
                app("migration with an empty command", "{image: a:1, migration: {command: [], databaseSecretRef: db}}",
                        "spec.migration.command", "should have at least 1 items"),
                app("migration with an empty database secret", "{image: a:1, migration: {command: [m], databaseSecretRef: ''}}",
                        "spec.migration.databaseSecretRef", "should be at least 1 chars long"),
                app("migration with 65 args", "{image: a:1, migration: {command: [m], args: " + names("a", 65)
                        + ", databaseSecretRef: db}}", "spec.migration.args", "must have at most 64 items"),
                app("migration backoffLimit above 10", "{image: a:1, migration: {command: [m], databaseSecretRef: db, backoffLimit: 11}}",
                        "spec.migration.backoffLimit", "should be less than or equal to 10"),
                app("migration backupPolicy too long", "{image: a:1, migration: {command: [m], databaseSecretRef: db, backupPolicy: "
                        + LONG_253 + "}}", "spec.migration.backupPolicy", "may not be more than 45 bytes"),
                app("migration historyLimit zero", "{image: a:1, migration: {command: [m], databaseSecretRef: db, historyLimit: 0}}",
                        "spec.migration.historyLimit", "should be greater than or equal to 1"),
                app("migration timeout zero", "{image: a:1, migration: {command: [m], databaseSecretRef: db, timeoutSeconds: 0}}",
                        "spec.migration.timeoutSeconds", "should be greater than or equal to 1"),
                app("migration rollback without command",
                        "{image: a:1, migration: {command: [m], databaseSecretRef: db, rollback: {args: [x]}}}",
                        "spec.migration.rollback.command", "Required value"),
                app("migration rollback with an empty command",
                        "{image: a:1, migration: {command: [m], databaseSecretRef: db, rollback: {command: []}}}",
                        "spec.migration.rollback.command", "should have at least 1 items"),
                app("migration rollback with 65 args", "{image: a:1, migration: {command: [m], databaseSecretRef: db, rollback: "
                        + "{command: [down], args: " + names("a", 65) + "}}}", "spec.migration.rollback.args", "must have at most 64 items"),
                // monitoring
                app("metricsPath without slash", "{image: a:1, monitoring: {metricsPath: metrics}}", "spec.monitoring.metricsPath",
                        "spec.monitoring.metricsPath must start with '/'"),
                app("metricsPort zero", "{image: a:1, monitoring: {metricsPort: 0}}", "spec.monitoring.metricsPort",
                        "should be greater than or equal to 1"),
                app("error rate below 0.01%", "{image: a:1, monitoring: {alerts: {errorRatePercent: 0}}}",
                        "spec.monitoring.alerts.errorRatePercent", "errorRatePercent must be at least 0.01"),
                app("error rate between 0 and 0.01%", "{image: a:1, monitoring: {alerts: {errorRatePercent: 0.001}}}",
                        "spec.monitoring.alerts.errorRatePercent", "should be greater than or equal to 0.01"),
                app("availability window above a day", "{image: a:1, monitoring: {alerts: {availabilityMinutes: 1441}}}",
                        "spec.monitoring.alerts.availabilityMinutes", "should be less than or equal to 1440"),
                app("p95 latency zero", "{image: a:1, monitoring: {alerts: {latencyP95Ms: 0}}}", "spec.monitoring.alerts.latencyP95Ms",
                        "should be greater than or equal to 1"),
                app("p99 latency above 10 min", "{image: a:1, monitoring: {alerts: {latencyP99Ms: 600001}}}",
                        "spec.monitoring.alerts.latencyP99Ms", "should be less than or equal to 600000")));
        cases.addAll(WorkloadCases.application());
        for (String probe : List.of("liveness", "readiness", "startup")) {
            String field = "spec.probes." + probe + ".";
            String spec = "{image: a:1, probes: {" + probe + ": {%s}}}";
            if (!"liveness".equals(probe)) {
                cases.add(app(probe + " path without slash", spec.formatted("path: ready"), field + "path", "probe path must start with '/'"));
            }
            cases.addAll(List.of(
                    app(probe + " failureThreshold above 100", spec.formatted("failureThreshold: 101"), field + "failureThreshold",
                            "should be less than or equal to 100"),
                    app(probe + " negative initialDelaySeconds", spec.formatted("initialDelaySeconds: -1"), field + "initialDelaySeconds",
                            "should be greater than or equal to 0"),
                    app(probe + " periodSeconds zero", spec.formatted("periodSeconds: 0"), field + "periodSeconds",
                            "should be greater than or equal to 1"),
                    app(probe + " port above 65535", spec.formatted("port: 65536"), field + "port", "should be less than or equal to 65535"),
                    app(probe + " timeoutSeconds above 600", spec.formatted("timeoutSeconds: 601"), field + "timeoutSeconds",
                            "should be less than or equal to 600")));
        }
        return cases;
    }

    /** A flow-style YAML list of {@code count} distinct names. */
    static String names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList().toString();
    }

    // --- BackupPolicy ------------------------------------------------------------------------

    static final String DATABASE = "database: {engine: PostgreSQL, secretRef: shop-db}";
    static final String STORAGE = "storage: {persistentVolumeClaim: {size: 20Gi}}";

    static String policy(String name, String spec) {
        return object("BackupPolicy", name, spec);
    }

    static AdmissionCase bp(String name, String spec, String field, String message) {
        return new AdmissionCase(name, policy("bad", spec), field, message);
    }

    /** A valid policy spec with {@code lines} added; a line for database, schedule or storage replaces the default. */
    static String valid(String... lines) {
        StringBuilder spec = new StringBuilder();
        boolean database = true;
        boolean schedule = true;
        boolean storage = true;
        for (String line : lines) {
            database &= !line.startsWith("database:");
            schedule &= !line.startsWith("schedule:");
            storage &= !line.startsWith("storage:");
            spec.append(line).append('\n');
        }
        return (database ? DATABASE + "\n" : "") + (schedule ? "schedule: '0 2 * * *'\n" : "") + (storage ? STORAGE + "\n" : "") + spec;
    }

    static List<AdmissionCase> backupPolicy() {
        String pvc = "storage: {persistentVolumeClaim: {size: %s, storageClassName: standard}}";
        List<AdmissionCase> cases = new ArrayList<>(List.of(
                bp("engine not in the enum", valid("database: {engine: Oracle, secretRef: shop-db}"), "spec.database.engine",
                        "Unsupported value: \"Oracle\""),
                bp("missing secretRef", valid("database: {engine: PostgreSQL}"), "spec.database.secretRef", "Required value"),
                bp("missing engine", valid("database: {secretRef: shop-db}"), "spec.database.engine", "Required value"),
                bp("empty secretRef", valid("database: {engine: MySQL, secretRef: ''}"), "spec.database.secretRef",
                        "should be at least 1 chars long"),
                bp("missing database", "schedule: '0 2 * * *'\n" + STORAGE, "spec.database", "Required value"),
                bp("missing schedule", DATABASE + "\n" + STORAGE, "spec.schedule", "Required value"),
                bp("schedule in words", valid("schedule: every night"), "spec.schedule", "must be a cron expression with five fields"),
                bp("schedule with six fields", valid("schedule: '0 0 2 * * *'"), "spec.schedule", "must be a cron expression"),
                bp("day of week 7", valid("schedule: '0 2 * * 7'"), "spec.schedule", "must be a cron expression"),
                bp("recovery point in days", valid("objectives: {recoveryPoint: 2d}"), "spec.objectives.recoveryPoint",
                        "should match"),
                bp("recovery point of zero hours", valid("objectives: {recoveryPoint: 0h}"), "spec.objectives.recoveryPoint",
                        "should match"),
                bp("recovery time of one character", valid("objectives: {recoveryTime: m}"), "spec.objectives.recoveryTime",
                        "should be at least 2 chars long"),
                bp("recovery time too long", valid("objectives: {recoveryTime: 99999h999999m9999999s}"), "spec.objectives.recoveryTime",
                        "may not be more than 20 bytes"),
                bp("negative keepLast", valid("retention: {keepLast: -1, keepDaily: 7}"), "spec.retention.keepLast",
                        "should be greater than or equal to 0"),
                bp("negative keepMonthly", valid("retention: {keepMonthly: -3}"), "spec.retention.keepMonthly",
                        "should be greater than or equal to 0"),
                bp("keepWeekly above 1000", valid("retention: {keepWeekly: 1001}"), "spec.retention.keepWeekly",
                        "should be less than or equal to 1000"),
                bp("retention keeping nothing", valid("retention: {keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0}"),
                        "spec.retention", "must keep at least one backup"),
                bp("empty retention", valid("retention: {}"), "spec.retention", "must keep at least one backup"),
                bp("keepDaily above 1000", valid("retention: {keepDaily: 5000}"), "spec.retention.keepDaily",
                        "should be less than or equal to 1000"),
                bp("storage without a destination", valid("storage: {}"), "spec.storage", "needs a destination"),
                bp("missing storage", DATABASE + "\nschedule: '0 2 * * *'", "spec.storage", "Required value"),
                bp("PVC without size", valid("storage: {persistentVolumeClaim: {storageClassName: fast}}"),
                        "spec.storage.persistentVolumeClaim.size", "Required value"),
                bp("PVC size zero", valid("storage: {persistentVolumeClaim: {size: '0'}}"), "spec.storage.persistentVolumeClaim.size",
                        "must be a positive quantity"),
                bp("PVC size not a quantity", valid("storage: {persistentVolumeClaim: {size: lots}}"),
                        "spec.storage.persistentVolumeClaim.size", "must be a positive quantity"),
                bp("empty storageClassName", valid("storage: {persistentVolumeClaim: {size: 1Gi, storageClassName: ''}}"),
                        "spec.storage.persistentVolumeClaim.storageClassName", "should be at least 1 chars long"),
                bp("time zone with a space", valid("timeZone: Europe Berlin"), "spec.timeZone", "must be an IANA time zone name"),
                bp("time zone as an offset", valid("timeZone: '+02:00'"), "spec.timeZone", "must be an IANA time zone name"),
                bp("time zone Local", valid("timeZone: Local"), "spec.timeZone", "must be an IANA time zone name"),
                bp("negative timeout", valid("timeoutSeconds: -5"), "spec.timeoutSeconds", "should be greater than or equal to 60"),
                bp("timeout above a day", valid("timeoutSeconds: 100000"), "spec.timeoutSeconds", "should be less than or equal to 86400"),
                bp("negative verification timeout", valid("verification: {schedule: '@weekly', timeoutSeconds: -1}"),
                        "spec.verification.timeoutSeconds", "should be greater than or equal to 60"),
                bp("verification without schedule", valid("verification: {}"), "spec.verification.schedule", "Required value"),
                bp("invalid verification schedule", valid("verification: {schedule: '61 4 * * 0'}"), "spec.verification.schedule",
                        "must be a cron expression"),
                bp("image with whitespace", valid("image: 'db tools:1'"), "spec.image", "image reference without whitespace"),
                new AdmissionCase("name too long for the CronJob names", policy("a".repeat(46), valid()), "metadata.name",
                        "must be at most 45 characters"),
                // rules on changes: the stored policy, then the edit
                new AdmissionCase("PVC shrunk", policy("shrink", valid(pvc.formatted("10Gi"))), "spec.storage.persistentVolumeClaim.size",
                        "size can only grow").onUpdateOf(policy("shrink", valid(pvc.formatted("20Gi")))),
                new AdmissionCase("PVC storage class changed", policy("reclass", valid(pvc.formatted("20Gi").replace("standard", "fast"))),
                        "spec.storage.persistentVolumeClaim", "storageClassName is immutable")
                        .onUpdateOf(policy("reclass", valid(pvc.formatted("20Gi"))))));
        for (String schedule : CronExamples.REJECTED) {
            cases.add(bp("schedule '" + schedule + "'", valid("schedule: \"" + schedule + "\""), "spec.schedule",
                    "must be a cron expression"));
        }
        return cases;
    }

    // --- Environment -------------------------------------------------------------------------

    static AdmissionCase env(String name, String spec, String field, String message) {
        return new AdmissionCase(name, environment("bad", spec), field, message);
    }

    static String environment(String name, String spec) {
        return object("Environment", name, spec);
    }

    static List<AdmissionCase> environment() {
        String frozen = "bad-input-frozen-" + RUN;
        String pinned = "bad-input-pinned-" + RUN;
        return List.of(
                env("missing tier", "namespace: shop", "spec.tier", "Required value"),
                env("tier not in the enum", "tier: Prod", "spec.tier", "Unsupported value: \"Prod\""),
                env("namespace not a DNS label", "{tier: Staging, namespace: Shop_Prod}", "spec.namespace",
                        "spec.namespace must be a DNS label"),
                env("namespace longer than 63", "{tier: Staging, namespace: " + "a".repeat(64) + "}", "spec.namespace",
                        "may not be more than 63 bytes"),
                env("quota cpu not a quantity", "{tier: Staging, quota: {cpu: lots}, containerDefaults: {cpu: 250m}}",
                        "spec.quota.cpu", "spec.quota.cpu must be a non-negative quantity"),
                env("negative quota memory", "{tier: Staging, quota: {memory: -1Gi}, containerDefaults: {memory: 256Mi}}",
                        "spec.quota.memory", "spec.quota.memory must be a non-negative quantity"),
                env("fractional pod quota", "{tier: Staging, quota: {pods: 500m}}", "spec.quota.pods",
                        "spec.quota.pods must be a whole non-negative number"),
                env("container default memory not a quantity", "{tier: Staging, containerDefaults: {memory: big}}",
                        "spec.containerDefaults.memory", "spec.containerDefaults.memory must be a positive quantity"),
                env("zero container default cpu", "{tier: Staging, containerDefaults: {cpu: '0'}}",
                        "spec.containerDefaults.cpu", "spec.containerDefaults.cpu must be a positive quantity"),
                env("cpu quota without a default cpu request", "{tier: Staging, quota: {cpu: '4'}}", "spec.quota.cpu",
                        "spec.containerDefaults.cpu is required when spec.quota.cpu is set"),
                env("memory quota without a default memory request", "{tier: Staging, quota: {memory: 8Gi}}", "spec.quota.memory",
                        "spec.containerDefaults.memory is required when spec.quota.memory is set"),
                env("promotion.from naming itself", "{tier: Staging, promotion: {from: bad}}", "spec.promotion.from",
                        "spec.promotion.from must name another Environment, not this one"),
                env("promotion.from not an Environment name", "{tier: Staging, promotion: {from: 'UAT!'}}", "spec.promotion.from",
                        "should match"),
                env("negative minSoakMinutes", "{tier: Production, promotion: {from: uat, minSoakMinutes: -5}}",
                        "spec.promotion.minSoakMinutes", "should be greater than or equal to 0"),
                env("minSoakMinutes above 30 days", "{tier: Production, promotion: {from: uat, minSoakMinutes: 43201}}",
                        "spec.promotion.minSoakMinutes", "should be less than or equal to 43200"),
                env("minSoakMinutes without from", "{tier: Production, promotion: {minSoakMinutes: 30}}",
                        "spec.promotion.minSoakMinutes", "needs spec.promotion.from"),
                env("unknown podSecurity level", "{tier: Staging, isolation: {podSecurity: strict}}",
                        "spec.isolation.podSecurity", "Unsupported value: \"strict\""),
                env("unknown networkPolicy mode", "{tier: Staging, isolation: {networkPolicy: DenyAll}}",
                        "spec.isolation.networkPolicy", "Unsupported value: \"DenyAll\""),
                env("allowFrom entry not a DNS label",
                        "{tier: Staging, isolation: {networkPolicy: SameNamespace, allowFrom: [monitoring, Ingress_Nginx]}}",
                        "spec.isolation.allowFrom[1]", "should match"),
                env("allowFrom without SameNamespace", "{tier: Staging, isolation: {allowFrom: [monitoring]}}",
                        "spec.isolation.allowFrom", "needs spec.isolation.networkPolicy: SameNamespace"),
                env("more than 50 allowFrom entries",
                        "{tier: Staging, isolation: {networkPolicy: SameNamespace, allowFrom: " + names("ns", 51) + "}}",
                        "spec.isolation.allowFrom", "must have at most 50 items"),
                env("access entry without a subject", "{tier: Staging, access: [{role: view}]}", "spec.access[0]",
                        "needs exactly one of group, user or serviceAccount"),
                env("access entry with two subjects", "{tier: Staging, access: [{group: sre, user: ann, role: view}]}",
                        "spec.access[0]", "needs exactly one of group, user or serviceAccount"),
                env("role outside view/edit/admin", "{tier: Staging, access: [{group: sre, role: cluster-admin}]}",
                        "spec.access[0].role", "Unsupported value: \"cluster-admin\""),
                env("access entry without a role", "{tier: Staging, access: [{group: sre}]}", "spec.access[0].role",
                        "Required value"),
                env("empty group", "{tier: Staging, access: [{group: '', role: view}]}", "spec.access[0].group",
                        "should be at least 1 chars long"),
                env("empty user", "{tier: Staging, access: [{user: '', role: view}]}", "spec.access[0].user",
                        "should be at least 1 chars long"),
                env("serviceAccount not namespace/name", "{tier: Staging, access: [{serviceAccount: 'ci/deployer/x', role: edit}]}",
                        "spec.access[0].serviceAccount", "should match"),
                env("access to a system: group", "{tier: Staging, access: [{group: 'system:authenticated', role: admin}]}",
                        "spec.access[0].group", "spec.access[].group must not start with system:"),
                env("access to a system: user", "{tier: Staging, access: [{user: 'system:kube-controller-manager', role: view}]}",
                        "spec.access[0].user", "spec.access[].user must not start with system:"),
                env("namespace kube-system", "{tier: Staging, namespace: kube-system, adoptExisting: true}", "spec.namespace",
                        "must not be default or a kube-* namespace"),
                new AdmissionCase("Environment named default, no spec.namespace", environment("default", "{tier: Staging, adoptExisting: true}"),
                        "spec.namespace", "must not be default or a kube-* namespace"),
                env("more than 50 access entries", "{tier: Staging, access: ["
                        + String.join(", ", IntStream.range(0, 51).mapToObj(i -> "{group: g" + i + ", role: view}").toList()) + "]}",
                        "spec.access", "must have at most 50 items"),
                env("config key not an env var name", "{tier: Staging, config: {'API-URL': x}}", "spec.config",
                        "spec.config keys must be valid environment variable names"),
                env("feature flag key not camelCase", "{tier: Staging, featureFlags: {'gait-analysis': true}}", "spec.featureFlags",
                        "spec.featureFlags keys must be camelCase words"),
                env("alert label not a Prometheus label name", "{tier: Staging, alerting: {labels: {'team.name': shop}}}",
                        "spec.alerting.labels", "spec.alerting.labels keys must be Prometheus label names"),
                env("unknown deletionPolicy", "{tier: Staging, deletionPolicy: Orphan}", "spec.deletionPolicy",
                        "Unsupported value: \"Orphan\""),
                // rules on changes
                new AdmissionCase("namespace changed", environment(frozen, "{tier: Development, namespace: " + frozen + "-b}"),
                        "spec.namespace", "cannot change once set")
                        .onUpdateOf(environment(frozen, "{tier: Development, namespace: " + frozen + "-a}")),
                new AdmissionCase("namespace removed", environment(pinned, "{tier: Development}"), "spec",
                        "spec.namespace cannot be added or removed after creation")
                        .onUpdateOf(environment(pinned, "{tier: Development, namespace: " + pinned + "-a}")));
    }

    // --- MigrationJob ------------------------------------------------------------------------

    static final String MIGRATION = """
            image: example.com/shop:2
            command: [flyway, migrate]
            databaseSecretRef: shop-db
            """;

    static String migrationJob(String name, String spec) {
        return object("MigrationJob", name, spec);
    }

    static AdmissionCase mj(String name, String spec, String field, String message) {
        return new AdmissionCase(name, migrationJob("bad", spec), field, message);
    }

    static List<AdmissionCase> migrationJob() {
        String stored = MIGRATION + "backup: {policy: nightly}\nrollback: {command: [flyway, undo]}";
        List<AdmissionCase> cases = new ArrayList<>(List.of(
                mj("missing image", "command: [migrate]\ndatabaseSecretRef: shop-db", "spec.image", "Required value"),
                mj("missing command", "image: a:1\ndatabaseSecretRef: shop-db", "spec.command", "Required value"),
                mj("empty command", "image: a:1\ncommand: []\ndatabaseSecretRef: shop-db", "spec.command", "should have at least 1 items"),
                mj("missing database secret", "image: a:1\ncommand: [migrate]", "spec.databaseSecretRef", "Required value"),
                mj("empty database secret", "image: a:1\ncommand: [migrate]\ndatabaseSecretRef: ''", "spec.databaseSecretRef",
                        "should be at least 1 chars long"),
                mj("image with whitespace", MIGRATION.replace("example.com/shop:2", "'shop 2'"), "spec.image", "without whitespace"),
                mj("timeout zero", MIGRATION + "timeoutSeconds: 0", "spec.timeoutSeconds", "should be greater than or equal to 1"),
                mj("backoff above ten", MIGRATION + "backoffLimit: 11", "spec.backoffLimit", "should be less than or equal to 10"),
                mj("65 args", MIGRATION + "args: " + names("a", 65), "spec.args", "must have at most 64 items"),
                mj("application name too long", MIGRATION + "application: " + LONG_253, "spec.application",
                        "may not be more than 55 bytes"),
                mj("backup without policy", MIGRATION + "backup: {required: true}", "spec.backup.policy", "Required value"),
                mj("backup with an empty policy", MIGRATION + "backup: {policy: ''}", "spec.backup.policy",
                        "should be at least 1 chars long"),
                mj("backup pinned for no day", MIGRATION + "backup: {policy: nightly, pinDays: 0}", "spec.backup.pinDays",
                        "should be greater than or equal to 1"),
                mj("backup pinned for over ten years", MIGRATION + "backup: {policy: nightly, pinDays: 3651}", "spec.backup.pinDays",
                        "should be less than or equal to 3650"),
                mj("rollback without command", MIGRATION + "rollback: {args: [x]}", "spec.rollback.command", "Required value"),
                mj("rollback with an empty command", MIGRATION + "rollback: {command: []}", "spec.rollback.command",
                        "should have at least 1 items"),
                mj("rollback with 65 args", MIGRATION + "rollback: {command: [undo], args: " + names("a", 65) + "}", "spec.rollback.args",
                        "must have at most 64 items"),
                mj("env name with a dash", MIGRATION + "env: {BAD-NAME: x}", "spec.env", "valid environment variable names")));
        // The spec cannot change once created (each case stores its own object: a deleted one may linger on a finalizer).
        List<List<String>> edits = List.of(
                List.of("image changed", stored.replace("shop:2", "shop:3")),
                List.of("command changed", stored.replace("[flyway, migrate]", "[flyway, repair]")),
                List.of("backup policy changed", stored.replace("policy: nightly", "policy: other")),
                List.of("rollback removed", MIGRATION + "backup: {policy: nightly}"));
        for (int i = 0; i < edits.size(); i++) {
            String name = "frozen-" + i;
            cases.add(new AdmissionCase(edits.get(i).get(0), migrationJob(name, edits.get(i).get(1)), "spec", "spec is immutable")
                    .onUpdateOf(migrationJob(name, stored)));
        }
        return cases;
    }

    static AdmissionCase rst(String name, String spec, String field, String message) {
        return new AdmissionCase(name, object("Restore", "bad", spec), field, message);
    }

    static List<AdmissionCase> restore() {
        String p = "backupPolicy: shop-db-nightly\n";
        return List.of(
                rst("missing backupPolicy", "backup: {select: Latest}", "spec.backupPolicy", "Required value"),
                rst("empty backupPolicy", "backupPolicy: ''", "spec.backupPolicy", "should be at least 1 chars long"),
                rst("backupPolicy longer than 45", "backupPolicy: " + "a".repeat(46), "spec.backupPolicy", "may not be more than 45 bytes"),
                rst("unknown select", p + "backup: {select: Oldest}", "spec.backup.select", "Unsupported value: \"Oldest\""),
                rst("Named without a name", p + "backup: {select: Named}", "spec.backup", "spec.backup.name is required with select: Named"),
                rst("a name without Named", p + "backup: {select: Latest, name: 20261122T020000Z.pgdump}", "spec.backup",
                        "spec.backup.name is required with select: Named"),
                rst("backup name not a backup file", p + "backup: {select: Named, name: ../../etc/passwd}", "spec.backup.name",
                        "spec.backup.name must be a backup file name"),
                rst("empty backup name", p + "backup: {select: Named, name: ''}", "spec.backup.name", "should be at least 1 chars long"),
                rst("backup name longer than 200", p + "backup: {select: Named, name: " + "a".repeat(201) + "}", "spec.backup.name",
                        "may not be more than 200 bytes"),
                rst("PreMigration without a MigrationJob", p + "backup: {select: PreMigration}", "spec.backup",
                        "spec.backup.migrationJob is required with select: PreMigration"),
                rst("empty migrationJob", p + "backup: {select: PreMigration, migrationJob: ''}", "spec.backup.migrationJob",
                        "should be at least 1 chars long"),
                rst("migrationJob longer than 63", p + "backup: {select: PreMigration, migrationJob: " + LONG_253 + "x}",
                        "spec.backup.migrationJob", "may not be more than 63 bytes"),
                rst("in place without replaceExistingData", p + "target: {inPlace: true}", "spec.target",
                        "set spec.target.replaceExistingData: true to say so"),
                rst("replaceExistingData without inPlace", p + "target: {replaceExistingData: true}", "spec.target",
                        "spec.target.replaceExistingData only goes with spec.target.inPlace"),
                rst("in place and a database", p + "target: {inPlace: true, replaceExistingData: true, database: shop_copy}", "spec.target",
                        "spec.target.database and spec.target.inPlace exclude each other"),
                rst("target database with upper case", p + "target: {database: Shop}", "spec.target.database",
                        "spec.target.database must be lower-case letters, digits and _"),
                rst("empty target database", p + "target: {database: ''}", "spec.target.database", "should be at least 1 chars long"),
                rst("target database longer than 63", p + "target: {database: " + "a".repeat(64) + "}", "spec.target.database",
                        "may not be more than 63 bytes"),
                rst("switch after an in-place restore", p + "target: {inPlace: true, replaceExistingData: true}\nswitchApplication: {name: shop-api}",
                        "spec", "spec.switchApplication goes with a restore into a new database"),
                rst("switch without an Application name", p + "switchApplication: {}", "spec.switchApplication.name", "Required value"),
                rst("switch to an Application name with upper case", p + "switchApplication: {name: Shop}", "spec.switchApplication.name",
                        "spec.switchApplication.name must be an Application name"),
                rst("switch to an Application name longer than 63", p + "switchApplication: {name: " + "a".repeat(64) + "}",
                        "spec.switchApplication.name", "may not be more than 63 bytes"),
                rst("timeout below a minute", p + "timeoutSeconds: 59", "spec.timeoutSeconds", "should be greater than or equal to 60"),
                rst("timeout above a day", p + "timeoutSeconds: 86401", "spec.timeoutSeconds", "should be less than or equal to 86400"),
                new AdmissionCase("Restore name longer than 40", object("Restore", "r".repeat(41), p), "metadata.name",
                        "metadata.name of a Restore must be at most 40 characters"),
                new AdmissionCase("spec changed", object("Restore", "frozen", p + "target: {database: other}"), "spec",
                        "spec is immutable").onUpdateOf(object("Restore", "frozen", p)));
    }

    // --- accepted: the counterpart of every table above --------------------------------------

    static Stream<String> acceptedObjects() {
        return Stream.concat(Stream.of(applicationYaml("workloads", WORKLOADS), applicationYaml("worker", """
                image: registry.example.com/acme/consumer:3.1.0
                worker: true
                replicas: 2
                args: [--queue, orders]
                """), applicationYaml("root", """
                image: nginx:alpine
                port: 80
                securityContext: {runAsRoot: true, runAsUser: 0, readOnlyRootFilesystem: false}
                topologySpreadConstraints: []
                """)), everyKindFull());
    }

    /** Every workload field at once (the golden case desired/application/workloads). */
    static final String WORKLOADS = """
            image: registry.example.com/acme/uploads:2.0.0
            replicas: 2
            command: [/bin/uploads]
            args: [--listen, ":8080"]
            ports: [{name: grpc, containerPort: 9090}, {name: stats, containerPort: 8125, protocol: UDP}]
            securityContext: {runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, readOnlyRootFilesystem: false}
            volumes:
              - {name: uploads, mountPath: /data/uploads, claim: {size: 10Gi, storageClassName: fast}}
              - {name: archive, mountPath: /data/archive, claim: {size: 1Gi, accessModes: [ReadWriteMany], deleteWithApplication: true}}
              - {name: shared, mountPath: /data/shared, persistentVolumeClaim: {claimName: team-shared}, readOnly: true}
              - {name: cache, mountPath: /var/cache/uploads, emptyDir: {medium: Memory, sizeLimit: 256Mi}}
              - {name: config, mountPath: /etc/uploads, configMap: {name: uploads-config}}
              - {name: certs, mountPath: /etc/certs, secret: {name: uploads-tls, optional: true}}
            initContainers:
              - {name: migrate-files, image: "registry.example.com/acme/tools:2", command: [/bin/m], env: {TARGET: /data}, volumeMounts: [{name: uploads, mountPath: /data}]}
            sidecars:
              - {name: log-shipper, image: "registry.example.com/platform/shipper:1.3", resources: {requests: {cpu: 10m}, limits: {memory: 64Mi}}, volumeMounts: [{name: cache, mountPath: /c, readOnly: true}, {name: tmp, mountPath: /tmp}]}
            resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 2Gi}, extended: {nvidia.com/gpu: 1}}
            serviceAccountName: uploads
            imagePullSecrets: [{name: registry-credentials}]
            nodeSelector: {accelerator: nvidia-l4}
            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
            affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 50, preference: {matchExpressions: [{key: zone, operator: In, values: [a]}]}}]}}
            priorityClassName: business-critical
            topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}]
            """;

    static Stream<String> everyKindFull() {
        return Stream.of(applicationYaml("full", """
                image: registry.example.com/acme/shop:1.4.2
                replicas: 3
                port: 8080
                env: {BASE_PATH: /shop, VITE_TARGET_FPS: "60"}
                secretRefs: [shop-secrets]
                generatedSecrets: [{key: JWT_SECRET, length: 48}]
                probes: {liveness: {path: /health}, readiness: {path: /ready, periodSeconds: 5}, startup: {enabled: false}}
                resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 500m, memory: 512Mi}}
                autoscaling: {minReplicas: 3, maxReplicas: 10, targetCPUUtilizationPercentage: 70}
                strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: "0%", progressDeadlineSeconds: 120}}
                rollback: {automatic: true}
                ingress: {host: shop.example.com, path: /, className: nginx, tls: {clusterIssuer: letsencrypt}}
                monitoring: {serviceMonitor: true, alerts: {errorRatePercent: 1, latencyP95Ms: 500, latencyP99Ms: 1500}}
                migration: {command: [migrate], databaseSecretRef: shop-db, backupPolicy: nightly, rollback: {command: [down]}}
                """),
                policy("shop-db-nightly", """
                        database: {engine: MySQL, secretRef: shop-db}
                        schedule: "30 1 * * MON-FRI"
                        timeZone: America/Argentina/Buenos_Aires
                        retention: {keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 6}
                        storage: {persistentVolumeClaim: {size: 20Gi, storageClassName: standard}}
                        verification: {schedule: "0 4 * * 0", timeoutSeconds: 7200}
                        suspend: false
                        timeoutSeconds: 1800
                        image: registry.example.com/platform/db-tools:2.3
                        """),
                policy("a".repeat(45), valid("timeZone: Etc/GMT+5")),
                environment("production", """
                        tier: Production
                        namespace: shop-prod
                        adoptExisting: false
                        deletionPolicy: Retain
                        config: {NODE_ENV: production, API_URL: https://api.example.com}
                        featureFlags: {gaitAnalysis: true, audioV2: false}
                        quota: {cpu: "20", memory: 40Gi, pods: "100"}
                        containerDefaults: {cpu: 250m, memory: 256Mi}
                        isolation: {podSecurity: restricted, networkPolicy: SameNamespace, allowFrom: [ingress-nginx, monitoring]}
                        access:
                          - {group: sre, role: edit}
                          - {user: ann@example.com, role: view}
                          - {serviceAccount: ci/deployer, role: admin}
                        promotion: {from: uat, minSoakMinutes: 30, requireApproval: true}
                        alerting: {labels: {team: shop, route: pagerduty}}
                        """),
                object("Restore", "full", """
                        backupPolicy: shop-db-nightly
                        backup: {select: Named, name: 20261122T020000Z.sql.gz}
                        target: {database: shop_restored_2}
                        timeoutSeconds: 7200
                        switchApplication: {name: shop-api}
                        """),
                object("Restore", "in-place", """
                        backupPolicy: shop-db-nightly
                        backup: {select: PreMigration, migrationJob: shop-api-2-0-0}
                        target: {inPlace: true, replaceExistingData: true}
                        """),
                migrationJob("full", MIGRATION + """
                        args: [-X]
                        env: {FLYWAY_SCHEMAS: shop}
                        timeoutSeconds: 600
                        backoffLimit: 0
                        application: shop
                        backup: {policy: nightly}
                        rollback: {command: [flyway, undo]}
                        """));
    }

    @ParameterizedTest
    @MethodSource("acceptedObjects")
    void everyFieldTogetherIsAccepted(String yaml) {
        AdmissionAssertions.assertAccepted(client, yaml, yaml.contains("kind: Environment") ? null : namespace.name());
    }

    @ParameterizedTest(name = "accepted: ''{0}''")
    @FieldSource({ "dev.runway.operator.backup.CronExamples#VALID", "dev.runway.operator.backup.CronExamples#UNUSABLE" })
    void schedulesTheGrammarAccepts(String schedule) {
        AdmissionAssertions.assertAccepted(client, policy("cron", valid("schedule: \"" + schedule.replace("\t", "\\t") + "\"")),
                namespace.name());
    }

    /** The update rules reject only what they are about: growing a PVC and editing a MigrationJob's labels pass. */
    @Test
    void whatTheUpdateRulesAllow() {
        GenericKubernetesResource policy = client.resource(AdmissionAssertions.parse(client,
                policy("grow", valid("storage: {persistentVolumeClaim: {size: 20Gi, storageClassName: standard}}")), namespace.name()))
                .create();
        GenericKubernetesResource migration = client.resource(AdmissionAssertions.parse(client, migrationJob("labelled", MIGRATION),
                namespace.name())).create();
        try {
            AdmissionAssertions.updateOverCurrent(client, AdmissionAssertions.parse(client,
                    policy("grow", valid("storage: {persistentVolumeClaim: {size: 40Gi, storageClassName: standard}}")), namespace.name()),
                    true);
            GenericKubernetesResource labelled = client.resource(migration).get();
            labelled.getMetadata().setLabels(Map.of("team", "shop"));
            AdmissionAssertions.updateOverCurrent(client, labelled, true);
        } finally {
            client.resource(policy).delete();
            client.resource(migration).delete();
        }
    }

    // --- the table against the CRDs and the docs ---------------------------------------------

    @Test
    void everyConstraintOfTheCrdsHasACase() {
        List<AdmissionCase> cases = cases().toList();
        assertThat(cases).as("the catalogue").hasSizeGreaterThanOrEqualTo(40);
        List<String> missing = CrdConstraints.uncovered(cases);
        assertThat(missing).as("constraints in crds/*.yml without a case in this catalogue").isEmpty();
    }

    @Test
    void theDocListsEveryCase() {
        CatalogueDoc.assertUpToDate(cases().toList());
    }
}
