package dev.runway.operator.common;

import java.util.List;

/**
 * A change between two statuses worth an Event: every kind's status factory names its transitions,
 * and {@link #record} turns them into Events the same way.
 *
 * @param warning whether the Event is a Warning (else Normal)
 */
public record Transition(boolean warning, String reason, String message) {

    /** Records one Event per transition on {@code on}. */
    public static void record(EventRecorder events, io.fabric8.kubernetes.api.model.HasMetadata on, List<Transition> transitions) {
        for (Transition t : transitions) {
            if (t.warning()) {
                events.warning(on, t.reason(), t.message());
            } else {
                events.normal(on, t.reason(), t.message());
            }
        }
    }
}
