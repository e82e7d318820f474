package dev.runway.operator.common;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * One-shot actions an SRE takes with {@code kubectl annotate} (runway.dev/promote, restart, ...):
 * once acted on, the operator removes the annotation. The JSON patch tests that the annotation is
 * still there, so a concurrent edit of other metadata is never overwritten.
 */
@ApplicationScoped
public class OneShotAnnotations {
    private final KubernetesClient client;

    public OneShotAnnotations(KubernetesClient client) {
        this.client = client;
    }

    public static boolean has(HasMetadata resource, String key) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(key);
    }

    /** Removes those of {@code keys} that {@code resource} carries; does nothing (no request) otherwise. */
    public void consume(HasMetadata resource, String... keys) {
        StringBuilder patch = new StringBuilder("[");
        for (String key : keys) {
            if (has(resource, key)) {
                String pointer = "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
                if (patch.length() > 1) {
                    patch.append(',');
                }
                patch.append("{\"op\":\"test\",\"path\":\"").append(pointer).append("\",\"value\":")
                        .append(quote(resource.getMetadata().getAnnotations().get(key))).append("},")
                        .append("{\"op\":\"remove\",\"path\":\"").append(pointer).append("\"}");
            }
        }
        if (patch.length() == 1) {
            return;
        }
        patch.append(']');
        try {
            client.resource(resource).patch(PatchContext.of(PatchType.JSON), patch.toString());
        } catch (KubernetesClientException e) {
            // 422 here is a failed "test": a concurrent reconcile already removed the annotation.
            if (e.getCode() != 422) {
                throw e;
            }
        }
    }

    private static String quote(String value) {
        try {
            return io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
