package dev.runway.operator.common;

import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation.PodSecurity;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Tier;

/**
 * What an Environment's tier implies for the fields its Applications (and the Environment itself)
 * leave unset. One table, documented in docs/environments.md.
 */
public record TierDefaults(int replicas, boolean requireApproval, PodSecurity podSecurity, boolean backupBeforeMigration) {

    /** Applications outside any Environment. */
    public static final TierDefaults NONE = new TierDefaults(1, false, PodSecurity.baseline, false);

    public static TierDefaults of(Tier tier) {
        if (tier == null) {
            return NONE;
        }
        return switch (tier) {
            case Development, Preview -> new TierDefaults(1, false, PodSecurity.baseline, false);
            case Staging, UAT -> new TierDefaults(2, false, PodSecurity.baseline, false);
            case Production -> new TierDefaults(2, true, PodSecurity.restricted, true);
        };
    }

    /** The defaults of {@code env}'s tier, with the Environment's own explicit settings applied. */
    public static TierDefaults of(EnvironmentSpec env) {
        if (env == null) {
            return NONE;
        }
        TierDefaults base = of(env.tier);
        boolean approval = env.promotion != null && env.promotion.requireApproval != null
                ? env.promotion.requireApproval
                : base.requireApproval();
        PodSecurity podSecurity = env.isolation != null && env.isolation.podSecurity != null
                ? env.isolation.podSecurity
                : base.podSecurity();
        return new TierDefaults(base.replicas(), approval, podSecurity, base.backupBeforeMigration());
    }
}
