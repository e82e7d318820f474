package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The chart's ValidatingAdmissionPolicies on Environments, installed into the API server as the
 * chart renders them, judged with impersonated users (docs/tenancy.md):
 * <ul>
 * <li>the tenant may create Environments and may bind {@code admin} (only) in its own namespace;</li>
 * <li>the outsider may create Environments and bind nothing.</li>
 * </ul>
 * The escalation check must tell them apart: a policy that checks nothing would let the outsider
 * through, one that checks the wrong namespace or role would refuse the tenant or let it grant edit.
 */
@Tag(Tiers.APISERVER)
class TenancyAdmissionTest {
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final String TENANT = "tenant-" + RUN;
    static final String OUTSIDER = "outsider-" + RUN;
    static final String OPERATOR_NAMESPACE = "runway-system";
    static final String EXTRA_PROTECTED = "vault-" + RUN;

    static KubernetesClient admin;
    static TestNamespace namespace;
    static List<HasMetadata> policies;
    static ClusterRole writer;
    static ClusterRole bindAdmin;
    static ClusterRoleBinding writers;
    static RoleBinding tenantMayBindAdmin;

    @BeforeAll
    static void install() {
        admin = LocalControlPlane.client();
        namespace = TestNamespace.create(admin, "tenancy");
        policies = HelmChart.render("runway-operator", OPERATOR_NAMESPACE, "admissionPolicies: {protectedNamespaces: [" + EXTRA_PROTECTED + "]}")
                .stream().filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
                .map(o -> {
                    o.getMetadata().setName(o.getMetadata().getName() + "-" + RUN);
                    return o;
                }).toList();
        assertThat(policies).hasSize(4);
        policies.forEach(TenancyAdmissionTest::renameBindingTarget);
        policies.forEach(o -> admin.resource(o).create());

        writer = admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("runway-test-environment-writer-" + RUN).endMetadata()
                .addNewRule().withApiGroups("runway.dev").withResources("environments").withVerbs("get", "create", "update").endRule()
                .build()).create();
        bindAdmin = admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("runway-test-bind-admin-" + RUN).endMetadata()
                .addNewRule().withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles").withResourceNames("admin")
                .withVerbs("bind").endRule()
                .build()).create();
        writers = admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(writer.getMetadata().getName()).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", writer.getMetadata().getName())
                .addNewSubject().withKind("User").withName(TENANT).withApiGroup("rbac.authorization.k8s.io").endSubject()
                .addNewSubject().withKind("User").withName(OUTSIDER).withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build()).create();
        tenantMayBindAdmin = admin.resource(new RoleBindingBuilder().withNewMetadata().withName("tenant-may-bind-admin")
                .withNamespace(namespace.name()).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", bindAdmin.getMetadata().getName())
                .addNewSubject().withKind("User").withName(TENANT).withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build()).create();
        awaitPoliciesActive();
    }

    private static void renameBindingTarget(HasMetadata o) {
        if (o instanceof io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding b) {
            b.getSpec().setPolicyName(b.getSpec().getPolicyName() + "-" + RUN);
        }
    }

    /** The API server compiles a new policy asynchronously: wait until both refuse what they must. */
    private static void awaitPoliciesActive() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            boolean namespaceRefused = refused(admin, environment("probe-" + RUN, EXTRA_PROTECTED, ""));
            boolean accessRefused = refused(as(OUTSIDER), environment("probe-" + RUN, namespace.name(), "{group: sre, role: view}"));
            if (namespaceRefused && accessRefused) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the admission policies did not take effect within 30 s");
            }
            sleep(200);
        }
    }

    private static boolean refused(KubernetesClient client, String yaml) {
        try {
            client.resource(AdmissionAssertions.parse(client, yaml, null)).dryRun().create();
            return false;
        } catch (KubernetesClientException e) {
            return e.getCode() == 422 || e.getCode() == 403 && e.getMessage().contains("ValidatingAdmissionPolicy");
        }
    }

    @AfterAll
    static void uninstall() {
        for (int i = policies.size() - 1; i >= 0; i--) {
            admin.resource(policies.get(i)).delete();
        }
        admin.resource(tenantMayBindAdmin).delete();
        admin.resource(writers).delete();
        admin.resource(writer).delete();
        admin.resource(bindAdmin).delete();
        namespace.close();
        admin.close();
    }

    static KubernetesClient as(String user) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername(user).withImpersonateGroups("system:authenticated").build()).build();
    }

    static String environment(String name, String ns, String access) {
        return BadInputCatalogueTest.environment(name, "{tier: Staging, namespace: " + ns
                + (access.isEmpty() ? "" : ", access: [" + access + "]") + "}");
    }

    static void assertRefused(KubernetesClient client, String yaml, String... fragments) {
        GenericKubernetesResource env = AdmissionAssertions.parse(client, yaml, null);
        assertThatThrownBy(() -> client.resource(env).dryRun().create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains(fragments);
                });
    }

    // --- escalation check ----------------------------------------------------------------------

    @Test
    void whoMayBindAdminInTheNamespaceMayGrantIt() {
        try (KubernetesClient tenant = as(TENANT)) {
            assertThatCode(() -> tenant.resource(AdmissionAssertions.parse(tenant,
                    environment("granted-" + RUN, namespace.name(), "{group: shop-sre, role: admin}"), null)).dryRun().create())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void whoMayNotBindAdminIsRefusedNamingTheEntry() {
        try (KubernetesClient outsider = as(OUTSIDER)) {
            assertRefused(outsider, environment("escalate-" + RUN, namespace.name(), "{group: shop-sre, role: admin}"),
                    "spec.access[0].role", "you may not bind ClusterRole admin in namespace " + namespace.name());
        }
    }

    @Test
    void theCheckIsPerRoleAndPerNamespace() {
        try (KubernetesClient tenant = as(TENANT)) {
            assertRefused(tenant, environment("edit-" + RUN, namespace.name(), "{group: shop-sre, role: admin}, {user: ann, role: edit}"),
                    "spec.access[1].role", "you may not bind ClusterRole edit");
            assertRefused(tenant, environment("elsewhere-" + RUN, "elsewhere-" + RUN, "{group: shop-sre, role: admin}"),
                    "spec.access[0].role", "in namespace elsewhere-" + RUN);
        }
    }

    @Test
    void onUpdateOnlyNewEntriesAreChecked() {
        GenericKubernetesResource stored;
        try (KubernetesClient tenant = as(TENANT)) {
            stored = tenant.resource(AdmissionAssertions.parse(tenant,
                    environment("stored-" + RUN, namespace.name(), "{group: shop-sre, role: admin}"), null)).create();
        }
        try (KubernetesClient outsider = as(OUTSIDER)) {
            GenericKubernetesResource sameAccess = AdmissionAssertions.parse(outsider, BadInputCatalogueTest.environment("stored-" + RUN,
                    "{tier: Production, namespace: " + namespace.name() + ", access: [{group: shop-sre, role: admin}]}"), null);
            assertThatCode(() -> AdmissionAssertions.updateOverCurrent(outsider, sameAccess, true)).doesNotThrowAnyException();
            GenericKubernetesResource moreAccess = AdmissionAssertions.parse(outsider, BadInputCatalogueTest.environment("stored-" + RUN,
                    "{tier: Staging, namespace: " + namespace.name() + ", access: [{group: shop-sre, role: admin}, {group: interns, role: admin}]}"),
                    null);
            assertThatThrownBy(() -> AdmissionAssertions.updateOverCurrent(outsider, moreAccess, true))
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getStatus().getMessage()).contains("spec.access[1].role"));
        } finally {
            admin.resource(stored).delete();
        }
    }

    // --- protected namespaces ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { OPERATOR_NAMESPACE, "extra" })
    void theOperatorsNamespaceAndTheConfiguredOnesAreRefusedEvenToClusterAdmins(String which) {
        String ns = which.equals("extra") ? EXTRA_PROTECTED : which;
        assertRefused(admin, environment("protected-" + RUN, ns, ""), "spec.namespace", "is " + ns + ", a protected namespace");
        // Without spec.namespace the name is the namespace.
        assertRefused(admin, BadInputCatalogueTest.environment(ns, "{tier: Staging}"), "spec.namespace", "a protected namespace");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "kube-system", "kube-public", "kube-node-lease", "default" })
    void theClustersOwnNamespacesAreRefusedByTheCrd(String ns) {
        assertRefused(admin, environment("system-" + RUN, ns, ""), "spec.namespace", "must not be default or a kube-* namespace");
        assertRefused(admin, BadInputCatalogueTest.environment(ns, "{tier: Staging}"), "spec.namespace",
                "must not be default or a kube-* namespace");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "group: system:authenticated", "group: system:masters", "user: system:admin",
            "user: system:serviceaccount:kube-system:default" })
    void systemSubjectsAreRefusedByTheCrd(String subject) {
        String field = subject.substring(0, subject.indexOf(':'));
        assertRefused(admin, environment("subject-" + RUN, namespace.name(), "{" + subject.replace(": ", ": '") + "', role: view}"),
                "spec.access[0]." + field, "must not start with system:");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
