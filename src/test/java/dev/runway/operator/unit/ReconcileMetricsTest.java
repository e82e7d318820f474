package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.common.ReconcileMetrics;
import dev.runway.operator.testing.Tiers;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** Per-resource reconcile counters of a cluster-scoped and a namespaced kind both reach the scrape. */
@Tag(Tiers.UNIT)
class ReconcileMetricsTest {
    @Test
    void clusterScopedAndNamespacedSeriesShareOneSetOfLabels() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(ReconcileMetrics.CLUSTER_SCOPED_NAMESPACE);
        registry.counter("operator.sdk.reconciliations.started", "kind", "Application", "name", "shop", "namespace", "prod",
                "scope", "namespace").increment();
        registry.counter("operator.sdk.reconciliations.started", "kind", "Environment", "name", "staging", "scope", "cluster").increment();
        String scrape = registry.scrape();
        assertThat(scrape).contains("name=\"shop\"").contains("name=\"staging\"");
        assertThat(scrape).containsPattern("operator_sdk_reconciliations_started_total\\{.*name=\"staging\",namespace=\"\"");
    }
}
