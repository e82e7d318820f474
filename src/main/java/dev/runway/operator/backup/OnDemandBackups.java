package dev.runway.operator.backup;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.operator.common.CreateOnce;
import dev.runway.operator.common.Times;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Hashes;
import dev.runway.operator.common.OneShotAnnotations;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * {@code kubectl annotate backuppolicy X runway.dev/backup-now=[reason]}: one backup Job now, then
 * the annotation is removed. The Job's name hashes the annotation's value and the time it was set
 * (from metadata.managedFields), so a reconcile repeated after a failure finds the Job it already
 * made instead of making a second one, while a later request gets a new name.
 */
@ApplicationScoped
public class OnDemandBackups {
    public static final String ANNOTATION = Annotations.BACKUP_NOW;

    private final OneShotAnnotations annotations;
    private final EventRecorder events;
    private final Clock clock;

    public OnDemandBackups(OneShotAnnotations annotations, EventRecorder events, Clock clock) {
        this.annotations = annotations;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Acts on the annotation if {@code policy} carries it; returns the Job's name then. While another
     * Job of the policy ({@code policyJobs}) still runs, the request waits (the annotation stays; the
     * end of that Job brings the next reconcile): one Job at a time uses the backup volume.
     */
    Optional<String> handle(BackupPolicy policy, String image, KubernetesClient client, java.util.Collection<Job> policyJobs) {
        if (!OneShotAnnotations.has(policy, ANNOTATION)) {
            return Optional.empty();
        }
        Optional<Job> busy = VolumeUsers.busy(policyJobs, java.util.Set.of());
        if (busy.isPresent()) {
            return Optional.empty();
        }
        String value = policy.getMetadata().getAnnotations().get(ANNOTATION);
        String requestedAt = requestedAt(policy).orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        String name = jobName(policy, value, requestedAt);
        String reason = value == null || value.isBlank() ? "on-demand" : "on-demand: " + value;
        Job job = BackupJobs.onDemand(policy, image, name, false, reason, Map.of());
        // A taken name: made by an earlier attempt, or this reconcile sees a cached policy from before
        // the annotation was removed; either way the request has its Job already.
        if (CreateOnce.create(client, job)) {
            events.normal(policy, "BackupRequested", ANNOTATION + " (requested at " + requestedAt + "): started Job " + name);
        }
        try {
            annotations.consume(policy, ANNOTATION);
        } catch (KubernetesClientException e) {
            // 422: the patch's test found the annotation gone or changed. Gone: consumed already.
            // Changed: a new request, which the update event brings to the next reconcile.
            if (e.getCode() != 422) {
                throw e;
            }
        }
        return Optional.of(name);
    }

    /** {@code <policy>-manual-<8 hex digits>}: at most 63 characters for names of up to 45. */
    static String jobName(BackupPolicy policy, String value, String requestedAt) {
        return policy.getMetadata().getName() + "-manual-" + Hashes.of((value == null ? "" : value) + "\u0000" + requestedAt, 8);
    }

    /** When the annotation was last written, by whichever field manager owns it. */
    @SuppressWarnings("unchecked")
    static Optional<String> requestedAt(BackupPolicy policy) {
        if (policy.getMetadata().getManagedFields() == null) {
            return Optional.empty();
        }
        String latest = null;
        for (ManagedFieldsEntry entry : policy.getMetadata().getManagedFields()) {
            if (entry.getFieldsV1() == null || entry.getTime() == null || entry.getSubresource() != null && !entry.getSubresource().isEmpty()) {
                continue;
            }
            Object metadata = entry.getFieldsV1().getAdditionalProperties().get("f:metadata");
            Object annotations = metadata instanceof Map<?, ?> m ? m.get("f:annotations") : null;
            if (annotations instanceof Map<?, ?> a && ((Map<String, Object>) a).containsKey("f:" + ANNOTATION)
                    && (latest == null || Times.compare(entry.getTime(), latest) > 0)) {
                latest = entry.getTime();
            }
        }
        return Optional.ofNullable(latest);
    }
}
