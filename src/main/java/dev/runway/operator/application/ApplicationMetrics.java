package dev.runway.operator.application;

import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code runway_applications{phase}}: how many Applications are in each phase, counted from the
 * controller's informer cache when Prometheus scrapes (no API calls, no per-reconcile work).
 */
@ApplicationScoped
public class ApplicationMetrics {
    private volatile Supplier<Stream<Application>> applications = Stream::empty;

    public ApplicationMetrics(MeterRegistry registry) {
        for (Phase phase : Phase.values()) {
            Gauge.builder("runway_applications", () -> count(phase))
                    .description("Applications by phase, from the operator's cache")
                    .tag("phase", phase.name())
                    .register(registry);
        }
    }

    /** Called once the controller's primary cache exists. */
    void countFrom(Supplier<Stream<Application>> cache) {
        this.applications = cache;
    }

    private double count(Phase phase) {
        return applications.get().filter(a -> a.getStatus() != null && a.getStatus().phase == phase).count();
    }
}
