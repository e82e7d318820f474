package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * An Application applied as YAML (whole numbers where the schema says number), then read and
 * written back unchanged through the Java model, keeps its generation: the model writes
 * {@code 1}, not {@code 1.0}, which the API server would count as a spec change.
 */
@Tag(Tiers.APISERVER)
class JavaClientRoundTripTest {
    static KubernetesClient client;
    static TestNamespace namespace;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        namespace = TestNamespace.create(client, "round-trip");
    }

    @AfterAll
    static void close() {
        namespace.close();
        client.close();
    }

    @Test
    void readModifyWriteOfAnUnchangedSpecKeepsTheGeneration() {
        // As kubectl sends it: untyped, so 1 and 99 stay integers on the wire.
        client.resource("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: numbers, namespace: %s}
                spec:
                  image: registry.example/numbers:1.0
                  port: 8080
                  monitoring: {alerts: {errorRatePercent: 1, latencyP99Ms: 500}}
                  strategy:
                    type: BlueGreen
                    blueGreen: {prePromotionAnalysis: {successRatePercent: 99}}
                """.formatted(namespace.name())).create();
        Application written = null;
        for (int attempt = 1; written == null; attempt++) {
            // A whole PUT of what was read: an operator of an earlier test class may patch the
            // status between the read and the write (409), then read again.
            Application read = client.resources(Application.class).inNamespace(namespace.name()).withName("numbers").get();
            assertThat(read.getMetadata().getGeneration()).isEqualTo(1L);
            read.getMetadata().setAnnotations(java.util.Map.of("example.com/touched", "yes"));
            try {
                written = client.resource(read).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }

        assertThat(written.getMetadata().getAnnotations()).containsEntry("example.com/touched", "yes");
        assertThat(written.getMetadata().getGeneration()).as("generation after writing back the unchanged spec").isEqualTo(1L);
        assertThat(client.getKubernetesSerialization().asJson(written.getSpec())).contains("\"errorRatePercent\":1,")
                .contains("\"successRatePercent\":99}");
    }
}
