package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import java.time.Duration;

import dev.runway.operator.environment.PromotionGate;
import dev.runway.operator.migration.MigrationGate;

/**
 * Why spec.image does not roll out yet. Every kind of hold enters {@link ApplicationPlanner#plan}
 * as an input and the planner picks the first that applies, in this order: a revision that was
 * rolled back, missing upstream evidence (soak), the migration of the image, the approval. While a
 * hold applies the workload keeps status.stableImage (nothing rolls out when none serves), and
 * {@link ApplicationStatusFactory} renders it: phase, summary conditions and PromotionReady.
 */
public sealed interface Hold permits Hold.FailedRevision, Hold.Soak, Hold.Migration, Hold.Approval {

    /** Cause and remedy, for the Ready condition. */
    String message();

    /** The condition reason. */
    String reason();

    /** When the hold may resolve by itself; null when only a person or another object's change resolves it. */
    default Duration recheckAfter() {
        return null;
    }

    /** spec.image with this configuration failed and was rolled back: not retried until either changes. */
    record FailedRevision(String image, String why) implements Hold {
        @Override
        public String message() {
            return "revision " + image + " was rolled back (" + why + "); change spec.image or the configuration to try again";
        }

        @Override
        public String reason() {
            return "RolledBack";
        }
    }

    /** The upstream Environment has no (or not enough) evidence for spec.image (environment/PromotionGate). */
    record Soak(PromotionGate.Hold evidence) implements Hold {
        @Override
        public String message() {
            return evidence.message();
        }

        @Override
        public String reason() {
            return ConditionTypes.PROMOTION_BLOCKED;
        }

        @Override
        public Duration recheckAfter() {
            return evidence.recheckAfter();
        }
    }

    /** The MigrationJob of spec.image has not succeeded (migration/MigrationGate). */
    record Migration(MigrationGate.Decision decision) implements Hold {
        @Override
        public String message() {
            return decision.message();
        }

        @Override
        public String reason() {
            return switch (decision.state()) {
                case FAILED -> "MigrationFailed";
                case NOT_OWNED -> MigrationGate.NOT_OWNED_REASON;
                case STALLED -> "MigrationStalled";
                default -> "Migrating";
            };
        }

        /** The migration cannot finish without a person. */
        boolean stuck() {
            return decision.state() == MigrationGate.State.FAILED || decision.state() == MigrationGate.State.NOT_OWNED
                    || decision.state() == MigrationGate.State.STALLED;
        }
    }

    /**
     * A RollingUpdate Application in an Environment that requires approval: spec.image replaces
     * the serving image only after runway.dev/promote. The Deployment keeps the serving image, so no
     * pod of the new one exists, let alone takes traffic, before the approval.
     */
    record Approval(String image, String serving, String namespace, String name) implements Hold {
        @Override
        public String message() {
            return image + " waits for approval; " + serving + " keeps serving. Approve with: kubectl annotate application "
                    + name + " -n " + namespace + " " + RolloutLevers.PROMOTE + "=";
        }

        @Override
        public String reason() {
            return AWAITING_APPROVAL;
        }
    }

    String AWAITING_APPROVAL = "AwaitingApproval";
}
