package dev.runway.operator.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the operator under test at the test cluster before Quarkus starts it. Declared once,
 * unrestricted, so every {@code @QuarkusTest} shares one operator and one cluster.
 */
@QuarkusTestResource(value = ClusterResource.class, restrictToAnnotatedClass = false)
public class ClusterResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        LocalControlPlane.kubeconfig();
        return Map.of();
    }

    @Override
    public void stop() {
        // The control plane outlives the Quarkus app; LocalControlPlane stops what it started at JVM exit.
    }
}
