package dev.runway.operator.common;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The key of the Applications' config hashes (status.configHash and the pod-template annotation):
 * an HMAC-SHA256 key only the operator holds, so nobody who may read a status can test guesses of
 * a Secret value against it. Kept in the Secret {@value #SECRET} in the operator's namespace
 * (runway.config-hash.key-namespace; default the client's namespace, the pod's own in-cluster):
 * created once by whichever replica needs it first, immutable, read back by every later process,
 * so hashes stay the same across restarts and replicas and nothing rolls.
 */
@Singleton
public class ConfigHashKey {
    public static final String SECRET = "runway-config-hash-key";
    static final String DATA_KEY = "key";
    private static final Logger LOG = Logger.getLogger(ConfigHashKey.class);
    /** Tries of {@link #loadOrCreate} (backoff 0.5, 1, 2, 4, 8, 8 s: about 24 s in all). */
    static final int ATTEMPTS = 7;

    private final KubernetesClient client;
    private final String namespace;
    private volatile byte[] key;

    public ConfigHashKey(KubernetesClient client, RunwayConfig config) {
        this.client = client;
        this.namespace = config.configHash().keyNamespace().filter(ns -> !ns.isBlank())
                .or(() -> Optional.ofNullable(client.getNamespace())).orElse("default");
    }

    public String namespace() {
        return namespace;
    }

    /** The key, read or created on first use (one API call per process, not per reconcile). */
    public byte[] get() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate(client, namespace);
                }
                k = key;
            }
        }
        return k;
    }

    /**
     * {@link #loadOrCreateOnce}, tried again after a transient failure: the first caller is the
     * shared Secret cache while the operator starts, and a failure there ends the process. Under
     * load a pooled connection is sometimes closed under a request ("Connection was closed"),
     * which the client does not retry by itself.
     */
    static byte[] loadOrCreate(KubernetesClient client, String namespace) {
        long backoffMillis = 500;
        for (int attempt = 1;; attempt++) {
            try {
                return loadOrCreateOnce(client, namespace);
            } catch (KeyMissing e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !transientFailure(e)) {
                    throw e;
                }
                LOG.warnf("reading the config-hash key Secret %s/%s failed (attempt %d of %d: %s); retrying in %d ms",
                        namespace, SECRET, attempt, ATTEMPTS, ErrorMessages.describe(e), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 8_000);
            }
        }
    }

    /**
     * No answer, a closed connection (which may arrive unwrapped from the HTTP layer), a server error
     * or throttling; not a refusal (403, 404, 422…).
     */
    static boolean transientFailure(RuntimeException e) {
        if (e instanceof KubernetesClientException k) {
            int code = k.getCode();
            return code <= 0 || code == 429 || code >= 500;
        }
        return true;
    }

    /** The key Secret exists without its key: a person's doing, not retried. */
    static final class KeyMissing extends IllegalStateException {
        KeyMissing(String message) {
            super(message);
        }
    }

    static byte[] loadOrCreateOnce(KubernetesClient client, String namespace) {
        Secret existing = client.secrets().inNamespace(namespace).withName(SECRET).get();
        if (existing == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Secret secret = new SecretBuilder().withNewMetadata().withName(SECRET).withNamespace(namespace)
                    .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER)).endMetadata()
                    .withImmutable(true)
                    .addToData(DATA_KEY, Base64.getEncoder().encodeToString(fresh)).build();
            try {
                client.resource(secret).create();
                LOG.infof("created the config-hash key Secret %s/%s", namespace, SECRET);
                return fresh;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Another replica made it first: use theirs.
                existing = client.secrets().inNamespace(namespace).withName(SECRET).get();
            }
        }
        String data = existing.getData() == null ? null : existing.getData().get(DATA_KEY);
        if (data == null || data.isEmpty()) {
            throw new KeyMissing("Secret " + namespace + "/" + SECRET + " has no data key '" + DATA_KEY
                    + "'; delete it and the operator creates a new key (every Application's pods roll once)");
        }
        return Base64.getDecoder().decode(data);
    }
}
