package dev.runway.operator.common;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * How every kind writes its status: only when it differs from what the API server already has, and
 * after a failed reconcile in one way ({@link #onError}).
 */
public final class StatusSupport {
    private StatusSupport() {
    }

    /** Compares two status objects by their JSON form, the form the API server stores. */
    public static boolean sameStatus(Object current, Object desired) {
        JsonNode a = current == null ? null : Serialization.jsonMapper().valueToTree(current);
        JsonNode b = desired == null ? null : Serialization.jsonMapper().valueToTree(desired);
        return Objects.equals(a, b);
    }

    /** Patches {@code status} onto {@code resource} if it differs from the status read; else no write at all. */
    public static <P extends CustomResource<?, S>, S> UpdateControl<P> patchIfChanged(P resource, S status) {
        if (sameStatus(resource.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }

    /**
     * The status after a failed reconcile: nothing for a conflict (the retry reads the object again) or for an
     * object the API server says is gone (nobody is left to tell); else the status {@code errorStatus} makes of
     * the failure's one-line description, a log line, and a {@code ReconcileFailed} Warning event when that
     * status is news.
     */
    public static <P extends CustomResource<?, S>, S> ErrorStatusUpdateControl<P> onError(P resource, Exception e,
            Function<String, S> errorStatus, EventRecorder events, Logger log) {
        if (ErrorMessages.isConflict(e) || ErrorMessages.isGone(resource, e)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        String message = ErrorMessages.describe(e);
        String namespace = resource.getMetadata().getNamespace();
        log.warnf("reconcile of %s %s failed: %s", resource.getKind().toLowerCase(Locale.ROOT),
                namespace == null ? resource.getMetadata().getName() : namespace + "/" + resource.getMetadata().getName(), message);
        S status = errorStatus.apply(message);
        if (!sameStatus(resource.getStatus(), status)) {
            events.warning(resource, ConditionFactory.RECONCILE_FAILED, message);
        }
        resource.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    /** A deep copy through JSON, so desired status can be built without mutating the cached primary. */
    public static <T> T copy(T value, Class<T> type) {
        if (value == null) {
            return null;
        }
        return Serialization.jsonMapper().convertValue(value, type);
    }
}
