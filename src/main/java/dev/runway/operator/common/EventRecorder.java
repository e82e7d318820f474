package dev.runway.operator.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Records Kubernetes Events on Runway resources. Called only on transitions that matter (rollout
 * started, promoted, migration failed, ...), never on a no-op reconcile. Event text must never
 * contain Secret values: callers pass names and reasons only.
 */
@ApplicationScoped
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    public static final String COMPONENT = "runway-operator";

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata on, String reason, String message) {
        record(on, "Normal", reason, message);
    }

    public void warning(HasMetadata on, String reason, String message) {
        record(on, "Warning", reason, message);
    }

    private void record(HasMetadata on, String type, String reason, String message) {
        String namespace = on.getMetadata().getNamespace() != null ? on.getMetadata().getNamespace() : "default";
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String name = on.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(on.getApiVersion()).withKind(on.getKind())
                            .withName(on.getMetadata().getName()).withNamespace(on.getMetadata().getNamespace())
                            .withUid(on.getMetadata().getUid()).withResourceVersion(on.getMetadata().getResourceVersion())
                            .build())
                    .withType(type).withReason(reason).withMessage(truncate(message))
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: failing to record one must not fail the reconcile.
            LOG.debugf("could not record event %s on %s/%s: %s", reason, namespace, on.getMetadata().getName(), e.getMessage());
        }
    }

    private static String truncate(String message) {
        return message == null ? "" : message.length() > 1000 ? message.substring(0, 997) + "..." : message;
    }
}
