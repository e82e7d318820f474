package dev.runway.operator.testing;

import java.util.Locale;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A fresh namespace per test, deleted afterwards (with everything in it). */
public final class TestNamespace implements AutoCloseable {
    private final KubernetesClient client;
    private final String name;

    private TestNamespace(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public static TestNamespace create(KubernetesClient client, String prefix) {
        return create(client, prefix, java.util.Map.of(), java.util.Map.of());
    }

    /** A fresh namespace with these labels and annotations besides the test label. */
    public static TestNamespace create(KubernetesClient client, String prefix, java.util.Map<String, String> labels,
            java.util.Map<String, String> annotations) {
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + "-"
                + UUID.randomUUID().toString().substring(0, 6));
        name = name.length() > 63 ? name.substring(name.length() - 63).replaceAll("^-+", "") : name;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("runway.dev/test", "true").addToLabels(labels).addToAnnotations(annotations).endMetadata().build()).create();
        return new TestNamespace(client, name);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        client.namespaces().withName(name).delete();
    }
}
