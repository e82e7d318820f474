package dev.runway.operator.common;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

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

    /**
     * Records the transitions' events, then writes {@code status} when it differs from the status read
     * (server-side apply of the status subresource with the controller's field manager, optimistic
     * locking on the resourceVersion read, as JOSDK's own status patch) and puts the written object in
     * the controller's cache. The cache matters: the informer may deliver the write after the next
     * event of a child, and a reconcile that read the older copy would announce the same transition
     * again and write its status again (the benchmark saw both). The events come first so that whoever
     * sees the status finds its event already there.
     */
    public static <P extends CustomResource<?, S>, S> UpdateControl<P> write(P resource, S status, List<Transition> transitions,
            EventRecorder events, Context<P> context) {
        Transition.record(events, resource, transitions);
        if (!sameStatus(resource.getStatus(), status)) {
            resource.setStatus(status);
            List<ManagedFieldsEntry> managed = resource.getMetadata().getManagedFields();
            resource.getMetadata().setManagedFields(null);
            try {
                P written = context.getClient().resource(resource).subresource("status").patch(new PatchContext.Builder()
                        .withFieldManager(context.getControllerConfiguration().fieldManager()).withForce(true)
                        .withPatchType(PatchType.SERVER_SIDE_APPLY).build());
                // Cached only while the informer still holds the version this write started from.
                context.eventSourceRetriever().getControllerEventSource()
                        .handleRecentResourceUpdate(ResourceID.fromResource(resource), written, resource);
            } finally {
                resource.getMetadata().setManagedFields(managed);
            }
        }
        return UpdateControl.noUpdate();
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
