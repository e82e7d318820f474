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
 * Runway's own generated Secrets are cached, with values, by their own label-selected informer.
 * Lists are paged ({@link #LIST_PAGE}) so a relist never holds every Secret of the cluster at once.
 */
public final class SecretCaches {
    /** On a cached referenced Secret only (never written to the API server). */
    public static final String DIGEST_ANNOTATION = "runway.dev/cached-data-digest";
    public static final long LIST_PAGE = 100;

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

    /** Blanks every value but those of {@code keep}: the key names stay. */
    public static void keyNamesOnly(Secret secret, Set<String> keep) {
        if (secret.getData() != null) {
            Map<String, String> names = new HashMap<>();
            secret.getData().forEach((k, v) -> names.put(k, keep.contains(k) ? v : ""));
            secret.setData(names);
        }
        secret.setStringData(null);
    }
}
