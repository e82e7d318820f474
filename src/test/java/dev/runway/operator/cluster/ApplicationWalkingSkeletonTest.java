package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;

/** The smallest Application (image and port) becomes a Deployment and a Service and reports Ready. */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class ApplicationWalkingSkeletonTest extends KubernetesTest {

    @Test
    void imageAndPortYieldDeploymentServiceAndReadyStatus() {
        try (TestNamespace ns = TestNamespace.create(client, "skeleton")) {
            Application app = client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: hello}
                    spec: {image: "example.com/hello:1.0.0", port: 8080}
                    """, Application.class);
            app.getMetadata().setNamespace(ns.name());
            Application created = client.resource(app).create();

            Application ready = client.resources(Application.class).inNamespace(ns.name()).withName("hello")
                    .waitUntilCondition(a -> a.getStatus() != null
                            && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.READY), 90, TimeUnit.SECONDS);
            assertThat(ready.getStatus().observedGeneration).isEqualTo(created.getMetadata().getGeneration());
            assertThat(ready.getStatus().stableImage).isEqualTo("example.com/hello:1.0.0");
            assertThat(ready.getStatus().ready).isEqualTo("1/1");

            Deployment deployment = client.apps().deployments().inNamespace(ns.name()).withName("hello").get();
            assertThat(deployment.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.getKind()).isEqualTo("Application");
                        assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
                    });
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort())
                    .isEqualTo(8080);
            var service = client.services().inNamespace(ns.name()).withName("hello").get();
            assertThat(service.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
            assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/instance", "hello");
        }
    }
}
