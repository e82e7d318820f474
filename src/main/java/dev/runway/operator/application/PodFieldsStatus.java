package dev.runway.operator.application;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.EventRecorder;

/**
 * What the workload fields report that no rollout shows: the Runway defaults spec.podTemplate
 * replaced (status.podTemplateOverrides, a Normal event when the list changes), and claim edits
 * that cannot be applied (condition VolumeClaims False, a Warning event naming the field).
 */
final class PodFieldsStatus {
    static final String VOLUME_CLAIMS = "VolumeClaims";
    static final String CLAIM_CHANGE_REFUSED = "ClaimChangeRefused";

    private final ConditionFactory conditions;

    PodFieldsStatus(Clock clock) {
        this.conditions = new ConditionFactory(clock);
    }

    /**
     * The refusals status reports for this generation, for {@link VolumeClaims#converge} not to ask
     * the API server again for a growth it refused; any edit of the Application asks again (say,
     * after the StorageClass was given allowVolumeExpansion).
     */
    static List<String> claimRefusals(ApplicationStatus status, Long generation) {
        return status == null ? List.of()
                : ConditionFactory.find(status.conditions, VOLUME_CLAIMS).filter(c -> ConditionFactory.FALSE.equals(c.getStatus()))
                        .filter(c -> java.util.Objects.equals(c.getObservedGeneration(), generation))
                        .map(c -> List.of(c.getMessage().split("; "))).orElse(List.of());
    }

    void contribute(ApplicationStatus status, ApplicationStatus previous, Application app, List<String> overrides,
            List<String> claimRefusals, EventRecorder events) {
        List<String> before = previous == null ? null : previous.podTemplateOverrides;
        status.podTemplateOverrides = overrides.isEmpty() ? null : overrides;
        if (!Objects.equals(before, status.podTemplateOverrides) && !(before == null && overrides.isEmpty())) {
            events.normal(app, "PodTemplateOverrides", overrides.isEmpty() ? "spec.podTemplate replaces no Runway default"
                    : "spec.podTemplate replaces Runway's " + String.join(", ", overrides));
        }

        boolean claims = app.getSpec().volumes != null && app.getSpec().volumes.stream().anyMatch(v -> v.claim != null);
        if (!claims) {
            status.conditions.removeIf(c -> VOLUME_CLAIMS.equals(c.getType()));
            return;
        }
        long generation = app.getMetadata().getGeneration();
        if (claimRefusals.isEmpty()) {
            conditions.set(status.conditions, VOLUME_CLAIMS, true, "ClaimsMatch",
                    "the PersistentVolumeClaims of spec.volumes[].claim match the spec", generation);
            return;
        }
        String message = String.join("; ", claimRefusals);
        boolean same = previous != null && ConditionFactory.find(previous.conditions, VOLUME_CLAIMS)
                .filter(c -> message.equals(c.getMessage())).isPresent();
        conditions.set(status.conditions, VOLUME_CLAIMS, false, CLAIM_CHANGE_REFUSED, message, generation);
        if (!same) {
            events.warning(app, CLAIM_CHANGE_REFUSED, message);
        }
    }
}
