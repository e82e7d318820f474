package dev.runway.operator.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Builds standard {@code metav1.Condition}s. {@code lastTransitionTime} moves only when the status
 * of a condition really changes, so a reconcile that finds nothing new writes nothing new.
 *
 * <p>Every kind states its summary the same way ({@link #summary}): Ready, Reconciling and Stalled,
 * exactly one of Reconciling/Stalled True unless Ready is, all three with the same reason; Ready
 * always carries the message, Reconciling and Stalled carry it only while True.
 */
public final class ConditionFactory {
    public static final String READY = ConditionTypes.READY;
    public static final String RECONCILING = ConditionTypes.RECONCILING;
    public static final String STALLED = ConditionTypes.STALLED;
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";
    /** The reason every kind gives while a reconcile fails and is retried. */
    public static final String RECONCILE_FAILED = "ReconcileFailed";

    /** Which of the three summary conditions is True. */
    public enum Outcome { READY, RECONCILING, STALLED }

    private final Clock clock;

    public ConditionFactory(Clock clock) {
        this.clock = clock;
    }

    /** Sets {@code type} in {@code conditions}, keeping its transition time unless the status changed. */
    public void set(List<Condition> conditions, String type, boolean status, String reason, String message, Long generation) {
        set(conditions, type, status ? TRUE : FALSE, reason, message, generation);
    }

    /** As {@link #set(List, String, boolean, String, String, Long)}, for a status of True, False or Unknown. */
    public void set(List<Condition> conditions, String type, String value, String reason, String message, Long generation) {
        Optional<Condition> existing = find(conditions, type);
        String transition = existing.filter(c -> value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        Condition condition = new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
        existing.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), condition), () -> conditions.add(condition));
    }

    /** Sets Ready, Reconciling and Stalled for {@code outcome} by the one rule of the class comment. */
    public void summary(List<Condition> conditions, Outcome outcome, String reason, String message, Long generation) {
        set(conditions, READY, outcome == Outcome.READY, reason, message, generation);
        set(conditions, RECONCILING, outcome == Outcome.RECONCILING, reason, outcome == Outcome.RECONCILING ? message : "", generation);
        set(conditions, STALLED, outcome == Outcome.STALLED, reason, outcome == Outcome.STALLED ? message : "", generation);
    }

    /** The summary while a reconcile fails (API error, permission, quota) and is retried with backoff. */
    public void retrying(List<Condition> conditions, String cause, Long generation) {
        summary(conditions, Outcome.RECONCILING, RECONCILE_FAILED, retryingMessage(cause), generation);
    }

    /** What a failing reconcile says: its cause, and that it is retried. */
    public static String retryingMessage(String cause) {
        return cause + "; Runway retries with backoff.";
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }
}
