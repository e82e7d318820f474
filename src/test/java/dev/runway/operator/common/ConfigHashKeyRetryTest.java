package dev.runway.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.FaultProxy;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The config-hash key is read while the operator starts (the shared Secret cache reduces with it),
 * where a failure ends the process. Through a proxy in front of the real API server: connections
 * closed under the key's reads are tried again and the key is read or created once; a refusal
 * (403) is not retried. The client's own retries are off, so only Runway's can succeed here.
 */
@Tag(Tiers.APISERVER)
class ConfigHashKeyRetryTest {
    static KubernetesClient admin;
    static FaultProxy proxy;
    static KubernetesClient proxied;

    @BeforeAll
    static void connect() throws Exception {
        admin = LocalControlPlane.client();
        proxy = FaultProxy.forTestCluster();
        Config config = Config.fromKubeconfig(Files.readString(proxy.kubeconfig()));
        config.setRequestRetryBackoffLimit(0);
        proxied = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void close() {
        proxied.close();
        proxy.close();
        admin.close();
    }

    @Test
    void closedConnectionsAreTriedAgainAndTheKeyIsCreatedOnce() {
        try (TestNamespace ns = TestNamespace.create(admin, "hash-key-retry")) {
            Predicate<FaultProxy.Head> keyRequests = keyRequests(ns.name());
            proxy.dropConnections(Duration.ofMillis(1_200), keyRequests);

            byte[] key = ConfigHashKey.loadOrCreate(proxied, ns.name());

            List<FaultProxy.Request> seen = proxy.requests().stream().filter(r -> r.uri().contains(ns.name() + "/secrets")).toList();
            assertThat(seen).as("dropped first, then relayed").extracting(FaultProxy.Request::injected)
                    .startsWith(FaultProxy.DROPPED).contains(0);
            assertThat(admin.secrets().inNamespace(ns.name()).withName(ConfigHashKey.SECRET).get().getData())
                    .containsKey(ConfigHashKey.DATA_KEY);
            assertThat(ConfigHashKey.loadOrCreate(proxied, ns.name())).as("read back, not made again").isEqualTo(key);
        }
    }

    @Test
    void aRefusalIsNotRetried() {
        try (TestNamespace ns = TestNamespace.create(admin, "hash-key-refused")) {
            proxy.inject(403, 0, Duration.ofSeconds(30), keyRequests(ns.name()));

            assertThatThrownBy(() -> ConfigHashKey.loadOrCreate(proxied, ns.name()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            assertThat(proxy.requests().stream().filter(r -> r.uri().contains(ns.name() + "/secrets"))).hasSize(1);
        }
    }

    @Test
    void transientFailuresAreTheOnesWithoutAnAnswerOrAServerError() {
        assertThat(ConfigHashKey.transientFailure(new KubernetesClientException("closed"))).isTrue();
        assertThat(ConfigHashKey.transientFailure(new KubernetesClientException("throttled", 429, null))).isTrue();
        assertThat(ConfigHashKey.transientFailure(new KubernetesClientException("unavailable", 503, null))).isTrue();
        assertThat(ConfigHashKey.transientFailure(new KubernetesClientException("forbidden", 403, null))).isFalse();
        assertThat(ConfigHashKey.transientFailure(new KubernetesClientException("not found", 404, null))).isFalse();
        assertThat(ConfigHashKey.transientFailure(new IllegalStateException("Connection was closed"))).isTrue();
    }

    private static Predicate<FaultProxy.Head> keyRequests(String namespace) {
        return h -> h.path().startsWith("/api/v1/namespaces/" + namespace + "/secrets");
    }
}
