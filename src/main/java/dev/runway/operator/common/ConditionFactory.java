package dev.runway.operator.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Builds standard {@code metav1.Condition}s. {@code lastTransitionTime} moves only when the status
 * of a condition really changes, so a reconcile that finds nothing new writes nothing new.
 */
public final class ConditionFactory {
    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

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

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }
}
