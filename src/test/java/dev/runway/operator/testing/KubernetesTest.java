package dev.runway.operator.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Base of tests that talk to the test cluster: one client per test class. */
public abstract class KubernetesTest {
    protected static KubernetesClient client;

    @BeforeAll
    static void connectToTheTestCluster() {
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void closeTheClient() {
        client.close();
    }
}
