package dev.runway.operator.cluster;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.conditionReason;
import static dev.runway.operator.testing.ClusterTestSupport.update;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.quarkus.test.junit.QuarkusTest;

/**
 * spec.monitoring on the local control plane (which serves the Prometheus Operator's CRDs): the
 * ServiceMonitor and the {@code <app>-slo} PrometheusRule are created, owned by the Application,
 * and follow the spec.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class ApplicationMonitoringTest {
    static KubernetesClient client;
    TestNamespace ns;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void namespace() {
        ns = TestNamespace.create(client, "app-monitoring");
    }

    @AfterEach
    void cleanup() {
        ns.close();
    }

    @Test
    void monitoringCreatesOwnedServiceMonitorAndRuleAndRemovingAlertsDeletesTheRule() {
        client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop}
                spec:
                  image: example.com/shop:1
                  monitoring:
                    serviceMonitor: true
                    metricsPath: /prom
                    alerts: {errorRatePercent: 0.5, latencyP95Ms: 300}
                """)).create();
        Application app = waitFor(client, ns.name(), "shop", 90,
                a -> condition(a, "Ready", "True") && condition(a, ConditionTypes.MONITORING, "True"));
        assertThat(conditionReason(app, ConditionTypes.MONITORING, "MonitoringConfigured")).isTrue();

        var monitors = client.resources(ServiceMonitor.class).inNamespace(ns.name());
        var rules = client.resources(PrometheusRule.class).inNamespace(ns.name());
        ServiceMonitor monitor = monitors.withName("shop").get();
        assertOwnedBy(monitor, app);
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPath()).isEqualTo("/prom");
            assertThat(e.getPort()).isEqualTo("http");
        });
        // The selector finds the app's Service, and only it.
        var selected = client.services().inNamespace(ns.name()).withLabels(monitor.getSpec().getSelector().getMatchLabels())
                .list().getItems();
        assertThat(selected).extracting(s -> s.getMetadata().getName()).containsExactly("shop");

        PrometheusRule rule = rules.withName("shop-slo").get();
        assertOwnedBy(rule, app);
        assertThat(rule.getSpec().getGroups()).singleElement().satisfies(g -> assertThat(g.getRules())
                .extracting(Rule::getAlert)
                .contains("ErrorBudgetBurnFast", "ErrorBudgetBurnSlow", "ErrorBudgetBurnSteady", "LatencyP95High",
                        "ReplicasUnavailable", "PodCrashLooping")
                .doesNotContain("LatencyP99High"));
        Rule fast = rule.getSpec().getGroups().get(0).getRules().stream().filter(r -> "ErrorBudgetBurnFast".equals(r.getAlert()))
                .findFirst().orElseThrow();
        assertThat(fast.getExpr().getStrVal()).contains("> 0.072"); // 14.4 × 0.5%

        update(client, ns.name(), "shop", a -> a.getSpec().monitoring.alerts = null);
        await(30).untilAsserted(() -> assertThat(rules.withName("shop-slo").get()).isNull());
        assertThat(monitors.withName("shop").get()).as("the ServiceMonitor stays while serviceMonitor is true").isNotNull();

        update(client, ns.name(), "shop", a -> a.getSpec().monitoring = null);
        await(30).untilAsserted(() -> assertThat(monitors.withName("shop").get()).isNull());
        Application after = waitFor(client, ns.name(), "shop", 30,
                a -> a.getStatus().conditions.stream().noneMatch(c -> ConditionTypes.MONITORING.equals(c.getType())));
        assertThat(condition(after, "Ready", "True")).isTrue();
    }

    private static void assertOwnedBy(HasMetadata child, Application app) {
        assertThat(child).as("child of %s", app.getMetadata().getName()).isNotNull();
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Application");
            assertThat(o.getUid()).isEqualTo(app.getMetadata().getUid());
        });
    }
}
