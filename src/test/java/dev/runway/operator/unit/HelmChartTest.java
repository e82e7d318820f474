package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.marcnuri.helm.LintResult;

import dev.runway.operator.application.ApplicationReconciler;
import dev.runway.operator.backup.BackupPolicyReconciler;
import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.PromQl;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/** The Helm chart lints strictly and renders the operator, its RBAC and its options as intended. */
@Tag(Tiers.UNIT)
class HelmChartTest {
    static final String NS = "runway-system";

    @Test
    void lintsStrictly() {
        LintResult result = HelmChart.helm().lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsRunTwoLeaderElectedReplicasWithProbesAndARestrictedSecurityContext() throws IOException {
        List<HasMetadata> objects = HelmChart.render("runway", NS);
        Deployment deployment = HelmChart.one(objects, Deployment.class);
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);

        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(HelmChart.one(objects, ServiceAccount.class).getMetadata().getName());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container operator = pod.getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("ghcr.io/runway-dev/runway-operator:" + chartYaml().get("appVersion"));
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(operator.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080); // quarkus.http.port's default
        });
        var security = operator.getSecurityContext();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKey("memory");

        // The chart's defaults are the operator's own: installing it changes no behaviour.
        Map<String, String> env = env(operator);
        Properties operatorDefaults = applicationProperties();
        assertThat(env).containsEntry("RUNWAY_BACKUP_IMAGE", operatorDefaults.getProperty("runway.backup.image"))
                .containsEntry("RUNWAY_BACKUP_MYSQL_IMAGE", operatorDefaults.getProperty("runway.backup.mysql-image"))
                .containsEntry("RUNWAY_PROMETHEUS_ADDRESS", "http://prometheus-operated.monitoring.svc:9090")
                .containsEntry("RUNWAY_MAX_RECONCILIATION_INTERVAL", operatorDefaults.getProperty("runway.max-reconciliation-interval"))
                .containsEntry("RUNWAY_LEADER_ELECTION_LEASE_NAMESPACE", NS)
                .containsKey("RUNWAY_LEADER_ELECTION_LEASE_NAME");
        assertThat(env).containsAllEntriesOf(HelmChart.operatorJvmEnvironment());
        assertThat(env.get("JAVA_TOOL_OPTIONS")).as("a heap bound below the memory limit").contains("-Xmx");
        assertThat(env).doesNotContainKeys(namespacesVariable(ApplicationReconciler.NAME), namespacesVariable(BackupPolicyReconciler.NAME));

        Role leases = HelmChart.one(objects, Role.class);
        assertThat(leases.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(leases.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(r.getResources()).containsExactly("leases");
        });
        RoleBinding leaseBinding = HelmChart.one(objects, RoleBinding.class);
        assertThat(leaseBinding.getRoleRef().getName()).isEqualTo(leases.getMetadata().getName());
        assertThat(HelmChart.all(objects, ServiceMonitor.class)).isEmpty();
    }

    @Test
    void metricsServiceSelectsTheOperatorPods() {
        List<HasMetadata> objects = HelmChart.render("runway", NS);
        Service metrics = HelmChart.one(objects, Service.class);
        Map<String, String> podLabels = HelmChart.one(objects, Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(metrics.getSpec().getSelector());
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    }

    @Test
    void nonDefaultValuesReachTheOperator() {
        List<HasMetadata> objects = HelmChart.render("platform", "ops", """
                watchNamespaces: [team-a, team-b]
                monitoring:
                  serviceMonitor: {enabled: true, labels: {release: kube-prometheus}}
                image: {repository: registry.example.com/runway, tag: 1.2.3-rc1}
                replicaCount: 3
                runway:
                  prometheus: {address: "http://thanos.monitoring.svc:9090"}
                  backup: {image: "registry.example.com/pg-tools:16", mysqlImage: "registry.example.com/mariadb-tools:11"}
                """);
        Deployment deployment = HelmChart.one(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("registry.example.com/runway:1.2.3-rc1");
        Map<String, String> env = env(operator);
        assertThat(env)
                .containsEntry(namespacesVariable(ApplicationReconciler.NAME), "team-a,team-b")
                .containsEntry(namespacesVariable(BackupPolicyReconciler.NAME), "team-a,team-b")
                .containsEntry("RUNWAY_PROMETHEUS_ADDRESS", "http://thanos.monitoring.svc:9090")
                .containsEntry("RUNWAY_BACKUP_IMAGE", "registry.example.com/pg-tools:16")
                .containsEntry("RUNWAY_BACKUP_MYSQL_IMAGE", "registry.example.com/mariadb-tools:11")
                .containsEntry("RUNWAY_LEADER_ELECTION_LEASE_NAMESPACE", "ops");
        // Environments are cluster-scoped: their controller keeps watching everything.
        assertThat(env).doesNotContainKey(namespacesVariable("environment"));

        ServiceMonitor monitor = HelmChart.one(objects, ServiceMonitor.class);
        assertThat(monitor.getMetadata().getNamespace()).isEqualTo("ops");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        Service metrics = HelmChart.one(objects, Service.class);
        assertThat(metrics.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPort()).isEqualTo(metrics.getSpec().getPorts().get(0).getName());
            assertThat(e.getPath()).isEqualTo("/q/metrics");
            assertThat(e.getHonorLabels()).isTrue();
        });
        ClusterRoleBinding binding = HelmChart.one(objects, ClusterRoleBinding.class);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getNamespace()).isEqualTo("ops");
            assertThat(s.getName()).isEqualTo(HelmChart.one(objects, ServiceAccount.class).getMetadata().getName());
        });
    }

    @Test
    void dashboardsAndOperatorRuleOnlyWhenEnabled() {
        List<HasMetadata> defaults = HelmChart.render("runway", NS);
        assertThat(HelmChart.all(defaults, PrometheusRule.class)).isEmpty();
        assertThat(HelmChart.all(defaults, ConfigMap.class)).isEmpty();

        List<HasMetadata> objects = HelmChart.render("runway", NS, """
                monitoring:
                  prometheusRule: {enabled: true, labels: {release: kube-prometheus}, alertLabels: {team: platform}, reconcileErrorRatio: 0.25}
                  dashboards: {enabled: true}
                """);
        PrometheusRule rule = HelmChart.one(objects, PrometheusRule.class);
        assertThat(rule.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        String job = "job=\"" + HelmChart.one(objects, Service.class).getMetadata().getName() + "\"";
        assertThat(rule.getSpec().getGroups().get(0).getRules()).allSatisfy(r -> {
            assertThat(r.getExpr().getStrVal()).as(r.getAlert()).contains(job);
            assertThat(r.getLabels()).as(r.getAlert()).containsEntry("team", "platform").containsKey("severity");
            assertThat(r.getAnnotations()).as(r.getAlert()).containsKeys("summary", "description");
        }).anySatisfy(r -> assertThat(r.getExpr().getStrVal()).endsWith("> 0.25"));

        List<ConfigMap> dashboards = HelmChart.all(objects, ConfigMap.class);
        assertThat(dashboards).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("runway-runway-operator-dashboard-operator", "runway-runway-operator-dashboard-applications");
        assertThat(dashboards).allSatisfy(c -> {
            assertThat(c.getMetadata().getNamespace()).isEqualTo(NS);
            assertThat(c.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(PromQl.dashboards(c)).singleElement().satisfies(d -> {
                assertThat(d.path("uid").asText()).startsWith("runway-");
                assertThat(PromQl.dashboardExpressions(d)).isNotEmpty();
            });
        });

        List<HasMetadata> elsewhere = HelmChart.render("runway", NS, """
                monitoring:
                  dashboards: {enabled: true, namespace: grafana, label: grafana_dashboards, labelValue: runway, annotations: {grafana_folder: Runway}}
                """);
        assertThat(HelmChart.all(elsewhere, ConfigMap.class)).hasSize(2).allSatisfy(c -> {
            assertThat(c.getMetadata().getNamespace()).isEqualTo("grafana");
            assertThat(c.getMetadata().getLabels()).containsEntry("grafana_dashboards", "runway").doesNotContainKey("grafana_dashboard");
            assertThat(c.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Runway");
        });
        assertThat(HelmChart.all(elsewhere, PrometheusRule.class)).isEmpty();
    }

    @Test
    void valuesSchemaRejectsNonsense() {
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "monitoring: {dashboards: {enable: true}}")).hasMessageContaining("enable");
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "monitoring: {prometheusRule: {reconcileErrorRatio: 2}}"))
                .hasMessageContaining("reconcileErrorRatio");
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "replicaCount: 0")).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "watchNamespaces: [Team_A]")).hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "runway: {backup: {imagee: x}}")).hasMessageContaining("imagee");
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "shards: [Team_A]")).hasMessageContaining("shards");
        assertThatThrownBy(() -> HelmChart.render("runway", NS, "shards: [a, a]")).hasMessageContaining("shards");
    }

    @Test
    void eachShardIsADeploymentOfItsOwnBesideTheDefaultOne() {
        List<HasMetadata> objects = HelmChart.render("runway", NS, """
                shards: [a, team-b]
                replicaCount: 3
                watchNamespaces: [apps]
                """);
        Map<String, Deployment> deployments = HelmChart.all(objects, Deployment.class).stream()
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
        assertThat(deployments).containsOnlyKeys("runway-runway-operator", "runway-runway-operator-a", "runway-runway-operator-team-b");

        Deployment byDefault = deployments.get("runway-runway-operator");
        Map<String, String> defaultEnv = env(byDefault.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(defaultEnv).doesNotContainKey("RUNWAY_SHARD");
        assertThat(byDefault.getSpec().getSelector().getMatchLabels()).doesNotContainKey("runway.dev/shard");
        Service metrics = HelmChart.one(objects, Service.class);
        for (String shard : List.of("a", "team-b")) {
            Deployment deployment = deployments.get("runway-runway-operator-" + shard);
            Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = env(operator);
            // The same operator and settings; only the shard differs (the Lease name gets its suffix in the operator).
            assertThat(env).containsEntry("RUNWAY_SHARD", shard);
            Map<String, String> withoutShard = new java.util.HashMap<>(env);
            withoutShard.remove("RUNWAY_SHARD");
            assertThat(withoutShard).isEqualTo(defaultEnv);
            assertThat(operator.getImage()).isEqualTo(byDefault.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
            // Its own pods only; the metrics Service scrapes every shard's.
            assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsEntry("runway.dev/shard", shard);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels())
                    .containsAllEntriesOf(metrics.getSpec().getSelector());
        }
    }

    @Test
    void clusterRoleHasNoWildcardsAndBindsOnlyViewEditAdmin() {
        ClusterRole role = HelmChart.one(HelmChart.render("runway", NS), ClusterRole.class);
        assertThat(role.getAggregationRule()).isNull();
        for (PolicyRule rule : role.getRules()) {
            Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames())
                    .filter(l -> l != null).flatMap(List::stream)
                    .forEach(v -> assertThat(v).as("rule %s", rule).doesNotContain("*"));
            assertThat(rule.getNonResourceURLs()).as("rule %s", rule).isNullOrEmpty();
            assertThat(rule.getVerbs()).as("rule %s", rule).doesNotContain("escalate", "impersonate", "deletecollection");
            if (rule.getVerbs().contains("bind")) {
                assertThat(rule.getVerbs()).containsExactly("bind");
                assertThat(rule.getApiGroups()).containsExactly("rbac.authorization.k8s.io");
                assertThat(rule.getResources()).containsExactly("clusterroles");
                assertThat(rule.getResourceNames()).containsExactlyInAnyOrder("view", "edit", "admin");
            }
            if (rule.getResources().contains("clusterroles") || rule.getResources().contains("clusterrolebindings")
                    || rule.getResources().contains("roles")) {
                assertThat(rule.getVerbs()).as("the operator never writes roles: %s", rule).containsExactly("bind");
            }
        }
    }

    @Test
    void chartCrdsAreTheCommittedCrdsByteForByte() throws IOException {
        Path repo = Path.of(System.getProperty("user.dir"));
        List<String> committed = names(repo.resolve("crds"));
        assertThat(names(HelmChart.DIR.resolve("crds"))).isEqualTo(committed);
        assertThat(committed).isNotEmpty();
        for (String name : committed) {
            assertThat(Files.readAllBytes(HelmChart.DIR.resolve("crds").resolve(name)))
                    .as("helm/runway-operator/crds/%s; run 'make crds'", name)
                    .isEqualTo(Files.readAllBytes(repo.resolve("crds").resolve(name)));
        }
    }

    static String namespacesVariable(String controller) {
        return "QUARKUS_OPERATOR_SDK_CONTROLLERS_" + controller.toUpperCase() + "_NAMESPACES";
    }

    static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> chartYaml() throws IOException {
        return Serialization.unmarshal(Files.readString(HelmChart.DIR.resolve("Chart.yaml")), Map.class);
    }

    static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("user.dir"), "src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }
}
