package dev.runway.operator.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

/**
 * Leader election through a coordination.k8s.io Lease, so that only one of the chart's replicas
 * reconciles while the others wait warm. Quarkus Operator SDK uses this bean only in the profiles
 * of {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (default: prod), so tests
 * and dev mode run without a Lease.
 */
@ApplicationScoped
public class LeaderElection {

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElection(RunwayConfig config) {
        RunwayConfig.LeaderElection settings = config.leaderElection();
        // exitOnStopLeading: false only where the operator is embedded, as in a test JVM that stops
        // an operator electing a leader and carries on.
        var builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withExitOnStopLeading(settings.exitOnStopLeading());
        // Without a namespace the Lease goes to the client's namespace (the pod's own, in-cluster).
        settings.leaseNamespace().filter(ns -> !ns.isBlank()).ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }
}
