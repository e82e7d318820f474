package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.application.ApplicationPlanner;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.ConfigHashKey;
import dev.runway.operator.common.Hashes;
import dev.runway.operator.common.RunwayConfig;
import dev.runway.operator.common.SecretCaches;
import dev.runway.operator.common.SharedSecrets;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.test.junit.QuarkusTest;

/**
 * status.configHash is an HMAC under the operator's key (Secret runway-config-hash-key): the same
 * for any process that reads that Secret (a restarted operator, the other replica), different
 * under any other key and from the plain SHA-256 of the same data, and it still changes, rolling
 * the pods, when a referenced Secret's value changes.
 */
@QuarkusTest
@SuppressWarnings("unchecked")
@Tag(Tiers.CLUSTER)
class ConfigHashKeyTest {
    static KubernetesClient client;

    @Inject
    ConfigHashKey operatorKey;
    @Inject
    RunwayConfig config;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void theHashIsKeyedByTheOperatorsSecretAndStillFollowsSecretValues() {
        try (TestNamespace ns = TestNamespace.create(client, "config-hash")) {
            client.resource(new SecretBuilder().withNewMetadata().withName("shop-secrets").withNamespace(ns.name())
                    .endMetadata().addToStringData("PASSWORD", "hunter2").build()).create();
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec: {image: example.com/shop:1, secretRefs: [shop-secrets]}
                    """)).create();
            Application ready = waitFor(client, ns.name(), "shop", 60, a -> a.getStatus() != null
                    && ClusterTestSupport.condition(a, ConditionFactory.READY, "True"));
            String hash = ready.getStatus().configHash;
            assertThat(podAnnotationHash(ns)).isEqualTo(hash);

            Secret keySecret = client.secrets().inNamespace(operatorKey.namespace()).withName(ConfigHashKey.SECRET).get();
            assertThat(keySecret.getImmutable()).isTrue();
            byte[] stored = Base64.getDecoder().decode(keySecret.getData().get("key"));
            assertThat(stored).hasSize(32);
            // What a restarted process or the other replica does: read the Secret, compute the same hash.
            byte[] reread = new ConfigHashKey(client, config).get();
            assertThat(reread).isEqualTo(stored).isEqualTo(operatorKey.get());
            Secret read = client.secrets().inNamespace(ns.name()).withName("shop-secrets").get();
            assertThat(plan(ready, read, reread)).as("recomputed with the stored key").isEqualTo(hash);
            assertThat(plan(ready, read, "another key, another hash".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(hash);
            String unkeyed = Hashes.ofMap(Map.of("secret/shop-secrets", Hashes.ofMap(read.getData(), 64)), 16);
            assertThat(unkeyed).as("the plain SHA-256 of the same inputs").isNotEqualTo(hash);

            client.secrets().inNamespace(ns.name()).withName("shop-secrets")
                    .edit(s -> new SecretBuilder(s).withStringData(Map.of("PASSWORD", "correct horse")).build());
            Application rolled = waitFor(client, ns.name(), "shop", 60, a -> a.getStatus() != null
                    && !hash.equals(a.getStatus().configHash));
            ClusterTestSupport.await(60).untilAsserted(() -> assertThat(podAnnotationHash(ns)).isEqualTo(rolled.getStatus().configHash));
        }
    }

    /**
     * The informers' copies of user Secrets hold no value: the Application controller's a keyed
     * digest, the BackupPolicy and MigrationJob controllers' key names (and the non-secret engine).
     */
    @Test
    void noSecretValueStaysInTheInformerCaches() {
        try (TestNamespace ns = TestNamespace.create(client, "secret-cache")) {
            client.resource(new SecretBuilder().withNewMetadata().withName("shop-secrets").withNamespace(ns.name())
                    .endMetadata().addToStringData("PASSWORD", "hunter2").build()).create();
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            ResourceID app = new ResourceID("shop-secrets", ns.name());
            ResourceID db = new ResourceID("shop-db", ns.name());
            ClusterTestSupport.await(30).untilAsserted(() -> {
                Secret referenced = cached("application", "referenced-secrets", app);
                assertThat(referenced.getData()).containsOnlyKeys("PASSWORD").allSatisfy((k, v) -> assertThat(v).as(k).isEmpty());
                assertThat(referenced.getMetadata().getAnnotations()).containsKey(SecretCaches.DIGEST_ANNOTATION);
                assertThat(referenced.getMetadata().getManagedFields()).isNullOrEmpty();
                for (String[] informer : new String[][] { { "backuppolicy", "database-secrets" }, { "migrationjob", "migration-database-secrets" } }) {
                    Secret database = cached(informer[0], informer[1], db);
                    assertThat(database.getData()).as(informer[0]).containsKeys("host", "password")
                            .allSatisfy((k, v) -> assertThat(v).as(k).isEmpty());
                }
            });
            assertThat(client.secrets().inNamespace(ns.name()).withName("shop-secrets").get().getData()).as("the API server's copy")
                    .containsKey("PASSWORD");
        }
    }

    @Inject
    Operator operator;

    private Secret cached(String controller, String informer, ResourceID id) {
        var registered = (Controller<?>) operator.getRegisteredController(controller).orElseThrow();
        var source = (SharedSecrets.Source<?>) registered.getEventSourceManager().getEventSourceFor(Secret.class, informer);
        return source.get(id).orElseThrow(() -> new AssertionError(informer + " has no " + id));
    }

    private static String plan(Application app, Secret referenced, byte[] key) {
        app.setStatus(null);
        return ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", referenced), Optional.empty(), Optional.empty(),
                Optional.empty(), Instant.now(), key).configHash();
    }

    private static String podAnnotationHash(TestNamespace ns) {
        return client.apps().deployments().inNamespace(ns.name()).withName("shop").get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(dev.runway.operator.common.Labels.CONFIG_HASH_ANNOTATION);
    }
}
