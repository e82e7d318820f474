package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What {@link EnvironmentTest} reads and waits for, against the test cluster's {@link #client}. */
final class EnvironmentFixtures {
    /** Set once by the test class before any test runs. */
    static KubernetesClient client;

    private EnvironmentFixtures() {
    }

    /** Edits retry on conflicts: the operator writes status concurrently. */
    static Environment editEnvironment(String name, UnaryOperator<Environment> edit) {
        return retryOnConflict(() -> client.resources(Environment.class).withName(name).edit(edit));
    }

    static Application editApplication(String namespace, String name, UnaryOperator<Application> edit) {
        return retryOnConflict(() -> client.resources(Application.class).inNamespace(namespace).withName(name).edit(edit));
    }

    /** Sets an annotation on an Application (a runway.dev/* lever, or one that only makes it reconcile). */
    static Application annotateApplication(String namespace, String name, String key, String value) {
        return editApplication(namespace, name, a -> {
            a.getMetadata().setAnnotations(new java.util.HashMap<>(a.getMetadata().getAnnotations() == null ? java.util.Map.of()
                    : a.getMetadata().getAnnotations()));
            a.getMetadata().getAnnotations().put(key, value);
            return a;
        });
    }

    static <T> T retryOnConflict(Supplier<T> write) {
        return dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(write);
    }

    static Environment awaitReady(Environment env) {
        long generation = env.getMetadata().getGeneration();
        return client.resources(Environment.class).withName(env.getMetadata().getName()).waitUntilCondition(e -> e.getStatus() != null
                && Objects.equals(e.getStatus().observedGeneration, generation)
                && ConditionFactory.isTrue(e.getStatus().conditions, ConditionFactory.READY), EnvironmentClusterTest.CONVERGED.toSeconds(), TimeUnit.SECONDS);
    }

    static void createApplication(String namespace, String name, String image) {
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s, namespace: %s}
                spec: {image: "%s", replicas: 1}
                """.formatted(name, namespace, image), Application.class);
        client.resource(app).create();
    }

    static Application awaitApplicationReady(String namespace, String name, Predicate<Application> and) {
        return client.resources(Application.class).inNamespace(namespace).withName(name).waitUntilCondition(a -> a != null
                && a.getStatus() != null && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.READY) && and.test(a),
                90, TimeUnit.SECONDS);
    }

    static String configHash(String namespace, String app) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(app).get();
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    static String image(String namespace, String app) {
        return client.apps().deployments().inNamespace(namespace).withName(app).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static Optional<Condition> condition(Environment env, String type) {
        return env.getStatus() == null ? Optional.empty() : ConditionFactory.find(env.getStatus().conditions, type);
    }

    static Optional<Condition> condition(Application app, String type) {
        return app == null || app.getStatus() == null ? Optional.empty() : ConditionFactory.find(app.getStatus().conditions, type);
    }

    /** Events about a cluster-scoped Environment land in the default namespace. */
    static List<Event> events(String environment) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> environment.equals(e.getInvolvedObject().getName()) && "Environment".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    static List<Event> events(String namespace, String application) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> application.equals(e.getInvolvedObject().getName()) && "Application".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    static void assertOwnedBy(HasMetadata child, Environment env) {
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Environment");
            assertThat(o.getUid()).isEqualTo(env.getMetadata().getUid());
        });
    }

    static Pod pod(String name, boolean privileged) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example.com/pause:1")
                .withNewSecurityContext().withPrivileged(privileged ? true : null).endSecurityContext()
                .endContainer().endSpec().build();
    }
}
