package dev.runway.operator.process;

import static dev.runway.operator.process.OperatorRestartIT.STARTUP;
import static dev.runway.operator.process.OperatorRestartIT.concerns;
import static dev.runway.operator.process.OperatorRestartIT.operator;
import static dev.runway.operator.process.OperatorRestartIT.ready;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.ApplicationFleet;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Two operator deployments share the cluster: the default shard and shard {@code a}
 * ({@code runway.shard=a}). Each reconciles only its own Applications, each leads on its own Lease,
 * Environments stay with the default shard whatever their labels, and relabelling an Application or
 * a BackupPolicy hands it over: the new shard takes it on, the old one writes nothing more for it, and
 * its children (the Deployment; the backup CronJob and PVC) are the same objects before and after,
 * nothing deleted and made again. Removing the label hands the Application back.
 */
@Tag(Tiers.CLUSTER)
class ShardingIT extends KubernetesTest {
    private static final Logger LOG = Logger.getLogger(ShardingIT.class);

    @Test
    void eachShardReconcilesItsOwnAndARelabelledApplicationIsHandedOverWithItsChildren() {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "shard");
                TestNamespace envNs = TestNamespace.create(client, "shard-env");
                OperatorProcess byDefault = operator("shard-default", ns).build();
                OperatorProcess shardA = operator("shard-a", ns).property("runway.shard", "a").build()) {
            byDefault.start();
            shardA.start();
            byDefault.awaitReady(STARTUP);
            shardA.awaitReady(STARTUP);

            // Each shard leads on a Lease of its own (the process name is its leader identity).
            await(60).untilAsserted(() -> {
                assertThat(holder(ns, "runway-operator-lock")).isEqualTo(byDefault.name());
                assertThat(holder(ns, "runway-operator-lock-a")).isEqualTo(shardA.name());
            });

            ApplicationFleet fleet = new ApplicationFleet(client, ns.name(), "app");
            fleet.create("plain", "registry.example/plain:1.0");
            fleet.create("moved", "registry.example/moved:1.0");
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: labelled, labels: {runway.dev/shard: a}}
                    spec: {image: "registry.example/labelled:1.0", replicas: 1, port: 8080}
                    """)).create();
            // A BackupPolicy on the default shard, moved with the Application: its PVC holds the backups.
            ClusterTestSupport.databaseSecret(client, ns.name(), "db");
            ClusterTestSupport.createFromYaml(client, ns.name(), BackupPolicy.class, """
                    apiVersion: runway.dev/v1alpha1
                    kind: BackupPolicy
                    metadata: {name: db}
                    spec:
                      database: {engine: PostgreSQL, secretRef: db}
                      schedule: "0 2 * * *"
                      storage: {persistentVolumeClaim: {size: 1Gi}}
                    """);
            // An Environment labelled for shard a: Environments are not sharded, the default shard takes it.
            client.resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Environment
                    metadata: {name: %s, labels: {runway.dev/shard: a}}
                    spec: {tier: Development, adoptExisting: true}
                    """.formatted(envNs.name()), Environment.class)).create();
            try {
                handOver(audit, ns, envNs, fleet, byDefault, shardA);
            } finally {
                // The default shard completes the Environment's finalizer before the processes stop.
                client.resources(Environment.class).withName(envNs.name()).delete();
                await(60).until(() -> client.resources(Environment.class).withName(envNs.name()).get() == null);
            }
        }
    }

    private void handOver(AuditLog audit, TestNamespace ns, TestNamespace envNs, ApplicationFleet fleet, OperatorProcess byDefault,
            OperatorProcess shardA) {
        fleet.awaitConverged(List.of("plain", "moved", "labelled"), Duration.ofSeconds(180));
        await(120).until(() -> ready(client.resources(Environment.class).withName(envNs.name()).get()));

        await(30).untilAsserted(() -> {
            assertThat(reconciledApplications(byDefault, ns.name())).contains("plain", "moved").doesNotContain("labelled");
            assertThat(reconciledApplications(shardA, ns.name())).contains("labelled").doesNotContain("plain", "moved");
        });
        assertThat(reconciles(byDefault, "Environment", envNs.name())).as("the default shard's reconciles of the Environment").isPositive();
        assertThat(reconciles(shardA, "Environment", envNs.name())).as("shard a's reconciles of the Environment").isZero();

        await(120).until(() -> ready(client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("db").get()));
        assertThat(reconciles(byDefault, "BackupPolicy", "db")).as("the default shard's reconciles of the BackupPolicy").isPositive();
        assertThat(reconciles(shardA, "BackupPolicy", "db")).as("shard a's reconciles of the BackupPolicy").isZero();

        // The handover: relabel "moved" and "db" from the default shard to shard a, then change the Application.
        Map<String, String> appChildren = childUids(ns.name(), "moved");
        Map<String, String> policyChildren = policyChildUids(ns.name(), "db");
        assertThat(appChildren).doesNotContainValue("missing");
        assertThat(policyChildren).doesNotContainValue("missing");
        double defaultReconcilesBefore = reconciles(byDefault, "Application", "moved");
        AuditLog.Mark settled = audit.awaitQuiet(byDefault, Duration.ofSeconds(5), Duration.ofSeconds(60));
        ClusterTestSupport.update(client, ns.name(), "moved", a -> a.getMetadata().getLabels().put(Labels.SHARD, "a"));
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("db")
                .edit(p -> {
                    p.getMetadata().getLabels().put(Labels.SHARD, "a");
                    return p;
                }));
        await(60).until(() -> reconciledApplications(shardA, ns.name()).contains("moved") && reconciles(shardA, "BackupPolicy", "db") > 0);
        ClusterTestSupport.update(client, ns.name(), "moved", a -> a.getSpec().image = "registry.example/moved:2.0");
        await(120).until(() -> fleet.deploymentImage("moved").equals("registry.example/moved:2.0"));
        fleet.awaitConverged(List.of("moved"), Duration.ofSeconds(120));
        await(60).until(() -> ready(client.resources(BackupPolicy.class).inNamespace(ns.name()).withName("db").get()));

        assertThat(childUids(ns.name(), "moved")).as("the moved Application's children, by kind: the same objects").isEqualTo(appChildren);
        assertThat(policyChildUids(ns.name(), "db")).as("the moved BackupPolicy's children, by kind: the same objects").isEqualTo(policyChildren);
        assertThat(fleet.ownedCounts(Deployment.class)).containsEntry("moved", 1L);
        List<AuditLog.Entry> byOldShard = audit.writesBy(settled, byDefault).stream()
                .filter(e -> ns.name().equals(e.namespace()) && (concerns(e, "moved") || concerns(e, "db"))).toList();
        assertThat(byOldShard).as("writes by the default shard for what it handed over").isEmpty();
        List<AuditLog.Entry> byNewShard = audit.writesBy(settled, shardA).stream()
                .filter(e -> ns.name().equals(e.namespace()) && concerns(e, "moved")).toList();
        assertThat(byNewShard).as("shard a rolled out the change").anyMatch(e -> e.resource().equals("deployments"));
        // (The rollout's old pods are deleted by Kubernetes' ReplicaSet controller, not by Runway.)
        assertThat(audit.since(settled, e -> ns.name().equals(e.namespace()) && e.verb().equals("delete")
                && e.userAgent().startsWith("runway-operator/"))).as("deletes by either shard during the handover").isEmpty();
        assertThat(reconciles(byDefault, "Application", "moved")).as("the default shard's reconciles of the moved Application")
                .isIn(defaultReconcilesBefore, 0.0);
        LOG.infof("handover of 'moved' and 'db': %d writes by shard a for 'moved' (%s), none by the default shard; children kept: %s %s",
                byNewShard.size(), byNewShard.stream().map(AuditLog.Entry::toString).distinct().limit(8).toList(), appChildren,
                policyChildren);

        // And back: without the label, the Application is the default shard's again.
        AuditLog.Mark movedBack = audit.awaitQuiet(shardA, Duration.ofSeconds(5), Duration.ofSeconds(60));
        ClusterTestSupport.update(client, ns.name(), "moved", a -> {
            a.getMetadata().getLabels().remove(Labels.SHARD);
            a.getSpec().image = "registry.example/moved:3.0";
        });
        await(120).until(() -> fleet.deploymentImage("moved").equals("registry.example/moved:3.0"));
        fleet.awaitConverged(List.of("moved"), Duration.ofSeconds(120));
        assertThat(childUids(ns.name(), "moved")).as("the Application's children after moving back").isEqualTo(appChildren);
        assertThat(audit.writesBy(movedBack, byDefault)).as("the default shard rolled out the change")
                .anyMatch(e -> ns.name().equals(e.namespace()) && e.resource().equals("deployments") && e.name().equals("moved"));
        assertThat(audit.writesBy(movedBack, shardA).stream().filter(e -> ns.name().equals(e.namespace()) && concerns(e, "moved")))
                .as("writes by shard a for the Application it handed back").isEmpty();
    }

    private String holder(TestNamespace ns, String lease) {
        var l = client.leases().inNamespace(ns.name()).withName(lease).get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    /** The UIDs of the Application's Deployment, Service and ConfigMap, by kind. */
    private Map<String, String> childUids(String namespace, String app) {
        return Map.of("Deployment", uid(client.apps().deployments().inNamespace(namespace).withName(app).get()),
                "Service", uid(client.services().inNamespace(namespace).withName(app).get()),
                "ConfigMap", uid(client.configMaps().inNamespace(namespace).withName(app + "-env").get()));
    }

    /** The UIDs of the BackupPolicy's backup CronJob, backup PVC and scripts ConfigMap, by kind. */
    private Map<String, String> policyChildUids(String namespace, String policy) {
        return Map.of("CronJob", uid(client.batch().v1().cronjobs().inNamespace(namespace).withName(policy + "-backup").get()),
                "PersistentVolumeClaim", uid(client.persistentVolumeClaims().inNamespace(namespace).withName(policy + "-backups").get()),
                "ConfigMap", uid(client.configMaps().inNamespace(namespace).withName(policy + "-scripts").get()));
    }

    private static String uid(HasMetadata child) {
        return child == null ? "missing" : child.getMetadata().getUid();
    }

    /**
     * JOSDK's per-resource count of started reconciles of the {@code kind} named {@code name}
     * (cluster-scoped Environments carry an empty namespace label: common/ReconcileMetrics).
     */
    private static double reconciles(OperatorProcess operator, String kind, String name) {
        return sum(operator.metrics(), "operator_sdk_reconciliations_started_total", kind, name);
    }

    private static double sum(String metrics, String counter, String kind, String name) {
        Pattern series = Pattern.compile("^" + counter + "\\{.*[{,]kind=\"" + kind + "\".*[{,]name=\"" + Pattern.quote(name) + "\"[,}]");
        return metrics.lines().filter(l -> series.matcher(l).find())
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The Applications of {@code namespace} the operator reconciled (per-resource series of started reconciles). */
    private static Set<String> reconciledApplications(OperatorProcess operator, String namespace) {
        Pattern name = Pattern.compile("[{,]name=\"([^\"]+)\"");
        return operator.metrics().lines()
                .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total{")
                        && l.contains("kind=\"Application\"")
                        && l.contains("namespace=\"" + namespace + "\""))
                .flatMap(l -> name.matcher(l).results().map(m -> m.group(1))).collect(Collectors.toSet());
    }
}
