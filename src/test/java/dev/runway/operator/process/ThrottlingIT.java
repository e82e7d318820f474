package dev.runway.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
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
 * The API server throttles the operator: a proxy in front of it answers every write in one
 * namespace 429 (Deployments: 503) with {@code Retry-After} for a while. The operator's client waits as told before
 * each retry; once its retries and JOSDK's have run out, the configured max reconciliation
 * interval ({@code runway.max-reconciliation-interval}) brings the change in with no new event
 * (or, when a child's event arrived during the failing reconcile, JOSDK's rerun for that event does).
 * Those periodic reconciles of converged Applications write nothing.
 */
@Tag(Tiers.CLUSTER)
class ThrottlingIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(ThrottlingIT.class);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(20);
    private static final int RETRY_AFTER_SECONDS = 2;
    /** Longer than the client's retries of one reconcile (~8 s here), so only the max interval can end it. */
    private static final Duration WINDOW = Duration.ofSeconds(20);

    @Test
    void honoursRetryAfterAndRecoversWithinTheMaxReconciliationIntervalWithoutAnEvent() {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "throttle");
                FaultProxy proxy = FaultProxy.forTestCluster();
                OperatorProcess operator = OperatorRestartIT.operator("throttled", ns).kubeconfig(proxy.kubeconfig())
                        .property("runway.max-reconciliation-interval", MAX_INTERVAL.toSeconds() + "s")
                        // One client retry per request and no reconcile retry, so that they run out inside the window.
                        .property("quarkus.operator-sdk.controllers.application.retry.max-attempts", "0")
                        .property("kubernetes.request.retry.backoffLimit", "1")
                        // HTTP/1.1 to the plain-HTTP proxy, which does not speak HTTP/2.
                        .property("kubernetes.http2.disable", "true")
                        .build()) {
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            operator.start().awaitReady(OperatorRestartIT.STARTUP);
            fleet.create("steady", "registry.example/steady:1.0");
            fleet.create("changed", "registry.example/changed:1.0");
            fleet.awaitConverged(List.of("steady", "changed"), Duration.ofSeconds(120));

            // Converged, nothing happens to them: they are reconciled again within the interval
            // (slack for a loaded machine), and those reconciles write nothing.
            AuditLog.Mark quiet = audit.awaitQuiet(operator, Duration.ofSeconds(5), Duration.ofSeconds(60));
            double before = reconciles(operator, "steady");
            long start = System.nanoTime();
            ClusterTestSupport.await((int) MAX_INTERVAL.toSeconds() * 3).until(() -> reconciles(operator, "steady") >= before + 1);
            LOG.infof("periodic reconcile %d ms after the quiet mark (max interval %d s)", (System.nanoTime() - start) / 1_000_000,
                    MAX_INTERVAL.toSeconds());
            // This test's namespace only: an earlier test's namespace may still be terminating (the real
            // node's pods take their grace period), and its objects' failing writes are not this test's.
            assertThat(audit.writesBy(quiet, operator).stream().filter(e -> ns.name().equals(e.namespace())).toList())
                    .as("writes by periodic reconciles of converged Applications").isEmpty();

            // For the window, the API server is "unavailable" for Deployment writes (503) and
            // throttles every other write in the namespace (429), both with Retry-After.
            proxy.inject(503, RETRY_AFTER_SECONDS, WINDOW, FaultProxy.writesIn(ns.name(), "deployments"));
            proxy.inject(429, RETRY_AFTER_SECONDS, WINDOW, FaultProxy.writesIn(ns.name()));
            long injected = System.nanoTime();
            ClusterTestSupport.update(client, ns.name(), "changed", a -> a.getSpec().image = "registry.example/changed:2.0");
            ClusterTestSupport.await((int) (WINDOW.plus(MAX_INTERVAL).toSeconds() + 40))
                    .until(() -> fleet.deploymentImage("changed").equals("registry.example/changed:2.0"));
            Duration recovery = Duration.ofNanos(System.nanoTime() - injected);
            LOG.infof("change rolled out %d ms after the throttling began (window %d s, max reconciliation interval %d s)",
                    recovery.toMillis(), WINDOW.toSeconds(), MAX_INTERVAL.toSeconds());
            assertThat(recovery).as("rolled out only after the throttling ended, and within the max interval of it")
                    .isGreaterThan(WINDOW).isLessThan(WINDOW.plus(MAX_INTERVAL).plusSeconds(20));
            // The reconcile of the change failed inside the window. With no retry configured, JOSDK
            // then gives up ("Exhausted retries") and the max interval brings the change; if an event
            // of a child (its Deployment's status, say) came while the failing reconcile ran, JOSDK
            // runs it again for that event instead, and that run, or the max interval, brings it.
            String log = operator.log();
            assertThat(log).as("the reconcile of the change failed while the API server refused its writes")
                    .containsAnyOf("Exhausted retries", "superseding event has been received");
            LOG.infof("after the failed reconcile: %s", log.contains("Exhausted retries") ? "JOSDK gave up; the max interval brought the change"
                    : "a superseding event ran the reconcile again");

            // No request came back before the Retry-After of its 429 or 503 had passed.
            List<FaultProxy.Request> requests = proxy.requests();
            Map<String, FaultProxy.Request> throttled = new HashMap<>();
            int retried = 0;
            for (FaultProxy.Request r : requests) {
                String key = r.method() + " " + r.uri();
                FaultProxy.Request earlier = throttled.get(key);
                if (earlier != null) {
                    assertThat(Duration.ofNanos(r.nanos() - earlier.nanos())).as("%s again after a %d; its requests (ms since the first, status): %s",
                            key, earlier.injected(), timeline(requests, key))
                            .isGreaterThanOrEqualTo(Duration.ofMillis(RETRY_AFTER_SECONDS * 1000L - 50));
                    retried++;
                }
                if (r.injected() != 0) {
                    throttled.put(key, r);
                } else {
                    throttled.remove(key);
                }
            }
            assertThat(requests).filteredOn(r -> r.injected() == 429).as("throttled requests").isNotEmpty();
            assertThat(requests).filteredOn(r -> r.injected() == 503).as("Deployment writes answered 503").isNotEmpty();
            assertThat(retried).as("requests retried after a 429 or 503").isPositive();
            fleet.awaitConverged(List.of("steady", "changed"), Duration.ofSeconds(60));
        }
    }

    private static List<String> timeline(List<FaultProxy.Request> requests, String key) {
        long first = requests.get(0).nanos();
        return requests.stream().filter(r -> key.equals(r.method() + " " + r.uri()))
                .map(r -> (r.nanos() - first) / 1_000_000 + " " + r.injected()).toList();
    }

    /** JOSDK's count of reconciles of the Application {@code app} (per-resource series, which the process has on). */
    private static double reconciles(OperatorProcess operator, String app) {
        return operator.metrics().lines()
                .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total{") && l.contains("name=\"" + app + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
