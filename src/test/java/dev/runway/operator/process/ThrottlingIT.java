package dev.runway.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.ApplicationFleet;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FaultProxy;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;

/**
 * The API server throttles the operator (429 with Retry-After, through a proxy): the client waits
 * as told; once the retries have run out, the max reconciliation interval brings the change in
 * without any new event; and that periodic reconcile writes nothing on a converged Application.
 */
@Tag(Tiers.CLUSTER)
class ThrottlingIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(ThrottlingIT.class);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(20);
    private static final int RETRY_AFTER = 2;

    @Test
    @Disabled("unfinished: with quarkus.operator-sdk.controllers.application.max-reconciliation-interval=20s passed to the "
            + "process, no further reconcile of the converged Application was counted within 100 s; not yet diagnosed "
            + "(the property not taking effect, or the counter read); see docs/reliability.md")
    void periodicReconcilesWithinTheMaxIntervalWriteNothingOnConvergedApplications() {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "periodic");
                OperatorProcess operator = OperatorRestartIT.operator("periodic", ns)
                        .property("quarkus.operator-sdk.controllers.application.max-reconciliation-interval", MAX_INTERVAL.toSeconds() + "s")
                        .build()) {
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            operator.start().awaitReady(OperatorRestartIT.STARTUP);
            fleet.create("steady", "registry.example/steady:1.0");
            fleet.awaitConverged(List.of("steady"), Duration.ofSeconds(120));
            AuditLog.Mark quiet = audit.mark();
            double before = reconciles(operator, "steady");
            long start = System.nanoTime();
            // Nothing happens to it, yet it is reconciled again within the interval (plus slack for a loaded machine)...
            ClusterTestSupport.await((int) MAX_INTERVAL.toSeconds() * 5).until(() -> reconciles(operator, "steady") >= before + 1);
            LOG.infof("a periodic reconcile %d ms later (max interval %d s; %s reconciles before)", (System.nanoTime() - start) / 1_000_000,
                    MAX_INTERVAL.toSeconds(), before);
            // ...and those reconciles write nothing.
            assertThat(audit.writesBy(quiet, operator)).as("writes by periodic reconciles of a converged Application").isEmpty();
        }
    }

    @Test
    @Disabled("unfinished: the operator process never became ready through FaultProxy (its informers' first lists "
            + "did not complete through the proxy, while curl lists and watches through it work); see docs/reliability.md")
    void honoursRetryAfterAndRecoversWithinTheMaxReconciliationIntervalWithoutAnEvent() {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "throttle");
                FaultProxy proxy = FaultProxy.forTestCluster();
                OperatorProcess operator = OperatorRestartIT.operator("throttled", ns).kubeconfig(proxy.kubeconfig())
                        .property("quarkus.operator-sdk.controllers.application.max-reconciliation-interval", MAX_INTERVAL.toSeconds() + "s")
                        // Few retries, so that they run out inside the fault window.
                        .property("quarkus.operator-sdk.controllers.application.retry.max-attempts", "1")
                        .property("kubernetes.request.retry.backoffLimit", "2")
                        // HTTP/1.1 to the plain-HTTP proxy: no h2c upgrade attempts.
                        .property("kubernetes.http2.disable", "true")
                        .build()) {
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            operator.start().awaitReady(OperatorRestartIT.STARTUP);
            fleet.create("steady", "registry.example/steady:1.0");
            fleet.create("changed", "registry.example/changed:1.0");
            fleet.awaitConverged(List.of("steady", "changed"), Duration.ofSeconds(120));

            // Periodic reconciles of converged Applications: they happen, and write nothing.
            AuditLog.Mark quiet = audit.mark();
            double before = reconciles(operator, "steady");
            ClusterTestSupport.await((int) MAX_INTERVAL.toSeconds() * 3)
                    .until(() -> reconciles(operator, "steady") >= before + 1);
            assertThat(audit.writesBy(quiet, operator)).as("writes by periodic reconciles of converged Applications").isEmpty();

            // Throttled: every write in the namespace answered 429 for a while.
            Duration window = Duration.ofSeconds(15);
            proxy.inject(429, RETRY_AFTER, window, FaultProxy.writesIn(ns.name()));
            long injected = System.nanoTime();
            ClusterTestSupport.update(client, ns.name(), "changed", a -> a.getSpec().image = "registry.example/changed:2.0");
            ClusterTestSupport.await((int) (window.toSeconds() + MAX_INTERVAL.toSeconds() + 30))
                    .until(() -> fleet.deploymentImage("changed").equals("registry.example/changed:2.0"));
            long recovered = System.nanoTime();
            LOG.infof("change rolled out %d ms after the throttling began (window %d s, max reconciliation interval %d s)",
                    (recovered - injected) / 1_000_000, window.toSeconds(), MAX_INTERVAL.toSeconds());
            assertThat(Duration.ofNanos(recovered - injected)).as("only after the throttling ended").isGreaterThan(window)
                    .isLessThan(window.plus(MAX_INTERVAL).plusSeconds(15));

            // No client came back before its Retry-After had elapsed.
            List<FaultProxy.Request> requests = proxy.requests();
            Map<String, FaultProxy.Request> throttled = new HashMap<>();
            int retried = 0;
            for (FaultProxy.Request r : requests) {
                String key = r.method() + " " + r.uri();
                FaultProxy.Request earlier = throttled.get(key);
                if (earlier != null) {
                    assertThat(Duration.ofNanos(r.nanos() - earlier.nanos())).as("%s again after a 429", key)
                            .isGreaterThanOrEqualTo(Duration.ofMillis(RETRY_AFTER * 1000L - 50));
                    retried++;
                }
                if (r.injected() == 429) {
                    throttled.put(key, r);
                } else {
                    throttled.remove(key);
                }
            }
            assertThat(requests).filteredOn(r -> r.injected() == 429).as("throttled requests").isNotEmpty();
            assertThat(retried).as("requests retried after a 429").isPositive();
            fleet.awaitConverged(List.of("steady", "changed"), Duration.ofSeconds(60));
        }
    }

    private static double reconciles(OperatorProcess operator, String app) {
        return operator.metrics().lines()
                .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total{") && l.contains("\"" + app + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

}
