package dev.runway.operator.cluster;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.events;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.migration.MigrationNames;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.TestVolumes;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * MigrationJobs and Application.spec.migration on the local control plane, in namespaces that
 * enforce the restricted Pod Security profile. Migration, rollback and backup pods never run here:
 * {@link FakeKubelet} ends them as a kubelet would.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class MigrationJobTest {
    static final int WAIT = 60;
    /** A daily PostgreSQL BackupPolicy on the Secret shop-db. */
    static final String NIGHTLY_POLICY = """
            apiVersion: runway.dev/v1alpha1
            kind: BackupPolicy
            metadata: {name: nightly}
            spec:
              database: {engine: PostgreSQL, secretRef: shop-db}
              schedule: "0 2 * * *"
              storage: {persistentVolumeClaim: {size: 1Gi}}
            """;
    static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void theImageChangesOnlyAfterItsMigrationSucceeded() {
        try (TestNamespace ns = namespace("mj-success")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            client.serviceAccounts().inNamespace(ns.name()).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata().withName("shop").endMetadata().build()).create();
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec:
                      image: example.com/shop:1
                      migration: {command: [migrate, up], databaseSecretRef: shop-db}
                      imagePullSecrets: [{name: registry-credentials}]
                      serviceAccountName: shop
                      securityContext: {runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001}
                    """)).create();
            // First deployment: nothing rolls out before the migration succeeded.
            String first = MigrationNames.forImage("shop", "example.com/shop:1");
            Application migrating = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null
                    && a.getStatus().phase == ApplicationStatus.Phase.Migrating && a.getStatus().migration != null);
            assertThat(migrating.getStatus().migration.name).isEqualTo(first);
            FakeKubelet.runningPodOf(client, ns.name(), first + "-migrate");
            assertThat(deployment(ns, "shop")).as("no Deployment while the first migration runs").isNull();
            // The migration pod runs the image the way the app's pods will: same pull secret, user and ServiceAccount.
            var migratePod = client.pods().inNamespace(ns.name()).withLabel("job-name", first + "-migrate").list().getItems();
            assertThat(migratePod).isNotEmpty().allSatisfy(p -> {
                assertThat(p.getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-credentials");
                assertThat(p.getSpec().getServiceAccountName()).isEqualTo("shop");
                assertThat(p.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(10001L);
                assertThat(p.getSpec().getSecurityContext().getFsGroup()).isEqualTo(10001L);
            });
            MigrationJob mj = migrationJob(ns, first);
            assertThat(mj.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("shop"));
            assertThat(mj.getStatus().phase).isEqualTo(Phase.Running);

            FakeKubelet.finish(client, ns.name(), first + "-migrate", 0, "migrated 3 steps");
            waitForMigration(ns, first, m -> m.getStatus().phase == Phase.Succeeded);
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && "example.com/shop:1".equals(a.getStatus().stableImage));
            assertThat(image(ns, "shop")).isEqualTo("example.com/shop:1");

            // The next image: the old one keeps serving until its migration succeeded.
            ClusterTestSupport.update(client, ns.name(), "shop", a -> a.getSpec().image = "example.com/shop:2");
            String second = MigrationNames.forImage("shop", "example.com/shop:2");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Migrating
                    && second.equals(a.getStatus().migration.name));
            FakeKubelet.runningPodOf(client, ns.name(), second + "-migrate");
            assertThat(image(ns, "shop")).isEqualTo("example.com/shop:1");
            FakeKubelet.finish(client, ns.name(), second + "-migrate", 0, "migrated 1 step");
            Application healthy = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && "example.com/shop:2".equals(a.getStatus().stableImage));
            assertThat(image(ns, "shop")).isEqualTo("example.com/shop:2");
            assertThat(healthy.getStatus().migration.phase).isEqualTo("Succeeded");
            assertThat(condition(healthy, "MigrationSucceeded", "True")).isTrue();
            assertThat(events(client, ns.name(), second, "MigrationSucceeded")).isNotEmpty();
            assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName(second + "-migrate").get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName()).contains("PGPASSWORD", "DATABASE_URL");
        }
    }

    /**
     * The migration gate holds a blue-green preview the way it holds a Deployment: the Rollout keeps
     * the serving image, so no ReplicaSet of the new one exists until its migration succeeded; then
     * the preview comes up and waits for promotion, and PromotionReady says which checks passed.
     */
    @Test
    void aBlueGreenPreviewWaitsForItsMigration() {
        try (TestNamespace ns = namespace("mj-bluegreen")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec:
                      image: example.com/shop:1
                      strategy: {type: BlueGreen, blueGreen: {autoPromotion: false, scaleDownDelaySeconds: 0}}
                      migration: {command: [migrate, up], databaseSecretRef: shop-db}
                    """)).create();
            String first = MigrationNames.forImage("shop", "example.com/shop:1");
            FakeKubelet.finish(client, ns.name(), first + "-migrate", 0, "migrated 3 steps");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null && a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && "example.com/shop:1".equals(a.getStatus().stableImage));

            ClusterTestSupport.update(client, ns.name(), "shop", a -> a.getSpec().image = "example.com/shop:2");
            String second = MigrationNames.forImage("shop", "example.com/shop:2");
            Application migrating = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Migrating
                    && second.equals(a.getStatus().migration.name));
            assertThat(ConditionFactory.find(migrating.getStatus().conditions, "PromotionReady").orElseThrow().getMessage())
                    .contains("migration: running (MigrationJob " + second);
            FakeKubelet.runningPodOf(client, ns.name(), second + "-migrate");
            assertThat(rolloutImage(ns)).isEqualTo("example.com/shop:1");
            assertThat(replicaSetImages(ns)).as("no preview before the migration").containsOnly("example.com/shop:1");

            FakeKubelet.finish(client, ns.name(), second + "-migrate", 0, "migrated 1 step");
            Application awaiting = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.AwaitingPromotion);
            assertThat(awaiting.getStatus().previewImage).isEqualTo("example.com/shop:2");
            assertThat(awaiting.getStatus().stableImage).isEqualTo("example.com/shop:1");
            var gate = ConditionFactory.find(awaiting.getStatus().conditions, "PromotionReady").orElseThrow();
            assertThat(gate.getStatus()).isEqualTo("False");
            assertThat(gate.getMessage()).contains("migration: passed (MigrationJob " + second + ", Succeeded)").contains("approval: waiting");

            ClusterTestSupport.annotate(client, ns.name(), "shop", "runway.dev/promote", "");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && "example.com/shop:2".equals(a.getStatus().stableImage));
        }
    }

    /** The same gate holds a canary: no ReplicaSet of the new image until its migration succeeded. */
    @Test
    void aCanaryWaitsForItsMigration() {
        try (TestNamespace ns = namespace("mj-canary")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec:
                      image: example.com/shop:1
                      replicas: 2
                      strategy: {type: Canary, canary: {steps: [{setWeight: 50}, {pause: {}}]}}
                      migration: {command: [migrate, up], databaseSecretRef: shop-db}
                    """)).create();
            String first = MigrationNames.forImage("shop", "example.com/shop:1");
            FakeKubelet.finish(client, ns.name(), first + "-migrate", 0, "migrated 3 steps");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null && a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && "example.com/shop:1".equals(a.getStatus().stableImage));

            ClusterTestSupport.update(client, ns.name(), "shop", a -> a.getSpec().image = "example.com/shop:2");
            String second = MigrationNames.forImage("shop", "example.com/shop:2");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Migrating
                    && second.equals(a.getStatus().migration.name));
            FakeKubelet.runningPodOf(client, ns.name(), second + "-migrate");
            assertThat(rolloutImage(ns)).isEqualTo("example.com/shop:1");
            assertThat(replicaSetImages(ns)).as("no canary before the migration").containsOnly("example.com/shop:1");

            FakeKubelet.finish(client, ns.name(), second + "-migrate", 0, "migrated 1 step");
            Application awaiting = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.AwaitingPromotion);
            assertThat(awaiting.getStatus().canary.image).isEqualTo("example.com/shop:2");
            assertThat(awaiting.getStatus().canary.weight).isEqualTo(50);
            ClusterTestSupport.annotate(client, ns.name(), "shop", "runway.dev/promote", "");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Healthy
                    && "example.com/shop:2".equals(a.getStatus().stableImage));
        }
    }

    private static String rolloutImage(TestNamespace ns) {
        return client.resources(io.argoproj.v1alpha1.Rollout.class).inNamespace(ns.name()).withName("shop").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static java.util.List<String> replicaSetImages(TestNamespace ns) {
        return client.apps().replicaSets().inNamespace(ns.name()).list().getItems().stream()
                .map(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).toList();
    }

    /**
     * A MigrationJob made by hand with the name and label the Application expects, and even
     * succeeded, does not open the gate: only one controlled by the Application (ownerReference uid)
     * does. It is neither adopted nor deleted; once its owner removes it, the Application makes its own.
     */
    @Test
    void aHandMadeMigrationJobOfTheExpectedNameIsRefusedNeverAdoptedNorDeleted() {
        try (TestNamespace ns = namespace("mj-foreign")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            String name = MigrationNames.forImage("shop", "example.com/shop:1");
            MigrationJob forged = client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: MigrationJob
                    metadata: {name: %s, labels: {%s: shop}}
                    spec: {application: shop, image: example.com/shop:1, command: ["true"], databaseSecretRef: shop-db}
                    """.formatted(name, MigrationNames.APPLICATION_LABEL), MigrationJob.class);
            forged.getMetadata().setNamespace(ns.name());
            forged.setStatus(null);
            client.resource(forged).create();
            FakeKubelet.runningPodOf(client, ns.name(), name + "-migrate");
            FakeKubelet.finish(client, ns.name(), name + "-migrate", 0, "nothing migrated");
            waitForMigration(ns, name, m -> m.getStatus().phase == Phase.Succeeded);

            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec:
                      image: example.com/shop:1
                      migration: {command: [migrate, up], databaseSecretRef: shop-db}
                    """)).create();
            Application refused = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null
                    && condition(a, ConditionFactory.STALLED, "True"));
            var ready = ConditionFactory.find(refused.getStatus().conditions, ConditionFactory.READY).orElseThrow();
            assertThat(ready.getReason()).isEqualTo("MigrationJobNotOwned");
            assertThat(ready.getMessage()).contains("MigrationJob " + name, "not owned by Application shop");
            assertThat(events(client, ns.name(), "shop", "MigrationJobNotOwned")).isNotEmpty();
            assertThat(deployment(ns, "shop")).as("the forged migration opened no gate").isNull();
            MigrationJob untouched = migrationJob(ns, name);
            assertThat(untouched).as("never deleted").isNotNull();
            assertThat(untouched.getMetadata().getOwnerReferences()).as("never adopted").isNullOrEmpty();

            String forgedUid = untouched.getMetadata().getUid();
            client.resource(untouched).withTimeout(WAIT, TimeUnit.SECONDS).delete();
            MigrationJob own = client.resources(MigrationJob.class).inNamespace(ns.name()).withName(name)
                    .waitUntilCondition(m -> m != null && !forgedUid.equals(m.getMetadata().getUid()), WAIT, TimeUnit.SECONDS);
            assertThat(own.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("shop"));
        }
    }

    @Test
    void aFailedMigrationLeavesTheOldImageServingAndRollsBack() {
        try (TestNamespace ns = namespace("mj-failure")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: shop}
                    spec:
                      image: example.com/shop:1
                      migration:
                        command: [migrate, up]
                        databaseSecretRef: shop-db
                        backoffLimit: 0
                        rollback: {command: [migrate, down]}
                    """)).create();
            String first = MigrationNames.forImage("shop", "example.com/shop:1");
            FakeKubelet.finish(client, ns.name(), first + "-migrate", 0, "ok");
            waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null && a.getStatus().phase == ApplicationStatus.Phase.Healthy);

            ClusterTestSupport.update(client, ns.name(), "shop", a -> a.getSpec().image = "example.com/shop:2");
            String second = MigrationNames.forImage("shop", "example.com/shop:2");
            FakeKubelet.finish(client, ns.name(), second + "-migrate", 1, "ERROR: column \"email\" already exists");
            FakeKubelet.runningPodOf(client, ns.name(), second + "-rollback");
            Application degraded = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Degraded);
            assertThat(ConditionFactory.find(degraded.getStatus().conditions, "Degraded").get().getMessage())
                    .contains("column \"email\" already exists").contains("example.com/shop:1 keeps serving");
            assertThat(image(ns, "shop")).isEqualTo("example.com/shop:1");
            assertThat(degraded.getStatus().stableImage).isEqualTo("example.com/shop:1");

            FakeKubelet.finish(client, ns.name(), second + "-rollback", 0, "rolled back");
            MigrationJob rolledBack = waitForMigration(ns, second, m -> m.getStatus().phase == Phase.RolledBack);
            assertThat(rolledBack.getStatus().rollbackJob).isEqualTo(second + "-rollback");
            assertThat(rolledBack.getStatus().message).isEqualTo("ERROR: column \"email\" already exists");
            assertThat(rolledBack.getStatus().attempts).isEqualTo(1);
            assertThat(ConditionFactory.isTrue(rolledBack.getStatus().conditions, ConditionTypes.FAILED)).isTrue();
            waitFor(client, ns.name(), "shop", WAIT, a -> "RolledBack".equals(a.getStatus().migration.phase)
                    && a.getStatus().phase == ApplicationStatus.Phase.Degraded);
            assertThat(image(ns, "shop")).isEqualTo("example.com/shop:1");
            await(WAIT).until(() -> !events(client, ns.name(), second, "RolledBack").isEmpty());
        }
    }

    @Test
    void noMigrationJobBeforeTheRequiredBackupSucceeded() {
        try (TestNamespace ns = namespace("mj-backup")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            ClusterTestSupport.createFromYaml(client, ns.name(), BackupPolicy.class, NIGHTLY_POLICY);
            withVolume(ns, "nightly-backups", () -> {
                createMigrationJob(ns, "shop-v2", "backup: {policy: nightly}");
                FakeKubelet.runningPodOf(client, ns.name(), "shop-v2-backup");
                waitForMigration(ns, "shop-v2", m -> m.getStatus().phase == Phase.BackingUp);
                Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> client.batch().v1().jobs().inNamespace(ns.name()).withName("shop-v2-migrate").get() == null);
                var backupJob = client.batch().v1().jobs().inNamespace(ns.name()).withName("shop-v2-backup").get();
                assertThat(backupJob.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getKind()).isEqualTo("BackupPolicy"));
                assertThat(backupJob.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                        .filteredOn(e -> e.getName().equals("BACKUP_PIN")).singleElement()
                        .satisfies(e -> assertThat(e.getValue()).isEqualTo("true"));
                // Pinned for the rollback window (spec.backup.pinDays, default 7 days), then back to retention.
                assertThat(backupJob.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                        .filteredOn(e -> e.getName().equals("BACKUP_PIN_UNTIL")).singleElement()
                        .satisfies(e -> assertThat(Instant.parse(e.getValue())).isBetween(
                                Instant.now().plus(Duration.ofDays(7)).minusSeconds(120), Instant.now().plus(Duration.ofDays(7))));

                String completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                FakeKubelet.finish(client, ns.name(), "shop-v2-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T100000Z.pgdump\","
                        + "\"completedAt\":\"" + completedAt + "\",\"pinned\":true}");
                MigrationJob running = waitForMigration(ns, "shop-v2", m -> m.getStatus().phase == Phase.Running);
                assertThat(running.getStatus().backup.job).isEqualTo("shop-v2-backup");
                assertThat(running.getStatus().backup.name).isEqualTo("20260301T100000Z.pgdump");
                assertThat(running.getStatus().backup.completedAt).isEqualTo(completedAt);
                assertThat(running.getStatus().backup.pinnedUntil).as("the end of the pin, in status")
                        .isEqualTo(backupJob.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                                .filter(e -> e.getName().equals("BACKUP_PIN_UNTIL")).findFirst().orElseThrow().getValue());
                assertThat(ConditionFactory.isTrue(running.getStatus().conditions, ConditionTypes.BACKUP_TAKEN)).isTrue();
                FakeKubelet.runningPodOf(client, ns.name(), "shop-v2-migrate");
                waitForBackupPolicy(ns, "nightly", p -> p.getStatus().lastBackup != null
                        && "shop-v2-backup".equals(p.getStatus().lastBackup.job));
            });
        }
    }

    @Test
    void aMissingBackupPolicyOrSecretIsReportedUntilItExists() {
        try (TestNamespace ns = namespace("mj-missing")) {
            createMigrationJob(ns, "no-policy", "backup: {policy: nowhere}");
            MigrationJob noPolicy = waitForMigration(ns, "no-policy", m -> reason(m, "Stalled").equals("BackupPolicyNotFound"));
            assertThat(ConditionFactory.find(noPolicy.getStatus().conditions, "Ready").get().getMessage())
                    .contains("BackupPolicy nowhere not found in " + ns.name()).contains("create it").contains("spec.backup");
            await(WAIT).until(() -> events(client, ns.name(), "no-policy", "BackupPolicyNotFound").stream()
                    .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("spec.backup")));
            assertThat(noPolicy.getStatus().phase).isEqualTo(Phase.Pending);

            createMigrationJob(ns, "no-secret", "");
            MigrationJob noSecret = waitForMigration(ns, "no-secret", m -> reason(m, "Stalled").equals("SecretNotFound"));
            assertThat(ConditionFactory.find(noSecret.getStatus().conditions, "Ready").get().getMessage())
                    .contains("Secret shop-db not found in " + ns.name()).contains("spec.databaseSecretRef");
            await(WAIT).until(() -> events(client, ns.name(), "no-secret", "SecretNotFound").stream()
                    .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("spec.databaseSecretRef")));
            assertThat(client.batch().v1().jobs().inNamespace(ns.name()).list().getItems()).isEmpty();

            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            waitForMigration(ns, "no-secret", m -> m.getStatus().phase == Phase.Running);
            FakeKubelet.runningPodOf(client, ns.name(), "no-secret-migrate");
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    static TestNamespace namespace(String prefix) {
        TestNamespace ns = TestNamespace.create(client, prefix);
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.namespaces().withName(ns.name()).edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return n;
        }));
        return ns;
    }

    static void createMigrationJob(TestNamespace ns, String name, String extra) {
        MigrationJob mj = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: %s}
                spec:
                  image: example.com/shop:2
                  command: [migrate, up]
                  databaseSecretRef: shop-db
                """.formatted(name) + extra.indent(2), MigrationJob.class);
        mj.getMetadata().setNamespace(ns.name());
        mj.setStatus(null);
        client.resource(mj).create();
    }

    static MigrationJob migrationJob(TestNamespace ns, String name) {
        return client.resources(MigrationJob.class).inNamespace(ns.name()).withName(name).get();
    }

    static MigrationJob waitForMigration(TestNamespace ns, String name, Predicate<MigrationJob> until) {
        return client.resources(MigrationJob.class).inNamespace(ns.name()).withName(name)
                .waitUntilCondition(m -> m != null && m.getStatus() != null && m.getStatus().phase != null && until.test(m), WAIT, TimeUnit.SECONDS);
    }

    static BackupPolicy waitForBackupPolicy(TestNamespace ns, String name, Predicate<BackupPolicy> until) {
        return client.resources(BackupPolicy.class).inNamespace(ns.name()).withName(name)
                .waitUntilCondition(p -> p != null && p.getStatus() != null && until.test(p), WAIT, TimeUnit.SECONDS);
    }

    static String reason(MigrationJob mj, String type) {
        return ConditionFactory.find(mj.getStatus().conditions, type).filter(c -> "True".equals(c.getStatus()))
                .map(c -> c.getReason()).orElse("");
    }

    static Deployment deployment(TestNamespace ns, String name) {
        return client.apps().deployments().inNamespace(ns.name()).withName(name).get();
    }

    static String image(TestNamespace ns, String name) {
        return deployment(ns, name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static void withVolume(TestNamespace ns, String claim, Runnable body) {
        TestVolumes.withVolume(client, ns, claim, body);
    }
}
