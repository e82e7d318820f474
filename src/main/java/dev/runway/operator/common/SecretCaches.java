package dev.runway.operator.common;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * What the controllers' Secret informers keep of a user's Secret: never its values. The informers
 * see every Secret of the watched namespaces (any may be referenced), so each object is reduced
 * in place by the informer's add and update filters, which receive the very object the cache holds:
 * <ul>
 * <li>referenced Secrets (Application secretRefs): metadata and a keyed digest of the data
 * ({@link #DIGEST_ANNOTATION}, HMAC under the config-hash key), enough to roll pods when a value changes;</li>
 * <li>database Secrets (BackupPolicy, MigrationJob): metadata and key names, values blanked
 * (except the MigrationJob's non-secret {@code engine}).</li>
 * </ul>
 * Both drop {@code metadata.managedFields}: nothing reads them from these caches.
 * Runway's own generated Secrets are cached, with values, by their own label-selected informer.
 * Lists are paged ({@link #LIST_PAGE} a page) so a relist never holds every Secret of the cluster at once.
 */
public final class SecretCaches {
    /** On a cached referenced Secret only (never written to the API server). */
    public static final String DIGEST_ANNOTATION = "runway.dev/cached-data-digest";
    public static final long LIST_PAGE = 250;

    private SecretCaches() {
    }

    /** Replaces the data by its keyed digest (idempotent) and returns the digest. */
    public static String digestOnly(Secret secret, byte[] key) {
        String digest = digestOf(secret, key);
        Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(secret.getMetadata().getAnnotations());
        annotations.put(DIGEST_ANNOTATION, digest);
        secret.getMetadata().setAnnotations(annotations);
        secret.setData(null);
        secret.setStringData(null);
        dropManagedFields(secret);
        return digest;
    }

    /** The keyed digest of the data: from the annotation once reduced, else computed from the data. */
    public static String digestOf(Secret secret, byte[] key) {
        if (secret.getData() == null && secret.getStringData() == null && secret.getMetadata().getAnnotations() != null
                && secret.getMetadata().getAnnotations().containsKey(DIGEST_ANNOTATION)) {
            return secret.getMetadata().getAnnotations().get(DIGEST_ANNOTATION);
        }
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            data.putAll(secret.getData());
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, "s:" + v));
        }
        return Hashes.keyedOfMap(key, data, 64);
    }

    /**
     * An informer store that reduces each Secret before keeping it, so a full value never waits in
     * the cache for the event filters (they run later, on the listener's thread). JOSDK hands one
     * store to every per-namespace informer of an event source, and an informer's relist removes
     * the keys it did not list: so only for a source that watches all namespaces (one informer).
     */
    public static <P extends io.fabric8.kubernetes.api.model.HasMetadata> void reduceOnStore(
            io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration.Builder<Secret> builder,
            io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<P> context, java.util.function.Consumer<Secret> reduce) {
        if (context.getControllerConfiguration().getInformerConfig().watchAllNamespaces()) {
            builder.withItemStore(new ReducingStore(reduce));
        }
    }

    /**
     * The configuration of an informer on every watched Secret that keeps only what {@code reduce} leaves
     * (values never stay): the reducing store where it applies, paged lists, and the add and update filters
     * that reduce the cached object itself. The caller adds its name and mappers.
     */
    public static <P extends io.fabric8.kubernetes.api.model.HasMetadata> io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration.Builder<Secret> reduced(
            Class<P> primary, io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<P> context, java.util.function.Consumer<Secret> reduce) {
        var builder = io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration.from(Secret.class, primary);
        reduceOnStore(builder, context, reduce);
        return builder.withInformerListLimit(LIST_PAGE)
                .withOnAddFilter(s -> {
                    reduce.accept(s);
                    return true;
                })
                .withOnUpdateFilter((updated, old) -> {
                    reduce.accept(updated);
                    return true;
                });
    }

    static final class ReducingStore extends io.fabric8.kubernetes.client.informers.cache.BasicItemStore<Secret> {
        private final java.util.function.Consumer<Secret> reduce;

        ReducingStore(java.util.function.Consumer<Secret> reduce) {
            super(io.fabric8.kubernetes.client.informers.cache.Cache::metaNamespaceKeyFunc);
            this.reduce = reduce;
        }

        @Override
        public Secret put(String key, Secret secret) {
            reduce.accept(secret);
            return super.put(key, secret);
        }
    }

    /** Blanks every value but those of {@code keep}: the key names stay. */
    public static void keyNamesOnly(Secret secret, Set<String> keep) {
        if (secret.getData() != null) {
            Map<String, String> names = new HashMap<>();
            secret.getData().forEach((k, v) -> names.put(k, keep.contains(k) ? v : ""));
            secret.setData(names);
        }
        secret.setStringData(null);
        dropManagedFields(secret);
    }

    /**
     * These Secrets are read, never written by Runway: their field managers' sets (maps of maps,
     * one per writer) were the largest part of what a cached Secret still cost.
     */
    private static void dropManagedFields(Secret secret) {
        secret.getMetadata().setManagedFields(null);
    }
}
