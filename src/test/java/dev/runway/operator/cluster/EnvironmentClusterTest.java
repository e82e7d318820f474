package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.Environments;
import dev.runway.operator.testing.LocalControlPlane;

/**
 * What Environment cluster tests share: Environments are cluster-scoped, so every test makes
 * unique names through {@link #create} and everything it made is deleted afterwards.
 */
abstract class EnvironmentClusterTest {
    static final Duration CONVERGED = Duration.ofSeconds(60);

    final List<String> environments = new ArrayList<>();
    final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    static void connect() {
        EnvironmentFixtures.client = LocalControlPlane.client();
    }

    @AfterAll
    static void close() {
        EnvironmentFixtures.client.close();
    }

    @AfterEach
    void cleanUp() {
        for (String name : environments) {
            client.resources(Environment.class).withName(name).delete();
        }
        for (String name : environments) {
            client.resources(Environment.class).withName(name).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
        namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
    }

    static String unique(String prefix) {
        return "env-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Creates the Environment and remembers it (and its namespace) for clean-up. */
    Environment create(String yaml) {
        Environment env = client.getKubernetesSerialization().unmarshal(yaml, Environment.class);
        environments.add(env.getMetadata().getName());
        namespaces.add(Environments.namespaceOf(env));
        return client.resource(env).create();
    }
}
