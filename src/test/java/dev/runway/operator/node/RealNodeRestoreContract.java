package dev.runway.operator.node;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.RealNode;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Backup, verification and restore for real, once per engine: the database runs as a pod on the
 * real node from the image hack/images.sh builds, the backup, verify and restore scripts run in pods of the
 * backup-tools image with the backup PVC on the node's disk, and every check queries the database
 * itself (from the host, over the pod's IP). Nothing here writes a termination message by hand.
 */
@Tag(Tiers.NODE)
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
abstract class RealNodeRestoreContract extends KubernetesTest {
    static final List<String> TABLES = List.of("customers", "products", "orders");
    static final long ROWS = 3002L + 508L + 200000L;
    private TestNamespace ns;
    private OperatorProcess operator;
    String password;
    String host;
    /** Rows and server-side md5 of every table right after seeding, before anything was dropped. */
    private final Map<String, String> seeded = new LinkedHashMap<>();

    /** PostgreSQL or MySQL, as in BackupPolicy.spec.database.engine. */
    abstract String engine();

    /** The database server's container: image, env (its password from Secret db-admin, key password), mounts, probe. */
    abstract String serverContainer();

    abstract String serverVolumes();

    abstract int port();

    abstract String adminUser();

    abstract String dumpPattern();

    abstract String seedSql();

    /** "rows:md5" of every row of TABLE, computed by the server. */
    abstract String fingerprintSql(String table);

    /** How many tables named orders DATABASE has. */
    abstract String ordersTablesSql(String database);

    /**
     * A bash script for the backup-tools image that prints "database=NAME" and "orders=COUNT" as read
     * from the database Secret's keys (host, port, database, username, password), exposed as
     * environment variables by the Application's spec.secretRefs.
     */
    abstract String applicationScript();

    /** Whether this engine's run also schedules a backup and a verification in the same minute (one engine is enough). */
    boolean checksSameMinuteSchedules() {
        return false;
    }

    /** The client on the host, against the pod's IP. */
    abstract List<String> clientCommand(String database);

    /** The client's environment: the password goes only there. */
    abstract Map<String, String> clientEnvironment();

    @BeforeAll
    void startTheDatabaseAndTheOperator() throws Exception {
        recycleReleasedVolumes();
        ns = RealNode.namespace(client, "restore-" + engine().toLowerCase(java.util.Locale.ROOT));
        operator = OperatorProcess.named("restore-it-" + engine().toLowerCase(java.util.Locale.ROOT)).leaseNamespace(ns.name()).build();
        operator.start();
        password = "pw-" + UUID.randomUUID();
        client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("db-admin").endMetadata()
                .addToStringData("password", password).build()).create();
        client.pods().inNamespace(ns.name()).resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: database, labels: {app: database}}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
                  containers:
                """ + serverContainer().indent(18) + "  volumes:\n" + serverVolumes().indent(4), Pod.class)).create();
        Pod pod = client.pods().inNamespace(ns.name()).withName("database").waitUntilCondition(p -> p != null && p.getStatus() != null
                && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 180, TimeUnit.SECONDS);
        RealNode.assertRanHere(pod);
        host = pod.getStatus().getPodIP();
        client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("shop-db").endMetadata()
                .addToStringData(Map.of("host", host, "port", String.valueOf(port()), "database", "shop", "username", adminUser(), "password", password,
                        "engine", engine()))
                .build()).create();
        await(90).until(() -> sqlOrNull("shop", "SELECT 1"), "1"::equals);
        sql("shop", seedSql());
        for (String table : TABLES) {
            seeded.put(table, fingerprint("shop", table));
        }
        operator.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void backupVerifyDropARestoreIntoANewDatabaseThenInPlaceOnlyWithTheFieldAndAfterASafetyBackup() throws Exception {
        // The application that reads the database: its pods print what they see when they start.
        Application shopApi = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop-api}
                spec:
                  image: "%s"
                  worker: true
                  replicas: 1
                  secretRefs: [shop-db]
                  command: [/bin/bash, -c]
                """.formatted(RealNode.image("backup-tools:1")), Application.class);
        shopApi.getSpec().args = List.of(applicationScript() + "\nexec sleep 3600\n");
        client.resource(shopApi).inNamespace(ns.name()).create();
        String orders = sql("shop", "SELECT count(*) FROM orders");
        assertThat(await(240).until(() -> applicationSees("shop-db-restored-database", false), log -> log.contains("orders=" + orders)))
                .as("before anything happened, the pods read production").contains("database=shop\n");

        apply("""
                apiVersion: runway.dev/v1alpha1
                kind: BackupPolicy
                metadata: {name: shop-db-nightly, annotations: {runway.dev/backup-now: seeded}}
                spec:
                  database: {engine: %s, secretRef: shop-db}
                  schedule: "0 3 * * *"
                  retention: {keepLast: 5}
                  storage: {persistentVolumeClaim: {size: 1Gi, storageClassName: runway-real-node}}
                  verification: {schedule: "0 4 * * 0"}
                  image: "%s"
                """.formatted(engine(), RealNode.image("backup-tools:1")), BackupPolicy.class);
        BackupPolicy backedUp = waitForPolicy(240, p -> p.getStatus() != null && (p.getStatus().lastBackup != null || p.getStatus().lastFailure != null));
        assertThat(backedUp.getStatus().lastFailure).as("the backup pod's failure: %s", backedUp.getStatus().lastFailure == null ? ""
                : backedUp.getStatus().lastFailure.message).isNull();
        String backup = backedUp.getStatus().lastBackup.name;
        assertThat(backup).matches(dumpPattern());
        assertThat(backedUp.getStatus().lastBackup.sizeBytes).isGreaterThan(10_000L);
        assertRealPods("backup");

        // Verification on demand, as `kubectl create job --from=cronjob/shop-db-verify` does.
        CronJob verify = client.batch().v1().cronjobs().inNamespace(ns.name()).withName("shop-db-nightly-verify").get();
        client.batch().v1().jobs().inNamespace(ns.name()).resource(new JobBuilder().withNewMetadata().withName("shop-db-nightly-verify-now")
                .withLabels(verify.getSpec().getJobTemplate().getMetadata().getLabels()).endMetadata()
                .withSpec(verify.getSpec().getJobTemplate().getSpec()).build()).create();
        BackupPolicy verified = waitForPolicy(240, p -> p.getStatus().lastVerification != null);
        assertThat(verified.getStatus().lastVerification.result).as("verification: %s", verified.getStatus().lastVerification.message)
                .isEqualTo("Passed");
        assertThat(verified.getStatus().lastVerification.backup).isEqualTo(backup);
        assertThat(verified.getStatus().lastVerification.tables).isEqualTo(TABLES.size());
        assertThat(verified.getStatus().lastVerification.rows).as("rows the verification counted").isEqualTo(ROWS);
        System.out.printf("[restore-it] %s verification: restore into a scratch database and count %ds%n", engine(),
                verified.getStatus().lastVerification.durationSeconds);

        // The incident: a table is dropped.
        sql("shop", "DROP TABLE orders");

        applyExample("01.Restore.shop-db-restored.yaml");
        long asked = System.nanoTime();
        Restore restored = waitForRestore("shop-db-restored", 240);
        long endToEnd = (System.nanoTime() - asked) / 1_000_000;
        assertThat(restored.getStatus().phase).as("restore: %s", restored.getStatus().message).isEqualTo(RestoreStatus.Phase.Succeeded);
        assertThat(restored.getStatus().backup.name).isEqualTo(backup);
        assertThat(restored.getStatus().target.database).isEqualTo("shop_db_restored");
        assertThat(restored.getStatus().tables).isEqualTo(3);
        assertThat(restored.getStatus().rows).isEqualTo(ROWS);
        System.out.printf("[restore-it] RTO %s new database: restore Job %ds, Restore created to Succeeded %d ms, %d rows, %d bytes dump%n",
                engine(), restored.getStatus().durationSeconds, endToEnd, restored.getStatus().rows, backedUp.getStatus().lastBackup.sizeBytes);
        for (String table : TABLES) {
            assertThat(fingerprint("shop_db_restored", table)).as("rows and md5 of %s in the restored database", table).isEqualTo(seeded.get(table));
        }
        assertThat(sql("shop_db_restored", "SELECT name FROM customers WHERE id = 3002")).isEqualTo("東京 🚀 back\\slash");
        assertThat(sql("shop", ordersTablesSql("shop"))).as("production untouched").isEqualTo("0");
        assertRealPods("restore");

        // spec.switchApplication: the Application's pods now read the restored database.
        RestoreStatus.DataSwitch switched = restored.getStatus().dataSwitch;
        assertThat(switched).as("status.dataSwitch").isNotNull();
        assertThat(switched.application).isEqualTo("shop-api");
        assertThat(switched.database).isEqualTo("shop_db_restored");
        assertThat(switched.secret).isEqualTo("shop-db");
        assertThat(client.configMaps().inNamespace(ns.name()).withName(switched.configMap).get().getData())
                .containsExactly(Map.entry("database", "shop_db_restored"));
        String seen = await(240).until(() -> applicationSees(switched.configMap, true), log -> log.contains("orders="));
        assertThat(seen).as("a pod of the switched template").contains("database=shop_db_restored\n").contains("orders=" + orders);
        Application app = client.resources(Application.class).inNamespace(ns.name()).withName("shop-api").get();
        assertThat(app.getStatus().restoredData.applied).isTrue();
        assertThat(app.getStatus().restoredData.restore).isEqualTo("shop-db-restored");
        assertThat(app.getSpec().secretRefs).as("the Application's spec is not touched").containsExactly("shop-db");
        System.out.printf("[restore-it] %s switch: the Application's pods read %s (%s)%n", engine(), switched.database,
                app.getStatus().restoredData.message);

        // The switch's rollout finishes: no pod of the old template is left (else the undo would just keep it).
        await(240).until(() -> client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "shop-api").list().getItems(),
                pods -> !pods.isEmpty() && pods.stream().allMatch(p -> p.getSpec().getContainers().get(0).getEnvFrom().stream()
                        .anyMatch(e -> e.getConfigMapRef() != null && e.getConfigMapRef().getName().equals(switched.configMap))));

        // Undo: delete the Restore. The pods go back to the Secret's database; the restored one stays.
        java.util.Set<String> switchedPods = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "shop-api").list()
                .getItems().stream().map(p -> p.getMetadata().getUid()).collect(java.util.stream.Collectors.toSet());
        client.resources(Restore.class).inNamespace(ns.name()).withName("shop-db-restored").delete();
        String back = await(240).until(() -> applicationSees(switched.configMap, false, switchedPods), log -> log.contains("database=shop\n"));
        assertThat(back).doesNotContain("shop_db_restored");
        assertThat(sql("shop_db_restored", "SELECT count(*) FROM orders")).as("the restored database stays").isEqualTo(orders);
        await(60).until(() -> client.resources(Application.class).inNamespace(ns.name()).withName("shop-api").get(),
                a -> a.getStatus() != null && a.getStatus().restoredData == null);

        // In place without the field: refused at admission, the field named.
        assertThatThrownBy(() -> apply("""
                apiVersion: runway.dev/v1alpha1
                kind: Restore
                metadata: {name: shop-in-place-refused}
                spec:
                  backupPolicy: shop-db-nightly
                  target: {inPlace: true}
                """, Restore.class)).isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.target.replaceExistingData");

        // In place with it: a pinned safety backup of what is there first, then the data replaced.
        applyExample("02.Restore.shop-db-in-place.yaml");
        asked = System.nanoTime();
        Restore inPlace = waitForRestore("shop-db-in-place", 300);
        long inPlaceEndToEnd = (System.nanoTime() - asked) / 1_000_000;
        assertThat(inPlace.getStatus().phase).as("in-place restore: %s", inPlace.getStatus().message).isEqualTo(RestoreStatus.Phase.Succeeded);
        assertThat(inPlace.getStatus().target.inPlace).isTrue();
        assertThat(inPlace.getStatus().safetyBackup.name).isNotNull().isNotEqualTo(backup);
        assertThat(inPlace.getStatus().backup.name).as("the newest backup before the safety backup").isEqualTo(backup);
        System.out.printf("[restore-it] RTO %s in place: restore Job %ds, Restore created to Succeeded (safety backup included) %d ms, %d rows%n",
                engine(), inPlace.getStatus().durationSeconds, inPlaceEndToEnd, inPlace.getStatus().rows);
        for (String table : TABLES) {
            assertThat(fingerprint("shop", table)).as("rows and md5 of %s in the production database", table).isEqualTo(seeded.get(table));
        }
        // The safety backup is on the volume, pinned, and holds the state before: no orders table.
        BackupPolicy after = client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db-nightly").get();
        assertThat(after.getStatus().lastBackup.name).isEqualTo(inPlace.getStatus().safetyBackup.name);
        assertThat(after.getStatus().lastBackup.pinned).isTrue();
        List<Job> safety = client.batch().v1().jobs().inNamespace(ns.name()).withLabel("runway.dev/restore", "shop-db-in-place").list().getItems();
        assertThat(safety).extracting(j -> j.getMetadata().getName()).contains("shop-db-in-place-safety-backup", "shop-db-in-place-restore");
        // The restore Job started only after the safety backup had finished.
        Job safetyJob = safety.stream().filter(j -> j.getMetadata().getName().endsWith("-safety-backup")).findFirst().orElseThrow();
        Job restoreJob = safety.stream().filter(j -> j.getMetadata().getName().endsWith("-restore")).findFirst().orElseThrow();
        assertThat(restoreJob.getStatus().getStartTime()).isGreaterThanOrEqualTo(safetyJob.getStatus().getCompletionTime());

        // No password in any status, event or pod log of the flow.
        String everything = client.getKubernetesSerialization().asYaml(client.resources(Restore.class).inNamespace(ns.name()).list())
                + client.getKubernetesSerialization().asYaml(client.resources(BackupPolicy.class).inNamespace(ns.name()).list())
                + client.getKubernetesSerialization().asYaml(client.v1().events().inNamespace(ns.name()).list());
        StringBuilder logs = new StringBuilder();
        for (Pod p : client.pods().inNamespace(ns.name()).withLabel("runway.dev/backup-policy", "shop-db-nightly").list().getItems()) {
            logs.append(client.pods().inNamespace(ns.name()).withName(p.getMetadata().getName()).getLog());
        }
        assertThat(everything + logs + operator.log()).doesNotContain(password);
        assertThat(logs).contains("[restore] restored");

        if (checksSameMinuteSchedules()) {
            sameMinute();
        }
    }

    /**
     * runway.dev/rollback for real, after the restores above (on the same policy and database): an
     * Application whose next image's MigrationJob breaks the schema (drops the orders table) after its
     * pinned pre-migration backup; {@code runway.dev/rollback=image-and-data} puts the earlier image
     * back and, the MigrationJob having no rollback command, restores that backup in place after a
     * safety backup. The data is checked in the database itself.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void aMigrationThatBreaksTheSchemaIsRolledBackWithItsPreMigrationData() throws Exception {
        String v1 = RealNode.image("backup-tools:1");
        Application shop = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop-web}
                spec:
                  image: "%s"
                  worker: true
                  replicas: 1
                  command: [/bin/bash, -c, exec sleep 3600]
                  migration: {command: [/bin/true], databaseSecretRef: shop-db, backupPolicy: shop-db-nightly}
                """.formatted(v1), Application.class);
        client.resource(shop).inNamespace(ns.name()).create();
        await(300).until(() -> client.resources(Application.class).inNamespace(ns.name()).withName("shop-web").get(),
                a -> a.getStatus() != null && v1.equals(a.getStatus().stableImage) && a.getStatus().phase == dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase.Healthy);
        // The next image: the same content by digest (another reference, as a new tag would be).
        String imageId = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "shop-web").list().getItems().get(0)
                .getStatus().getContainerStatuses().get(0).getImageID();
        String v2 = imageId.contains("@") ? imageId : v1.substring(0, v1.lastIndexOf(':')) + "@" + imageId;
        Map<String, String> before = new LinkedHashMap<>();
        for (String table : TABLES) {
            before.put(table, fingerprint("shop", table));
        }
        String breakSchema = "if [ \"$DATABASE_ENGINE\" = MySQL ]; then $(command -v mysql || command -v mariadb) -h \"$MYSQL_HOST\" -P \"$MYSQL_TCP_PORT\" "
                + "-u \"$MYSQL_USER\" \"$MYSQL_DATABASE\" -e 'DROP TABLE orders'; else psql -v ON_ERROR_STOP=1 -c 'DROP TABLE orders'; fi";
        dev.runway.operator.testing.ClusterTestSupport.update(client, ns.name(), "shop-web", a -> {
            a.getSpec().image = v2;
            a.getSpec().migration.command = List.of("/bin/bash", "-c", breakSchema);
        });
        Application broken = await(300).until(() -> client.resources(Application.class).inNamespace(ns.name()).withName("shop-web").get(),
                a -> v2.equals(a.getStatus().stableImage) && a.getStatus().phase == dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase.Healthy);
        assertThat(sql("shop", ordersTablesSql("shop"))).as("the migration dropped orders").isEqualTo("0");
        assertThat(broken.getStatus().migration.phase).isEqualTo("Succeeded");

        long asked = System.nanoTime();
        dev.runway.operator.testing.ClusterTestSupport.annotate(client, ns.name(), "shop-web", "runway.dev/rollback", "image-and-data");
        Application back = await(420).until(() -> client.resources(Application.class).inNamespace(ns.name()).withName("shop-web").get(),
                a -> a.getStatus().rollback != null && !"InProgress".equals(a.getStatus().rollback.outcome));
        long took = (System.nanoTime() - asked) / 1_000_000;
        var rollback = back.getStatus().rollback;
        assertThat(rollback.outcome).as("rollback: %s", rollback.message).isEqualTo("Succeeded");
        assertThat(rollback.toImage).isEqualTo(v1);
        assertThat(rollback.data.method).isEqualTo("Restore");
        assertThat(rollback.data.safetyBackup).as("the data replaced, kept").isNotNull();
        assertThat(back.getStatus().stableImage).isEqualTo(v1);
        assertThat(client.apps().deployments().inNamespace(ns.name()).withName("shop-web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo(v1);
        for (String table : TABLES) {
            assertThat(fingerprint("shop", table)).as("rows and md5 of %s as before the migration", table).isEqualTo(before.get(table));
        }
        Restore restore = client.resources(Restore.class).inNamespace(ns.name()).withName(rollback.data.restore).get();
        assertThat(restore.getStatus().rows).isEqualTo(ROWS);
        System.out.printf("[restore-it] %s rollback: image and pre-migration data back in %d ms (%s)%n", engine(), took, rollback.message);
    }

    /**
     * Backup and verification both every minute: Kubernetes starts the two CronJobs' Jobs in the same
     * minute, their pods mount the one volume on this node, and the scripts' lock on the volume makes
     * them take turns. For the first minute in which both Jobs ran: both succeeded, and the spans in
     * which each held the volume (from its first line after the lock to its result line, by the
     * kubelet's log timestamps) do not overlap.
     */
    private void sameMinute() {
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db-nightly").edit(p -> {
            p.getSpec().schedule = "* * * * *";
            p.getSpec().verification.schedule = "* * * * *";
            return p;
        }));
        java.util.regex.Pattern backupJob = java.util.regex.Pattern.compile("shop-db-nightly-backup-(\\d+)");
        java.util.regex.Pattern verifyJob = java.util.regex.Pattern.compile("shop-db-nightly-verify-(\\d+)");
        List<Job> minute = await(240).until(() -> {
            Map<String, Job> backups = new LinkedHashMap<>();
            Map<String, Job> verifications = new LinkedHashMap<>();
            for (Job j : client.batch().v1().jobs().inNamespace(ns.name()).list().getItems()) {
                var b = backupJob.matcher(j.getMetadata().getName());
                var v = verifyJob.matcher(j.getMetadata().getName());
                if (v.matches() && finished(j)) {
                    verifications.put(v.group(1), j);
                } else if (b.matches() && finished(j)) {
                    backups.put(b.group(1), j);
                }
            }
            for (String at : backups.keySet()) {
                if (verifications.containsKey(at)) {
                    return List.of(backups.get(at), verifications.get(at));
                }
            }
            return null;
        }, java.util.Objects::nonNull);
        Job backup = minute.get(0);
        Job verify = minute.get(1);
        assertThat(backup.getStatus().getSucceeded()).as("the backup Job of the minute").isEqualTo(1);
        assertThat(verify.getStatus().getSucceeded()).as("the verification Job of the same minute").isEqualTo(1);
        List<java.time.Instant> b = heldSpan(backup, "[backup] dumping");
        List<java.time.Instant> v = heldSpan(verify, "[verify] choosing the backup");
        assertThat(b.get(1).isBefore(v.get(0)) || v.get(1).isBefore(b.get(0)))
                .as("the backup held the volume %s, the verification %s", b, v).isTrue();
        String logs = podLog(backup) + podLog(verify);
        System.out.printf("[restore-it] same minute: backup held the volume %s, verification %s; %s%n", b, v,
                logs.contains("waiting (up to") ? "one waited for the other's lock" : "they did not meet at the lock");
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db-nightly").edit(p -> {
            p.getSpec().schedule = "0 3 * * *";
            p.getSpec().verification.schedule = "0 4 * * 0";
            return p;
        }));
    }

    private static boolean finished(Job job) {
        return job.getStatus() != null && ((job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0)
                || (job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0));
    }

    /** The Job's pod's log with the kubelet's timestamps. */
    private String podLog(Job job) {
        Pod pod = client.pods().inNamespace(ns.name()).withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName()).list().getItems().get(0);
        return client.pods().inNamespace(ns.name()).withName(pod.getMetadata().getName()).usingTimestamps().getLog();
    }

    /** [the time of the first line containing FIRST, the time of the last line] of the Job's pod. */
    private List<java.time.Instant> heldSpan(Job job, String first) {
        List<String> lines = podLog(job).lines().filter(l -> !l.isBlank()).toList();
        String start = lines.stream().filter(l -> l.contains(first)).findFirst().orElseThrow(() -> new AssertionError(
                job.getMetadata().getName() + " never logged " + first + ": " + lines));
        return List.of(java.time.Instant.parse(start.substring(0, start.indexOf(' '))),
                java.time.Instant.parse(lines.get(lines.size() - 1).substring(0, lines.get(lines.size() - 1).indexOf(' '))));
    }

    /**
     * The log of the newest running pod of shop-api whose envFrom has (SWITCHED) or has not the
     * ConfigMap CONFIG_MAP; "" while there is none.
     */
    private String applicationSees(String configMap, boolean switched) {
        return applicationSees(configMap, switched, java.util.Set.of());
    }

    /** As above, among pods other than those of the uids BEFORE. */
    private String applicationSees(String configMap, boolean switched, java.util.Set<String> before) {
        List<Pod> pods = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "shop-api").list().getItems().stream()
                .filter(p -> !before.contains(p.getMetadata().getUid()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                        && "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getSpec().getContainers().get(0).getEnvFrom().stream()
                        .anyMatch(e -> e.getConfigMapRef() != null && e.getConfigMapRef().getName().equals(configMap)) == switched)
                .sorted(java.util.Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()).reversed())
                .toList();
        if (pods.isEmpty()) {
            return "";
        }
        RealNode.assertRanHere(pods.get(0));
        String log = client.pods().inNamespace(ns.name()).withName(pods.get(0).getMetadata().getName()).getLog();
        return log == null ? "" : log;
    }

    /**
     * The real node's PersistentVolumes are static and Retain: a backup PVC deleted with an earlier
     * run's namespace leaves its volume Released, and four runs would use them all up. Released
     * ones are emptied and offered again (test clusters only; their data was that run's).
     */
    private static void recycleReleasedVolumes() throws IOException {
        for (var pv : client.persistentVolumes().list().getItems()) {
            if (!"runway-real-node".equals(pv.getSpec().getStorageClassName()) || pv.getStatus() == null
                    || !"Released".equals(pv.getStatus().getPhase()) || pv.getSpec().getHostPath() == null) {
                continue;
            }
            java.nio.file.Path dir = java.nio.file.Path.of(pv.getSpec().getHostPath().getPath());
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
            client.persistentVolumes().withName(pv.getMetadata().getName()).edit(v -> {
                v.getSpec().setClaimRef(null);
                return v;
            });
        }
    }

    private void assertRealPods(String component) {
        List<Pod> pods = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/component", component).list().getItems();
        assertThat(pods).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getSpec().getNodeName()).isEqualTo(RealNode.NAME);
            assertThat(p.getStatus().getContainerStatuses()).allSatisfy(c -> assertThat(c.getContainerID()).startsWith("containerd://"));
        });
    }

    /** A file of examples/restore, applied as a user would, into this test's namespace. */
    private void applyExample(String file) throws IOException {
        java.nio.file.Path path = dev.runway.operator.testing.LocalControlPlane.repoRootForTests().resolve("examples/restore").resolve(file);
        for (var o : client.load(java.nio.file.Files.newInputStream(path)).items()) {
            o.getMetadata().setNamespace(ns.name());
            client.resource(o).create();
        }
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T apply(String yaml, Class<T> kind) {
        T object = client.getKubernetesSerialization().unmarshal(yaml, kind);
        return client.resource(object).inNamespace(ns.name()).create();
    }

    private BackupPolicy waitForPolicy(int seconds, Predicate<BackupPolicy> condition) {
        return await(seconds).until(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("shop-db-nightly").get(),
                p -> p != null && p.getStatus() != null && condition.test(p));
    }

    private Restore waitForRestore(String name, int seconds) {
        return await(seconds).until(() -> client.resources(Restore.class).inNamespace(ns.name()).withName(name).get(),
                r -> r != null && r.getStatus() != null && (r.getStatus().phase == RestoreStatus.Phase.Succeeded
                        || r.getStatus().phase == RestoreStatus.Phase.Failed));
    }

    String fingerprint(String database, String table) {
        return sql(database, fingerprintSql(table));
    }

    String sqlOrNull(String database, String sql) {
        try {
            return sql(database, sql);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** Runs SQL with the host's client against the pod's IP; the password only in the client's environment. */
    String sql(String database, String sql) {
        ProcessBuilder builder = new ProcessBuilder(clientCommand(database)).redirectErrorStream(false);
        builder.environment().putAll(clientEnvironment());
        try {
            Process process = builder.start();
            process.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(clientCommand(database).get(0) + " failed: " + err.replace(password, "*****"));
            }
            return out.trim();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
