package dev.runway.operator.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's own settings (runway.* properties; environment variables RUNWAY_* in the Helm chart). */
@ConfigMapping(prefix = "runway")
public interface RunwayConfig {

    /** Prometheus, for blue-green analysis. */
    Prometheus prometheus();

    /** Metric names the generated SLO alert rules read from the Applications. */
    Monitoring monitoring();

    interface Monitoring {
        /** Request counter with a {@code code} label (HTTP status); 5xx count as errors. */
        @WithDefault("http_requests_total")
        String requestsMetric();

        /** Request-duration histogram buckets (seconds, {@code le} label) for the p95/p99 latency alerts. */
        @WithDefault("http_request_duration_seconds_bucket")
        String latencyMetric();
    }

    interface Prometheus {
        /** Address Argo Rollouts' analysis queries, e.g. http://prometheus-operated.monitoring.svc:9090. */
        @WithDefault("http://prometheus-operated.monitoring.svc:9090")
        String address();
    }
}
