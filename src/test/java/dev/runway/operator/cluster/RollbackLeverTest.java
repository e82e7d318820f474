package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.events;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Annotations;
import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.ConditionTypes;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.migration.MigrationNames;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * runway.dev/rollback on the local control plane: a revision whose migration succeeded is rolled
 * back to the earlier image, and its data by the migration's rollback command or by an in-place
 * Restore of its pre-migration backup; a value that does not say what to do with the data does
 * nothing. Job results are written by {@link FakeKubelet}.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class RollbackLeverTest {
    static final int WAIT = MigrationJobTest.WAIT;
    static final String V1 = "example.com/shop:1";
    static final String V2 = "example.com/shop:2";
    static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        MigrationJobTest.client = client;
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void imageAndDataRunsTheRollbackCommandOnceAndServesTheEarlierImage() {
        try (TestNamespace ns = MigrationJobTest.namespace("rb-command")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            String second = migratedTwice(ns, "rollback: {command: [migrate, down]}", false);

            ClusterTestSupport.annotate(client, ns.name(), "shop", Annotations.ROLLBACK, "image-and-data");
            await(WAIT).until(() -> V1.equals(MigrationJobTest.image(ns, "shop")));
            var job = client.batch().v1().jobs().inNamespace(ns.name()).withName(second + "-rollback").waitUntilCondition(
                    j -> j != null, WAIT, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).containsExactly("migrate", "down");
            assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo(second));
            Application underway = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().rollback != null
                    && !a.getMetadata().getAnnotations().containsKey(Annotations.ROLLBACK));
            assertThat(underway.getStatus().rollback.outcome).isEqualTo("InProgress");
            assertThat(underway.getStatus().failedRevision.image).isEqualTo(V2);

            FakeKubelet.finish(client, ns.name(), second + "-rollback", 0, "rolled back 1 step");
            Application done = waitFor(client, ns.name(), "shop", WAIT, a -> "Succeeded".equals(a.getStatus().rollback.outcome));
            var rollback = done.getStatus().rollback;
            assertThat(rollback.requested).isEqualTo("image-and-data");
            assertThat(rollback.image).isEqualTo(V2);
            assertThat(rollback.toImage).isEqualTo(V1);
            assertThat(rollback.data.method).isEqualTo("Command");
            assertThat(rollback.data.job).isEqualTo(second + "-rollback");
            assertThat(rollback.data.phase).isEqualTo("Succeeded");
            assertThat(done.getStatus().stableImage).isEqualTo(V1);
            assertThat(done.getStatus().phase).isEqualTo(ApplicationStatus.Phase.RolledBack);
            assertThat(ConditionFactory.find(done.getStatus().conditions, ConditionTypes.ROLLBACK).get().getReason())
                    .isEqualTo("RollbackSucceeded");
            await(WAIT).until(() -> !events(client, ns.name(), "shop", "RollbackSucceeded").isEmpty());
            // Created once: the same Job, one pod, and nothing further.
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    job.getMetadata().getUid().equals(client.batch().v1().jobs().inNamespace(ns.name()).withName(second + "-rollback").get()
                            .getMetadata().getUid()));
            assertThat(FakeKubelet.podsOf(client, ns.name(), second + "-rollback")).hasSize(1);
            // A status write that conflicts repeats the decision (and its event) on the object read again; it never
            // makes a second Job (derived name, created once).
            assertThat(events(client, ns.name(), "shop", "RollbackStarted")).isNotEmpty().extracting(e -> e.getMessage()).containsOnly(
                    "runway.dev/rollback=image-and-data: rolling " + V2 + " back to " + V1 + "; data: rollback command of MigrationJob "
                            + second + " (Job " + second + "-rollback), Pending");
            assertThat(client.resources(Restore.class).inNamespace(ns.name()).list().getItems()).isEmpty();
        }
    }

    @Test
    void imageAndDataWithoutACommandRestoresThePreMigrationBackupInPlaceAfterASafetyBackup() {
        try (TestNamespace ns = MigrationJobTest.namespace("rb-restore")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            ClusterTestSupport.createFromYaml(client, ns.name(), BackupPolicy.class, MigrationJobTest.NIGHTLY_POLICY);
            MigrationJobTest.withVolume(ns, "nightly-backups", () -> {
                String second = migratedTwice(ns, "backupPolicy: nightly", true);

                ClusterTestSupport.annotate(client, ns.name(), "shop", Annotations.ROLLBACK, "image-and-data");
                Application underway = waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().rollback != null
                        && a.getStatus().rollback.data.restore != null);
                String name = underway.getStatus().rollback.data.restore;
                Restore restore = client.resources(Restore.class).inNamespace(ns.name()).withName(name)
                        .waitUntilCondition(r -> r != null, WAIT, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(restore.getSpec().target.inPlace).isTrue();
                assertThat(restore.getSpec().target.replaceExistingData).isTrue();
                assertThat(restore.getSpec().backup.select.name()).isEqualTo("PreMigration");
                assertThat(restore.getSpec().backup.migrationJob).isEqualTo(second);
                assertThat(restore.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("Application"));
                await(WAIT).until(() -> V1.equals(MigrationJobTest.image(ns, "shop")));

                // The Restore's own steps: a pinned safety backup of what is there, then the restore.
                String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                FakeKubelet.finish(client, ns.name(), name + "-safety-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T120000Z.pgdump\","
                        + "\"completedAt\":\"" + now + "\",\"pinned\":true}");
                FakeKubelet.finish(client, ns.name(), name + "-restore", 0, "{\"result\":\"Succeeded\",\"backup\":\"20260301T110000Z.pgdump\","
                        + "\"sha256\":\"ab\",\"target\":\"shop\",\"inPlace\":true,\"tables\":2,\"rows\":42,\"durationSeconds\":1,"
                        + "\"startedAt\":\"" + now + "\",\"completedAt\":\"" + now + "\"}");
                Application done = waitFor(client, ns.name(), "shop", WAIT, a -> "Succeeded".equals(a.getStatus().rollback.outcome));
                var data = done.getStatus().rollback.data;
                assertThat(data.method).isEqualTo("Restore");
                assertThat(data.safetyBackup).isEqualTo("20260301T120000Z.pgdump");
                assertThat(data.message).contains("42 rows in 2 tables").contains("20260301T110000Z.pgdump");
                assertThat(done.getStatus().rollback.message).contains("safety backup 20260301T120000Z.pgdump");
                assertThat(done.getStatus().stableImage).isEqualTo(V1);
                assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName(second + "-rollback").get()).isNull();
            });
        }
    }

    @Test
    void aValueThatDoesNotSayWhatHappensToMigratedDataIsRefusedAndNothingIsDone() {
        try (TestNamespace ns = MigrationJobTest.namespace("rb-refused")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            String second = migratedTwice(ns, "rollback: {command: [migrate, down]}", false);

            ClusterTestSupport.annotate(client, ns.name(), "shop", Annotations.ROLLBACK, "yes");
            await(WAIT).until(() -> events(client, ns.name(), "shop", "RollbackRefused").stream()
                    .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains("use image")
                            && e.getMessage().contains("image-and-data")));
            Application refused = waitFor(client, ns.name(), "shop", WAIT, a -> !a.getMetadata().getAnnotations().containsKey(Annotations.ROLLBACK)
                    && ConditionFactory.find(a.getStatus().conditions, ConditionTypes.ROLLBACK).isPresent());
            assertThat(ConditionFactory.find(refused.getStatus().conditions, ConditionTypes.ROLLBACK).get().getReason()).isEqualTo("RollbackRefused");
            assertThat(refused.getStatus().rollback).isNull();
            assertThat(refused.getStatus().failedRevision).isNull();
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> V2.equals(MigrationJobTest.image(ns, "shop")));
            assertThat(client.batch().v1().jobs().inNamespace(ns.name()).withName(second + "-rollback").get()).isNull();
            assertThat(client.resources(Restore.class).inNamespace(ns.name()).list().getItems()).isEmpty();
        }
    }

    /**
     * Application shop with spec.migration (plus {@code extra}) rolled out on V1, then V2, each
     * migration succeeded (after its backup, when {@code backups}); returns V2's MigrationJob name.
     */
    static String migratedTwice(TestNamespace ns, String extra, boolean backups) {
        client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop}
                spec:
                  image: %s
                  migration:
                    command: [migrate, up]
                    databaseSecretRef: shop-db
                """.formatted(V1) + extra.indent(4))).create();
        migrate(ns, MigrationNames.forImage("shop", V1), backups, "20260301T100000Z.pgdump");
        waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus() != null && a.getStatus().phase == ApplicationStatus.Phase.Healthy
                && V1.equals(a.getStatus().stableImage));
        ClusterTestSupport.update(client, ns.name(), "shop", a -> a.getSpec().image = V2);
        String second = MigrationNames.forImage("shop", V2);
        migrate(ns, second, backups, "20260301T110000Z.pgdump");
        waitFor(client, ns.name(), "shop", WAIT, a -> a.getStatus().phase == ApplicationStatus.Phase.Healthy
                && V2.equals(a.getStatus().stableImage));
        return second;
    }

    private static void migrate(TestNamespace ns, String mj, boolean backup, String backupName) {
        if (backup) {
            FakeKubelet.finish(client, ns.name(), mj + "-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"" + backupName + "\","
                    + "\"completedAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"pinned\":true}");
        }
        FakeKubelet.finish(client, ns.name(), mj + "-migrate", 0, "migrated");
        MigrationJobTest.waitForMigration(ns, mj, m -> m.getStatus().phase == Phase.Succeeded);
    }
}
