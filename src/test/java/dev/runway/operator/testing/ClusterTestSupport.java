package dev.runway.operator.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import dev.runway.operator.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/** Small helpers shared by cluster tests. */
public final class ClusterTestSupport {
    private ClusterTestSupport() {
    }

    public static ConditionFactory await(int seconds) {
        // The operator's own threads log their failures; they are not the test's.
        return Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(300))
                .dontCatchUncaughtExceptions();
    }

    public static Application applicationFromYaml(KubernetesClient client, String namespace, String yaml) {
        Application app = client.getKubernetesSerialization().unmarshal(yaml, Application.class);
        app.getMetadata().setNamespace(namespace);
        return app;
    }

    /** A database Secret of the shape BackupPolicies and MigrationJobs read (host, port, database, username, password), pointing nowhere. */
    public static void databaseSecret(KubernetesClient client, String namespace, String name) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withStringData(java.util.Map.of("host", "db.example.invalid", "port", "5432", "database", "shop", "username", "shop",
                        "password", "not-a-real-password"))
                .build()).create();
    }

    /** Creates the object {@code yaml} describes in {@code namespace}, as kubectl create -n would. */
    public static <T extends HasMetadata> T createFromYaml(KubernetesClient client, String namespace, Class<T> type, String yaml) {
        T object = client.getKubernetesSerialization().unmarshal(yaml, type);
        object.getMetadata().setNamespace(namespace);
        return client.resource(object).create();
    }

    public static Resource<Application> application(KubernetesClient client, String namespace, String name) {
        return client.resources(Application.class).inNamespace(namespace).withName(name);
    }

    /** Changes an Application like a user would: read, modify, write; again on a conflicting write. */
    public static Application update(KubernetesClient client, String namespace, String name, java.util.function.Consumer<Application> change) {
        return retryOnConflict(() -> {
            Application current = application(client, namespace, name).get();
            change.accept(current);
            return client.resource(current).update();
        });
    }

    /**
     * Runs a read-modify-write again while the API server answers 409: the operator, a controller or the kubelet may
     * write the same object (often its status) between the read and the write, as they would for a user.
     */
    public static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
        for (int attempt = 1;; attempt++) {
            try {
                return write.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    /** Sets an annotation on an Application (e.g. one of the runway.dev/* one-shot actions). */
    public static Application annotate(KubernetesClient client, String namespace, String name, String key, String value) {
        return update(client, namespace, name, a -> a.getMetadata().getAnnotations().put(key, value));
    }

    /** Waits until the Application satisfies {@code until} and returns it. */
    public static Application waitFor(KubernetesClient client, String namespace, String name, int seconds, Predicate<Application> until) {
        return application(client, namespace, name).waitUntilCondition(a -> a != null && until.test(a), seconds, TimeUnit.SECONDS);
    }

    public static boolean condition(Application app, String type, String status) {
        return app.getStatus() != null && app.getStatus().conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus()));
    }

    public static boolean conditionReason(Application app, String type, String reason) {
        return app.getStatus() != null && app.getStatus().conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && reason.equals(c.getReason()));
    }

    /** Events recorded on an object, by reason. */
    public static List<Event> events(KubernetesClient client, String namespace, String objectName, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> objectName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }
}
