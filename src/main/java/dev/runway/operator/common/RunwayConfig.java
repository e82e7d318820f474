package dev.runway.operator.common;

import java.time.Duration;
import java.util.List;
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

    /** The operator's own metrics at /q/metrics. */
    Metrics metrics();

    /**
     * Every resource of every kind is reconciled at least this often, with or without an event
     * (JOSDK's max reconciliation interval; its own default is 10 h). A change that could not be
     * applied and whose retries ran out (API server throttling or away) lands by the next one at
     * the latest. Such a reconcile of a converged resource writes nothing. application.properties
     * hands this value to each controller's {@code max-reconciliation-interval}.
     */
    @WithDefault("10m")
    Duration maxReconciliationInterval();

    /**
     * The shard this operator deployment reconciles ({@link Shard}): the Applications, BackupPolicies,
     * MigrationJobs and Restores labelled {@code runway.dev/shard=<shard>}. Empty: the default shard,
     * which reconciles the unlabelled ones and every Environment. A DNS label (lowercase letters,
     * digits, '-'; at most 40 characters), as it also names the shard's Lease.
     */
    Optional<String> shard();

    /** The key of the Applications' config hashes ({@link ConfigHashKey}). */
    ConfigHash configHash();

    interface ConfigHash {
        /** Namespace of the key Secret; empty: the client's namespace (the pod's own, in-cluster). */
        Optional<String> keyNamespace();
    }

    /** Who may be given what through an Environment (docs/tenancy.md). */
    Tenancy tenancy();

    interface Tenancy {
        /**
         * Namespaces no Environment may create, adopt or bind roles in, besides {@code default},
         * {@code kube-*} and the operator's own (comma-separated).
         */
        Optional<List<String>> protectedNamespaces();

        /** The operator's own namespace; empty: the client's namespace (the pod's own, in-cluster). */
        Optional<String> operatorNamespace();
    }

    interface Metrics {
        /**
         * Also keep JOSDK's reconcile counters per resource (labels with each resource's name): one
         * series set per object, so off by default; the tests turn it on to count one object's reconciles.
         */
        @WithDefault("false")
        boolean perResource();
    }

    /**
     * The Lease the chart's replicas elect a leader with (prod profile only). Part of this mapping so
     * that -Drunway.leader-election.* system properties pass the mapping's unknown-property check.
     */
    LeaderElection leaderElection();

    interface LeaderElection {
        /** The Lease's name; a named shard's replicas elect on {@code <leaseName>-<shard>} ({@link Shard}). */
        @WithDefault("runway-operator-lock")
        String leaseName();

        /** Namespace of the Lease; empty: the client's namespace (the pod's own, in-cluster). */
        Optional<String> leaseNamespace();

        /** How long a Lease holds without renewal: the longest a standby waits after the leader dies. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** The leader gives up leadership when it could not renew for this long. */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often candidates try to acquire and the leader renews. */
        @WithDefault("2s")
        Duration retryPeriod();

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
