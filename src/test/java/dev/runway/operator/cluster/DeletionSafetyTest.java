package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.TestVolumes;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Deleting an Application, then its BackupPolicy, then the Environment that adopted their namespace
 * (with {@code deletionPolicy: Delete}, which applies only to namespaces an Environment created)
 * deletes no PVC, no backup file and not the namespace. What the Environment's field does delete,
 * and the backup PVC outliving its policy on its own, are in {@link EnvironmentTest} and
 * {@link BackupPolicyTest}.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class DeletionSafetyTest extends KubernetesTest {
    static final int WAIT = 60;

    @Test
    void deletingApplicationPolicyAndEnvironmentKeepsTheData() {
        try (TestNamespace ns = TestNamespace.create(client, "deletion-safety")) {
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("user-data").withNamespace(ns.name()).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                    .endResources().endSpec().build()).create();
            String envName = "deletion-safety-" + UUID.randomUUID().toString().substring(0, 6);
            Environment env = client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Environment
                    metadata: {name: %s}
                    spec: {tier: Development, namespace: %s, adoptExisting: true, deletionPolicy: Delete}
                    """.formatted(envName, ns.name()), Environment.class);
            client.resource(env).create();
            client.resources(Environment.class).withName(envName).waitUntilCondition(e -> e != null && e.getStatus() != null
                    && ConditionFactory.isTrue(e.getStatus().conditions, ConditionFactory.READY), WAIT, TimeUnit.SECONDS);
            assertThat(client.resources(Environment.class).withName(envName).get().getStatus().namespaceCreated).isFalse();

            BackupPolicyTest.create(ns, "shop-db", """
                    database: {engine: PostgreSQL, secretRef: shop-db}
                    schedule: "0 2 * * *"
                    storage: {persistentVolumeClaim: {size: 1Gi}}
                    """);
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: web}
                    spec: {image: example.com/web:1, secretRefs: [shop-db]}
                    """)).create();
            TestVolumes.withVolume(client, ns, "shop-db-backups", () -> {
                BackupPolicyTest.waitFor(ns, "shop-db", p -> ConditionFactory.isTrue(p.getStatus().conditions, ConditionFactory.READY));
                waitFor(client, ns.name(), "web", WAIT, a -> condition(a, "Ready", "True"));
                // A backup file on the policy's volume (the test's PV is a host directory).
                Path backup = Path.of("/tmp", ns.name() + "-shop-db-backups", "20260301T020000Z.pgdump");
                write(backup);
                client.persistentVolumeClaims().inNamespace(ns.name()).withName("shop-db-backups")
                        .waitUntilCondition(c -> c != null && "Bound".equals(c.getStatus().getPhase()), WAIT, TimeUnit.SECONDS);
                List<String> jobsBefore = jobs(ns);

                ClusterTestSupport.application(client, ns.name(), "web").delete();
                client.apps().deployments().inNamespace(ns.name()).withName("web").waitUntilCondition(Objects::isNull, WAIT, TimeUnit.SECONDS);
                ClusterTestSupport.application(client, ns.name(), "web").waitUntilCondition(Objects::isNull, WAIT, TimeUnit.SECONDS);
                assertKept(ns, backup, "after deleting the Application");
                assertThat(client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").get()).isNotNull();
                assertThat(client.secrets().inNamespace(ns.name()).withName("shop-db").get()).as("the user's Secret").isNotNull();

                client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").delete();
                client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-backup").waitUntilCondition(Objects::isNull, WAIT,
                        TimeUnit.SECONDS);
                client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db").waitUntilCondition(Objects::isNull, WAIT,
                        TimeUnit.SECONDS);
                assertKept(ns, backup, "after deleting the BackupPolicy");
                assertThat(jobs(ns)).as("no Job (a prune, a cleanup) started by the deletions").isEqualTo(jobsBefore);

                client.resources(Environment.class).withName(envName).delete();
                client.resources(Environment.class).withName(envName).waitUntilCondition(Objects::isNull, WAIT, TimeUnit.SECONDS);
                Namespace kept = client.namespaces().withName(ns.name()).get();
                assertThat(kept.getMetadata().getDeletionTimestamp()).as("the adopted namespace, despite deletionPolicy: Delete").isNull();
                assertThat(kept.getMetadata().getLabels()).doesNotContainKey(Labels.ENVIRONMENT);
                assertKept(ns, backup, "after deleting the Environment");
                assertThat(jobs(ns)).isEqualTo(jobsBefore);
                delete(backup);
            });
        }
    }

    static void assertKept(TestNamespace ns, Path backup, String when) {
        for (String claim : List.of("user-data", "shop-db-backups")) {
            PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(ns.name()).withName(claim).get();
            assertThat(pvc).as("PVC %s %s", claim, when).isNotNull();
            assertThat(pvc.getMetadata().getDeletionTimestamp()).as("PVC %s %s", claim, when).isNull();
        }
        assertThat(client.persistentVolumes().withName(ns.name() + "-shop-db-backups").get()).as("the backup volume %s", when)
                .isNotNull().satisfies(pv -> assertThat(pv.getMetadata().getDeletionTimestamp()).isNull());
        assertThat(backup).as("the backup file %s", when).exists();
    }

    static List<String> jobs(TestNamespace ns) {
        return client.batch().v1().jobs().inNamespace(ns.name()).list().getItems().stream().map(j -> j.getMetadata().getName()).sorted()
                .toList();
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "backup");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
