package dev.runway.operator.testing;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** Reads what the operator running in the test's JVM has in its informer caches. */
public final class OperatorCaches {
    private OperatorCaches() {
    }

    /** The object as the controller's informer of that kind holds it; fails when none holds it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <R extends HasMetadata> R cached(Operator operator, String controller, Class<R> kind, String namespace, String name) {
        Controller<?> registered = (Controller<?>) operator.getRegisteredController(controller)
                .orElseThrow(() -> new AssertionError("no controller " + controller));
        List<EventSource<R, ?>> sources = (List) registered.getEventSourceManager().getEventSourcesFor(kind);
        for (EventSource<R, ?> source : sources) {
            if (source instanceof InformerEventSource<?, ?> informer) {
                var found = ((InformerEventSource<R, ?>) informer).get(new ResourceID(name, namespace));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " " + namespace + "/" + name + " in the caches of " + controller);
    }
}
