package dev.runway.operator.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Per-policy gauges (labels {@code namespace}, {@code policy}) that the BackupPolicy alert rules
 * evaluate, served with the operator's other metrics at /q/metrics. They are derived from the
 * policy's status, so after a restart they are back as soon as each policy is reconciled. A gauge
 * appears once its value is known (no success yet: no last-success series). Scrape the operator
 * with {@code honorLabels: true} so that {@code namespace} stays the policy's namespace.
 */
@ApplicationScoped
public class BackupMetrics {
    public static final String LAST_SUCCESS = "runway_backup_last_success_timestamp_seconds";
    public static final String LAST_FAILURE = "runway_backup_last_failure_timestamp_seconds";
    public static final String VERIFICATION_PASSED = "runway_backup_verification_passed";
    public static final String STALE_THRESHOLD = "runway_backup_stale_threshold_seconds";
    public static final String CREATED = "runway_backup_policy_created_timestamp_seconds";
    public static final String LAST_VERIFICATION_DURATION = "runway_backup_last_verification_duration_seconds";
    public static final String RECOVERY_TIME_OBJECTIVE = "runway_backup_recovery_time_objective_seconds";

    private final MeterRegistry registry;
    private final Map<ResourceID, PolicyGauges> policies = new ConcurrentHashMap<>();

    public BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the gauges of {@code policy} from its new status. */
    void record(BackupPolicy policy, BackupPolicyStatus status, Duration staleAfter) {
        PolicyGauges g = policies.computeIfAbsent(ResourceID.fromResource(policy), id -> new PolicyGauges(registry, id));
        g.set(CREATED, seconds(policy.getMetadata().getCreationTimestamp()), "When the BackupPolicy was created; BackupStale compares it while no backup has succeeded.");
        if (staleAfter != null) {
            g.set(STALE_THRESHOLD, staleAfter.toSeconds(),
                    "spec.objectives.recoveryPoint, else twice the longest interval between scheduled backups: an older newest backup is stale.");
        }
        if (status.lastSuccessfulBackupTime != null) {
            g.set(LAST_SUCCESS, seconds(status.lastSuccessfulBackupTime), "When the newest successful backup completed.");
        }
        if (status.lastFailure != null && status.lastFailure.failedAt != null) {
            g.set(LAST_FAILURE, seconds(status.lastFailure.failedAt), "When the newest failed backup failed.");
        }
        if (status.lastVerification != null) {
            g.set(VERIFICATION_PASSED, "Passed".equals(status.lastVerification.result) ? 1 : 0,
                    "1 when the newest verification restore passed, 0 when it failed.");
            if ("Passed".equals(status.lastVerification.result) && status.lastVerification.durationSeconds != null) {
                g.set(LAST_VERIFICATION_DURATION, status.lastVerification.durationSeconds,
                        "How long the newest passed verification took to restore the newest backup: the measured recovery time.");
            }
        }
        Objectives.recoveryTime(policy.getSpec()).ifPresentOrElse(
                rto -> g.set(RECOVERY_TIME_OBJECTIVE, rto.toSeconds(), "spec.objectives.recoveryTime: the longest a restore may take."),
                () -> g.unset(RECOVERY_TIME_OBJECTIVE));
    }

    /** Drops the gauges of policies that no longer exist. */
    void retainOnly(Predicate<ResourceID> exists) {
        policies.entrySet().removeIf(e -> {
            if (exists.test(e.getKey())) {
                return false;
            }
            e.getValue().remove();
            return true;
        });
    }

    /** The current value of a gauge, or NaN when it is not registered (tests, debugging). */
    public double value(String metric, String namespace, String policy) {
        PolicyGauges g = policies.get(new ResourceID(policy, namespace));
        return g == null ? Double.NaN : g.get(metric);
    }

    private static double seconds(String time) {
        return time == null ? Double.NaN : Instant.parse(time).getEpochSecond();
    }

    /** The gauges of one policy; each reads its value from here. */
    private static final class PolicyGauges {
        private final MeterRegistry registry;
        private final Tags tags;
        private final Map<String, Double> values = new ConcurrentHashMap<>();
        private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

        PolicyGauges(MeterRegistry registry, ResourceID id) {
            this.registry = registry;
            this.tags = Tags.of("namespace", id.getNamespace().orElse(""), "policy", id.getName());
        }

        void set(String metric, double value, String description) {
            values.put(metric, value);
            gauges.computeIfAbsent(metric, m -> {
                ToDoubleFunction<PolicyGauges> read = g -> g.get(m);
                return Gauge.builder(m, this, read).tags(tags).description(description).strongReference(true).register(registry);
            });
        }

        void unset(String metric) {
            values.remove(metric);
            Gauge gauge = gauges.remove(metric);
            if (gauge != null) {
                registry.remove(gauge);
            }
        }

        double get(String metric) {
            return values.getOrDefault(metric, Double.NaN);
        }

        void remove() {
            gauges.values().forEach(registry::remove);
        }
    }
}
