package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.annotate;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.update;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.backup.OnDemandBackups;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.migration.MigrationNames;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ChartServiceAccount;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestVolumes;
import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.AnalysisTemplate;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The operator works under its own RBAC: a Quarkus of its own (a test profile, so the shared
 * operator of the other cluster tests is not affected) runs the operator authenticated as the Helm
 * chart's ServiceAccount, bound only by the chart's ClusterRole and leader-election Role
 * ({@link ChartServiceAccount}), with leader election on as in production. It takes a full flow —
 * an Environment with quota, isolation and RoleBindings; a BackupPolicy with an on-demand backup;
 * a RollingUpdate Application with autoscaling, monitoring, Ingress, generated and referenced
 * Secrets and a gated migration; a BlueGreen Application with autoscaling and monitoring promoted
 * by hand, given analysis templates, then switched to RollingUpdate; deleting the Environment and
 * its namespace — and every one of its requests answered 403 fails the test, read from the API
 * server's audit log (which records every request of a ServiceAccount, reads included). A
 * deliberately forbidden request under the same identity proves the count can see a 403.
 *
 * <p>403s answered because a namespace is being deleted are not authorization failures (the
 * namespace lifecycle admission refuses new objects in it) and are not counted.
 */
@QuarkusTest
@TestProfile(OperatorUnderChartRbacTest.ChartIdentity.class)
@Tag(Tiers.CLUSTER)
class OperatorUnderChartRbacTest extends KubernetesTest {
    static final int WAIT = 90;

    /** The operator as the chart's ServiceAccount, electing a leader through the chart's Lease Role. */
    public static class ChartIdentity implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
                    // Quarkus stops this operator before the next test class; the JVM must not exit with it.
                    "runway.leader-election.exit-on-stop-leading", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ChartServiceAccount.class));
        }
    }

    @Test
    void aFullFlowUnderTheChartsRbacIsNeverForbidden() {
        AuditLog audit = AuditLog.of(LocalControlPlane.kubeconfig());
        assumeTrue(audit.exists(), "needs the local control plane's audit log (hack/audit-policy.yaml)");
        String user = System.getProperty(ChartServiceAccount.USER);
        long offset = Long.parseLong(System.getProperty(ChartServiceAccount.AUDIT_OFFSET));
        String id = UUID.randomUUID().toString().substring(0, 6);
        String envName = "rbac-prod-" + id;
        String ns = envName;

        // Leader election through the chart's Role, in the release namespace.
        await(WAIT).until(() -> client.leases().inNamespace(System.getProperty(ChartServiceAccount.NAMESPACE))
                .withName("runway-operator-lock").get() != null);

        Environment env = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec:
                  tier: Production
                  deletionPolicy: Delete
                  config: {NODE_ENV: production}
                  featureFlags: {newCheckout: true}
                  quota: {cpu: "20", memory: 40Gi, pods: "100"}
                  containerDefaults: {cpu: 100m, memory: 128Mi}
                  isolation: {networkPolicy: SameNamespace, allowFrom: [monitoring]}
                  access: [{group: sre, role: edit}, {group: developers, role: view}, {user: lead, role: admin}]
                  alerting: {labels: {team: shop}}
                """.formatted(envName), Environment.class)).create();
        client.resources(Environment.class).withName(env.getMetadata().getName()).waitUntilCondition(e -> e.getStatus() != null
                && ConditionFactory.isTrue(e.getStatus().conditions, ConditionFactory.READY), WAIT, TimeUnit.SECONDS);
        try {
            assertThat(client.rbac().roleBindings().inNamespace(ns).list().getItems()).hasSize(3);
            ClusterTestSupport.databaseSecret(client, ns, "shop-db");
            secret(ns, "shop-secrets", Map.of("STRIPE_API_KEY", "sk_test_placeholder"));

            TestVolumes.withVolume(client, ns, "nightly-backups", "1Gi", () -> {
                backups(ns);
                rollingUpdate(ns);
            });
            blueGreen(ns);
        } finally {
            client.resources(Environment.class).withName(envName).delete();
        }
        // The operator's finalizer deletes the namespace it created (deletionPolicy: Delete), then lets go.
        client.resources(Environment.class).withName(envName).waitUntilCondition(Objects::isNull, WAIT, TimeUnit.SECONDS);
        assertThat(client.namespaces().withName(ns).get()).satisfiesAnyOf(n -> assertThat(n).isNull(),
                n -> assertThat(n.getMetadata().getDeletionTimestamp()).isNotNull());

        // The count sees a 403 of this identity: one made on purpose, a list the chart never grants.
        try (KubernetesClient asOperator = ChartServiceAccount.client()) {
            assertThatThrownBy(() -> asOperator.nodes().list()).isInstanceOfSatisfying(KubernetesClientException.class,
                    e -> assertThat(e.getCode()).isEqualTo(403));
        }
        List<AuditLog.Entry> forbidden = await(30).until(() -> audit.requests(user, offset).stream()
                .filter(r -> r.code() == 403).toList(), l -> l.stream().anyMatch(OperatorUnderChartRbacTest::deliberate));
        List<AuditLog.Entry> all = audit.requests(user, offset);
        // Children are written by server-side apply: PATCH.
        assertThat(all).as("the operator's own requests are in the audit log").anyMatch(r -> r.verb().equals("patch")
                && r.uri().startsWith("/apis/apps/v1/namespaces/" + ns + "/deployments/")).anyMatch(r -> r.verb().equals("watch"));
        assertThat(forbidden).filteredOn(OperatorUnderChartRbacTest::deliberate).hasSize(1);
        assertThat(forbidden).as("requests of the operator the chart's RBAC refused")
                .filteredOn(r -> !deliberate(r) && !r.message().contains("because it is being terminated"))
                .isEmpty();
    }

    private static boolean deliberate(AuditLog.Entry r) {
        return r.verb().equals("list") && r.uri().startsWith("/api/v1/nodes");
    }

    /** BackupPolicy with verification: CronJobs, PVC, scripts, alert rules; an on-demand backup whose result reaches status. */
    private void backups(String ns) {
        BackupPolicy policy = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: BackupPolicy
                metadata: {name: nightly}
                spec:
                  database: {engine: PostgreSQL, secretRef: shop-db}
                  schedule: "0 2 * * *"
                  retention: {keepDaily: 7}
                  storage: {persistentVolumeClaim: {size: 1Gi}}
                  verification: {schedule: "@weekly"}
                """, BackupPolicy.class);
        policy.getMetadata().setNamespace(ns);
        client.resource(policy).create();
        var policies = client.resources(BackupPolicy.class).inNamespace(ns).withName("nightly");
        policies.waitUntilCondition(p -> p.getStatus() != null && ConditionFactory.isTrue(p.getStatus().conditions, "Ready"), WAIT, TimeUnit.SECONDS);
        EnvironmentFixtures.retryOnConflict(() -> policies.edit(p -> {
            p.getMetadata().getAnnotations().put(OnDemandBackups.ANNOTATION, "rbac-test");
            return p;
        }));
        String job = await(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).withLabel("runway.dev/backup-trigger", "manual")
                .list().getItems().stream().map(j -> j.getMetadata().getName()).findFirst().orElse(null), Objects::nonNull);
        FakeKubelet.finish(client, ns, job, 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T020000Z.pgdump\",\"completedAt\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"sizeBytes\":4096,\"pinned\":false,\"backups\":1,\"pruned\":0}");
        policies.waitUntilCondition(p -> p.getStatus().lastBackup != null, WAIT, TimeUnit.SECONDS);
        assertThat(client.resources(PrometheusRule.class).inNamespace(ns).withName("nightly-backup-alerts").get()).isNotNull();
    }

    /** RollingUpdate with every child, and a migration (with its pinned backup) gating the first rollout. */
    private void rollingUpdate(String ns) {
        createApplication(ns, "shop", """
                image: example.com/shop:1
                secretRefs: [shop-secrets]
                generatedSecrets: [{key: JWT_SECRET}]
                autoscaling: {minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 70}
                ingress: {host: shop.example.com}
                monitoring: {serviceMonitor: true, alerts: {errorRatePercent: 1, latencyP95Ms: 500}}
                migration: {command: [migrate], databaseSecretRef: shop-db, backupPolicy: nightly}
                """);
        String mj = MigrationNames.forImage("shop", "example.com/shop:1");
        FakeKubelet.finish(client, ns, mj + "-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T030000Z.pgdump\",\"completedAt\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"pinned\":true}");
        FakeKubelet.finish(client, ns, mj + "-migrate", 0, "migrated");
        waitFor(client, ns, "shop", WAIT, a -> a.getStatus() != null && a.getStatus().phase == Phase.Healthy);
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("shop").get()).isNotNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("shop").get()).isNotNull();
        assertThat(client.network().v1().ingresses().inNamespace(ns).withName("shop").get()).isNotNull();
        assertThat(client.resources(ServiceMonitor.class).inNamespace(ns).withName("shop").get()).isNotNull();
        assertThat(client.resources(PrometheusRule.class).inNamespace(ns).withName("shop-slo").get()).isNotNull();
        assertThat(client.secrets().inNamespace(ns).withName("shop-generated").get()).isNotNull();
    }

    /** BlueGreen: first version, a second awaiting promotion, promoted; analysis templates; then back to RollingUpdate. */
    private void blueGreen(String ns) {
        createApplication(ns, "web", """
                image: example.com/web:1
                autoscaling: {minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 70}
                monitoring: {serviceMonitor: true, alerts: {errorRatePercent: 1}}
                strategy: {type: BlueGreen, blueGreen: {scaleDownDelaySeconds: 0}}
                """);
        waitFor(client, ns, "web", WAIT, a -> a.getStatus() != null && a.getStatus().phase == Phase.Healthy);
        update(client, ns, "web", a -> a.getSpec().image = "example.com/web:2");
        waitFor(client, ns, "web", WAIT, a -> a.getStatus().phase == Phase.AwaitingPromotion);
        annotate(client, ns, "web", "runway.dev/promote", "");
        waitFor(client, ns, "web", WAIT, a -> a.getStatus().phase == Phase.Healthy && "example.com/web:2".equals(a.getStatus().stableImage));

        update(client, ns, "web", a -> {
            a.getSpec().strategy.blueGreen.prePromotionAnalysis = new Strategy.Analysis();
            a.getSpec().strategy.blueGreen.prePromotionAnalysis.successRatePercent = 99.0;
        });
        await(WAIT).until(() -> !client.resources(AnalysisTemplate.class).inNamespace(ns).list().getItems().isEmpty());

        update(client, ns, "web", a -> {
            a.getSpec().strategy = new Strategy();
            a.getSpec().strategy.type = Strategy.Type.RollingUpdate;
        });
        await(WAIT).until(() -> client.resources(Rollout.class).inNamespace(ns).withName("web").get() == null
                && client.apps().deployments().inNamespace(ns).withName("web").get() != null);
        Application switched = waitFor(client, ns, "web", WAIT, a -> a.getStatus().phase == Phase.Healthy
                && Objects.equals(a.getStatus().observedGeneration, a.getMetadata().getGeneration()));
        assertThat(switched.getStatus().stableImage).isEqualTo("example.com/web:2");
    }

    private static void createApplication(String ns, String name, String spec) {
        client.resource(ClusterTestSupport.applicationFromYaml(client, ns, "apiVersion: runway.dev/v1alpha1\nkind: Application\n"
                + "metadata: {name: " + name + "}\nspec:\n" + spec.indent(2))).create();
    }

    private static void secret(String ns, String name, Map<String, String> data) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withStringData(data).build()).create();
    }
}
