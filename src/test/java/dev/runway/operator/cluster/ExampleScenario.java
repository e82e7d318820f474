package dev.runway.operator.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Environments;
import dev.runway.operator.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A copy of one {@code examples/<dir>/} applied as its README says: the Environments first, until
 * they are Ready (they make the namespaces the other objects go to), then every object file by
 * file in file order ({@code kubectl apply -f examples/<dir>/}), with names made unique to the test: every
 * Environment name, {@code spec.namespace} and {@code spec.promotion.from} and every object's
 * namespace gets the suffix {@code -<6 hex>}. Nothing else is changed. Namespaces that no
 * Environment of the example makes are created first (the README's {@code kubectl create
 * namespace}). {@link #close()} deletes the Environments (waiting for their finalizers), then
 * every namespace.
 */
final class ExampleScenario implements AutoCloseable {
    private final KubernetesClient client;
    private final String suffix = "-" + UUID.randomUUID().toString().substring(0, 6);
    private final List<String> environments = new ArrayList<>();
    private final Set<String> namespaces = new LinkedHashSet<>();

    private ExampleScenario(KubernetesClient client) {
        this.client = client;
    }

    static ExampleScenario apply(KubernetesClient client, String example) {
        ExampleScenario scenario = new ExampleScenario(client);
        try {
            List<HasMetadata> objects = new ArrayList<>();
            for (Path file : files(example)) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (HasMetadata o : client.load(in).items()) {
                        // The loader returns kinds it has no class registered for as generic resources.
                        objects.add("Environment".equals(o.getKind()) && !(o instanceof Environment)
                                ? client.getKubernetesSerialization().convertValue(o, Environment.class) : o);
                    }
                }
            }
            objects.forEach(scenario::rename);
            // As the READMEs say: the Environments first, until Ready (they make the namespaces), then the rest.
            Set<String> made = new LinkedHashSet<>();
            for (HasMetadata o : objects) {
                if (o instanceof Environment env) {
                    client.resource(env).serverSideApply();
                    made.add(Environments.namespaceOf(env));
                }
            }
            for (String name : scenario.environments) {
                client.resources(Environment.class).withName(name).waitUntilCondition(e -> e != null && e.getStatus() != null
                        && ConditionFactory.isTrue(e.getStatus().conditions, ConditionFactory.READY), 60, TimeUnit.SECONDS);
            }
            for (String ns : scenario.namespaces) {
                if (!made.contains(ns)) {
                    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                            .addToLabels("runway.dev/test", "true").endMetadata().build()).create();
                }
            }
            scenario.namespaces.addAll(made);
            for (HasMetadata o : objects) {
                if (!(o instanceof Environment)) {
                    client.resource(o).serverSideApply();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            scenario.close();
            throw e;
        }
        return scenario;
    }

    /** The name the copy uses for an Environment or namespace of the example. */
    String name(String inExample) {
        return inExample + suffix;
    }

    private void rename(HasMetadata o) {
        if (o instanceof Environment env) {
            env.getMetadata().setName(name(env.getMetadata().getName()));
            environments.add(env.getMetadata().getName());
            // Without spec.namespace the namespace is metadata.name, renamed above.
            if (env.getSpec().namespace != null) {
                env.getSpec().namespace = name(env.getSpec().namespace);
            }
            if (env.getSpec().promotion != null && env.getSpec().promotion.from != null) {
                env.getSpec().promotion.from = name(env.getSpec().promotion.from);
            }
        } else {
            if (o.getMetadata().getNamespace() == null) {
                throw new IllegalStateException(o.getKind() + " " + o.getMetadata().getName() + " names no namespace; every example object must");
            }
            o.getMetadata().setNamespace(name(o.getMetadata().getNamespace()));
            namespaces.add(o.getMetadata().getNamespace());
        }
    }

    private static List<Path> files(String example) throws IOException {
        try (Stream<Path> files = Files.list(LocalControlPlane.repoRootForTests().resolve("examples").resolve(example))) {
            return files.filter(p -> p.getFileName().toString().matches("\\d\\d\\.[A-Za-z]+\\..+\\.yaml")).sorted().toList();
        }
    }

    @Override
    public void close() {
        for (String name : environments) {
            client.resources(Environment.class).withName(name).delete();
        }
        for (String name : environments) {
            client.resources(Environment.class).withName(name).waitUntilCondition(e -> e == null, 60, TimeUnit.SECONDS);
        }
        namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
    }
}
