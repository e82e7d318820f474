package dev.runway.operator.api.v1alpha1;

/**
 * The condition types in Runway's statuses, declared once with the API. Every kind has the summary
 * (Ready, Reconciling, Stalled; see docs/api.md); the others belong to one kind each.
 */
public final class ConditionTypes {
    private ConditionTypes() {
    }

    // --- every kind
    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";

    // --- Application
    /** The workload has as many available pods as it wants. */
    public static final String AVAILABLE = "Available";
    /** A rollout is under way. */
    public static final String PROGRESSING = "Progressing";
    /** Nothing or not enough healthy serves, or the last rollout failed. */
    public static final String DEGRADED = "Degraded";
    /** A BlueGreen preview waits for runway.dev/promote. */
    public static final String AWAITING_PROMOTION = "AwaitingPromotion";
    /** The promotion gate holds the candidate image. */
    public static final String PROMOTION_BLOCKED = "PromotionBlocked";
    /** Every check of the candidate image (migration, backup, analysis, soak, approval) and its state. */
    public static final String PROMOTION_READY = "PromotionReady";
    /** The HPA is at its maximum while over target. */
    public static final String SCALING_LIMITED = "ScalingLimited";
    /** spec.generatedSecrets: generated, kept, adopted, rotated or regenerated. */
    public static final String GENERATED_SECRETS = "GeneratedSecrets";

    // --- BackupPolicy
    /** A backup succeeded within the staleness limit of the schedule. */
    public static final String BACKUPS_FRESH = "BackupsFresh";
    /** The newest verification restored the newest backup into a scratch database. */
    public static final String VERIFIED = "Verified";
    /** The newest verification restore took no longer than spec.objectives.recoveryTime. */
    public static final String RECOVERY_TIME_OBJECTIVE = "RecoveryTimeObjective";
    /** Application and BackupPolicy: whether the Prometheus Operator objects asked for are served. */
    public static final String MONITORING = "Monitoring";
    /** On an Application after runway.dev/rollback: True once the image and the data are back, False while under way, failed or refused. */
    public static final String ROLLBACK = "Rollback";

    // --- MigrationJob
    public static final String BACKUP_TAKEN = "BackupTaken";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
}
