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
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** A MigrationJob's spec cannot change once created; bad specs are rejected with the field named. */
@Tag(Tiers.APISERVER)
class MigrationJobAdmissionTest {
    static final String VALID = """
            image: example.com/shop:2
            command: [flyway, migrate]
            databaseSecretRef: shop-db
            """;
    static KubernetesClient client;
    static TestNamespace namespace;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        namespace = TestNamespace.create(client, "admission-mj");
    }

    @AfterAll
    static void close() {
        namespace.close();
        client.close();
    }

    static String migrationJob(String name, String spec) {
        return """
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: %s}
                spec:
                """.formatted(name) + spec.indent(2);
    }

    static AdmissionCase mj(String name, String spec, String field, String message) {
        return new AdmissionCase(name, migrationJob("bad", spec), field, message);
    }

    static Stream<AdmissionCase> cases() {
        return List.of(
                mj("missing image", "command: [migrate]\ndatabaseSecretRef: shop-db", "spec.image", "Required value"),
                mj("missing command", "image: a:1\ndatabaseSecretRef: shop-db", "spec.command", "Required value"),
                mj("empty command", "image: a:1\ncommand: []\ndatabaseSecretRef: shop-db", "spec.command", "should have at least 1 items"),
                mj("missing database secret", "image: a:1\ncommand: [migrate]", "spec.databaseSecretRef", "Required value"),
                mj("image with whitespace", VALID.replace("example.com/shop:2", "'shop 2'"), "spec.image", "without whitespace"),
                mj("timeout zero", VALID + "timeoutSeconds: 0", "spec.timeoutSeconds", "should be greater than or equal to 1"),
                mj("backoff above ten", VALID + "backoffLimit: 11", "spec.backoffLimit", "should be less than or equal to 10"),
                mj("backup without policy", VALID + "backup: {required: true}", "spec.backup.policy", "Required value"),
                mj("rollback without command", VALID + "rollback: {args: [x]}", "spec.rollback.command", "Required value"),
                mj("env name with a dash", VALID + "env: {BAD-NAME: x}", "spec.env", "valid environment variable names"))
                .stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(AdmissionCase c) {
        AdmissionAssertions.assertRejected(client, c, namespace.name());
    }

    @Test
    void theSpecIsImmutableOnceCreated() {
        GenericKubernetesResource created = client.resource(AdmissionAssertions.parse(client,
                migrationJob("frozen", VALID + "backup: {policy: nightly}\nrollback: {command: [flyway, undo]}"), namespace.name())).create();
        try {
            for (String changed : List.of(VALID.replace("shop:2", "shop:3"), VALID.replace("[flyway, migrate]", "[flyway, repair]"),
                    VALID + "backup: {policy: other}\nrollback: {command: [flyway, undo]}", VALID + "backup: {policy: nightly}")) {
                GenericKubernetesResource edit = AdmissionAssertions.parse(client, migrationJob("frozen", changed), namespace.name());
                assertThatThrownBy(() -> AdmissionAssertions.updateOverCurrent(client, edit, true)).as(changed)
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(422);
                            assertThat(e.getStatus().getMessage()).contains("spec is immutable");
                        });
            }
            // Metadata (labels, annotations) stays editable.
            GenericKubernetesResource labelled = client.resource(created).get();
            labelled.getMetadata().setLabels(java.util.Map.of("team", "shop"));
            AdmissionAssertions.updateOverCurrent(client, labelled, true);
        } finally {
            client.resource(created).delete();
        }
    }
}
