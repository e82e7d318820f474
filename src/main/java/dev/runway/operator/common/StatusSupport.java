package dev.runway.operator.common;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.utils.Serialization;

/** Helpers for patching status only when it differs from what the API server already has. */
public final class StatusSupport {
    private StatusSupport() {
    }

    /** Compares two status objects by their JSON form, the form the API server stores. */
    public static boolean sameStatus(Object current, Object desired) {
        JsonNode a = current == null ? null : Serialization.jsonMapper().valueToTree(current);
        JsonNode b = desired == null ? null : Serialization.jsonMapper().valueToTree(desired);
        return Objects.equals(a, b);
    }

    /** A deep copy through JSON, so desired status can be built without mutating the cached primary. */
    public static <T> T copy(T value, Class<T> type) {
        if (value == null) {
            return null;
        }
        return Serialization.jsonMapper().convertValue(value, type);
    }
}
