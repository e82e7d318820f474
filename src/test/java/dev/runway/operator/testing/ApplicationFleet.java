package dev.runway.operator.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.runway.operator.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Many small Applications in one namespace, for fault and scale tests that run the operator as a
 * process: create them, see which have converged, count their children by owner.
 */
public final class ApplicationFleet {
    private final KubernetesClient client;
    private final String namespace;
    private final String prefix;

    public ApplicationFleet(KubernetesClient client, String namespace, String prefix) {
        this.client = client;
        this.namespace = namespace;
        this.prefix = prefix;
    }

    public String namespace() {
        return namespace;
    }

    /** The name of the {@code i}-th Application. */
    public String name(int i) {
        return prefix + "-" + i;
    }

    /** The names of Applications {@code 0..count-1}. */
    public List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(name(i));
        }
        return names;
    }

    /** Creates the {@code i}-th Application: one replica, RollingUpdate, no probes' surprises. */
    public Application create(int i) {
        return create(name(i), "registry.example/" + prefix + ":1.0");
    }

    public Application create(String name, String image) {
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s}
                spec: {image: "%s", replicas: 1, port: 8080}
                """.formatted(name, image), Application.class);
        return client.resource(app).inNamespace(namespace).create();
    }

    /** Whether the Application is Ready for its current generation (the kstatus "Current"). */
    public static boolean converged(Application app) {
        return app.getStatus() != null && app.getStatus().observedGeneration != null
                && app.getStatus().observedGeneration.equals(app.getMetadata().getGeneration())
                && app.getStatus().conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Names of the namespace's Applications that have converged, now. */
    public Set<String> convergedNames() {
        return client.resources(Application.class).inNamespace(namespace).list().getItems().stream()
                .filter(ApplicationFleet::converged).map(a -> a.getMetadata().getName())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Waits until every Application named has converged; returns how long it took. */
    public Duration awaitConverged(List<String> names, Duration timeout) {
        long start = System.nanoTime();
        ClusterTestSupport.await((int) timeout.toSeconds()).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(convergedNames())
                        .as("converged Applications in %s", namespace).containsAll(names));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * For each Application of the namespace, how many objects of {@code type} it owns (by owner
     * reference UID): a duplicate child shows as a count above one.
     */
    public <T extends HasMetadata> Map<String, Long> ownedCounts(Class<T> type) {
        Map<String, String> appByUid = client.resources(Application.class).inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(a -> a.getMetadata().getUid(), a -> a.getMetadata().getName()));
        Map<String, Long> counts = new TreeMap<>();
        appByUid.values().forEach(name -> counts.put(name, 0L));
        for (T child : client.resources(type).inNamespace(namespace).list().getItems()) {
            for (OwnerReference owner : child.getMetadata().getOwnerReferences()) {
                String app = appByUid.get(owner.getUid());
                if (app != null) {
                    counts.merge(app, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** The image of the Application's Deployment, or "" while there is none. */
    public String deploymentImage(String app) {
        var d = client.apps().deployments().inNamespace(namespace).withName(app).get();
        return d == null ? "" : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** The namespace's objects of {@code type} by name. */
    public <T extends HasMetadata> Map<String, T> byName(Class<T> type) {
        return client.resources(type).inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity()));
    }
}
