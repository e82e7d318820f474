package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /q/health/ready follows the operator's informers (JOSDK runtime info): it goes DOWN when a watch
 * really breaks on the API server and UP again once the watch is re-established.
 * <p>
 * The watch is broken by deleting the MigrationJob CRD: the API server ends every watch of that
 * resource and answers 404 to the informers' re-list, which is what an operator sees when its CRD is
 * removed under it. Only the MigrationJob kind is affected; the API server and every other informer
 * keep working. Deleting the CRD deletes every MigrationJob in the cluster, so this class must not
 * run beside tests that hold MigrationJobs: the suite runs test classes one at a time in one JVM
 * (no surefire parallelism), and this test restores the CRD exactly as it was and waits until the
 * operator is ready again, and its MigrationJob controller reconciles again, before it ends.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class OperatorReadinessTest extends KubernetesTest {
    static final String CRD = "migrationjobs.runway.dev";

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    @Test
    void readinessIsDownWhileAWatchIsBrokenAndUpOnceItIsRestored() throws Exception {
        await(120).until(() -> readiness().statusCode() == 200);
        var crds = client.apiextensions().v1().customResourceDefinitions();
        CustomResourceDefinition original = crds.withName(CRD).get();
        assertThat(original).as("CRD %s installed", CRD).isNotNull();
        try {
            crds.withName(CRD).delete();
            crds.withName(CRD).waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
            await(60).until(() -> readiness().statusCode() == 503);
            HttpResponse<String> down = readiness();
            assertThat(down.body()).contains("\"status\": \"DOWN\"");
            // The controllers whose informers watch MigrationJobs say so; the others stay OK.
            assertThat(down.body()).containsPattern("\"migrationjob\": \"[^\"]*unhealthy")
                    .containsPattern("\"environment\": \"OK\"").containsPattern("\"backuppolicy\": \"OK\"");
            // Not a reason to restart the pod: a new process would find the CRD missing just the same.
            assertThat(get(live).statusCode()).isEqualTo(200);
        } finally {
            crds.resource(new CustomResourceDefinitionBuilder().withNewMetadata().withName(CRD)
                    .withLabels(original.getMetadata().getLabels()).withAnnotations(original.getMetadata().getAnnotations()).endMetadata()
                    .withSpec(original.getSpec()).build()).create();
            crds.withName(CRD).waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                    .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
            // Fabric8 re-lists with exponential back-off (1 s doubling to 32 s): within a minute.
            await(90).until(() -> readiness().statusCode() == 200);
        }
        HttpResponse<String> up = readiness();
        assertThat(up.body()).contains("\"status\": \"UP\"").containsPattern("\"migrationjob\": \"OK\"");

        // The re-established watch delivers: a new MigrationJob is reconciled (no Secret: Stalled).
        try (TestNamespace ns = TestNamespace.create(client, "ready-again")) {
            ClusterTestSupport.createFromYaml(client, ns.name(), MigrationJob.class, """
                    apiVersion: runway.dev/v1alpha1
                    kind: MigrationJob
                    metadata: {name: after-outage}
                    spec: {image: example.com/shop:2, command: [migrate, up], databaseSecretRef: missing}
                    """);
            client.resources(MigrationJob.class).inNamespace(ns.name()).withName("after-outage").waitUntilCondition(m -> m != null
                    && m.getStatus() != null && ConditionFactory.isTrue(m.getStatus().conditions, ConditionFactory.STALLED), 60, TimeUnit.SECONDS);
        }
    }

    HttpResponse<String> readiness() throws IOException, InterruptedException {
        return get(ready);
    }

    static HttpResponse<String> get(URL url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
