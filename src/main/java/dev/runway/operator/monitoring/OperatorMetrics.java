package dev.runway.operator.monitoring;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.api.v1alpha1.RunwayStatus;
import dev.runway.operator.common.ConditionFactory;
import io.fabric8.kubernetes.client.CustomResource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges of how many Runway resources are in which state, counted from each controller's informer
 * cache when Prometheus scrapes (no API calls, no per-reconcile work). Until a controller has
 * handed over its cache the gauges of its kind read 0.
 * <ul>
 * <li>{@value #APPLICATIONS}{@code {phase}}: Applications by status.phase;</li>
 * <li>{@value #MIGRATION_JOBS}{@code {phase}}: MigrationJobs by status.phase (Failed and RolledBack are the failed ones);</li>
 * <li>{@value #BACKUP_POLICIES_NOT_FRESH}: BackupPolicies whose BackupsFresh condition is False;</li>
 * <li>{@value #STALLED}{@code {kind}}: resources of each kind whose Stalled condition is True (they need a human).</li>
 * </ul>
 */
@ApplicationScoped
public class OperatorMetrics {
    public static final String APPLICATIONS = "runway_applications";
    public static final String MIGRATION_JOBS = "runway_migrationjobs";
    public static final String BACKUP_POLICIES_NOT_FRESH = "runway_backuppolicies_not_fresh";
    public static final String STALLED = "runway_resources_stalled";

    private final Map<Class<?>, Supplier<? extends Stream<? extends CustomResource<?, ? extends RunwayStatus>>>> caches = new ConcurrentHashMap<>();

    public OperatorMetrics(MeterRegistry registry) {
        phases(registry, APPLICATIONS, "Applications by phase, from the operator's cache",
                Application.class, ApplicationStatus.Phase.values(), a -> a.getStatus().phase);
        phases(registry, MIGRATION_JOBS, "MigrationJobs by phase, from the operator's cache (Failed and RolledBack: the migration failed)",
                MigrationJob.class, MigrationJobStatus.Phase.values(), m -> m.getStatus().phase);
        Gauge.builder(BACKUP_POLICIES_NOT_FRESH, () -> count(BackupPolicy.class,
                        s -> ConditionFactory.find(s.conditions, ConditionTypes.BACKUPS_FRESH).filter(c -> ConditionFactory.FALSE.equals(c.getStatus())).isPresent()))
                .description("BackupPolicies whose newest successful backup is older than their limit (spec.objectives.recoveryPoint, else twice the schedule interval; BackupsFresh=False)")
                .register(registry);
        for (Class<?> kind : new Class<?>[] { Application.class, Environment.class, BackupPolicy.class, MigrationJob.class }) {
            Gauge.builder(STALLED, () -> count(kind, s -> ConditionFactory.isTrue(s.conditions, ConditionFactory.STALLED)))
                    .description("Runway resources whose Stalled condition is True: progress needs a human")
                    .tag("kind", kind.getSimpleName())
                    .register(registry);
        }
    }

    /** Called by each controller once its primary cache exists. */
    public <R extends CustomResource<?, ? extends RunwayStatus>> void countFrom(Class<R> kind, Supplier<Stream<R>> cache) {
        caches.put(kind, cache);
    }

    private <R extends CustomResource<?, S>, S extends RunwayStatus, P extends Enum<P>> void phases(MeterRegistry registry, String name,
            String description, Class<R> kind, P[] phases, Function<R, P> phaseOf) {
        for (P phase : phases) {
            Gauge.builder(name, () -> resources(kind).filter(r -> r.getStatus() != null && phaseOf.apply(kind.cast(r)) == phase).count())
                    .description(description)
                    .tag("phase", phase.name())
                    .register(registry);
        }
    }

    private double count(Class<?> kind, Predicate<RunwayStatus> matches) {
        return resources(kind).filter(r -> r.getStatus() != null && matches.test(r.getStatus())).count();
    }

    private Stream<? extends CustomResource<?, ? extends RunwayStatus>> resources(Class<?> kind) {
        var cache = caches.get(kind);
        return cache == null ? Stream.empty() : cache.get();
    }
}
