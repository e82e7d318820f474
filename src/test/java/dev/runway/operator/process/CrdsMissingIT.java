package dev.runway.operator.process;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.conditionReason;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.ApplicationFleet;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.ControlPlaneFaults;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * Argo Rollouts' and the Prometheus Operator's CRDs are absent when the operator starts: it starts
 * and is ready, RollingUpdate Applications converge, a BlueGreen one and a monitored one say why
 * they cannot; once the CRDs are installed, they converge without an operator restart.
 */
@Tag(Tiers.CLUSTER)
class CrdsMissingIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(CrdsMissingIT.class);

    @Test
    void startsWithoutOptionalCrdsAndPicksThemUpWhenInstalled() {
        List<CustomResourceDefinition> thirdParty = client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .filter(crd -> crd.getSpec().getGroup().equals("argoproj.io") || crd.getSpec().getGroup().equals("monitoring.coreos.com"))
                .toList();
        assertThat(thirdParty).as("the test cluster has the optional CRDs to take away").isNotEmpty();
        try (TestNamespace ns = TestNamespace.create(client, "no-crds");
                OperatorProcess operator = OperatorRestartIT.operator("no-crds", ns).build()) {
            thirdParty.forEach(crd -> client.resource(crd).withTimeout(60, java.util.concurrent.TimeUnit.SECONDS).delete());
            await(60).until(() -> client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                    .noneMatch(crd -> thirdParty.stream().anyMatch(t -> t.getMetadata().getName().equals(crd.getMetadata().getName()))));
            try {
                operator.start().awaitReady(OperatorRestartIT.STARTUP);
                ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
                fleet.create("rolling", "registry.example/rolling:1.0");
                create(ns, """
                        apiVersion: runway.dev/v1alpha1
                        kind: Application
                        metadata: {name: blue}
                        spec: {image: "registry.example/blue:1.0", replicas: 1, strategy: {type: BlueGreen, blueGreen: {}}}
                        """);
                create(ns, """
                        apiVersion: runway.dev/v1alpha1
                        kind: Application
                        metadata: {name: watched}
                        spec: {image: "registry.example/watched:1.0", replicas: 1, monitoring: {serviceMonitor: true}}
                        """);
                fleet.awaitConverged(List.of("rolling"), Duration.ofSeconds(120));
                ClusterTestSupport.waitFor(client, ns.name(), "blue", 120,
                        a -> conditionReason(a, "Stalled", "ArgoRolloutsNotInstalled") && ClusterTestSupport.condition(a, "Stalled", "True"));
                ClusterTestSupport.waitFor(client, ns.name(), "watched", 120,
                        a -> conditionReason(a, "Monitoring", "PrometheusOperatorNotInstalled"));
            } finally {
                ControlPlaneFaults.installCrds();
            }
            long installed = System.nanoTime();
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            fleet.awaitConverged(List.of("rolling", "blue", "watched"), Duration.ofSeconds(150));
            ClusterTestSupport.waitFor(client, ns.name(), "watched", 60, a -> conditionReason(a, "Monitoring", "MonitoringConfigured"));
            LOG.infof("converged %d ms after the CRDs were installed", (System.nanoTime() - installed) / 1_000_000);
            assertThat(operator.isAlive()).as("the same process: no restart needed").isTrue();
            assertThat(client.genericKubernetesResources("argoproj.io/v1alpha1", "Rollout").inNamespace(ns.name()).withName("blue").get())
                    .isNotNull();
            assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(ns.name())
                    .withName("watched").get()).isNotNull();
        }
    }

    private static void create(TestNamespace ns, String yaml) {
        client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), yaml)).create();
    }
}
