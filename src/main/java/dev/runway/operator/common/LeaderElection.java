package dev.runway.operator.common;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Leader election through a coordination.k8s.io Lease, so that only one of the chart's replicas
 * reconciles while the others wait warm. Quarkus Operator SDK uses this bean only in the profiles
 * of {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (default: prod), so tests
 * and dev mode run without a Lease.
 *
 * <p>A leader that loses its Lease exits so that it restarts as a clean follower, but not through
 * JOSDK's own exit: that one calls System.exit also when leadership ends because the process is
 * already stopping (SIGTERM), and System.exit inside a shutdown blocks forever — the pod then hung
 * until the kubelet's SIGKILL. Here the exit is asked of Quarkus, and only when no shutdown is under way.
 */
@ApplicationScoped
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElection(RunwayConfig config, Shard shard, KubernetesClient client) {
        RunwayConfig.LeaderElection settings = config.leaderElection();
        // Each shard's replicas elect their own leader: the shards run side by side.
        String leaseName = shard.leaseName(settings.leaseName());
        // exitOnStopLeading: false only where the operator is embedded, as in a test JVM that stops
        // an operator electing a leader and carries on.
        var builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.infof("Leading on Lease %s: this replica reconciles", leaseName),
                        () -> stoppedLeading(settings.exitOnStopLeading()), leader -> {
                        }));
        builder.withLeaseNamespace(leaseNamespace(settings.leaseNamespace(), client.getNamespace()));
        return builder.build();
    }

    /**
     * The configured namespace; else the client's (the pod's own, in-cluster, or the kubeconfig
     * context's); else {@code default}: a jar started outside a pod with a kubeconfig that names no
     * namespace (make run, make demo) would otherwise fail to start ("Lease namespace is not set").
     */
    static String leaseNamespace(java.util.Optional<String> configured, String clientNamespace) {
        return configured.filter(ns -> !ns.isBlank())
                .or(() -> java.util.Optional.ofNullable(clientNamespace).filter(ns -> !ns.isBlank()))
                .orElseGet(() -> {
                    LOG.info("No namespace for the leader-election Lease configured or inferred: using 'default'");
                    return "default";
                });
    }

    /** Runs before the operator is stopped (a lower priority value is notified first). */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown.set(true);
    }

    private void stoppedLeading(boolean exit) {
        if (shuttingDown.get()) {
            return;
        }
        if (exit) {
            LOG.warn("Lost the leader-election Lease: exiting so that this replica restarts as a follower");
            Quarkus.asyncExit(1);
        } else {
            LOG.warn("Lost the leader-election Lease; configured not to exit");
        }
    }
}
