package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Environments on the local control plane with the operator running: the namespace and its
 * children, adoption and refusal, deletion, and what the API server then enforces (quota, Pod
 * Security). Inheritance and promotion: {@link EnvironmentInheritanceTest}.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class EnvironmentTest extends EnvironmentClusterTest {
    /** In runway.tenancy.protected-namespaces of the test profile (application.properties). */
    static final String PROTECTED = "runway-test-protected";

    @Test
    void createsTheNamespaceAndOneChildPerSetField() {
        String name = unique("full");
        Environment env = create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec:
                  tier: Production
                  config: {NODE_ENV: production}
                  featureFlags: {gaitAnalysis: true, audioV2: false}
                  quota: {cpu: "20", memory: 40Gi, pods: "100"}
                  containerDefaults: {cpu: 250m, memory: 256Mi}
                  isolation: {networkPolicy: SameNamespace, allowFrom: [monitoring, ingress-nginx]}
                  access:
                    - {group: sre, role: edit}
                    - {user: ann@example.com, role: view}
                    - {serviceAccount: ci/deployer, role: admin}
                """.formatted(name));
        Environment ready = awaitReady(env);
        assertThat(ready.getStatus().namespace).isEqualTo(name);
        assertThat(ready.getStatus().namespaceCreated).isTrue();
        assertThat(ready.getStatus().appsReady).isEqualTo("0/0");

        Namespace ns = client.namespaces().withName(name).get();
        assertThat(ns.getMetadata().getLabels())
                .containsEntry(Labels.ENVIRONMENT, name)
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted") // the Production default
                .containsEntry("pod-security.kubernetes.io/warn", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted");
        assertThat(ns.getMetadata().getOwnerReferences()).as("the namespace must outlive the Environment").isNullOrEmpty();

        ResourceQuota quota = client.resourceQuotas().inNamespace(name).withName("runway-quota").get();
        assertThat(quota.getSpec().getHard()).containsOnly(
                Map.entry("requests.cpu", new Quantity("20")), Map.entry("requests.memory", new Quantity("40Gi")),
                Map.entry("pods", new Quantity("100")));
        assertOwnedBy(quota, ready);
        LimitRange limits = client.limitRanges().inNamespace(name).withName("runway-container-defaults").get();
        assertThat(limits.getSpec().getLimits()).singleElement().satisfies(item -> {
            assertThat(item.getType()).isEqualTo("Container");
            assertThat(item.getDefault()).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("256Mi"));
            assertThat(item.getDefaultRequest()).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("256Mi"));
        });
        ConfigMap config = client.configMaps().inNamespace(name).withName(Environments.CONFIG_MAP).get();
        assertThat(config.getData()).containsOnly(Map.entry("NODE_ENV", "production"),
                Map.entry("FEATURE_GAIT_ANALYSIS", "true"), Map.entry("FEATURE_AUDIO_V2", "false"));
        assertOwnedBy(config, ready);

        NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace(name).withName("runway-isolation").get();
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).hasSize(2);
            assertThat(rule.getFrom().get(0).getPodSelector()).isNotNull();
            assertThat(rule.getFrom().get(0).getNamespaceSelector()).as("same namespace only").isNull();
            var selector = rule.getFrom().get(1).getNamespaceSelector();
            assertThat(selector.getMatchExpressions()).singleElement().satisfies(e -> {
                assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
                assertThat(e.getOperator()).isEqualTo("In");
                assertThat(e.getValues()).containsExactly("ingress-nginx", "monitoring");
            });
        });

        List<RoleBinding> bindings = client.rbac().roleBindings().inNamespace(name).withLabel(Labels.ENVIRONMENT, name).list().getItems();
        assertThat(bindings).extracting(b -> b.getRoleRef().getName() + " " + b.getSubjects().get(0).getKind() + " "
                + (b.getSubjects().get(0).getNamespace() == null ? "" : b.getSubjects().get(0).getNamespace() + "/")
                + b.getSubjects().get(0).getName())
                .containsExactlyInAnyOrder("edit Group sre", "view User ann@example.com", "admin ServiceAccount ci/deployer");
        assertThat(bindings).allSatisfy(b -> assertOwnedBy(b, ready));

        // A hand edit is put back, and that reconcile writes nothing else: the other children and
        // the Environment's status keep their resourceVersions.
        Map<String, String> versions = new java.util.TreeMap<>();
        versions.put("limits", limits.getMetadata().getResourceVersion());
        versions.put("config", config.getMetadata().getResourceVersion());
        versions.put("policy", policy.getMetadata().getResourceVersion());
        bindings.forEach(b -> versions.put(b.getMetadata().getName(), b.getMetadata().getResourceVersion()));
        String envVersion = client.resources(Environment.class).withName(name).get().getMetadata().getResourceVersion();
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.resourceQuotas().inNamespace(name).withName("runway-quota").edit(q -> {
            q.getSpec().getHard().put("pods", new Quantity("1"));
            return q;
        }));
        client.resourceQuotas().inNamespace(name).withName("runway-quota").waitUntilCondition(
                q -> new Quantity("100").equals(q.getSpec().getHard().get("pods")), 60, TimeUnit.SECONDS);
        Map<String, String> after = new java.util.TreeMap<>();
        after.put("limits", client.limitRanges().inNamespace(name).withName("runway-container-defaults").get().getMetadata().getResourceVersion());
        after.put("config", client.configMaps().inNamespace(name).withName(Environments.CONFIG_MAP).get().getMetadata().getResourceVersion());
        after.put("policy", client.network().v1().networkPolicies().inNamespace(name).withName("runway-isolation").get()
                .getMetadata().getResourceVersion());
        client.rbac().roleBindings().inNamespace(name).withLabel(Labels.ENVIRONMENT, name).list().getItems()
                .forEach(b -> after.put(b.getMetadata().getName(), b.getMetadata().getResourceVersion()));
        assertThat(after).isEqualTo(versions);
        assertThat(client.resources(Environment.class).withName(name).get().getMetadata().getResourceVersion()).isEqualTo(envVersion);

        // Removing a field removes its child; the others stay as they are.
        Environment edited = editEnvironment(name, e -> {
            e.getSpec().isolation = null;
            e.getSpec().quota = null;
            e.getSpec().access = List.of(e.getSpec().access.get(0));
            return e;
        });
        awaitReady(edited);
        await().atMost(CONVERGED).untilAsserted(() -> {
            assertThat(client.network().v1().networkPolicies().inNamespace(name).withName("runway-isolation").get()).isNull();
            assertThat(client.resourceQuotas().inNamespace(name).withName("runway-quota").get()).isNull();
            assertThat(client.rbac().roleBindings().inNamespace(name).withLabel(Labels.ENVIRONMENT, name).list().getItems())
                    .extracting(b -> b.getRoleRef().getName()).containsExactly("edit");
        });
        assertThat(client.limitRanges().inNamespace(name).withName("runway-container-defaults").get()).isNotNull();
    }

    /**
     * The operator's own refusal, for clusters without the chart's admission policies: a protected
     * namespace (here runway.tenancy.protected-namespaces of the test profile) is never labelled or
     * bound, even with adoptExisting.
     */
    @Test
    void refusesAProtectedNamespaceWithoutTouchingIt() {
        String name = unique("protected");
        Namespace existing = client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(PROTECTED)
                .endMetadata().build()).create();
        try {
            create("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Environment
                    metadata: {name: %s}
                    spec: {tier: Staging, namespace: %s, adoptExisting: true, isolation: {podSecurity: privileged},
                           access: [{group: sre, role: admin}]}
                    """.formatted(name, PROTECTED));
            Environment stalled = client.resources(Environment.class).withName(name).waitUntilCondition(e -> e.getStatus() != null
                    && condition(e, ConditionFactory.STALLED).map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
            Condition ready = condition(stalled, ConditionFactory.READY).orElseThrow();
            assertThat(ready.getReason()).isEqualTo("ProtectedNamespace");
            assertThat(ready.getMessage()).contains("spec.namespace", PROTECTED);
            await().atMost(CONVERGED).until(() -> events(name).stream()
                    .anyMatch(e -> "Warning".equals(e.getType()) && "ProtectedNamespace".equals(e.getReason())
                            && e.getMessage().contains("spec.namespace")));
            Namespace untouched = client.namespaces().withName(PROTECTED).get();
            assertThat(untouched.getMetadata().getResourceVersion()).isEqualTo(existing.getMetadata().getResourceVersion());
            assertThat(client.rbac().roleBindings().inNamespace(PROTECTED).list().getItems()).isEmpty();
        } finally {
            namespaces.remove(PROTECTED);
            client.namespaces().withName(PROTECTED).delete();
            client.namespaces().withName(PROTECTED).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
    }

    /**
     * Adoption never lowers Pod Security without spec.isolation.allowPodSecurityDowngrade, and release
     * puts back exactly the levels the namespace had (a level it did not have is removed again).
     */
    @Test
    void adoptionNeverLowersPodSecurityUnlessAskedAndReleaseRestoresIt() {
        String name = unique("psa");
        Namespace existing = client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/warn", "restricted").endMetadata().build()).create();
        namespaces.add(name);
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging, adoptExisting: true}
                """.formatted(name));
        Environment stalled = client.resources(Environment.class).withName(name).waitUntilCondition(e -> e.getStatus() != null
                && condition(e, ConditionFactory.STALLED).map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        Condition ready = condition(stalled, ConditionFactory.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("PodSecurityDowngrade");
        assertThat(ready.getMessage()).contains("enforce=restricted", "spec.isolation.podSecurity", "spec.isolation.allowPodSecurityDowngrade");
        await().atMost(CONVERGED).until(() -> events(name).stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && "PodSecurityDowngrade".equals(e.getReason())
                        && e.getMessage().contains("spec.isolation.allowPodSecurityDowngrade")));
        assertThat(client.namespaces().withName(name).get().getMetadata().getResourceVersion())
                .isEqualTo(existing.getMetadata().getResourceVersion());

        awaitReady(editEnvironment(name, e -> {
            e.getSpec().isolation = new dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation();
            e.getSpec().isolation.allowPodSecurityDowngrade = true;
            return e;
        }));
        Namespace adopted = client.namespaces().withName(name).get();
        assertThat(adopted.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                .containsEntry("pod-security.kubernetes.io/audit", "baseline");
        assertThat(adopted.getMetadata().getAnnotations())
                .containsEntry("runway.dev/pod-security-before-adoption", "enforce=restricted,warn=restricted");

        client.resources(Environment.class).withName(name).delete();
        client.resources(Environment.class).withName(name).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        Namespace released = client.namespaces().withName(name).get();
        assertThat(released.getMetadata().getLabels()).doesNotContainKey(Labels.ENVIRONMENT)
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted")
                .doesNotContainKey("pod-security.kubernetes.io/audit");
        assertThat(released.getMetadata().getAnnotations()).doesNotContainKey("runway.dev/pod-security-before-adoption");
    }

    @Test
    void refusesAnExistingNamespaceUntilAdoptedAndNeverDeletesIt() {
        String name = unique("adopt");
        Namespace existing = client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("team", "payments").endMetadata().build()).create();
        namespaces.add(name);

        Environment env = create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging, deletionPolicy: Delete, config: {A: "1"}}
                """.formatted(name));
        Environment stalled = client.resources(Environment.class).withName(name).waitUntilCondition(e -> e.getStatus() != null
                && condition(e, ConditionFactory.STALLED).map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        Condition ready = condition(stalled, ConditionFactory.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("NamespaceExists");
        assertThat(ready.getMessage()).contains("spec.adoptExisting");
        assertThat(stalled.getStatus().observedGeneration).isEqualTo(env.getMetadata().getGeneration());
        await().atMost(CONVERGED).until(() -> events(name).stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && "NamespaceExists".equals(e.getReason())
                        && e.getMessage().contains("spec.adoptExisting")));
        Namespace untouched = client.namespaces().withName(name).get();
        assertThat(untouched.getMetadata().getResourceVersion()).isEqualTo(existing.getMetadata().getResourceVersion());
        assertThat(untouched.getMetadata().getLabels()).doesNotContainKey(Labels.ENVIRONMENT);
        assertThat(client.configMaps().inNamespace(name).withName(Environments.CONFIG_MAP).get()).isNull();
        // A refused Environment has no say over the Applications in that namespace.
        createApplication(name, "web", "example.com/web:1.0.0");
        awaitApplicationReady(name, "web", a -> true);
        assertThat(client.configMaps().inNamespace(name).withName("web-env").get().getData()).isNullOrEmpty();

        Environment adopting = editEnvironment(name, e -> {
            e.getSpec().adoptExisting = true;
            return e;
        });
        Environment adopted = awaitReady(adopting);
        assertThat(adopted.getStatus().namespaceCreated).isFalse();
        assertThat(client.namespaces().withName(name).get().getMetadata().getLabels())
                .containsEntry("team", "payments")
                .containsEntry(Labels.ENVIRONMENT, name)
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        assertThat(client.configMaps().inNamespace(name).withName(Environments.CONFIG_MAP).get().getData()).containsEntry("A", "1");
        await().atMost(CONVERGED).untilAsserted(() ->
                assertThat(client.configMaps().inNamespace(name).withName("web-env").get().getData()).containsEntry("A", "1"));
        assertThat(client.resources(Environment.class).withName(name).waitUntilCondition(e -> "1/1".equals(e.getStatus().appsReady),
                60, TimeUnit.SECONDS).getStatus().applications.total).isEqualTo(1);

        // deletionPolicy Delete applies only to namespaces the Environment created.
        client.resources(Environment.class).withName(name).delete();
        client.resources(Environment.class).withName(name).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        Namespace kept = client.namespaces().withName(name).get();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(kept.getMetadata().getLabels()).containsEntry("team", "payments").doesNotContainKey(Labels.ENVIRONMENT);
    }

    @Test
    void deletionRetainsTheNamespaceUnlessDeleteWasAskedFor() {
        String retained = unique("retain");
        String deleted = unique("delete");
        namespaces.add(retained);
        namespaces.add(deleted);
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development}
                """.formatted(retained)));
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, deletionPolicy: Delete}
                """.formatted(deleted)));

        client.resources(Environment.class).withName(retained).delete();
        client.resources(Environment.class).withName(deleted).delete();
        client.resources(Environment.class).withName(retained).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        client.resources(Environment.class).withName(deleted).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);

        Namespace kept = client.namespaces().withName(retained).get();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(kept.getMetadata().getLabels()).as("released, so a new Environment must adopt it explicitly")
                .doesNotContainKey(Labels.ENVIRONMENT)
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        client.namespaces().withName(deleted).waitUntilCondition(ns -> ns == null || ns.getMetadata().getDeletionTimestamp() != null,
                60, TimeUnit.SECONDS);
    }

    @Test
    void quotaIsEnforcedByTheApiServer() {
        String name = unique("quota");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, quota: {pods: "2"}}
                """.formatted(name)));
        // The quota controller must have counted the namespace before the admission plugin enforces it.
        client.resourceQuotas().inNamespace(name).withName("runway-quota").waitUntilCondition(q -> q.getStatus() != null
                && q.getStatus().getHard() != null && q.getStatus().getHard().containsKey("pods"), 60, TimeUnit.SECONDS);

        client.pods().inNamespace(name).resource(pod("one", false)).create();
        client.pods().inNamespace(name).resource(pod("two", false)).create();
        assertThatThrownBy(() -> client.pods().inNamespace(name).resource(pod("three", false)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).contains("exceeded quota: runway-quota");
                });
    }

    @Test
    void restrictedPodSecurityRejectsPrivilegedPodsAndAdmitsApplications() {
        String name = unique("restricted");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, isolation: {podSecurity: restricted}}
                """.formatted(name)));

        assertThatThrownBy(() -> client.pods().inNamespace(name).resource(pod("privileged", true)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).contains("violates PodSecurity \"restricted:latest\"");
                });

        createApplication(name, "web", "example.com/web:1.0.0");
        client.apps().deployments().inNamespace(name).withName("web").waitUntilCondition(d -> d != null && d.getStatus() != null
                && d.getStatus().getConditions().stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
                && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()), 90, TimeUnit.SECONDS);
        // Application counts follow the Applications' Ready conditions.
        client.resources(Environment.class).withName(name).waitUntilCondition(e -> "1/1".equals(e.getStatus().appsReady), 60,
                TimeUnit.SECONDS);
    }
}
