package dev.runway.operator.common;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * JOSDK's reconcile metrics (operator_sdk_*) bound to Quarkus' registry before the operator starts.
 * Quarkus Operator SDK's default provider hands the operator its Metrics before the registry has
 * bound it when the packaged jar starts, and the operator then keeps the no-op instance: the prod
 * jar exposed no reconcile metrics at all. Asking for the registry here orders the two.
 */
public class ReconcileMetrics {

    @Produces
    @Singleton
    Metrics reconcileMetrics(MeterRegistry registry, RunwayConfig config) {
        var builder = MicrometerMetrics.newMicrometerMetricsBuilder(registry);
        return config.metrics().perResource() ? builder.collectingMetricsPerResource().build()
                : builder.notCollectingMetricsPerResource().build();
    }

    /**
     * Per-resource series of a cluster-scoped kind (Environment) carry no namespace tag, a
     * namespaced kind's do; the Prometheus registry keeps one set of tag keys per name and dropped
     * the other kind's series. This gives the cluster-scoped ones an empty namespace, so both show.
     */
    @Produces
    @Singleton
    MeterFilter clusterScopedNamespace() {
        return CLUSTER_SCOPED_NAMESPACE;
    }

    public static final MeterFilter CLUSTER_SCOPED_NAMESPACE = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            if (id.getName().startsWith("operator.sdk.") && id.getTag("scope") != null && id.getTag("namespace") == null) {
                return id.withTag(Tag.of("namespace", ""));
            }
            return id;
        }
    };
}
