package dev.runway.operator.testing;

import java.util.List;

import dev.runway.operator.api.v1alpha1.RunwayStatus;
import dev.runway.operator.common.ConditionFactory;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The status kstatus (sigs.k8s.io/cli-utils, read by Flux, {@code kubectl wait} and kpt) computes
 * for a custom resource with standard conditions, written down from its documented rules:
 * <ol>
 * <li>status.observedGeneration missing or behind metadata.generation: InProgress;</li>
 * <li>Reconciling=True: InProgress;</li>
 * <li>Stalled=True: Failed;</li>
 * <li>Ready=False: InProgress;</li>
 * <li>otherwise: Current.</li>
 * </ol>
 * It also rejects statuses kstatus cannot read unambiguously (Reconciling and Stalled both True).
 */
public final class Kstatus {
    public enum Result { InProgress, Current, Failed }

    private Kstatus() {
    }

    public static Result of(Long generation, RunwayStatus status) {
        if (status == null || status.observedGeneration == null
                || (generation != null && status.observedGeneration < generation)) {
            return Result.InProgress;
        }
        List<Condition> conditions = status.conditions;
        boolean reconciling = ConditionFactory.isTrue(conditions, ConditionFactory.RECONCILING);
        boolean stalled = ConditionFactory.isTrue(conditions, ConditionFactory.STALLED);
        if (reconciling && stalled) {
            throw new AssertionError("Reconciling and Stalled are both True: kstatus cannot tell progress from failure");
        }
        if (reconciling) {
            return Result.InProgress;
        }
        if (stalled) {
            return Result.Failed;
        }
        return ConditionFactory.find(conditions, ConditionFactory.READY).map(c -> "False".equals(c.getStatus())).orElse(false)
                ? Result.InProgress
                : Result.Current;
    }
}
