package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Environments on the local control plane with the operator running: the namespace and its
 * children, adoption, what the API server then enforces, inheritance by Applications, the
 * promotion gate and deletion. Environments are cluster-scoped: every test uses unique names.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class EnvironmentTest {
    static final Duration CONVERGED = Duration.ofSeconds(60);
    static KubernetesClient client;

    final List<String> environments = new ArrayList<>();
    final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @AfterEach
    void cleanUp() {
        for (String name : environments) {
            client.resources(Environment.class).withName(name).delete();
        }
        for (String name : environments) {
            client.resources(Environment.class).withName(name).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
        namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
    }

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
        client.resourceQuotas().inNamespace(name).withName("runway-quota").edit(q -> {
            q.getSpec().getHard().put("pods", new Quantity("1"));
            return q;
        });
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
                .anyMatch(e -> "Warning".equals(e.getType()) && "NamespaceExists".equals(e.getReason())));
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

    @Test
    void anEnvironmentConfigChangeRerollsItsApplications() {
        String name = unique("config");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, config: {GREETING: hello}, featureFlags: {newCheckout: false}}
                """.formatted(name)));
        createApplication(name, "shop", "example.com/shop:1.0.0");
        awaitApplicationReady(name, "shop", a -> true);
        String hashBefore = configHash(name, "shop");
        assertThat(client.configMaps().inNamespace(name).withName("shop-env").get().getData())
                .containsEntry("GREETING", "hello").containsEntry("FEATURE_NEW_CHECKOUT", "false");

        editEnvironment(name, e -> {
            e.getSpec().config = Map.of("GREETING", "bonjour");
            return e;
        });
        await().atMost(CONVERGED).untilAsserted(() -> {
            assertThat(client.configMaps().inNamespace(name).withName("shop-env").get().getData()).containsEntry("GREETING", "bonjour");
            assertThat(configHash(name, "shop")).isNotEqualTo(hashBefore);
            assertThat(client.configMaps().inNamespace(name).withName(Environments.CONFIG_MAP).get().getData())
                    .containsEntry("GREETING", "bonjour");
        });
        awaitApplicationReady(name, "shop", a -> !hashBefore.equals(a.getStatus().configHash));
    }

    @Test
    void promotionWaitsUntilTheImageSoakedHealthyInTheSourceEnvironment() {
        String staging = unique("staging");
        String prod = unique("prod");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging}
                """.formatted(staging)));
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development}
                """.formatted(prod)));
        // v1 serves in prod before the gate exists.
        createApplication(prod, "shop", "example.com/shop:1.0.0");
        awaitApplicationReady(prod, "shop", a -> "example.com/shop:1.0.0".equals(a.getStatus().stableImage));
        awaitReady(editEnvironment(prod, e -> {
            e.getSpec().promotion = new dev.runway.operator.api.v1alpha1.EnvironmentSpec.Promotion();
            e.getSpec().promotion.from = staging;
            e.getSpec().promotion.minSoakMinutes = 1;
            return e;
        }));

        // v2 becomes healthy in staging: the real evidence, written by the operator.
        createApplication(staging, "shop", "example.com/shop:2.0.0");
        Application source = awaitApplicationReady(staging, "shop", a -> !a.getStatus().history.isEmpty()
                && "Healthy".equals(a.getStatus().history.get(0).outcome));
        Instant healthyAt = Instant.parse(source.getStatus().history.get(0).healthyAt);

        editApplication(prod, "shop", a -> {
            a.getSpec().image = "example.com/shop:2.0.0";
            return a;
        });
        Application blocked = client.resources(Application.class).inNamespace(prod).withName("shop").waitUntilCondition(a ->
                condition(a, "PromotionBlocked").map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        assertThat(condition(blocked, "PromotionBlocked").orElseThrow().getMessage())
                .contains("image example.com/shop:2.0.0 has run healthy in " + staging).contains("needs 1m").contains("left)");
        assertThat(condition(blocked, ConditionFactory.READY).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(condition(blocked, ConditionFactory.RECONCILING).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(condition(blocked, ConditionFactory.STALLED).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(image(prod, "shop")).as("the old image keeps serving").isEqualTo("example.com/shop:1.0.0");
        await().atMost(CONVERGED).until(() -> events(prod, "shop").stream().anyMatch(e -> "PromotionBlocked".equals(e.getReason())));

        // An image with no evidence at all, and nothing serving yet: nothing is rolled out.
        createApplication(prod, "cart", "example.com/cart:1.0.0");
        Application cart = client.resources(Application.class).inNamespace(prod).withName("cart").waitUntilCondition(a ->
                condition(a, "PromotionBlocked").map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        assertThat(condition(cart, "PromotionBlocked").orElseThrow().getMessage()).contains("there is no Application cart");
        assertThat(client.apps().deployments().inNamespace(prod).withName("cart").get()).isNull();

        // Released by itself once the minute has passed, without any further edit.
        Application released = client.resources(Application.class).inNamespace(prod).withName("shop").waitUntilCondition(a ->
                "example.com/shop:2.0.0".equals(a.getStatus().stableImage)
                        && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.READY), 120, TimeUnit.SECONDS);
        assertThat(condition(released, "PromotionBlocked").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(Instant.parse(released.getStatus().history.get(0).deployedAt))
                .as("rolled out only after the soak").isAfterOrEqualTo(healthyAt.plus(Duration.ofMinutes(1)));
        assertThat(image(prod, "shop")).isEqualTo("example.com/shop:2.0.0");
    }

    // --- helpers

    String unique(String prefix) {
        return "env-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    Environment create(String yaml) {
        Environment env = client.getKubernetesSerialization().unmarshal(yaml, Environment.class);
        environments.add(env.getMetadata().getName());
        namespaces.add(Environments.namespaceOf(env));
        return client.resource(env).create();
    }

    /** Edits retry on conflicts: the operator writes status concurrently. */
    static Environment editEnvironment(String name, java.util.function.UnaryOperator<Environment> edit) {
        return retryOnConflict(() -> client.resources(Environment.class).withName(name).edit(edit));
    }

    static Application editApplication(String namespace, String name, java.util.function.UnaryOperator<Application> edit) {
        return retryOnConflict(() -> client.resources(Application.class).inNamespace(namespace).withName(name).edit(edit));
    }

    static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
        for (int attempt = 1;; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static Environment awaitReady(Environment env) {
        long generation = env.getMetadata().getGeneration();
        return client.resources(Environment.class).withName(env.getMetadata().getName()).waitUntilCondition(e -> e.getStatus() != null
                && Objects.equals(e.getStatus().observedGeneration, generation)
                && ConditionFactory.isTrue(e.getStatus().conditions, ConditionFactory.READY), CONVERGED.toSeconds(), TimeUnit.SECONDS);
    }

    static void createApplication(String namespace, String name, String image) {
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s, namespace: %s}
                spec: {image: "%s", replicas: 1}
                """.formatted(name, namespace, image), Application.class);
        client.resource(app).create();
    }

    static Application awaitApplicationReady(String namespace, String name, Predicate<Application> and) {
        return client.resources(Application.class).inNamespace(namespace).withName(name).waitUntilCondition(a -> a != null
                && a.getStatus() != null && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.READY) && and.test(a),
                90, TimeUnit.SECONDS);
    }

    static String configHash(String namespace, String app) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(app).get();
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    static String image(String namespace, String app) {
        return client.apps().deployments().inNamespace(namespace).withName(app).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static java.util.Optional<Condition> condition(Environment env, String type) {
        return env.getStatus() == null ? java.util.Optional.empty() : ConditionFactory.find(env.getStatus().conditions, type);
    }

    static java.util.Optional<Condition> condition(Application app, String type) {
        return app == null || app.getStatus() == null ? java.util.Optional.empty() : ConditionFactory.find(app.getStatus().conditions, type);
    }

    /** Events about a cluster-scoped Environment land in the default namespace. */
    static List<Event> events(String environment) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> environment.equals(e.getInvolvedObject().getName()) && "Environment".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    static List<Event> events(String namespace, String application) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> application.equals(e.getInvolvedObject().getName()) && "Application".equals(e.getInvolvedObject().getKind()))
                .toList();
    }

    static void assertOwnedBy(HasMetadata child, Environment env) {
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Environment");
            assertThat(o.getUid()).isEqualTo(env.getMetadata().getUid());
        });
    }

    static Pod pod(String name, boolean privileged) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example.com/pause:1")
                .withNewSecurityContext().withPrivileged(privileged ? true : null).endSecurityContext()
                .endContainer().endSpec().build();
    }
}
