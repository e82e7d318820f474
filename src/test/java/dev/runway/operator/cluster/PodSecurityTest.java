package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.FakeKubelet;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.TestVolumes;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every pod template the operator writes is admitted in a namespace that enforces the restricted
 * Pod Security profile: not only the objects, the Pods their controllers create from them (a
 * violation shows as no Pod and a FailedCreate event on the ReplicaSet or Job).
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class PodSecurityTest extends KubernetesTest {
    static final int WAIT = 90;

    @Test
    void everyPodTemplateIsAdmittedUnderRestricted() {
        try (TestNamespace ns = BackupPolicyTest.restrictedNamespace("psa-restricted")) {
            assertThat(client.namespaces().withName(ns.name()).get().getMetadata().getLabels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
            ClusterTestSupport.databaseSecret(client, ns.name(), "shop-db");
            // The Application's Deployment, a blue-green Rollout (Argo makes its ReplicaSets), a BackupPolicy
            // with verification, and a MigrationJob that backs up, fails and rolls back.
            for (String app : List.of("{name: web}\nspec: {image: example.com/web:1}",
                    "{name: bg}\nspec: {image: example.com/bg:1, strategy: {type: BlueGreen}}")) {
                client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(),
                        "apiVersion: runway.dev/v1alpha1\nkind: Application\nmetadata: " + app)).create();
            }
            BackupPolicyTest.create(ns, "shop-db", """
                    database: {engine: PostgreSQL, secretRef: shop-db}
                    schedule: "0 2 * * *"
                    storage: {persistentVolumeClaim: {size: 1Gi}}
                    verification: {schedule: "0 4 * * 0"}
                    """);
            TestVolumes.withVolume(client, ns, "shop-db-backups", () -> {
                BackupPolicyTest.waitFor(ns, "shop-db", p -> ConditionFactory.isTrue(p.getStatus().conditions, ConditionFactory.READY));
                // One Job of the policy at a time uses the backup volume (backup/VolumeUsers): the on-demand
                // backup first, finished, then the MigrationJob's backup, then the CronJobs' Jobs.
                String manual = BackupPolicyTest.backupNow(ns, "shop-db", "psa");
                FakeKubelet.finish(client, ns.name(), manual, 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T090000Z.pgdump\","
                        + "\"completedAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}");
                MigrationJob mj = client.getKubernetesSerialization().unmarshal("""
                        apiVersion: runway.dev/v1alpha1
                        kind: MigrationJob
                        metadata: {name: shop-v2}
                        spec:
                          image: example.com/shop:2
                          command: [migrate, up]
                          databaseSecretRef: shop-db
                          backoffLimit: 0
                          backup: {policy: shop-db}
                          rollback: {command: [migrate, down]}
                        """, MigrationJob.class);
                mj.getMetadata().setNamespace(ns.name());
                client.resource(mj).create();

                FakeKubelet.finish(client, ns.name(), "shop-v2-backup", 0, "{\"result\":\"Succeeded\",\"name\":\"20260301T100000Z.pgdump\","
                        + "\"completedAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"pinned\":true}");
                // The CronJobs fire (a Job from each template, as kubectl create job --from would make).
                for (String cronJob : List.of("shop-db-backup", "shop-db-verify")) {
                    CronJob template = client.batch().v1().cronjobs().inNamespace(ns.name()).withName(cronJob).get();
                    client.resource(new JobBuilder().withNewMetadata().withName(cronJob + "-fired").withNamespace(ns.name())
                            .withLabels(template.getSpec().getJobTemplate().getMetadata().getLabels()).endMetadata()
                            .withSpec(template.getSpec().getJobTemplate().getSpec()).build()).create();
                }
                FakeKubelet.finish(client, ns.name(), "shop-v2-migrate", 1, "ERROR: relation exists");
                FakeKubelet.runningPodOf(client, ns.name(), "shop-v2-rollback");

                // Each workload object has a Pod of its own; none of its creations was refused.
                Map<String, HasMetadata> controllers = new TreeMap<>();
                for (String job : List.of("shop-db-backup-fired", "shop-db-verify-fired", manual, "shop-v2-backup", "shop-v2-migrate",
                        "shop-v2-rollback")) {
                    controllers.put("Job/" + job, client.batch().v1().jobs().inNamespace(ns.name()).withName(job).get());
                }
                for (String app : List.of("web", "bg")) {
                    var replicaSets = client.apps().replicaSets().inNamespace(ns.name()).list().getItems().stream()
                            .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> app.equals(o.getName())))
                            .toList();
                    assertThat(replicaSets).as("ReplicaSets of %s", app).isNotEmpty();
                    replicaSets.forEach(rs -> controllers.put("ReplicaSet/" + rs.getMetadata().getName() + " (" + app + ")", rs));
                }
                assertThat(client.apps().replicaSets().inNamespace(ns.name()).list().getItems())
                        .as("a blue-green ReplicaSet is owned by the Argo Rollout")
                        .anySatisfy(rs -> assertThat(rs.getMetadata().getOwnerReferences()).anySatisfy(o -> {
                            assertThat(o.getKind()).isEqualTo("Rollout");
                            assertThat(o.getName()).isEqualTo("bg");
                        }));
                controllers.forEach((what, controller) -> {
                    assertThat(controller).as(what).isNotNull();
                    String uid = controller.getMetadata().getUid();
                    List<Pod> pods = ClusterTestSupport.await(WAIT).until(() -> podsOwnedBy(ns, uid), l -> !l.isEmpty());
                    assertThat(pods).as("pods of %s", what).isNotEmpty();
                });
                List<String> refused = client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                        .filter(e -> "FailedCreate".equals(e.getReason()) || String.valueOf(e.getMessage()).contains("PodSecurity"))
                        .map(e -> e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName() + ": " + e.getMessage())
                        .toList();
                assertThat(refused).as("pod creations refused in %s", ns.name()).isEmpty();
            });
        }
    }

    static List<Pod> podsOwnedBy(TestNamespace ns, String uid) {
        return client.pods().inNamespace(ns.name()).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid())))
                .toList();
    }
}
