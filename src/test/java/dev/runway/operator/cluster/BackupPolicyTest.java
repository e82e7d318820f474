package dev.runway.operator.cluster;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.backup.BackupMetrics;
import dev.runway.operator.backup.BackupNames;
import dev.runway.operator.backup.BackupScripts;
import dev.runway.operator.backup.OnDemandBackups;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.monitoring.OperatorMetrics;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestClock;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.TestVolumes;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * BackupPolicies on the local control plane, in namespaces that enforce the restricted Pod Security
 * profile. Backup pods never run here: {@link FakeKubelet} ends them with the termination message
 * the scripts would write.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class BackupPolicyTest extends KubernetesTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TestClock clock;
    @Inject
    BackupMetrics metrics;
    @Inject
    MeterRegistry registry;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void childrenAsSpecifiedThePvcOutlivesThePolicy() {
        try (TestNamespace ns = restrictedNamespace("bp-children")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            create(ns, "shop-db", """
                    database: {engine: PostgreSQL, secretRef: shop-db}
                    schedule: "0 2 * * *"
                    timeZone: Europe/Berlin
                    storage: {persistentVolumeClaim: {size: 1Gi, storageClassName: standard}}
                    verification: {schedule: "0 4 * * 0"}
                    """);
            BackupPolicy ready = waitFor(ns, "shop-db", p -> isTrue(p, ConditionFactory.READY));
            assertThat(condition(ready, ConditionTypes.MONITORING).getReason()).isEqualTo("PrometheusRuleApplied");
            assertThat(condition(ready, ConditionTypes.BACKUPS_FRESH).getReason()).isEqualTo("AwaitingFirstBackup");
            assertThat(condition(ready, ConditionTypes.VERIFIED).getReason()).isEqualTo("NotVerifiedYet");
            assertThat(Instant.parse(ready.getStatus().nextScheduleTime)).isAfter(Instant.now());

            CronJob backup = client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-backup").get();
            assertThat(backup.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));
            var spec = backup.getSpec();
            assertThat(spec.getSchedule()).isEqualTo("0 2 * * *");
            assertThat(spec.getTimeZone()).isEqualTo("Europe/Berlin");
            assertThat(spec.getConcurrencyPolicy()).isEqualTo("Forbid");
            assertThat(spec.getStartingDeadlineSeconds()).isEqualTo(300L);
            assertThat(spec.getSuspend()).isFalse();
            assertThat(spec.getJobTemplate().getSpec().getBackoffLimit()).isZero();
            assertThat(spec.getJobTemplate().getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
            var pod = spec.getJobTemplate().getSpec().getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).isEqualTo("Never");
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
            assertThat(pod.getContainers().get(0).getImage()).isEqualTo("docker.io/library/postgres:16-bookworm");
            assertThat(pod.getContainers().get(0).getCommand()).containsExactly("bash", "/scripts/backup.sh");
            assertThat(pod.getContainers().get(0).getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
            assertThat(pod.getContainers().get(0).getEnv()).filteredOn(e -> e.getName().equals("DB_PASSWORD")).singleElement()
                    .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password"));

            CronJob verify = client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-verify").get();
            assertThat(verify.getSpec().getSchedule()).isEqualTo("0 4 * * 0");
            assertThat(verify.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                    .containsExactly("bash", "/scripts/verify.sh");

            var pvc = client.persistentVolumeClaims().inNamespace(ns.name()).withName("shop-db-backups").get();
            assertThat(pvc.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(pvc.getMetadata().getLabels()).containsEntry(BackupNames.POLICY_LABEL, "shop-db");
            assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("standard");
            assertThat(pvc.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
            assertThat(client.configMaps().inNamespace(ns.name()).withName("shop-db-scripts").get().getData())
                    .containsOnlyKeys(BackupScripts.FILES);
            PrometheusRule rule = client.resources(PrometheusRule.class).inNamespace(ns.name()).withName("shop-db-backup-alerts").get();
            assertThat(rule.getSpec().getGroups().get(0).getRules()).extracting(r -> r.getAlert())
                    .containsExactly("BackupStale", "BackupFailed", "VerificationFailed");

            // Both pod templates pass the restricted Pod Security profile of the namespace.
            for (CronJob cronJob : List.of(backup, verify)) {
                PodTemplateSpec template = cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
                client.pods().inNamespace(ns.name()).resource(new PodBuilder().withMetadata(template.getMetadata())
                        .editMetadata().withName(cronJob.getMetadata().getName() + "-dry-run").endMetadata()
                        .withSpec(template.getSpec()).build()).dryRun().create();
            }

            // A reconcile that finds nothing to change writes nothing: not the status, not a child.
            Map<String, String> versions = versions(ns);
            String touched = dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db")
                    .edit(p -> {
                        p.getMetadata().getLabels().put("touched", "yes");
                        return p;
                    })).getMetadata().getResourceVersion();
            Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> versions(ns).equals(versions)
                    && touched.equals(client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").get()
                            .getMetadata().getResourceVersion()));

            // Verification off: its CronJob goes.
            dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").edit(p -> {
                p.getSpec().verification = null;
                return p;
            }));
            client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-verify").waitUntilCondition(c -> c == null,
                    WAIT.toSeconds(), TimeUnit.SECONDS);

            // Deleting the policy: Kubernetes collects what it owned; the backups stay.
            client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").delete();
            client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-backup").waitUntilCondition(c -> c == null,
                    WAIT.toSeconds(), TimeUnit.SECONDS);
            client.configMaps().inNamespace(ns.name()).withName("shop-db-scripts").waitUntilCondition(c -> c == null,
                    WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).withName("shop-db-backups").get())
                    .as("the backup PVC outlives its policy").isNotNull()
                    .satisfies(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());
        }
    }

    @Test
    void backupNowRunsOneJobWhoseResultsReachStatus() {
        try (TestNamespace ns = restrictedNamespace("bp-now")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            create(ns, "shop-db", """
                    database: {engine: PostgreSQL, secretRef: shop-db}
                    schedule: "0 2 * * *"
                    storage: {persistentVolumeClaim: {size: 1Gi}}
                    verification: {schedule: "@weekly"}
                    """);
            withVolume(ns, "shop-db-backups", () -> {
                waitFor(ns, "shop-db", p -> isTrue(p, ConditionFactory.READY));

                String first = backupNow(ns, "shop-db", "");
                String completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                FakeKubelet.finish(client, ns.name(), first, 0, success("20260114T020000Z.pgdump", completedAt, 3));
                BackupPolicy done = waitFor(ns, "shop-db", p -> p.getStatus().lastBackup != null);
                assertThat(done.getStatus().lastBackup.name).isEqualTo("20260114T020000Z.pgdump");
                assertThat(done.getStatus().lastBackup.job).isEqualTo(first);
                assertThat(done.getStatus().lastBackup.sizeBytes).isEqualTo(4096L);
                assertThat(done.getStatus().lastSuccessfulBackupTime).isEqualTo(completedAt);
                assertThat(done.getStatus().backups).isEqualTo(3);
                assertThat(done.getStatus().pinnedBackups).as("the pins backup.sh listed, with their ends")
                        .extracting(p -> p.name + "@" + p.until)
                        .containsExactly("20260101T010000Z.pgdump@2026-01-08T01:00:00Z", "20251201T010000Z.pgdump@null");
                assertThat(condition(done, ConditionTypes.BACKUPS_FRESH).getStatus()).isEqualTo("True");
                waitForEvent(ns, "shop-db", "BackupSucceeded", "Normal");
                client.batch().v1().jobs().inNamespace(ns.name()).withName(first).waitUntilCondition(
                        j -> j.getStatus() != null && Integer.valueOf(1).equals(j.getStatus().getSucceeded()), WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(metrics.value(BackupMetrics.LAST_SUCCESS, ns.name(), "shop-db")).isEqualTo(Instant.parse(completedAt).getEpochSecond());
                assertThat(metrics.value(BackupMetrics.STALE_THRESHOLD, ns.name(), "shop-db")).isEqualTo(2 * 86400);

                String second = backupNow(ns, "shop-db", "before-deploy");
                assertThat(second).isNotEqualTo(first);
                assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName(second).get().getSpec().getTemplate().getSpec()
                        .getContainers().get(0).getEnv()).filteredOn(e -> e.getName().equals("BACKUP_REASON")).singleElement()
                        .satisfies(e -> assertThat(e.getValue()).isEqualTo("on-demand: before-deploy"));
                FakeKubelet.finish(client, ns.name(), second, 1, "{\"result\":\"Failed\",\"message\":\"pg_dump: connection refused\"}");
                BackupPolicy failed = waitFor(ns, "shop-db", p -> p.getStatus().lastFailure != null);
                assertThat(failed.getStatus().lastFailure.job).isEqualTo(second);
                assertThat(failed.getStatus().lastFailure.message).isEqualTo("pg_dump: connection refused");
                assertThat(failed.getStatus().lastBackup.job).as("the last good backup is still known").isEqualTo(first);
                assertThat(waitForEvent(ns, "shop-db", "BackupFailed", "Warning").getMessage()).contains("connection refused");
                client.batch().v1().jobs().inNamespace(ns.name()).withName(second).waitUntilCondition(j -> j.getStatus() != null
                        && j.getStatus().getConditions().stream().anyMatch(c -> "Failed".equals(c.getType())), WAIT.toSeconds(), TimeUnit.SECONDS);

                // The verification CronJob fires (here: a Job from its template, as kubectl create job --from would make).
                CronJob verify = client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-verify").get();
                client.resource(new JobBuilder().withNewMetadata().withName("shop-db-verify-1").withNamespace(ns.name())
                        .withLabels(verify.getSpec().getJobTemplate().getMetadata().getLabels()).endMetadata()
                        .withSpec(verify.getSpec().getJobTemplate().getSpec()).build()).create();
                FakeKubelet.finish(client, ns.name(), "shop-db-verify-1", 0,
                        "{\"result\":\"Passed\",\"backup\":\"20260114T020000Z.pgdump\",\"tables\":42,\"completedAt\":\"" + Instant.now() + "\"}");
                BackupPolicy verified = waitFor(ns, "shop-db", p -> isTrue(p, ConditionTypes.VERIFIED));
                assertThat(verified.getStatus().lastVerification.tables).isEqualTo(42);
                assertThat(verified.getStatus().lastVerification.result).isEqualTo("Passed");
                waitForEvent(ns, "shop-db", "VerificationPassed", "Normal");
                assertThat(metrics.value(BackupMetrics.VERIFICATION_PASSED, ns.name(), "shop-db")).isEqualTo(1.0);
            });
        }
    }

    @Test
    void backupsTurnStaleByTheClockWithoutAnyEvent() {
        try (TestNamespace ns = restrictedNamespace("bp-stale")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            create(ns, "shop-db", """
                    database: {engine: PostgreSQL, secretRef: shop-db}
                    schedule: "0 2 * * *"
                    storage: {persistentVolumeClaim: {size: 1Gi}}
                    """);
            withVolume(ns, "shop-db-backups", () -> {
                waitFor(ns, "shop-db", p -> isTrue(p, ConditionFactory.READY));
                String job = backupNow(ns, "shop-db", "");
                FakeKubelet.runningPodOf(client, ns.name(), job);
                // Daily schedule: stale 48h after the newest backup. The operator's clock is moved to 20s before that.
                Instant completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                clock.setOffset(Duration.ofHours(48).minusSeconds(20));
                FakeKubelet.finish(client, ns.name(), job, 0, success("a.pgdump", completedAt.toString(), 1));
                BackupPolicy fresh = waitFor(ns, "shop-db", p -> p.getStatus().lastBackup != null);
                assertThat(condition(fresh, ConditionTypes.BACKUPS_FRESH).getStatus()).isEqualTo("True");

                // Nothing else happens; the reconcile the operator scheduled for the deadline flips the condition.
                BackupPolicy stale = waitFor(ns, "shop-db", p -> "False".equals(condition(p, ConditionTypes.BACKUPS_FRESH).getStatus()));
                Condition c = condition(stale, ConditionTypes.BACKUPS_FRESH);
                assertThat(c.getReason()).isEqualTo("BackupStale");
                assertThat(Instant.parse(c.getLastTransitionTime())).isAfterOrEqualTo(completedAt.plus(Duration.ofHours(48)));
                assertThat(waitForEvent(ns, "shop-db", "BackupStale", "Warning").getMessage()).contains("a.pgdump");
                assertThat(isTrue(stale, ConditionFactory.READY)).as("the policy itself is still in force").isTrue();
                // The operator-wide gauge counts it (compared with the cluster: other tests' policies may come and go).
                Awaitility.await().atMost(WAIT).until(() -> {
                    List<BackupPolicy> notFresh = client.resources(BackupPolicy.class).inAnyNamespace().list().getItems().stream()
                            .filter(p -> p.getStatus() != null && "False".equals(condition(p, ConditionTypes.BACKUPS_FRESH).getStatus()))
                            .toList();
                    return notFresh.stream().anyMatch(p -> ns.name().equals(p.getMetadata().getNamespace()))
                            && registry.get(OperatorMetrics.BACKUP_POLICIES_NOT_FRESH).gauge().value() == notFresh.size();
                });
            });
        }
    }

    @Test
    void whatAdmissionCannotCheckStallsThePolicyUntilFixed() {
        try (TestNamespace ns = restrictedNamespace("bp-stalled")) {
            create(ns, "shop-db", """
                    database: {engine: PostgreSQL, secretRef: shop-db}
                    schedule: "0 0 31 2 *"
                    storage: {persistentVolumeClaim: {size: 1Gi}}
                    """);
            BackupPolicy never = waitFor(ns, "shop-db", p -> isTrue(p, ConditionFactory.STALLED));
            assertThat(condition(never, ConditionFactory.STALLED).getReason()).isEqualTo("InvalidSchedule");
            assertThat(condition(never, ConditionFactory.READY).getMessage()).contains("never fires").contains("fix spec.schedule");
            assertThat(waitForEvent(ns, "shop-db", "InvalidSchedule", "Warning").getMessage()).contains("never fires").contains("spec.schedule");
            assertThat(client.batch().v1().cronjobs().inNamespace(ns.name()).list().getItems()).isEmpty();

            dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").edit(p -> {
                p.getSpec().schedule = "0 2 * * *";
                return p;
            }));
            BackupPolicy noSecret = waitFor(ns, "shop-db", p -> "SecretNotFound".equals(condition(p, ConditionFactory.STALLED).getReason()));
            assertThat(condition(noSecret, ConditionFactory.READY).getMessage()).contains("Secret shop-db not found in " + ns.name());
            assertThat(waitForEvent(ns, "shop-db", "SecretNotFound", "Warning").getMessage()).contains("spec.database.secretRef");

            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            waitFor(ns, "shop-db", p -> isTrue(p, ConditionFactory.READY) && !isTrue(p, ConditionFactory.STALLED));
            assertThat(client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-backup").get()).isNotNull();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    static TestNamespace restrictedNamespace(String prefix) {
        TestNamespace ns = TestNamespace.create(client, prefix);
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.namespaces().withName(ns.name()).edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return n;
        }));
        return ns;
    }

    static void create(TestNamespace ns, String name, String spec) {
        BackupPolicy policy = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: BackupPolicy
                metadata: {name: %s, labels: {team: shop}}
                spec:
                """.formatted(name) + spec.indent(2), BackupPolicy.class);
        policy.getMetadata().setNamespace(ns.name());
        client.resource(policy).create();
    }

    /** resourceVersions of the policy's children. */
    static Map<String, String> versions(TestNamespace ns) {
        Map<String, String> v = new java.util.TreeMap<>();
        client.batch().v1().cronjobs().inNamespace(ns.name()).list().getItems()
                .forEach(c -> v.put("CronJob/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        client.persistentVolumeClaims().inNamespace(ns.name()).list().getItems()
                .forEach(c -> v.put("PVC/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        client.configMaps().inNamespace(ns.name()).withLabel(BackupNames.POLICY_LABEL).list().getItems()
                .forEach(c -> v.put("ConfigMap/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        client.resources(PrometheusRule.class).inNamespace(ns.name()).list().getItems()
                .forEach(c -> v.put("PrometheusRule/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        return v;
    }

    static void withVolume(TestNamespace ns, String claim, Runnable body) {
        TestVolumes.withVolume(client, ns, claim, body);
    }

    /** Annotates, waits for exactly one new manual Job and for the annotation to be gone; returns the Job's name. */
    static String backupNow(TestNamespace ns, String policy, String value) {
        List<String> before = manualJobs(ns);
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName(policy)
                .edit(p -> {
                    if (p.getMetadata().getAnnotations() == null) {
                        p.getMetadata().setAnnotations(new java.util.HashMap<>());
                    }
                    p.getMetadata().getAnnotations().put(OnDemandBackups.ANNOTATION, value);
                    return p;
                }));
        waitFor(ns, policy, p -> p.getMetadata().getAnnotations() == null || !p.getMetadata().getAnnotations().containsKey(OnDemandBackups.ANNOTATION));
        List<String> created = Awaitility.await().atMost(WAIT).until(() -> manualJobs(ns).stream().filter(j -> !before.contains(j)).toList(),
                l -> !l.isEmpty());
        // A few more reconciles (status, Job and pod events) must not make another one.
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> manualJobs(ns).size() == before.size() + 1);
        assertThat(created).singleElement().asString().startsWith(policy + "-manual-");
        waitForEvent(ns, policy, "BackupRequested", "Normal");
        return created.get(0);
    }

    static List<String> manualJobs(TestNamespace ns) {
        return client.batch().v1().jobs().inNamespace(ns.name()).withLabel(BackupNames.TRIGGER_LABEL, "manual").list().getItems()
                .stream().map(j -> j.getMetadata().getName()).toList();
    }

    static String success(String name, String completedAt, int backups) {
        return "{\"result\":\"Succeeded\",\"name\":\"" + name + "\",\"completedAt\":\"" + completedAt + "\",\"sizeBytes\":4096,"
                + "\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"durationSeconds\":2,"
                + "\"pinned\":false,\"backups\":" + backups + ",\"pruned\":0,"
                + "\"pins\":[{\"name\":\"20260101T010000Z.pgdump\",\"until\":\"2026-01-08T01:00:00Z\"},{\"name\":\"20251201T010000Z.pgdump\",\"until\":null}]}";
    }

    static BackupPolicy waitFor(TestNamespace ns, String name, Predicate<BackupPolicy> condition) {
        return client.resources(BackupPolicy.class).inNamespace(ns.name()).withName(name)
                .waitUntilCondition(p -> p != null && p.getStatus() != null && condition.test(p), WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static Event waitForEvent(TestNamespace ns, String involved, String reason, String type) {
        return Awaitility.await(reason + " event").atMost(WAIT).until(() -> client.v1().events().inNamespace(ns.name()).list().getItems()
                .stream().filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
                        && type.equals(e.getType()))
                .findFirst().orElse(null), e -> e != null);
    }

    static Condition condition(BackupPolicy policy, String type) {
        return ConditionFactory.find(policy.getStatus().conditions, type).orElseGet(Condition::new);
    }

    static boolean isTrue(BackupPolicy policy, String type) {
        return ConditionFactory.isTrue(policy.getStatus().conditions, type);
    }
}
