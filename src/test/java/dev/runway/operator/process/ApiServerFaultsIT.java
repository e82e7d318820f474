package dev.runway.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.ApplicationFleet;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.ControlPlaneFaults;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;

/**
 * The API server goes away while Applications converge, and etcd's history is compacted meanwhile,
 * so the operator's watches resume from a resourceVersion that is gone (410): it reports not-ready
 * while its informers are broken, relists, finishes the work, stays up and deletes nothing.
 */
@Tag(Tiers.CLUSTER)
class ApiServerFaultsIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(ApiServerFaultsIT.class);

    @Test
    void survivesAnApiServerRestartAndExpiredWatchesWithoutCrashingOrDeleting() {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "apiserver");
                OperatorProcess operator = OperatorRestartIT.operator("apiserver-restart", ns)
                        // The outage (stop, samples, compaction, start) outlasts the default 10 s renew
                        // deadline, after which a leader ends itself on purpose (see docs/reliability.md).
                        .property("runway.leader-election.lease-duration", "90s")
                        .property("runway.leader-election.renew-deadline", "75s")
                        .property("quarkus.log.category.\"io.fabric8.kubernetes.client.informers\".level", "DEBUG")
                        .build()) {
            AuditLog.Mark start = audit.mark();
            operator.start().awaitReady(OperatorRestartIT.STARTUP);
            long pid = operator.pid();
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            List<String> apps = fleet.names(20);
            for (int i = 0; i < apps.size(); i++) {
                fleet.create(i);
            }
            ClusterTestSupport.await(60).until(() -> !fleet.convergedNames().isEmpty());

            ControlPlaneFaults.stopApiServer();
            long down = System.nanoTime();
            List<Integer> readiness = new ArrayList<>();
            ClusterTestSupport.await(60).pollInterval(Duration.ofMillis(500)).until(() -> {
                readiness.add(operator.health("ready"));
                return readiness.contains(503);
            });
            LOG.infof("during the outage /q/health/ready answered %s", readiness);
            LOG.info(ControlPlaneFaults.compactEtcd().trim());
            ControlPlaneFaults.startApiServer();
            LOG.infof("API server down for %d ms", (System.nanoTime() - down) / 1_000_000);

            ClusterTestSupport.await(120).until(() -> operator.health("ready") == 200);
            fleet.awaitConverged(apps, Duration.ofSeconds(180));
            assertThat(operator.isAlive()).isTrue();
            assertThat(operator.pid()).as("the same process, never restarted").isEqualTo(pid);
            assertThat(operator.log()).as("the operator's watches saw 410 Gone and relisted").containsIgnoringCase("http gone");
            assertThat(audit.writesBy(start, operator)).as("nothing deleted").noneMatch(e -> e.verb().equals("delete")
                    || e.verb().equals("deletecollection"));
        }
    }
}
