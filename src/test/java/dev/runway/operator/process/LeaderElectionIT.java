package dev.runway.operator.process;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.ApplicationFleet;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * Two operator processes on one Lease, as the chart's two replicas: only the leader writes; when
 * it dies the standby takes over within 20 s, and no object is written by both in turns.
 */
@Tag(Tiers.CLUSTER)
class LeaderElectionIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(LeaderElectionIT.class);
    private static final String LEASE = "runway-operator-lock";

    @Test
    void onlyTheLeaderWritesAndTheStandbyTakesOverWithinTwentySecondsOfItsDeath() {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "leader");
                OperatorProcess a = candidate("leader-a", ns);
                OperatorProcess b = candidate("leader-b", ns)) {
            AuditLog.Mark start = audit.mark();
            a.start().awaitReady(OperatorRestartIT.STARTUP);
            String leader = await(60).until(() -> holder(ns), h -> h != null && !h.isBlank());
            b.start();
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            List<String> apps = fleet.names(5);
            for (int i = 0; i < apps.size(); i++) {
                fleet.create(i);
            }
            fleet.awaitConverged(apps, Duration.ofSeconds(120));
            // The standby is up (its HTTP endpoints answer) and still has written nothing.
            await(120).until(() -> b.health("live") == 200);
            ClusterTestSupport.update(client, ns.name(), fleet.name(0), app -> app.getSpec().replicas = 2);
            fleet.awaitConverged(apps, Duration.ofSeconds(60));
            assertThat(holder(ns)).as("the first process leads").isEqualTo(leader);
            assertThat(audit.writesBy(start, a)).as("the leader reconciles").isNotEmpty();
            // Its start-up permission check (a SelfSubjectRulesReview, a query sent as a create) is not a write.
            assertThat(audit.writesBy(start, b)).as("the standby writes nothing (its Lease attempts are not audited)")
                    .allSatisfy(e -> assertThat(e.resource()).isEqualTo("selfsubjectrulesreviews"));

            a.kill();
            long killed = System.nanoTime();
            ClusterTestSupport.update(client, ns.name(), fleet.name(1), app -> app.getSpec().image = "registry.example/app:2.0");
            await(20).until(() -> !leader.equals(holder(ns)) && fleet.deploymentImage(fleet.name(1)).equals("registry.example/app:2.0"));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            LOG.infof("leader %s killed; %s took over and rolled out a change %d ms later", leader, holder(ns), takeover.toMillis());
            assertThat(takeover).isLessThan(Duration.ofSeconds(20));
            fleet.awaitConverged(apps, Duration.ofSeconds(60));

            // Per object, the writers in order: one instance, then the other, never back and forth.
            Map<String, List<String>> writers = new LinkedHashMap<>();
            for (AuditLog.Entry e : audit.since(start, e -> e.namespace().equals(ns.name())
                    && (e.userAgent().startsWith(a.userAgent()) || e.userAgent().startsWith(b.userAgent())))) {
                String who = e.userAgent().startsWith(a.userAgent()) ? a.name() : b.name();
                List<String> sequence = writers.computeIfAbsent(e.resource() + "/" + e.subresource() + "/" + e.name(), k -> new ArrayList<>());
                if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(who)) {
                    sequence.add(who);
                }
            }
            assertThat(writers).allSatisfy((object, sequence) -> assertThat(sequence).as(object).isIn(
                    List.of(a.name()), List.of(b.name()), List.of(a.name(), b.name())));
            assertThat(writers.get("deployments//" + fleet.name(1))).containsExactly(a.name(), b.name());
        }
    }

    private static OperatorProcess candidate(String name, TestNamespace ns) {
        // Short Lease timings: a standby waits at most the lease duration after the leader's death.
        return OperatorRestartIT.operator(name, ns)
                .property("runway.leader-election.lease-duration", "6s")
                .property("runway.leader-election.renew-deadline", "4s")
                .property("runway.leader-election.retry-period", "1s")
                .build();
    }

    private static String holder(TestNamespace ns) {
        Lease lease = client.leases().inNamespace(ns.name()).withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

}
