package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.annotate;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.update;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Labels;
import dev.runway.operator.migration.MigrationNames;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.KwokPodMetrics;
import dev.runway.operator.testing.PrometheusServer;
import dev.runway.operator.testing.TestClock;
import dev.runway.operator.testing.TestVolumes;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The scenario examples reach the states their READMEs document, with the operator running.
 *
 * <p>Each test applies a copy of {@code examples/<dir>/} through {@link ExampleScenario}: file by
 * file in order, with every Environment name, {@code spec.namespace}, {@code spec.promotion.from}
 * and object namespace suffixed {@code -<6 hex>} (Environments are cluster-scoped and own their
 * namespaces, so the names must not collide with other tests or a second run); namespaces no
 * Environment makes are created by the test; everything is deleted afterwards. Nothing else in
 * the copy changes — not even soak times: the promotion test moves the operator's clock instead.
 * No container runs on the local control plane: {@link FakeKubelet} ends migration and backup
 * pods as a kubelet would.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class ScenarioExamplesTest extends KubernetesTest {
    static final int WAIT = 90;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void poseDetection() {
        // Its analysis queries a real Prometheus (the test profile's runway.prometheus.address),
        // which scrapes the request metrics kwok's pods cannot serve from KwokPodMetrics.
        int port = java.net.URI.create(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("runway.prometheus.address", String.class)).getPort();
        try (ExampleScenario s = ExampleScenario.apply(client, "pose-detection");
                KwokPodMetrics metrics = KwokPodMetrics.serving(client, s.name("pose-prod"));
                PrometheusServer prometheus = PrometheusServer.scrapingTarget(metrics.target(), port)) {
            String ns = s.name("pose-prod");
            Application live = waitFor(client, ns, "pose-detection", 150, a -> current(a) && a.getStatus().phase == Phase.Healthy
                    && a.getStatus().replicas != null && Objects.equals(a.getStatus().replicas.ready, 5));
            assertThat(live.getStatus().stableImage).isEqualTo("registry.example.com/acme/pose-detection:1.4.2");
            List<Pod> pods = readyPods(ns, "pose-detection");
            assertThat(pods).hasSize(5).allSatisfy(p -> {
                Container c = p.getSpec().getContainers().get(0);
                assertThat(c.getImage()).isEqualTo("registry.example.com/acme/pose-detection:1.4.2");
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
                assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi")).containsEntry("cpu", new Quantity("500m"));
            });
            assertThat(client.services().inNamespace(ns).withName("pose-detection-preview").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace(ns).withName("pose-detection").get()).as("blue-green: a Rollout").isNull();

            update(client, ns, "pose-detection", a -> a.getSpec().image = "registry.example.com/acme/pose-detection:1.5.0");
            Application waiting = waitFor(client, ns, "pose-detection", WAIT, a -> current(a) && a.getStatus().phase == Phase.AwaitingPromotion);
            assertThat(waiting.getStatus().stableImage).isEqualTo("registry.example.com/acme/pose-detection:1.4.2");
            assertThat(waiting.getStatus().previewImage).isEqualTo("registry.example.com/acme/pose-detection:1.5.0");
            assertThat(condition(waiting, "AwaitingPromotion", "True")).isTrue();
            assertThat(condition(waiting, "Ready", "False")).isTrue();

            annotate(client, ns, "pose-detection", "runway.dev/promote", "");
            Application promoted = waitFor(client, ns, "pose-detection", 180, a -> current(a) && a.getStatus().phase == Phase.Healthy
                    && "registry.example.com/acme/pose-detection:1.5.0".equals(a.getStatus().stableImage));
            assertThat(promoted.getStatus().history.get(0).outcome).isEqualTo("Promoted");
            // Both analyses ran against Prometheus and passed, with the values it returned.
            var runs = client.resources(io.argoproj.v1alpha1.AnalysisRun.class).inNamespace(ns).list().getItems();
            assertThat(runs).extracting(r -> r.getMetadata().getLabels().get("rollout-type"), r -> r.getStatus().getPhase())
                    .contains(tuple("PrePromotion", "Successful"), tuple("PostPromotion", "Successful"));
            assertThat(runs).flatExtracting(r -> r.getStatus().getMetricResults()).flatExtracting(m -> m.getMeasurements())
                    .extracting(m -> m.getValue()).contains("[1]");
        }
    }

    @Test
    void engagerr() {
        try (ExampleScenario s = ExampleScenario.apply(client, "engagerr")) {
            String staging = s.name("engagerr-staging");
            String prod = s.name("engagerr-prod");
            String image = "registry.example.com/acme/engagerr:3.2.0";
            String mj = MigrationNames.forImage("engagerr", image);
            TestVolumes.withVolume(client, prod, "engagerr-db-nightly-backups", "10Gi", () -> {
                // Staging: the Prisma migration runs before anything rolls out.
                FakeKubelet.runningPodOf(client, staging, mj + "-migrate");
                assertThat(deployment(staging, "engagerr")).as("no Deployment before the migration succeeded").isNull();
                assertThat(migration(staging, mj).getSpec().command).containsExactly("npx", "prisma", "migrate", "deploy");
                FakeKubelet.finish(client, staging, mj + "-migrate", 0, "1 migration applied");
                waitFor(client, staging, "engagerr", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);

                // Production: a pinned backup first, then the migration, then the rollout.
                FakeKubelet.runningPodOf(client, prod, mj + "-backup");
                assertThat(client.batch().v1().jobs().inNamespace(prod).withName(mj + "-migrate").get()).isNull();
                Application migrating = waitFor(client, prod, "engagerr", WAIT, a -> a.getStatus() != null && a.getStatus().phase == Phase.Migrating);
                assertThat(migrating.getStatus().migration.name).isEqualTo(mj);
                FakeKubelet.finish(client, prod, mj + "-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T030000Z.pgdump\","
                        + "\"completedAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"pinned\":true}");
                FakeKubelet.runningPodOf(client, prod, mj + "-migrate");
                assertThat(deployment(prod, "engagerr")).as("no Deployment before the migration succeeded").isNull();
                FakeKubelet.finish(client, prod, mj + "-migrate", 0, "1 migration applied");
                Application healthy = waitFor(client, prod, "engagerr", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy
                        && Objects.equals(a.getStatus().replicas.ready, 3));
                assertThat(healthy.getStatus().migration.phase).isEqualTo("Succeeded");
                assertThat(condition(healthy, "MigrationSucceeded", "True")).isTrue();
                assertThat(migration(prod, mj).getStatus().backup.name).isEqualTo("20260301T030000Z.pgdump");

                // The next release migrates too, and breaks: one lever puts 3.2.0 back and restores
                // the data 3.3.0's migration changed from its pinned pre-migration backup, in place,
                // after a safety backup of what is there now (the README's "Rolling back").
                String next = "registry.example.com/acme/engagerr:3.3.0";
                String mj2 = MigrationNames.forImage("engagerr", next);
                String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                update(client, prod, "engagerr", a -> a.getSpec().image = next);
                FakeKubelet.finish(client, prod, mj2 + "-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260302T030000Z.pgdump\","
                        + "\"completedAt\":\"" + now + "\",\"pinned\":true}");
                FakeKubelet.finish(client, prod, mj2 + "-migrate", 0, "1 migration applied");
                // Production requires approval of each new image once its migration has passed.
                waitFor(client, prod, "engagerr", WAIT, a -> current(a) && a.getStatus().phase == Phase.AwaitingPromotion);
                annotate(client, prod, "engagerr", "runway.dev/promote", "");
                waitFor(client, prod, "engagerr", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy && next.equals(a.getStatus().stableImage));

                annotate(client, prod, "engagerr", "runway.dev/rollback", "image-and-data");
                Application underway = waitFor(client, prod, "engagerr", WAIT, a -> a.getStatus().rollback != null
                        && a.getStatus().rollback.data != null && a.getStatus().rollback.data.restore != null);
                String restore = underway.getStatus().rollback.data.restore;
                FakeKubelet.finish(client, prod, restore + "-safety-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260302T120000Z.pgdump\","
                        + "\"completedAt\":\"" + now + "\",\"pinned\":true}");
                FakeKubelet.finish(client, prod, restore + "-restore", 0, "{\"result\":\"Succeeded\",\"backup\":\"20260302T030000Z.pgdump\","
                        + "\"sha256\":\"ab\",\"target\":\"engagerr\",\"inPlace\":true,\"tables\":4,\"rows\":1200,\"durationSeconds\":3,"
                        + "\"startedAt\":\"" + now + "\",\"completedAt\":\"" + now + "\"}");
                Application rolledBack = waitFor(client, prod, "engagerr", WAIT, a -> "Succeeded".equals(a.getStatus().rollback.outcome));
                assertThat(rolledBack.getStatus().stableImage).isEqualTo(image);
                assertThat(deployment(prod, "engagerr").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(image);
                assertThat(rolledBack.getStatus().rollback.data.method).isEqualTo("Restore");
                assertThat(rolledBack.getStatus().rollback.data.safetyBackup).isEqualTo("20260302T120000Z.pgdump");
                assertThat(rolledBack.getStatus().rollback.data.message).contains("1200 rows in 4 tables").contains("20260302T030000Z.pgdump");
            });

            BackupPolicy policy = client.resources(BackupPolicy.class).inNamespace(prod).withName("engagerr-db-nightly")
                    .waitUntilCondition(p -> p != null && p.getStatus() != null && Objects.equals(p.getStatus().observedGeneration,
                            p.getMetadata().getGeneration()) && ConditionFactory.isTrue(p.getStatus().conditions, "Ready"), WAIT, TimeUnit.SECONDS);
            assertThat(policy.getStatus().lastBackup.name).as("the newest pre-migration backup (3.3.0's)").isEqualTo("20260302T030000Z.pgdump");
            assertThat(cronJob(prod, "engagerr-db-nightly-backup").getSpec().getSchedule()).isEqualTo("0 3 * * *");
            assertThat(cronJob(prod, "engagerr-db-nightly-verify").getSpec().getSchedule()).isEqualTo("0 5 * * 0");

            PrometheusRule slo = client.resources(PrometheusRule.class).inNamespace(prod).withName("engagerr-slo").get();
            List<Rule> alerts = slo.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).filter(r -> r.getAlert() != null).toList();
            assertThat(alerts).extracting(Rule::getAlert).contains("ErrorBudgetBurnFast", "ErrorBudgetBurnSlow", "ErrorBudgetBurnSteady",
                    "LatencyP95High", "LatencyP99High");
            assertThat(alerts).filteredOn(r -> r.getAlert().equals("LatencyP95High")).singleElement()
                    .satisfies(r -> assertThat(r.getExpr().getStrVal()).startsWith("histogram_quantile(0.95").endsWith("> 0.8"));
            assertThat(alerts).filteredOn(r -> r.getAlert().equals("LatencyP99High")).singleElement()
                    .satisfies(r -> assertThat(r.getExpr().getStrVal()).startsWith("histogram_quantile(0.99").endsWith("> 2"));
            assertThat(alerts).allSatisfy(r -> assertThat(r.getLabels()).containsEntry("team", "engagerr").containsEntry("route", "pagerduty"));
            assertThat(client.resources(PrometheusRule.class).inNamespace(staging).withName("engagerr-slo").get())
                    .as("staging sets no alerts").isNull();
        }
    }

    @Test
    void engagesense() {
        try (ExampleScenario s = ExampleScenario.apply(client, "engagesense")) {
            String staging = s.name("engagesense-staging");
            String prod = s.name("engagesense-prod");
            waitFor(client, staging, "engagesense", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);
            waitFor(client, prod, "engagesense", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);

            // Healthy can come before the Environment's config reaches the pods (the Application may be
            // reconciled before its Environment has taken the namespace): the pods get it in a later rollout.
            await(WAIT).untilAsserted(() -> assertThat(podEnvironment(staging, "engagesense")).containsAllEntriesOf(Map.of(
                    "FEATURE_EMOTION_DETECTION", "true", "FEATURE_SPEAKER_DIARIZATION", "true",
                    "FEATURE_REALTIME_TRANSCRIPTION", "true", "FEATURE_ATTENTION_HEATMAP", "true",
                    "AUDIO_BUFFER_SIZE", "2048", "ANALYSIS_INTERVAL_MS", "250", "ML_MODEL_VARIANT", "engagement-v3-beta",
                    "MODEL_CACHE_DIR", "/tmp/models")));
            await(WAIT).untilAsserted(() -> assertThat(podEnvironment(prod, "engagesense")).containsAllEntriesOf(Map.of(
                    "FEATURE_EMOTION_DETECTION", "true", "FEATURE_SPEAKER_DIARIZATION", "true",
                    "FEATURE_REALTIME_TRANSCRIPTION", "false", "FEATURE_ATTENTION_HEATMAP", "false",
                    "AUDIO_BUFFER_SIZE", "4096", "ANALYSIS_INTERVAL_MS", "750", "ML_MODEL_VARIANT", "engagement-v2",
                    "MODEL_CACHE_DIR", "/tmp/models")));

            // Flipping a production flag rolls the production pods, and only those.
            String stagingHash = configHash(staging, "engagesense");
            String prodHash = configHash(prod, "engagesense");
            EnvironmentFixtures.retryOnConflict(() -> client.resources(Environment.class).withName(s.name("engagesense-production"))
                    .edit(e -> {
                        e.getSpec().featureFlags.put("realtimeTranscription", true);
                        return e;
                    }));
            waitFor(client, prod, "engagesense", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy
                    && !prodHash.equals(a.getStatus().configHash));
            await(WAIT).untilAsserted(() -> assertThat(podEnvironment(prod, "engagesense"))
                    .containsEntry("FEATURE_REALTIME_TRANSCRIPTION", "true"));
            assertThat(configHash(staging, "engagesense")).isEqualTo(stagingHash);
        }
    }

    @Test
    void nodeApiMysql() {
        try (ExampleScenario s = ExampleScenario.apply(client, "node-api-mysql")) {
            String ns = s.name("node-api");
            Application app = waitFor(client, ns, "node-api", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);
            BackupPolicy policy = client.resources(BackupPolicy.class).inNamespace(ns).withName("node-api-db-daily")
                    .waitUntilCondition(p -> p != null && p.getStatus() != null
                            && ConditionFactory.isTrue(p.getStatus().conditions, "Ready"), WAIT, TimeUnit.SECONDS);

            var generated = client.secrets().inNamespace(ns).withName("node-api-generated").get();
            String jwt = new String(Base64.getDecoder().decode(generated.getData().get("JWT_SECRET")), StandardCharsets.UTF_8);
            assertThat(jwt).hasSize(64).matches("[A-Za-z0-9_-]+");
            assertThat(deployment(ns, "node-api").getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                    .extracting(f -> f.getSecretRef() == null ? null : f.getSecretRef().getName())
                    .contains("node-api-db", "node-api-generated");
            assertThat(readyPods(ns, "node-api")).hasSize(2);
            assertThat(client.configMaps().inNamespace(ns).withName("node-api-env").get().getData())
                    .containsEntry("CORS_ORIGIN", "https://app.example.com").containsEntry("CORS_CREDENTIALS", "true")
                    .doesNotContainKey("JWT_SECRET");
            // The value is nowhere but in its Secret.
            String serialized = client.getKubernetesSerialization().asYaml(app) + client.getKubernetesSerialization().asYaml(policy)
                    + client.getKubernetesSerialization().asYaml(client.configMaps().inNamespace(ns).list())
                    + client.getKubernetesSerialization().asYaml(client.v1().events().inNamespace(ns).list());
            assertThat(serialized).doesNotContain(jwt);

            CronJob backup = cronJob(ns, "node-api-db-daily-backup");
            assertThat(backup.getSpec().getSchedule()).isEqualTo("30 1 * * *");
            assertThat(backup.getSpec().getTimeZone()).isEqualTo("America/New_York");
            Container c = backup.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getImage()).contains("mariadb");
            assertThat(c.getEnv()).filteredOn(e -> e.getValue() != null).extracting(EnvVar::getName, EnvVar::getValue)
                    .contains(tuple("DB_ENGINE", "MySQL"), tuple("RETENTION_KEEP_LAST", "3"), tuple("RETENTION_KEEP_DAILY", "14"),
                            tuple("RETENTION_KEEP_WEEKLY", "8"), tuple("RETENTION_KEEP_MONTHLY", "12"));
            assertThat(cronJob(ns, "node-api-db-daily-verify").getSpec().getSchedule()).isEqualTo("0 6 * * 6");
        }
    }

    /**
     * The chain with the example's own soak times (15m, 1h, 4h). Per stage the test moves the
     * operator's clock to 10 seconds before the soak ends and asks for one reconcile (an
     * annotation: the operator's recheck timer runs on the real clock, so it would otherwise look
     * again only after the real soak); the stage must still be held with a minute left, then roll
     * out by itself once the remaining seconds pass. Then the next release: production, whose tier
     * requires approval, keeps serving 5.1.0 after 5.2.0's soak until runway.dev/promote, and no
     * ReplicaSet of 5.2.0 exists there before it.
     */
    @Test
    void promotion() {
        try (ExampleScenario s = ExampleScenario.apply(client, "promotion")) {
            String image = "registry.example.com/acme/checkout:5.1.0";
            waitFor(client, s.name("checkout-dev"), "checkout", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);
            for (String held : List.of("checkout-staging", "checkout-uat", "checkout-prod")) {
                Application app = waitFor(client, s.name(held), "checkout", WAIT, a -> condition(a, "PromotionBlocked", "True"));
                assertThat(condition(app, "Ready", "False")).isTrue();
                assertThat(deployment(s.name(held), "checkout")).as("nothing rolls out in %s", held).isNull();
            }
            Application prod = ClusterTestSupport.application(client, s.name("checkout-prod"), "checkout").get();
            assertThat(condition(prod, "Reconciling", "True")).as("held is in progress, not stalled").isTrue();
            assertThat(condition(prod, "Stalled", "False")).isTrue();

            soakThenPromote(s, image, null, "checkout-development", "checkout-dev", "checkout-staging", Duration.ofMinutes(15), "15m");
            soakThenPromote(s, image, null, "checkout-staging", "checkout-staging", "checkout-uat", Duration.ofHours(1), "1h");
            soakThenPromote(s, image, null, "checkout-uat", "checkout-uat", "checkout-prod", Duration.ofHours(4), "4h");
            assertThat(readyPods(s.name("checkout-prod"), "checkout")).hasSize(3);

            // The next release: spec.image changes in all four stages at once, as a GitOps sync would.
            String next = "registry.example.com/acme/checkout:5.2.0";
            for (String ns : List.of("checkout-dev", "checkout-staging", "checkout-uat", "checkout-prod")) {
                dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(Application.class).inNamespace(s.name(ns)).withName("checkout").edit(a -> {
                    a.getSpec().image = next;
                    return a;
                }));
            }
            waitFor(client, s.name("checkout-dev"), "checkout", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy
                    && next.equals(a.getStatus().stableImage));
            Application serving = waitFor(client, s.name("checkout-prod"), "checkout", WAIT, a -> current(a)
                    && condition(a, "PromotionBlocked", "True"));
            assertThat(serving.getStatus().phase).as("5.1.0 serves healthy while 5.2.0 waits").isEqualTo(Phase.Healthy);
            soakThenPromote(s, next, image, "checkout-development", "checkout-dev", "checkout-staging", Duration.ofMinutes(15), "15m");
            soakThenPromote(s, next, image, "checkout-staging", "checkout-staging", "checkout-uat", Duration.ofHours(1), "1h");
            soakThenApprove(s, next, image, "checkout-uat", Duration.ofHours(4));
        }
    }

    /** Production after the soak: held for approval, the old image serving, then promoted by the annotation. */
    private void soakThenApprove(ExampleScenario s, String image, String serving, String fromNs, Duration soak) {
        String to = s.name("checkout-prod");
        Application source = waitFor(client, s.name(fromNs), "checkout", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy
                && image.equals(a.getStatus().stableImage) && a.getStatus().history.get(0).healthyAt != null);
        Instant healthyAt = Instant.parse(source.getStatus().history.get(0).healthyAt);
        clock.setOffset(Duration.between(Instant.now(), healthyAt.plus(soak).plusSeconds(5)));
        annotate(client, to, "checkout", "runway.dev/test-recheck", "approval");
        Application held = waitFor(client, to, "checkout", WAIT, a -> current(a) && ConditionFactory.find(a.getStatus().conditions, "Ready")
                .filter(c -> "AwaitingApproval".equals(c.getReason())).isPresent());
        assertThat(held.getStatus().phase).isEqualTo(Phase.AwaitingPromotion);
        assertThat(held.getStatus().stableImage).isEqualTo(serving);
        assertThat(ConditionFactory.find(held.getStatus().conditions, "PromotionReady").orElseThrow().getMessage())
                .contains("soak in " + s.name("checkout-uat") + ": passed").contains("approval: waiting");
        assertThat(deployment(to, "checkout").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(serving);
        assertThat(client.apps().replicaSets().inNamespace(to).list().getItems())
                .as("no ReplicaSet, so no pod, of %s before the approval", image)
                .allSatisfy(rs -> assertThat(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(serving));

        annotate(client, to, "checkout", "runway.dev/promote", "");
        Application promoted = waitFor(client, to, "checkout", 90, a -> current(a) && a.getStatus().phase == Phase.Healthy
                && image.equals(a.getStatus().stableImage));
        assertThat(condition(promoted, "PromotionReady", "True")).isTrue();
        assertThat(readyPods(to, "checkout")).hasSize(3)
                .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(image));
    }

    private void soakThenPromote(ExampleScenario s, String image, String serving, String fromEnv, String fromNs, String toNs,
            Duration soak, String soakText) {
        String from = s.name(fromNs);
        String to = s.name(toNs);
        Application source = waitFor(client, from, "checkout", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy
                && image.equals(a.getStatus().stableImage) && a.getStatus().history.get(0).healthyAt != null);
        Instant healthyAt = Instant.parse(source.getStatus().history.get(0).healthyAt);
        clock.setOffset(Duration.between(Instant.now(), healthyAt.plus(soak).minusSeconds(10)));
        annotate(client, to, "checkout", "runway.dev/test-recheck", fromNs + image);
        Application held = waitFor(client, to, "checkout", WAIT, a -> ConditionFactory.find(a.getStatus().conditions, "PromotionBlocked")
                .filter(c -> "True".equals(c.getStatus()) && c.getMessage().contains("(1m left)")).isPresent());
        assertThat(ConditionFactory.find(held.getStatus().conditions, "PromotionBlocked").orElseThrow().getMessage())
                .contains("image " + image + " has run healthy in " + s.name(fromEnv)).contains("needs " + soakText);
        if (serving == null) {
            assertThat(deployment(to, "checkout")).isNull();
        } else {
            assertThat(held.getStatus().phase).as("the old image serves healthy").isEqualTo(Phase.Healthy);
            assertThat(deployment(to, "checkout").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(serving);
        }

        Application released = waitFor(client, to, "checkout", 60, a -> current(a) && a.getStatus().phase == Phase.Healthy
                && image.equals(a.getStatus().stableImage));
        assertThat(condition(released, "PromotionBlocked", "False")).isTrue();
        assertThat(Instant.parse(released.getStatus().history.get(0).deployedAt)).as("rolled out only after the soak")
                .isAfterOrEqualTo(healthyAt.plus(soak));
    }

    @Test
    void workloads() {
        try (ExampleScenario s = ExampleScenario.apply(client, "workloads")) {
            String ns = s.name("shop-legacy");
            // Root on port 80, allowed by the Environment's baseline; two pods, spread over nodes by default.
            waitFor(client, ns, "storefront", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);
            List<Pod> storefront = readyPods(ns, "storefront");
            assertThat(storefront).hasSize(2).extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates();
            assertThat(storefront.get(0).getSpec().getSecurityContext().getRunAsNonRoot()).isNull();

            // The kept claim: created, without an owner; the pod waits for a StorageClass to bind it.
            await(WAIT).untilAsserted(() -> assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("uploads-files").get())
                    .isNotNull().satisfies(c -> assertThat(c.getMetadata().getOwnerReferences()).isEmpty()));
            var uploads = deployment(ns, "uploads").getSpec().getTemplate().getSpec();
            assertThat(uploads.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-credentials");
            assertThat(uploads.getInitContainers()).extracting(c -> c.getName()).containsExactly("prepare");
            assertThat(uploads.getContainers()).extracting(c -> c.getName()).containsExactly("app", "log-shipper");
            assertThat(uploads.getSecurityContext().getFsGroup()).isEqualTo(10001L);
            assertThat(client.services().inNamespace(ns).withName("uploads").get().getSpec().getPorts()).extracting(p -> p.getName())
                    .containsExactly("http", "grpc");

            // The escape hatch: merged into the pod, the replaced default listed in status.
            Application mesh = waitFor(client, ns, "mesh-api", WAIT, a -> current(a) && a.getStatus().phase == Phase.Healthy);
            assertThat(mesh.getStatus().podTemplateOverrides).containsExactly("spec.containers[app].securityContext.readOnlyRootFilesystem");
            Pod meshPod = readyPods(ns, "mesh-api").get(0);
            assertThat(meshPod.getMetadata().getLabels()).containsEntry("team", "payments").containsEntry(Labels.NAME, "mesh-api");
            assertThat(meshPod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45L);
            assertThat(meshPod.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("vault-token"));
            assertThat(meshPod.getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("POD_IP"));
            assertThat(meshPod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isFalse();

            // The GPU worker: no Service; no node has a GPU here, and the Application says so.
            Application worker = waitFor(client, ns, "pose-worker", WAIT, a -> current(a) && a.getStatus().conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "Unschedulable".equals(c.getReason())));
            assertThat(worker.getStatus().url).isNull();
            assertThat(client.services().inNamespace(ns).withName("pose-worker").get()).isNull();
            List<Pod> pending = client.pods().inNamespace(ns).withLabel(Labels.NAME, "pose-worker").list().getItems();
            assertThat(pending).isNotEmpty().allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getResources().getLimits())
                    .containsKey("nvidia.com/gpu"));
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static boolean current(Application a) {
        return a.getStatus() != null && Objects.equals(a.getStatus().observedGeneration, a.getMetadata().getGeneration());
    }

    private static Deployment deployment(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private static CronJob cronJob(String ns, String name) {
        return client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
    }

    private static MigrationJob migration(String ns, String name) {
        return client.resources(MigrationJob.class).inNamespace(ns).withName(name).get();
    }

    private static String configHash(String ns, String app) {
        return deployment(ns, app).getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    private static List<Pod> readyPods(String ns, String app) {
        return client.pods().inNamespace(ns).withLabel(Labels.NAME, app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .toList();
    }

    /**
     * The variables the app's ready pods read from ConfigMaps through envFrom, resolved as a kubelet
     * would; the pods must all agree (no pod of an older config is left).
     */
    private static Map<String, String> podEnvironment(String ns, String app) {
        List<Pod> pods = readyPods(ns, app);
        assertThat(pods).isNotEmpty();
        List<Map<String, String>> seen = pods.stream().map(p -> {
            Map<String, String> env = new HashMap<>();
            for (EnvFromSource from : p.getSpec().getContainers().get(0).getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    env.putAll(client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get().getData());
                }
            }
            env.put("config-hash", p.getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION));
            return env;
        }).distinct().toList();
        assertThat(seen).as("pods of one config").hasSize(1);
        Map<String, String> env = seen.get(0);
        assertThat(env.remove("config-hash")).as("the pods run the current config").isEqualTo(configHash(ns, app));
        return env;
    }
}
