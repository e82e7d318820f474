package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.monitoring.OperatorMetrics;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.PromQl;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The operator's own health and metrics endpoints, scraped over HTTP like a kubelet and Prometheus would. */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class OperatorEndpointsTest {
    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Inject
    Operator operator;

    @Test
    void everyControllerReconcilesAtLeastEveryConfiguredMaxInterval() {
        // runway.max-reconciliation-interval reaches each controller (ThrottlingIT shows it acting, at 20 s).
        assertThat(operator.getRegisteredControllers()).extracting(c -> c.getConfiguration().getName())
                .containsExactlyInAnyOrder("application", "environment", "backuppolicy", "migrationjob", "restore");
        for (RegisteredController<?> controller : operator.getRegisteredControllers()) {
            ControllerConfiguration<?> configuration = controller.getConfiguration();
            assertThat(configuration.maxReconciliationInterval()).as(configuration.getName()).contains(Duration.ofMinutes(10));
        }
    }

    static String get(URL url, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url.toString()).isEqualTo(expectedStatus);
        return response.body();
    }

    @Test
    void readinessReportsEveryControllerAndLivenessIsUp() throws Exception {
        // Run first in a fresh JVM, the informers may still be syncing: ready is a state to reach.
        await(60).untilAsserted(() -> get(ready, 200));
        String body = get(ready, 200);
        assertThat(body).contains("\"status\": \"UP\"").contains("application").contains("environment").contains("backuppolicy");
        assertThat(get(live, 200)).contains("\"status\": \"UP\"");
    }

    @Test
    void metricsCountReconcilesAndApplicationsByPhase() throws Exception {
        try (KubernetesClient client = LocalControlPlane.client(); TestNamespace ns = TestNamespace.create(client, "metrics")) {
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: counted}
                    spec: {image: example.com/counted:1}
                    """)).create();
            waitFor(client, ns.name(), "counted", 90, a -> a.getStatus() != null && a.getStatus().phase == Phase.Healthy);
            // The gauge counts every namespace's Applications, and earlier tests' namespaces may still
            // be going away: it must agree with what the API server lists, once both have settled.
            ClusterTestSupport.await(30).untilAsserted(() -> {
                long listed = client.resources(Application.class).inAnyNamespace().list().getItems().stream()
                        .filter(a -> a.getStatus() != null && a.getStatus().phase == Phase.Healthy).count();
                assertThat(sample(get(metrics, 200), "runway_applications\\{phase=\"Healthy\"\\}"))
                        .as("Healthy Applications by the gauge, listed: %d", listed).isEqualTo((double) listed).isGreaterThanOrEqualTo(1.0);
            });
            String scrape = get(metrics, 200);
            assertThat(scrape).containsPattern("operator_sdk_reconciliations_started_total\\{[^}]*\\} [1-9]");
            assertThat(scrape).contains("operator_sdk_reconciliations_success_total");
        }
    }

    /**
     * A MigrationJob walks through Stalled (no database Secret), Running and Failed; each time the
     * gauge counted from the operator's cache agrees with what the API server lists, and includes it.
     */
    @Test
    void migrationJobsByPhaseAndStalledResourcesFollowTheirStatus() throws Exception {
        String scrape = get(metrics, 200);
        for (MigrationJobStatus.Phase phase : MigrationJobStatus.Phase.values()) {
            sample(scrape, OperatorMetrics.MIGRATION_JOBS + "\\{phase=\"" + phase + "\"\\}");
        }
        sample(scrape, OperatorMetrics.BACKUP_POLICIES_NOT_FRESH);
        for (String kind : List.of("Application", "Environment", "BackupPolicy", "MigrationJob")) {
            sample(scrape, OperatorMetrics.STALLED + "\\{kind=\"" + kind + "\"\\}");
        }
        try (KubernetesClient client = LocalControlPlane.client(); TestNamespace ns = TestNamespace.create(client, "metrics-mj")) {
            ClusterTestSupport.createFromYaml(client, ns.name(), MigrationJob.class, """
                    apiVersion: runway.dev/v1alpha1
                    kind: MigrationJob
                    metadata: {name: schema-v2}
                    spec: {image: example.com/shop:2, command: [migrate, up], databaseSecretRef: shop-db, backoffLimit: 0}
                    """);
            awaitGaugeCounts(client, OperatorMetrics.STALLED + "\\{kind=\"MigrationJob\"\\}", ns.name(),
                    m -> ConditionFactory.isTrue(m.getStatus().conditions, ConditionFactory.STALLED));

            client.resource(new SecretBuilder().withNewMetadata().withName("shop-db").withNamespace(ns.name()).endMetadata()
                    .withStringData(Map.of("host", "db.example.invalid", "port", "5432", "database", "shop", "username", "shop",
                            "password", "metrics-test"))
                    .build()).create();
            awaitGaugeCounts(client, phaseSeries(MigrationJobStatus.Phase.Running), ns.name(),
                    m -> m.getStatus().phase == MigrationJobStatus.Phase.Running);

            FakeKubelet.finish(client, ns.name(), "schema-v2-migrate", 1, "ERROR: relation \"orders\" does not exist");
            awaitGaugeCounts(client, phaseSeries(MigrationJobStatus.Phase.Failed), ns.name(),
                    m -> m.getStatus().phase == MigrationJobStatus.Phase.Failed);
        }
    }

    /**
     * A reconcile the API server refuses (a ResourceQuota allowing no ConfigMaps) is counted as
     * failed; then every series the chart's operator PrometheusRule and operator dashboard read is in
     * the scrape, so renaming a metric (or a JOSDK upgrade doing so) breaks this test.
     */
    @Test
    void failedReconcilesAreCountedAndTheChartReadsOnlyExposedSeries() throws Exception {
        try (KubernetesClient client = LocalControlPlane.client(); TestNamespace ns = TestNamespace.create(client, "metrics-fail")) {
            client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-configmaps").withNamespace(ns.name()).endMetadata()
                    .withNewSpec().addToHard("count/configmaps", new Quantity("0")).endSpec().build()).create();
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: refused}
                    spec: {image: example.com/refused:1, env: {A: b}}
                    """)).create();
            String failed = "operator_sdk_reconciliations_failed_total\\{[^}]*name=\"refused\",namespace=\"" + ns.name() + "\"[^}]*\\}";
            await(60).until(() -> sampleOrNaN(get(metrics, 200), failed) >= 1);

            String scrape = get(metrics, 200);
            List<HasMetadata> chart = HelmChart.render("runway", "runway-system",
                    "monitoring: {prometheusRule: {enabled: true}, dashboards: {enabled: true}}");
            List<String> expressions = new ArrayList<>(PromQl.ruleExpressions(HelmChart.one(chart, PrometheusRule.class)));
            HelmChart.all(chart, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().endsWith("-dashboard-operator"))
                    .flatMap(c -> PromQl.dashboards(c).stream()).forEach(d -> expressions.addAll(PromQl.dashboardExpressions(d)));
            Set<String> names = new TreeSet<>();
            expressions.forEach(e -> names.addAll(PromQl.metricNames(e)));
            names.remove("up"); // Prometheus' own series about the scrape
            assertThat(names).contains(OperatorMetrics.STALLED, OperatorMetrics.BACKUP_POLICIES_NOT_FRESH, OperatorMetrics.MIGRATION_JOBS,
                    OperatorMetrics.APPLICATIONS, "operator_sdk_reconciliations_failed_total");
            assertThat(names).allSatisfy(n -> assertThat(scrape).as("series %s in /q/metrics", n).containsPattern("(?m)^" + n + "[{ ]"));
        }
    }

    static String phaseSeries(MigrationJobStatus.Phase phase) {
        return OperatorMetrics.MIGRATION_JOBS + "\\{phase=\"" + phase + "\"\\}";
    }

    /**
     * Waits until {@code series} equals the number of MigrationJobs the API server lists that match
     * {@code counted}, and those include the one in {@code namespace} (other tests' leftovers may
     * come and go, so the gauge is compared with the cluster rather than with a fixed number).
     */
    void awaitGaugeCounts(KubernetesClient client, String series, String namespace, Predicate<MigrationJob> counted) {
        await(60).until(() -> {
            List<MigrationJob> matching = client.resources(MigrationJob.class).inAnyNamespace().list().getItems().stream()
                    .filter(m -> m.getStatus() != null && counted.test(m)).toList();
            return matching.stream().anyMatch(m -> namespace.equals(m.getMetadata().getNamespace()))
                    && sampleOrNaN(get(metrics, 200), series) == matching.size();
        });
    }

    /** The value of the first series matching {@code series} in a Prometheus text scrape. */
    static double sample(String scrape, String series) {
        double value = sampleOrNaN(scrape, series);
        assertThat(value).as("series %s in the scrape", series).isNotNaN();
        return value;
    }

    static double sampleOrNaN(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
