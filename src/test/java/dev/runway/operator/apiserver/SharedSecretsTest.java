package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.common.SecretCaches;
import dev.runway.operator.common.SharedSecrets;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The shared cache of users' Secrets against a real API server, as the operator runs it with
 * {@code watchNamespaces} (one informer per namespace, each with its own reducing store) and over
 * all namespaces: no value is ever cached (key names, the engine and a keyed digest only), every
 * watched namespace's Secrets stay after the other namespaces' informers listed, an unwatched
 * namespace is not cached, and a value change reaches the primaries the source maps it to.
 */
@Tag(Tiers.APISERVER)
class SharedSecretsTest {
    static final byte[] KEY = "a test key of the digests, 32 by".getBytes(StandardCharsets.UTF_8);
    static KubernetesClient client;
    static TestNamespace first;
    static TestNamespace second;
    static TestNamespace unwatched;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        first = TestNamespace.create(client, "shared-secrets-a");
        second = TestNamespace.create(client, "shared-secrets-b");
        unwatched = TestNamespace.create(client, "shared-secrets-c");
        for (TestNamespace ns : new TestNamespace[] { first, second, unwatched }) {
            client.resource(secret(ns.name(), "db", Map.of("engine", "postgres", "host", "db.internal", "password", "hunter2"))).create();
        }
    }

    @AfterAll
    static void close() {
        first.close();
        second.close();
        unwatched.close();
        client.close();
    }

    @Test
    void perNamespaceInformersKeepEveryWatchedNamespaceAndNoValue() throws Exception {
        SharedSecrets shared = new SharedSecrets(client, () -> KEY);
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        SharedSecrets.Source<ConfigMap> source = shared.source("database-secrets", Set.of(first.name(), second.name()),
                s -> Set.of(new ResourceID("app-of-" + s.getMetadata().getName(), s.getMetadata().getNamespace())), p -> Set.of());
        source.setEventHandler(events::add);
        source.start();
        try {
            for (TestNamespace ns : new TestNamespace[] { first, second }) {
                Secret cached = source.get(new ResourceID("db", ns.name())).orElseThrow(() -> new AssertionError("not cached in " + ns.name()));
                assertReduced(cached, "password", "host");
                assertThat(cached.getData()).containsEntry("engine", b64("postgres"));
            }
            assertThat(source.get(new ResourceID("db", unwatched.name()))).as("a namespace the controller does not watch").isEmpty();
            assertThat(shared.size()).isEqualTo(2);

            String digestBefore = SecretCaches.digestOf(source.get(new ResourceID("db", second.name())).orElseThrow(), KEY);
            events.clear();
            ClusterTestSupport.retryOnConflict(() -> client.secrets().inNamespace(second.name()).withName("db")
                    .edit(s -> new SecretBuilder(s).addToData("password", b64("changed")).build()));
            Event event = events.poll(30, TimeUnit.SECONDS);
            assertThat(event).as("an event for the changed Secret's primary").isNotNull();
            assertThat(event.getRelatedCustomResourceID()).isEqualTo(new ResourceID("app-of-db", second.name()));
            ClusterTestSupport.await(30).untilAsserted(() -> assertThat(
                    SecretCaches.digestOf(source.get(new ResourceID("db", second.name())).orElseThrow(), KEY)).isNotEqualTo(digestBefore));
            assertReduced(source.get(new ResourceID("db", second.name())).orElseThrow(), "password", "host");
            assertThat(source.get(new ResourceID("db", first.name()))).as("the first namespace after the second's events").isPresent();
        } finally {
            source.stop();
        }
        assertThat(shared.size()).as("the last source stopped its informers").isZero();
    }

    @Test
    void oneInformerOverAllNamespacesIsSharedByEverySource() {
        SharedSecrets shared = new SharedSecrets(client, () -> KEY);
        SharedSecrets.Source<ConfigMap> application = shared.source("referenced-secrets", Set.of(SharedSecrets.ALL_NAMESPACES),
                s -> Set.of(), p -> Set.of());
        SharedSecrets.Source<ConfigMap> backups = shared.source("database-secrets", Set.of(SharedSecrets.ALL_NAMESPACES),
                s -> Set.of(), p -> Set.of());
        application.start();
        backups.start();
        try {
            for (TestNamespace ns : new TestNamespace[] { first, second, unwatched }) {
                Optional<Secret> seenByBackups = backups.get(new ResourceID("db", ns.name()));
                assertThat(seenByBackups).isPresent();
                assertThat(application.get(new ResourceID("db", ns.name()))).as("one cached copy, not one per source")
                        .containsSame(seenByBackups.get());
                assertReduced(seenByBackups.get(), "password", "host");
            }
            application.stop();
            assertThat(backups.get(new ResourceID("db", first.name()))).as("still served after the other source stopped").isPresent();
        } finally {
            backups.stop();
        }
    }

    private static void assertReduced(Secret cached, String... valueKeys) {
        assertThat(cached.getMetadata().getAnnotations()).containsKey(SecretCaches.DIGEST_ANNOTATION);
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getStringData()).isNullOrEmpty();
        for (String key : valueKeys) {
            assertThat(cached.getData()).as("the key names stay").containsKey(key);
            assertThat(cached.getData().get(key)).as("the value of " + key).isEmpty();
        }
    }

    private static Secret secret(String namespace, String name, Map<String, String> values) {
        SecretBuilder builder = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
        values.forEach((k, v) -> builder.addToData(k, b64(v)));
        return builder.build();
    }

    private static String b64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
