package dev.runway.operator.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** How many reconciles of one resource JOSDK's Micrometer metrics have counted. */
public final class ReconcileCounter {
    private ReconcileCounter() {
    }

    public static double started(MeterRegistry registry, String namespace, String name) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().endsWith("reconciliations.started"))
                .filter(m -> hasTagValue(m, namespace) && hasTagValue(m, name))
                .filter(m -> m instanceof Counter)
                .mapToDouble(m -> ((Counter) m).count())
                .sum();
    }

    private static boolean hasTagValue(Meter meter, String value) {
        return meter.getId().getTags().stream().anyMatch(t -> value.equals(t.getValue()));
    }
}
