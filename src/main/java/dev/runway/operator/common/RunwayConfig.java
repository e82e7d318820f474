package dev.runway.operator.common;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's own settings (runway.* properties; environment variables RUNWAY_* in the Helm chart). */
@ConfigMapping(prefix = "runway")
public interface RunwayConfig {

    /** Prometheus, for blue-green analysis. */
    Prometheus prometheus();

    /** Metric names the generated SLO alert rules read from the Applications. */
    Monitoring monitoring();

    /**
     * The Lease the chart's replicas elect a leader with (prod profile only). Part of this mapping so
     * that -Drunway.leader-election.* system properties pass the mapping's unknown-property check.
     */
    LeaderElection leaderElection();

    interface LeaderElection {
        @WithDefault("runway-operator-lock")
        String leaseName();

        /** Default: the client's namespace (the pod's own, in-cluster). */
        Optional<String> leaseNamespace();

        /** A replica that lost the Lease exits, so it restarts as a clean follower. */
        @WithDefault("true")
        boolean exitOnStopLeading();
    }

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
