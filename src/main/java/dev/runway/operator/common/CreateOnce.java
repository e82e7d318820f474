package dev.runway.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Creates an object whose name is derived and which is never patched (a Job, a MigrationJob, a kept
 * claim). A 409 means the name is taken, mostly by an earlier reconcile whose write the informer has
 * not shown yet; the caller decides whether whoever took it matters.
 */
public final class CreateOnce {
    private CreateOnce() {
    }

    /** @return true when this call created it, false when the name was already taken */
    public static boolean create(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }
}
