package dev.runway.operator.common;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/**
 * One cache of the users' Secrets for every controller that reads them (Application secretRefs, the
 * database Secrets of BackupPolicies, MigrationJobs and Restores), instead of one informer each: any
 * Secret of a watched namespace may be referenced, so each of those informers held every Secret there.
 * <p>
 * The cache never holds a value: each Secret is reduced as the informer's store takes it
 * ({@link SecretCaches#reduce}: metadata without managedFields, a keyed digest of the data, the key
 * names, the non-secret {@code engine}). There is one informer for all namespaces when a controller
 * watches all, else one per watched namespace, each with its own reducing store (an informer's relist
 * drops the keys it did not list, so namespaces cannot share a store). Each controller registers a
 * {@link Source}: an event source that maps a Secret's changes to its primaries and answers lookups
 * from the shared cache.
 */
@Singleton
public class SharedSecrets {
    private static final Logger LOG = Logger.getLogger(SharedSecrets.class);
    /** The key of the informer over all namespaces. */
    public static final String ALL_NAMESPACES = "*";
    private static final long SYNC_TIMEOUT_SECONDS = 120;

    private final KubernetesClient client;
    private final java.util.function.Supplier<byte[]> digestKey;
    /** By namespace, or {@link #ALL_NAMESPACES}; guarded by this. */
    private final Map<String, SharedIndexInformer<Secret>> informers = new HashMap<>();
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> listed = new HashMap<>();

    @jakarta.inject.Inject
    public SharedSecrets(KubernetesClient client, ConfigHashKey hashKey) {
        this(client, hashKey::get);
    }

    /** With the key of the data digests (the config-hash key's, in the operator). */
    public SharedSecrets(KubernetesClient client, java.util.function.Supplier<byte[]> digestKey) {
        this.client = client;
        this.digestKey = digestKey;
    }

    /**
     * An event source over the Secrets of the controller's namespaces; {@code toPrimaries} maps a Secret
     * to the primaries it concerns, {@code toSecondaries} a primary to the Secrets it names.
     */
    public <P extends HasMetadata> Source<P> source(String name, EventSourceContext<P> context,
            Function<Secret, Set<ResourceID>> toPrimaries, Function<P, Set<ResourceID>> toSecondaries) {
        InformerConfiguration<P> config = context.getControllerConfiguration().getInformerConfig();
        Set<String> namespaces;
        if (config.watchAllNamespaces()) {
            namespaces = Set.of(ALL_NAMESPACES);
        } else if (config.watchCurrentNamespace()) {
            namespaces = Set.of(Optional.ofNullable(client.getNamespace()).orElse("default"));
        } else {
            namespaces = Set.copyOf(config.getNamespaces());
        }
        return source(name, namespaces, toPrimaries, toSecondaries);
    }

    /** An event source over the Secrets of these namespaces ({@code *}: all). */
    public <P extends HasMetadata> Source<P> source(String name, Set<String> namespaces, Function<Secret, Set<ResourceID>> toPrimaries,
            Function<P, Set<ResourceID>> toSecondaries) {
        return new Source<>(this, name, namespaces, toPrimaries, toSecondaries);
    }

    /** The cached (reduced) Secret, from whichever informer covers its namespace. */
    Optional<Secret> get(ResourceID id) {
        String namespace = id.getNamespace().orElse("");
        SharedIndexInformer<Secret> informer;
        synchronized (this) {
            informer = informers.containsKey(ALL_NAMESPACES) ? informers.get(ALL_NAMESPACES) : informers.get(namespace);
        }
        return informer == null ? Optional.empty()
                : Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, id.getName())));
    }

    /** How many Secrets the shared cache holds (for tests and the benchmark's reading of the heap). */
    public synchronized int size() {
        return informers.values().stream().mapToInt(i -> i.getStore().list().size()).sum();
    }

    /** Starts (or joins) the informers of these namespaces and adds the handler to each; returns once they have listed. */
    void attach(Set<String> namespaces, ResourceEventHandler<Secret> handler) {
        byte[] key = digestKey.get();
        for (String namespace : namespaces) {
            SharedIndexInformer<Secret> informer;
            java.util.concurrent.CompletableFuture<Void> started;
            synchronized (this) {
                informer = informers.get(namespace);
                if (informer == null) {
                    informer = (ALL_NAMESPACES.equals(namespace) ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(namespace))
                            .withLimit(SecretCaches.LIST_PAGE).runnableInformer(0);
                    informer.itemStore(new ReducingItemStore<Secret>(s -> SecretCaches.reduce(s, key)));
                    informer.exceptionHandler((isStarted, t) -> {
                        LOG.warnf("the Secret informer of %s failed (%s); retrying", namespace, t.toString());
                        return true;
                    });
                    informers.put(namespace, informer);
                    LOG.infof("starting the shared Secret informer of %s", ALL_NAMESPACES.equals(namespace) ? "all namespaces" : namespace);
                    listed.put(namespace, informer.start().toCompletableFuture());
                }
                users.merge(namespace, 1, Integer::sum);
                informer.addEventHandler(handler);
                started = listed.get(namespace);
            }
            try {
                started.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorException("interrupted while the Secret informer of " + namespace + " listed", e);
            } catch (Exception e) {
                throw new OperatorException("the Secret informer of " + namespace + " did not list in " + SYNC_TIMEOUT_SECONDS + " s", e);
            }
        }
    }

    /** Removes the handler; the last user of an informer stops it. */
    synchronized void detach(Set<String> namespaces, ResourceEventHandler<Secret> handler) {
        for (String namespace : namespaces) {
            SharedIndexInformer<Secret> informer = informers.get(namespace);
            if (informer == null) {
                continue;
            }
            informer.removeEventHandler(handler);
            if (users.merge(namespace, -1, Integer::sum) <= 0) {
                users.remove(namespace);
                informers.remove(namespace);
                listed.remove(namespace);
                informer.stop();
            }
        }
    }

    /**
     * One controller's view of the shared Secrets: JOSDK starts and stops it with the controller, the
     * reconciler reads it with {@link #get(ResourceID)} (through {@link Informers#secrets}).
     */
    public static final class Source<P extends HasMetadata> extends AbstractEventSource<Secret, P> {
        private final SharedSecrets shared;
        private final Set<String> namespaces;
        private final Function<Secret, Set<ResourceID>> toPrimaries;
        private final Function<P, Set<ResourceID>> toSecondaries;
        private final ResourceEventHandler<Secret> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                propagate(secret);
            }

            @Override
            public void onUpdate(Secret old, Secret updated) {
                if (!Objects.equals(old.getMetadata().getResourceVersion(), updated.getMetadata().getResourceVersion())) {
                    propagate(updated);
                }
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                propagate(secret);
            }
        };

        Source(SharedSecrets shared, String name, Set<String> namespaces, Function<Secret, Set<ResourceID>> toPrimaries,
                Function<P, Set<ResourceID>> toSecondaries) {
            super(Secret.class, name);
            this.shared = shared;
            this.namespaces = namespaces;
            this.toPrimaries = toPrimaries;
            this.toSecondaries = toSecondaries;
        }

        private boolean watches(String namespace) {
            return namespaces.contains(ALL_NAMESPACES) || namespaces.contains(namespace);
        }

        private void propagate(Secret secret) {
            if (!isRunning() || getEventHandler() == null || !watches(secret.getMetadata().getNamespace())) {
                return;
            }
            for (ResourceID primary : toPrimaries.apply(secret)) {
                getEventHandler().handleEvent(new Event(primary));
            }
        }

        public Optional<Secret> get(ResourceID id) {
            return watches(id.getNamespace().orElse("")) ? shared.get(id) : Optional.empty();
        }

        @Override
        public Set<Secret> getSecondaryResources(P primary) {
            Set<Secret> found = new HashSet<>();
            for (ResourceID id : toSecondaries.apply(primary)) {
                get(id).ifPresent(found::add);
            }
            return found;
        }

        @Override
        public void start() throws OperatorException {
            super.start();
            shared.attach(namespaces, handler);
        }

        @Override
        public void stop() throws OperatorException {
            shared.detach(namespaces, handler);
            super.stop();
        }
    }
}
