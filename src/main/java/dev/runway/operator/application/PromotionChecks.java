package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.common.TierDefaults;
import dev.runway.operator.migration.MigrationGate;

/**
 * Every check a candidate image (spec.image, while it does not serve yet) passes before it
 * serves, each with its state: the PromotionReady condition's message, so an SRE reads in one
 * place what the image still waits for.
 *
 * @param image  the candidate
 * @param checks in the order they are passed: upstream soak, migration, its backup, analysis, approval
 */
record PromotionChecks(String image, List<Check> checks) {
    static final String PASSED = "passed";
    static final String WAITING = "waiting";
    static final String FAILED = "failed";
    static final String NOT_REQUIRED = "not required";

    /**
     * @param name   what is checked
     * @param state  passed | waiting | failed | not required (or a state of its own, e.g. "on the preview")
     * @param detail what the state rests on, or null
     */
    record Check(String name, String state, String detail) {
        @Override
        public String toString() {
            return name + ": " + state + (detail == null ? "" : " (" + detail + ")");
        }
    }

    /** Whether some check applies at all: without one there is no gate and no PromotionReady condition. */
    boolean gated() {
        return checks.stream().anyMatch(c -> !NOT_REQUIRED.equals(c.state()));
    }

    /** These checks with {@code name}'s state replaced. */
    PromotionChecks with(String name, String state, String detail) {
        return new PromotionChecks(image, checks.stream().map(c -> c.name().equals(name) ? new Check(name, state, detail) : c).toList());
    }

    String message() {
        return "checks for " + image + ": " + checks.stream().map(Check::toString).collect(Collectors.joining("; "));
    }

    /**
     * The checks of spec.image given the gates' inputs and the hold the planner chose; null when
     * spec.image already serves (nothing is a candidate).
     */
    static PromotionChecks of(Application app, Optional<Environment> environment, TierDefaults defaults,
            ApplicationPlanner.Gates gates, Hold hold) {
        String image = app.getSpec().image;
        var status = app.getStatus();
        String stable = status == null ? null : status.stableImage;
        if (image.equals(stable)) {
            return null;
        }
        boolean earlierHold = hold instanceof Hold.FailedRevision || hold instanceof Hold.Soak;
        List<Check> checks = new ArrayList<>();
        var promotion = environment.map(e -> e.getSpec().promotion).orElse(null);
        String from = promotion == null ? null : promotion.from;
        if (from == null) {
            checks.add(new Check("upstream soak", NOT_REQUIRED, null));
        } else {
            checks.add(gates.soak().map(s -> new Check("soak in " + from, WAITING, s.message()))
                    .orElseGet(() -> new Check("soak in " + from, PASSED, null)));
        }
        var migration = app.getSpec().migration;
        MigrationGate.Decision decision = gates.migration();
        if (migration == null) {
            checks.add(new Check("migration", NOT_REQUIRED, null));
        } else if (earlierHold) {
            checks.add(new Check("migration", WAITING, "starts after the checks above"));
        } else {
            String state = switch (decision.state()) {
                case SUCCEEDED, NOT_APPLICABLE -> PASSED;
                case FAILED, NOT_OWNED -> FAILED;
                case STALLED -> "stalled";
                default -> "running";
            };
            checks.add(new Check("migration", state, decision.name() == null ? null
                    : "MigrationJob " + decision.name() + ", " + (decision.phase() == null ? "Pending" : decision.phase())));
        }
        if (migration == null || migration.backupPolicy == null) {
            checks.add(new Check("pre-migration backup", NOT_REQUIRED, null));
        } else {
            MigrationJobStatus.BackupRef backup = gates.migrationJob().map(mj -> mj.getStatus()).map(s -> s.backup).orElse(null);
            boolean taken = backup != null && backup.completedAt != null;
            checks.add(new Check("pre-migration backup", taken ? PASSED : WAITING, taken ? "backup " + backup.name
                    : "BackupPolicy " + migration.backupPolicy + ", before the migration"));
        }
        boolean blueGreen = WorkloadConditions.blueGreen(app);
        var bg = app.getSpec().strategy == null ? null : app.getSpec().strategy.blueGreen;
        if (blueGreen && bg != null && (bg.prePromotionAnalysis != null || bg.postPromotionAnalysis != null)) {
            checks.add(new Check("analysis", "on the preview", (bg.prePromotionAnalysis != null ? "pre-promotion" : "")
                    + (bg.prePromotionAnalysis != null && bg.postPromotionAnalysis != null ? " and " : "")
                    + (bg.postPromotionAnalysis != null ? "post-promotion" : "") + ", run by Argo Rollouts"));
        } else if (WorkloadConditions.canary(app) && app.getSpec().strategy.canary != null && app.getSpec().strategy.canary.analysis != null) {
            checks.add(new Check("analysis", "in the canary steps", "run by Argo Rollouts"));
        } else {
            checks.add(new Check("analysis", NOT_REQUIRED, null));
        }
        if (WorkloadConditions.canary(app)) {
            checks.add(new Check("approval", defaults.requireApproval() ? "at the first canary step" : NOT_REQUIRED,
                    defaults.requireApproval() ? RolloutLevers.PROMOTE + " once the canary waits" : null));
        } else if (blueGreen) {
            boolean manual = !RolloutDependent.autoPromotion(app, defaults);
            checks.add(new Check("approval", manual ? "on the preview" : NOT_REQUIRED,
                    manual ? RolloutLevers.PROMOTE + " once the preview is ready" : null));
        } else if (stable != null && defaults.requireApproval()) {
            boolean waiting = hold instanceof Hold.Approval;
            boolean before = hold != null && !waiting;
            checks.add(new Check("approval", waiting ? WAITING : before ? (gates.approvalRequested() ? "given" : WAITING) : PASSED,
                    waiting ? "kubectl annotate application " + app.getMetadata().getName() + " -n " + app.getMetadata().getNamespace()
                            + " " + RolloutLevers.PROMOTE + "=" : before && gates.approvalRequested() ? RolloutLevers.PROMOTE + " is set" : null));
        } else {
            checks.add(new Check("approval", NOT_REQUIRED, stable == null && defaults.requireApproval() ? "first image" : null));
        }
        return new PromotionChecks(image, checks);
    }
}
