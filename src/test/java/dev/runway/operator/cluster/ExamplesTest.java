package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The namespaced examples, applied file by file in order as a user would (into a fresh namespace
 * instead of the one they name), reach the state their README documents.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class ExamplesTest extends KubernetesTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("quickstart", Application.class, "hello"),
                Arguments.of("full-application", Application.class, "shop"),
                Arguments.of("canary", Application.class, "shop"),
                Arguments.of("backups", BackupPolicy.class, "shop-db-nightly"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    <T extends CustomResource<?, ?>> void reachesItsDocumentedState(String example, Class<T> kind, String name) throws IOException {
        try (TestNamespace ns = TestNamespace.create(client, "example-" + example)) {
            for (Path file : files(example)) {
                List<HasMetadata> objects = client.load(Files.newInputStream(file)).items();
                for (HasMetadata o : objects) {
                    o.getMetadata().setNamespace(ns.name());
                    client.resource(o).serverSideApply();
                }
            }
            T ready = client.resources(kind).inNamespace(ns.name()).withName(name).waitUntilCondition(r -> r != null
                    && r.getStatus() != null && readyAndCurrent(r), 120, TimeUnit.SECONDS);
            assertThat(ready).isNotNull();
        }
    }

    private static boolean readyAndCurrent(CustomResource<?, ?> resource) {
        var status = (dev.runway.operator.api.v1alpha1.RunwayStatus) resource.getStatus();
        return resource.getMetadata().getGeneration().equals(status.observedGeneration) && status.conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<Path> files(String example) throws IOException {
        try (Stream<Path> files = Files.list(LocalControlPlane.repoRootForTests().resolve("examples").resolve(example))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
