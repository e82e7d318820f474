package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Bad BackupPolicy specs are rejected at admission, with a message that names the field. */
@Tag(Tiers.APISERVER)
class BackupPolicyAdmissionTest {
    static final String DATABASE = "database: {engine: PostgreSQL, secretRef: shop-db}";
    static final String STORAGE = "storage: {persistentVolumeClaim: {size: 20Gi}}";
    static KubernetesClient client;
    static TestNamespace namespace;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        namespace = TestNamespace.create(client, "admission-bp");
    }

    @AfterAll
    static void close() {
        namespace.close();
        client.close();
    }

    static String policy(String name, String spec) {
        return """
                apiVersion: runway.dev/v1alpha1
                kind: BackupPolicy
                metadata: {name: %s}
                spec:
                """.formatted(name) + spec.indent(2);
    }

    /** A valid policy with {@code extra} lines added to (or replacing) its spec. */
    static AdmissionCase bp(String name, String spec, String field, String message) {
        return new AdmissionCase(name, policy("bad", spec), field, message);
    }

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

    static Stream<AdmissionCase> cases() {
        return List.of(
                bp("engine not in the enum", valid("database: {engine: Oracle, secretRef: shop-db}"), "spec.database.engine",
                        "Unsupported value: \"Oracle\""),
                bp("missing secretRef", valid("database: {engine: PostgreSQL}"), "spec.database.secretRef", "Required value"),
                bp("missing database", "schedule: '0 2 * * *'\n" + STORAGE, "spec.database", "Required value"),
                bp("missing schedule", DATABASE + "\n" + STORAGE, "spec.schedule", "Required value"),
                bp("schedule in words", valid("schedule: every night"), "spec.schedule", "must be a cron expression with five fields"),
                bp("schedule with six fields", valid("schedule: '0 0 2 * * *'"), "spec.schedule", "must be a cron expression"),
                bp("day of week 7", valid("schedule: '0 2 * * 7'"), "spec.schedule", "must be a cron expression"),
                bp("negative keepLast", valid("retention: {keepLast: -1, keepDaily: 7}"), "spec.retention.keepLast",
                        "should be greater than or equal to 0"),
                bp("negative keepMonthly", valid("retention: {keepMonthly: -3}"), "spec.retention.keepMonthly",
                        "should be greater than or equal to 0"),
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
                        "must be at most 45 characters"))
                .stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(AdmissionCase c) {
        AdmissionAssertions.assertRejected(client, c, namespace.name());
    }

    @ParameterizedTest(name = "accepted: ''{0}''")
    @FieldSource({ "dev.runway.operator.backup.CronExamples#VALID", "dev.runway.operator.backup.CronExamples#UNUSABLE" })
    void schedulesTheGrammarAccepts(String schedule) {
        AdmissionAssertions.assertAccepted(client, policy("cron", valid("schedule: \"" + schedule.replace("\t", "\\t") + "\"")),
                namespace.name());
    }

    @ParameterizedTest(name = "rejected: ''{0}''")
    @FieldSource("dev.runway.operator.backup.CronExamples#REJECTED")
    void schedulesTheGrammarRejects(String schedule) {
        AdmissionAssertions.assertRejected(client, new AdmissionCase(schedule,
                policy("cron", valid("schedule: \"" + schedule + "\"")), "spec.schedule", "must be a cron expression"), namespace.name());
    }

    @Test
    void everyFieldTogetherIsAccepted() {
        AdmissionAssertions.assertAccepted(client, policy("shop-db-nightly", """
                database: {engine: MySQL, secretRef: shop-db}
                schedule: "30 1 * * MON-FRI"
                timeZone: America/Argentina/Buenos_Aires
                retention: {keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 6}
                storage: {persistentVolumeClaim: {size: 20Gi, storageClassName: standard}}
                verification: {schedule: "0 4 * * 0", timeoutSeconds: 7200}
                suspend: false
                timeoutSeconds: 1800
                image: registry.example.com/platform/db-tools:2.3
                """), namespace.name());
        AdmissionAssertions.assertAccepted(client, policy("a".repeat(45), valid("timeZone: Etc/GMT+5")), namespace.name());
    }

    @Test
    void thePvcCanGrowButNotShrinkOrChangeClass() {
        GenericKubernetesResource created = client.resource(AdmissionAssertions.parse(client,
                policy("grow", valid("storage: {persistentVolumeClaim: {size: 20Gi, storageClassName: standard}}")), namespace.name()))
                .create();
        try {
            GenericKubernetesResource bigger = AdmissionAssertions.parse(client,
                    policy("grow", valid("storage: {persistentVolumeClaim: {size: 40Gi, storageClassName: standard}}")), namespace.name());
                        AdmissionAssertions.updateOverCurrent(client, bigger, true);

            GenericKubernetesResource smaller = AdmissionAssertions.parse(client,
                    policy("grow", valid("storage: {persistentVolumeClaim: {size: 10Gi, storageClassName: standard}}")), namespace.name());
                        assertThatThrownBy(() -> AdmissionAssertions.updateOverCurrent(client, smaller, true))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .contains("spec.storage.persistentVolumeClaim.size").contains("can only grow"));

            GenericKubernetesResource otherClass = AdmissionAssertions.parse(client,
                    policy("grow", valid("storage: {persistentVolumeClaim: {size: 20Gi, storageClassName: fast}}")), namespace.name());
                        assertThatThrownBy(() -> AdmissionAssertions.updateOverCurrent(client, otherClass, true))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .contains("storageClassName is immutable"));
        } finally {
            client.resource(created).delete();
        }
    }
}
