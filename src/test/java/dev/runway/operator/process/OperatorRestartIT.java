package dev.runway.operator.process;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.RunwayStatus;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.ApplicationFleet;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The operator process dies or is stopped while work is under way: the next process finishes the
 * work from what the cluster says, makes no duplicates and rewrites nothing that had converged.
 */
@Tag(Tiers.CLUSTER)
class OperatorRestartIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(OperatorRestartIT.class);
    static final Duration STARTUP = Duration.ofSeconds(120);
    private static final int BURST = 200;
    /** MigrationJobs created in the same burst: each must end with exactly one migrate Job. */
    private static final int MIGRATIONS = 20;

    @Test
    void killedMidBurstTheNextProcessConvergesAllWithoutDuplicatesOrRewritingConvergedOnes() throws Exception {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "burst");
                OperatorProcess first = operator("burst-first", ns).build();
                OperatorProcess second = operator("burst-second", ns).build()) {
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            ClusterTestSupport.databaseSecret(client, ns.name(), "db");
            first.start().awaitReady(STARTUP);
            long t0 = System.nanoTime();
            ExecutorService creators = Executors.newFixedThreadPool(2);
            List<Future<Application>> created = IntStream.range(0, BURST).mapToObj(i -> creators.submit(() -> fleet.create(i))).toList();
            List<Future<MigrationJob>> migrations = IntStream.range(0, MIGRATIONS)
                    .mapToObj(i -> creators.submit(() -> migration(ns.name(), "mig-" + i))).toList();
            creators.shutdown();

            await(300).pollInterval(Duration.ofMillis(500)).until(() -> fleet.convergedNames().size() >= BURST / 2);
            first.kill();
            Set<String> convergedBeforeKill = fleet.convergedNames();
            LOG.infof("killed %s after %d ms with %d of %d converged", first.name(), (System.nanoTime() - t0) / 1_000_000,
                    convergedBeforeKill.size(), BURST);
            for (Future<?> f : created) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (Future<?> f : migrations) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertThat(convergedBeforeKill).as("killed mid-burst, not after it").hasSizeLessThan(BURST);

            AuditLog.Mark restart = audit.mark();
            long t1 = System.nanoTime();
            second.start().awaitReady(STARTUP);
            fleet.awaitConverged(fleet.names(BURST), Duration.ofSeconds(300));
            LOG.infof("%s converged all %d within %d ms of its start", second.name(), BURST, (System.nanoTime() - t1) / 1_000_000);

            // Exactly one of each child per Application.
            assertThat(fleet.ownedCounts(Deployment.class)).hasSize(BURST).allSatisfy((app, n) -> assertThat(n).as(app).isEqualTo(1));
            assertThat(fleet.ownedCounts(Service.class)).hasSize(BURST).allSatisfy((app, n) -> assertThat(n).as(app).isEqualTo(1));
            assertThat(fleet.ownedCounts(ConfigMap.class)).hasSize(BURST).allSatisfy((app, n) -> assertThat(n).as(app).isEqualTo(1));
            // Exactly one migrate Job per MigrationJob, whichever process started it (kwok's Job pods run until told otherwise).
            await(120).untilAsserted(() -> assertThat(client.resources(MigrationJob.class).inNamespace(ns.name()).list().getItems())
                    .hasSize(MIGRATIONS).allSatisfy(m -> assertThat(m.getStatus()).as(m.getMetadata().getName()).isNotNull()
                            .extracting(st -> st.job).isNotNull()));
            Map<String, Long> jobsPerMigration = client.batch().v1().jobs().inNamespace(ns.name()).list().getItems().stream()
                    .flatMap(j -> j.getMetadata().getOwnerReferences().stream().filter(o -> o.getKind().equals("MigrationJob")))
                    .collect(java.util.stream.Collectors.groupingBy(o -> o.getName(), java.util.stream.Collectors.counting()));
            assertThat(jobsPerMigration).as("Jobs per MigrationJob").hasSize(MIGRATIONS)
                    .allSatisfy((m, n) -> assertThat(n).as(m).isEqualTo(1));

            // Every Application that had converged was reconciled by the new process, and that wrote nothing for it.
            await(120).untilAsserted(() -> assertThat(reconciledNames(second)).containsAll(convergedBeforeKill));
            List<AuditLog.Entry> rewrites = audit.writesBy(restart, second).stream()
                    .filter(e -> e.namespace().equals(ns.name()) && convergedBeforeKill.stream().anyMatch(app -> concerns(e, app)))
                    .toList();
            assertThat(rewrites).as("writes by %s for Applications converged before the kill", second.name()).isEmpty();
            assertThat(audit.writesBy(restart, second)).as("the new process did finish the others' work")
                    .anyMatch(e -> e.resource().equals("applications") && e.subresource().equals("status"));
        }
    }

    @Test
    void repairsWhatUsersChangedWhileItWasDownAndCompletesFinalizers() {
        try (TestNamespace ns = TestNamespace.create(client, "down");
                TestNamespace adopted = TestNamespace.create(client, "down-env");
                OperatorProcess before = operator("down-before", ns).build();
                OperatorProcess after = operator("down-after", ns).build()) {
            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            List<String> apps = List.of("image", "env", "scale", "lost-deploy", "lost-svc", "lost-cm", "gone");
            apps.forEach(name -> fleet.create(name, "registry.example/" + name + ":1.0"));
            ClusterTestSupport.databaseSecret(client, ns.name(), "db");
            client.resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: BackupPolicy
                    metadata: {name: db}
                    spec:
                      database: {engine: PostgreSQL, secretRef: db}
                      schedule: "0 2 * * *"
                      storage: {persistentVolumeClaim: {size: 1Gi}}
                    """, BackupPolicy.class)).inNamespace(ns.name()).create();
            client.resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Environment
                    metadata: {name: %s}
                    spec: {tier: Development, adoptExisting: true, deletionPolicy: Delete, config: {A: "1"}}
                    """.formatted(adopted.name()), Environment.class)).create();

            // Its config hash is keyed by the operator's key Secret, over the referenced Secret's data.
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: keyed}
                    spec: {image: "registry.example/keyed:1.0", replicas: 1, port: 8080, secretRefs: [db]}
                    """)).create();

            before.start().awaitReady(STARTUP);
            fleet.awaitConverged(apps, Duration.ofSeconds(120));
            fleet.awaitConverged(List.of("keyed"), Duration.ofSeconds(120));
            String keyedHash = client.resources(Application.class).inNamespace(ns.name()).withName("keyed").get().getStatus().configHash;
            Deployment keyedDeployment = client.apps().deployments().inNamespace(ns.name()).withName("keyed").get();
            await(120).until(() -> ready(client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("db").get())
                    && ready(client.resources(Environment.class).withName(adopted.name()).get()));
            assertThat(client.resources(Environment.class).withName(adopted.name()).get().getMetadata().getFinalizers()).isNotEmpty();
            before.stop();

            // Users act while no operator runs.
            ClusterTestSupport.update(client, ns.name(), "image", a -> a.getSpec().image = "registry.example/image:2.0");
            ClusterTestSupport.update(client, ns.name(), "env", a -> a.getSpec().env = Map.of("GREETING", "hello"));
            ClusterTestSupport.update(client, ns.name(), "scale", a -> a.getSpec().replicas = 3);
            client.apps().deployments().inNamespace(ns.name()).withName("lost-deploy").delete();
            client.services().inNamespace(ns.name()).withName("lost-svc").delete();
            client.configMaps().inNamespace(ns.name()).withName("lost-cm-env").delete();
            client.resources(Application.class).inNamespace(ns.name()).withName("gone").delete();
            client.resources(Environment.class).withName(adopted.name()).delete();
            client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("db").delete();
            assertThat(client.resources(Environment.class).withName(adopted.name()).get().getMetadata().getDeletionTimestamp())
                    .as("held by its finalizer while no operator runs").isNotNull();

            long start = System.nanoTime();
            after.start().awaitReady(STARTUP);
            long ready = System.nanoTime();
            await(60).untilAsserted(() -> {
                Map<String, Deployment> deployments = fleet.byName(Deployment.class);
                assertThat(deployments.get("image").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                        .isEqualTo("registry.example/image:2.0");
                assertThat(deployments.get("scale").getSpec().getReplicas()).isEqualTo(3);
                assertThat(deployments).containsKey("lost-deploy").doesNotContainKey("gone");
                assertThat(fleet.byName(Service.class)).containsKey("lost-svc").doesNotContainKey("gone");
                Map<String, ConfigMap> configMaps = fleet.byName(ConfigMap.class);
                assertThat(configMaps).containsKey("lost-cm-env").doesNotContainKey("gone-env");
                assertThat(configMaps.get("env-env").getData()).containsEntry("GREETING", "hello");
                assertThat(deployments.get("env").getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION))
                        .isNotEqualTo(deployments.get("image").getSpec().getTemplate().getMetadata().getAnnotations()
                                .get(Labels.CONFIG_HASH_ANNOTATION));
                assertThat(fleet.convergedNames()).containsExactlyInAnyOrder("image", "env", "scale", "lost-deploy", "lost-svc", "lost-cm", "keyed");
                // The Environment's finalizer completed; the namespace it adopted stays, deletionPolicy notwithstanding.
                assertThat(client.resources(Environment.class).withName(adopted.name()).get()).isNull();
                assertThat(client.namespaces().withName(adopted.name()).get().getMetadata().getDeletionTimestamp()).isNull();
                assertThat(client.namespaces().withName(adopted.name()).get().getMetadata().getLabels()).doesNotContainKey(Labels.ENVIRONMENT);
                // The BackupPolicy's CronJob went with it; its backup PVC did not.
                assertThat(client.batch().v1().cronjobs().inNamespace(ns.name()).withName("db-backup").get()).isNull();
                assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).withName("db-backups").get())
                        .isNotNull().satisfies(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());
            });
            // The new process read the same key: the same hash, and the pods did not roll.
            await(60).until(() -> reconciledNames(after).contains("keyed"));
            assertThat(client.resources(Application.class).inNamespace(ns.name()).withName("keyed").get().getStatus().configHash)
                    .as("config hash after a restart of the operator").isEqualTo(keyedHash);
            Deployment keyedAfter = client.apps().deployments().inNamespace(ns.name()).withName("keyed").get();
            assertThat(keyedAfter.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION)).isEqualTo(keyedHash);
            assertThat(keyedAfter.getMetadata().getGeneration()).as("the Deployment was not rolled")
                    .isEqualTo(keyedDeployment.getMetadata().getGeneration());
            LOG.infof("repaired %d ms after the restart (%d ms after ready)", (System.nanoTime() - start) / 1_000_000,
                    (System.nanoTime() - ready) / 1_000_000);
        }
    }

    private MigrationJob migration(String namespace, String name) {
        MigrationJob migration = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: %s}
                spec: {image: "registry.example/migrate:1.0", command: [migrate, up], databaseSecretRef: db, backoffLimit: 0}
                """.formatted(name), MigrationJob.class);
        return client.resource(migration).inNamespace(namespace).create();
    }

    static OperatorProcess.Builder operator(String name, TestNamespace leaseNamespace) {
        // A longer renew deadline than the default 10 s: on the 2-core CI machine, a leader busy
        // with a burst missed it, and JOSDK ends a process that lost its Lease (see docs/reliability.md).
        // And longer connection and request timeouts than 10 s: starting ~30 informers at once, lists
        // timed out ("getting a connection", TimeoutException) on the loaded machine, and JOSDK
        // stops an operator whose informers fail to start.
        return OperatorProcess.named(name).leaseNamespace(leaseNamespace.name()).property("runway.metrics.per-resource", "true")
                .property("runway.leader-election.lease-duration", "30s")
                .property("runway.leader-election.renew-deadline", "25s")
                .property("kubernetes.connection.timeout", "30000")
                .property("kubernetes.request.timeout", "60000");
    }

    /** Names of the Applications JOSDK counted a successful reconcile of (per-resource series). */
    static Set<String> reconciledNames(OperatorProcess operator) {
        return operator.metrics().lines()
                .filter(l -> l.startsWith("operator_sdk_reconciliations_success_total{") && l.contains("Application"))
                .flatMap(l -> java.util.regex.Pattern.compile("name=\"([^\"]+)\"").matcher(l).results().map(m -> m.group(1)))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Whether an audited request is about the Application {@code app} or one of its children or events. */
    static boolean concerns(AuditLog.Entry e, String app) {
        return e.name().equals(app) || e.name().startsWith(app + "-") || e.name().startsWith(app + ".");
    }

    static boolean ready(io.fabric8.kubernetes.client.CustomResource<?, ? extends RunwayStatus> resource) {
        return resource != null && resource.getStatus() != null && resource.getStatus().conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
