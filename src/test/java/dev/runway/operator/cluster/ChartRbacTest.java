package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The chart's ServiceAccount, ClusterRole and leader-election Role, applied to the control plane,
 * allow exactly what the operator's code does (the table below) and refuse what it never needs.
 * The API server answers through SubjectAccessReviews, so RBAC is evaluated by the real authorizer.
 */
@Tag(Tiers.CLUSTER)
class ChartRbacTest {
    /** A namespace the operator might reconcile in; the rules are cluster-wide, so any name will do. */
    static final String APP_NS = "team-a";

    /** One permission the operator uses: {@code group/resource[/subresource] verb [name]}, and why. */
    record Need(String group, String resource, String subresource, String verb, String name, String why) {
        static List<Need> of(String group, String resource, String verbs, String why) {
            String[] parts = resource.split("/");
            List<Need> needs = new ArrayList<>();
            for (String verb : verbs.split(" ")) {
                needs.add(new Need(group, parts[0], parts.length > 1 ? parts[1] : null, verb, null, why));
            }
            return needs;
        }
    }

    static final String CRUD = "get list watch create update patch delete";

    /** Everything the operator does, read from the code (class names say where). */
    static final List<List<Need>> NEEDS = List.of(
            // Primaries: JOSDK informers; finalizers (EnvironmentReconciler is a Cleaner) and the one-shot
            // runway.dev/* annotations (OneShotAnnotations) are patched; status via StatusSupport.
            Need.of("runway.dev", "applications", "get list watch patch update", "ApplicationReconciler, EnvironmentReconciler's informer"),
            Need.of("runway.dev", "environments", "get list watch patch update", "EnvironmentReconciler, ApplicationReconciler's informer"),
            Need.of("runway.dev", "backuppolicies", "get list watch patch update", "BackupPolicyReconciler"),
            Need.of("runway.dev", "migrationjobs", "get list watch patch update", "MigrationJobReconciler, ApplicationReconciler's informer"),
            Need.of("runway.dev", "migrationjobs", "create delete", "ApplicationMigrations: one per new image, history limit"),
            Need.of("runway.dev", "migrationjobs/status", "patch update", "MigrationStatusFactory"),
            Need.of("runway.dev", "migrationjobs/finalizers", "update", "the migration Jobs' blockOwnerDeletion owner references"),
            Need.of("runway.dev", "restores", "get list watch patch update", "RestoreReconciler"),
            Need.of("runway.dev", "restores/status", "patch update", "RestoreStatusFactory"),
            Need.of("runway.dev", "restores/finalizers", "update", "the restore Job's blockOwnerDeletion owner reference"),
            Need.of("runway.dev", "applications/status", "patch update", "ApplicationStatusFactory via StatusSupport"),
            Need.of("runway.dev", "environments/status", "patch update", "EnvironmentStatusFactory"),
            Need.of("runway.dev", "backuppolicies/status", "patch update", "BackupStatusFactory"),
            Need.of("runway.dev", "environments/finalizers", "update", "children's blockOwnerDeletion owner references"),
            Need.of("", "namespaces", CRUD, "NamespaceDependent (create/update), NamespaceRelease (patch), EnvironmentReconciler.cleanup (delete)"),
            Need.of("", "configmaps", CRUD, "ConfigMapDependent, EnvironmentConfigMapDependent, ScriptsConfigMapDependent"),
            Need.of("", "services", CRUD, "ServiceDependent, PreviewServiceDependent, StrategySwitch (selector patch)"),
            Need.of("", "secrets", CRUD, "referenced Secrets informers (read); GeneratedSecretDependent (write, delete when disabled)"),
            Need.of("", "resourcequotas", CRUD, "ResourceQuotaDependent"),
            Need.of("", "limitranges", CRUD, "LimitRangeDependent"),
            Need.of("", "persistentvolumeclaims", "get list watch create update patch", "BackupPvcDependent (never deleted)"),
            Need.of("", "pods", "get list watch", "BackupPolicyReconciler's pod informer: termination messages"),
            Need.of("", "events", "create", "EventRecorder"),
            Need.of("apps", "deployments", CRUD, "DeploymentDependent"),
            Need.of("apps", "replicasets", "list delete", "StrategySwitch.retireRollout"),
            Need.of("autoscaling", "horizontalpodautoscalers", CRUD, "HorizontalPodAutoscalerDependent"),
            Need.of("policy", "poddisruptionbudgets", CRUD, "PodDisruptionBudgetDependent"),
            Need.of("networking.k8s.io", "ingresses", CRUD, "IngressDependent"),
            Need.of("networking.k8s.io", "networkpolicies", CRUD, "NetworkPolicyDependent"),
            Need.of("batch", "cronjobs", CRUD, "BackupCronJobDependent, VerifyCronJobDependent"),
            Need.of("batch", "jobs", "get list watch create", "BackupPolicyReconciler's job informer, OnDemandBackups"),
            Need.of("rbac.authorization.k8s.io", "rolebindings", CRUD, "RoleBindingsDependent"),
            List.of(new Need("rbac.authorization.k8s.io", "clusterroles", null, "bind", "view", "RoleBindingsDependent"),
                    new Need("rbac.authorization.k8s.io", "clusterroles", null, "bind", "edit", "RoleBindingsDependent"),
                    new Need("rbac.authorization.k8s.io", "clusterroles", null, "bind", "admin", "RoleBindingsDependent")),
            Need.of("argoproj.io", "rollouts", CRUD, "RolloutDependent, StrategySwitch (delete, orphaning)"),
            Need.of("argoproj.io", "rollouts/status", "patch", "RolloutLevers (promote, abort)"),
            Need.of("argoproj.io", "analysistemplates", CRUD, "AnalysisTemplateDependents"),
            Need.of("argoproj.io", "analysisruns", "get", "AnalysisVerdict (the measured values of a failed analysis)"),
            Need.of("monitoring.coreos.com", "prometheusrules", CRUD, "BackupAlertsDependent, PrometheusRuleDependent"),
            Need.of("monitoring.coreos.com", "servicemonitors", CRUD, "ServiceMonitorDependent"));

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
    void chartRbacAllowsWhatTheOperatorDoesAndRefusesWhatItDoesNot() {
        try (TestNamespace ns = TestNamespace.create(client, "chart-rbac")) {
            String release = "rbac-" + ns.name().substring(ns.name().length() - 5);
            List<HasMetadata> rbac = HelmChart.render(release, ns.name()).stream()
                    .filter(o -> List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding").contains(o.getKind()))
                    .toList();
            assertThat(rbac).hasSize(5);
            try {
                rbac.forEach(o -> client.resource(o).create());
                String user = "system:serviceaccount:" + ns.name() + ":"
                        + HelmChart.one(rbac, ServiceAccount.class).getMetadata().getName();

                List<String> refused = new ArrayList<>();
                for (List<Need> row : NEEDS) {
                    for (Need need : row) {
                        var attributes = new ResourceAttributesBuilder().withGroup(need.group()).withResource(need.resource())
                                .withSubresource(need.subresource()).withVerb(need.verb()).withName(need.name());
                        if (!clusterScoped(need.resource())) {
                            attributes.withNamespace(APP_NS);
                        }
                        if (!allowed(user, attributes.build())) {
                            refused.add(need + "");
                        }
                    }
                }
                assertThat(refused).as("permissions the operator needs but the chart does not grant").isEmpty();

                // The leader-election Lease, only in the release namespace.
                for (String verb : List.of("get", "create", "update", "patch")) { // Fabric8 LeaderElector: get, create, renew by PATCH
                    assertThat(allowed(user, attributes("coordination.k8s.io", "leases", verb, ns.name(), null))).as("leases %s", verb).isTrue();
                }
                assertThat(allowed(user, attributes("coordination.k8s.io", "leases", "update", "kube-system", null)))
                        .as("leases elsewhere").isFalse();

                // Clearly unneeded: each would widen what a compromised operator could do.
                List<ResourceAttributes> unneeded = List.of(
                        attributes("", "nodes", "delete", null, null),
                        attributes("", "users", "impersonate", null, "admin"),
                        attributes("", "serviceaccounts", "impersonate", "kube-system", "default"),
                        attributes("rbac.authorization.k8s.io", "clusterroles", "create", null, null),
                        attributes("rbac.authorization.k8s.io", "clusterroles", "escalate", null, "admin"),
                        attributes("rbac.authorization.k8s.io", "clusterroles", "bind", null, "cluster-admin"),
                        attributes("rbac.authorization.k8s.io", "clusterrolebindings", "create", null, null),
                        attributes("rbac.authorization.k8s.io", "roles", "create", APP_NS, null),
                        attributes("", "secrets", "deletecollection", APP_NS, null),
                        attributes("", "persistentvolumeclaims", "delete", APP_NS, null),
                        attributes("", "pods", "create", APP_NS, null),
                        attributes("", "pods", "delete", APP_NS, null),
                        attributes("batch", "jobs", "delete", APP_NS, null),
                        attributes("apiextensions.k8s.io", "customresourcedefinitions", "update", null, null),
                        attributes("runway.dev", "migrationjobs", "deletecollection", APP_NS, null));
                for (ResourceAttributes a : unneeded) {
                    assertThat(allowed(user, a)).as("%s %s/%s %s", a.getVerb(), a.getGroup(), a.getResource(), a.getName()).isFalse();
                }
            } finally {
                rbac.stream().filter(o -> o.getMetadata().getNamespace() == null).forEach(o -> client.resource(o).delete());
            }
        }
    }

    static boolean clusterScoped(String resource) {
        return List.of("namespaces", "environments", "clusterroles").contains(resource);
    }

    static ResourceAttributes attributes(String group, String resource, String verb, String namespace, String name) {
        return new ResourceAttributesBuilder().withGroup(group).withResource(resource).withVerb(verb)
                .withNamespace(namespace).withName(name).build();
    }

    static boolean allowed(String user, ResourceAttributes attributes) {
        return client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser(user).withGroups("system:serviceaccounts", "system:authenticated")
                .withResourceAttributes(attributes).endSpec().build())
                .getStatus().getAllowed();
    }
}
