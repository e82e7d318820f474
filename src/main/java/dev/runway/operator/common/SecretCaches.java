package dev.runway.operator.common;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * What Runway's cache of the users' Secrets ({@link SharedSecrets}) keeps of each: never its values.
 * The cache sees every Secret of the watched namespaces (any may be referenced), so each object is
 * reduced as the informer's store takes it, to what the controllers read:
 * <ul>
 * <li>metadata, without {@code managedFields} (nothing reads them; they were most of what a reduced
 * Secret still cost);</li>
 * <li>a keyed digest of the data ({@link #DIGEST_ANNOTATION}, HMAC under the config-hash key): an
 * Application's pods roll when a referenced value changes;</li>
 * <li>the key names, values blanked (a database Secret must have {@code host}, {@code password}…),
 * except {@value #ENGINE_KEY}, which names the database engine and is no secret.</li>
 * </ul>
 * Runway's own generated Secrets are cached, with values, by their own label-selected informer.
 * Lists are paged ({@link #LIST_PAGE} a page) so a relist never holds every Secret of the cluster at once.
 */
public final class SecretCaches {
    /** On a cached Secret only (never written to the API server). */
    public static final String DIGEST_ANNOTATION = "runway.dev/cached-data-digest";
    /** The one value kept: a database Secret's engine (postgres, mysql), read by MigrationJobs. */
    public static final String ENGINE_KEY = "engine";
    public static final long LIST_PAGE = 250;

    private SecretCaches() {
    }

    /** Reduces the Secret in place to what the cache keeps. */
    public static void reduce(Secret secret, byte[] key) {
        String digest = computeDigest(secret, key);
        Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(secret.getMetadata().getAnnotations());
        annotations.put(DIGEST_ANNOTATION, digest);
        secret.getMetadata().setAnnotations(annotations);
        Map<String, String> names = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> names.put(k, ENGINE_KEY.equals(k) ? v : ""));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().keySet().forEach(k -> names.putIfAbsent(k, ""));
        }
        secret.setData(names.isEmpty() && secret.getData() == null ? null : names);
        secret.setStringData(null);
        secret.getMetadata().setManagedFields(null);
    }

    /** The keyed digest of the data: from the annotation of a cached (reduced) Secret, else computed from the data. */
    public static String digestOf(Secret secret, byte[] key) {
        Map<String, String> annotations = secret.getMetadata() == null ? null : secret.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(DIGEST_ANNOTATION)) {
            return annotations.get(DIGEST_ANNOTATION);
        }
        return computeDigest(secret, key);
    }

    private static String computeDigest(Secret secret, byte[] key) {
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            data.putAll(secret.getData());
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, "s:" + v));
        }
        return Hashes.keyedOfMap(key, data, 64);
    }
}
