package dev.runway.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** Typed access to a controller's named informers (a kind can have several, e.g. Secrets). */
public final class Informers {
    private Informers() {
    }

    @SuppressWarnings("unchecked") // every event source Runway registers for a Kubernetes kind is an informer
    public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> of(Context<P> context, Class<R> kind,
            String name) {
        return (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(kind, name);
    }

    /** A controller's view of the shared cache of users' Secrets (values reduced away: {@link SharedSecrets}). */
    @SuppressWarnings("unchecked") // registered by SharedSecrets.source under this name
    public static <P extends HasMetadata> SharedSecrets.Source<P> secrets(Context<P> context, String name) {
        return (SharedSecrets.Source<P>) context.eventSourceRetriever().getEventSourceFor(io.fabric8.kubernetes.api.model.Secret.class, name);
    }
}
