package dev.runway.operator.common;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

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
}
