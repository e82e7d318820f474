package dev.runway.operator.cluster;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static dev.runway.operator.testing.ClusterTestSupport.application;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.conditionReason;
import static dev.runway.operator.testing.ClusterTestSupport.events;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ChildWrites;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.ReconcileCounter;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** The RollingUpdate Application end to end on the local control plane, operator in this JVM. */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class ApplicationTest extends KubernetesTest {
    TestNamespace ns;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void namespace(TestInfo info) {
        ns = TestNamespace.create(client, "app-" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z]", "")
                .substring(0, 12));
    }

    @AfterEach
    void cleanup() {
        ns.close();
    }

    Application create(String yaml) {
        return client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), yaml)).create();
    }

    Application waitReady(String name) {
        return waitFor(client, ns.name(), name, 90, a -> condition(a, "Ready", "True")
                && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
    }

    Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(ns.name()).withName(name).get();
    }

    String configHash(String name) {
        return deployment(name).getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void handEditedOrDeletedChildrenAreRestored() {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: drift}
                spec:
                  image: example.com/drift:1
                  env: {MODE: steady}
                  autoscaling: {minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 60}
                """);
        waitReady("drift");
        var deployments = client.apps().deployments().inNamespace(ns.name());
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> deployments.withName("drift").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/hacked:6");
            return d;
        }));
        client.services().inNamespace(ns.name()).withName("drift").delete();
        dev.runway.operator.testing.ClusterTestSupport.retryOnConflict(() -> client.configMaps().inNamespace(ns.name()).withName("drift-env").edit(c -> {
            c.getData().put("MODE", "tampered");
            return c;
        }));
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name()).withName("drift").delete();

        await(30).untilAsserted(() -> {
            assertThat(deployment("drift").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("example.com/drift:1");
            assertThat(client.services().inNamespace(ns.name()).withName("drift").get()).isNotNull();
            assertThat(client.configMaps().inNamespace(ns.name()).withName("drift-env").get().getData())
                    .containsEntry("MODE", "steady");
            assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name()).withName("drift").get())
                    .isNotNull();
        });
    }

    @Test
    void reconcilesAtRestWriteNothing() throws InterruptedException {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: quiet}
                spec:
                  image: example.com/quiet:1
                  replicas: 2
                  env: {A: "1"}
                  generatedSecrets: [{key: TOKEN, length: 24}]
                  resources: {requests: {cpu: "1000m", memory: 1Gi}, limits: {cpu: "2", memory: "1024Mi"}}
                  probes: {readiness: {path: /ready, periodSeconds: 5}}
                  ingress: {host: quiet.example.com, tls: {secretName: quiet-tls}}
                """);
        waitReady("quiet");
        // Let the last status write and its echo settle.
        Thread.sleep(3000);
        Map<String, String> before = versions();
        double reconcilesBefore = ReconcileCounter.started(registry, ns.name(), "quiet");
        AuditLog audit = AuditLog.ofTestCluster();
        AuditLog.Mark mark = audit.mark();

        String lastOwnWrite = null;
        for (int i = 0; i < 3; i++) {
            int n = i;
            lastOwnWrite = ClusterTestSupport.annotate(client, ns.name(), "quiet", "example.com/touched", String.valueOf(n))
                    .getMetadata().getResourceVersion();
            Thread.sleep(1500);
        }
        await(20).until(() -> ReconcileCounter.started(registry, ns.name(), "quiet") >= reconcilesBefore + 3);
        Thread.sleep(2000);

        Map<String, String> after = versions();
        before.remove("Application/quiet");
        String appAfter = after.remove("Application/quiet");
        assertThat(after).as("children's resourceVersions after forced reconciles").isEqualTo(before);
        assertThat(appAfter).as("no status write after the test's own last edit").isEqualTo(lastOwnWrite);
        // Not even a no-op apply: a probe's initialDelaySeconds 0, which the Deployment stores as absent, once made one per reconcile.
        assertThat(ChildWrites.byOperator(audit, mark, "deployments", ns.name(), "quiet")).as("operator requests to write the Deployment")
                .isEmpty();
    }

    private Map<String, String> versions() {
        Map<String, String> versions = new HashMap<>();
        List<HasMetadata> all = new java.util.ArrayList<>();
        all.addAll(client.apps().deployments().inNamespace(ns.name()).list().getItems());
        all.addAll(client.services().inNamespace(ns.name()).list().getItems());
        all.addAll(client.configMaps().inNamespace(ns.name()).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems());
        all.addAll(client.secrets().inNamespace(ns.name()).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems());
        all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns.name()).list().getItems());
        all.addAll(client.network().v1().ingresses().inNamespace(ns.name()).list().getItems());
        all.addAll(client.apps().replicaSets().inNamespace(ns.name()).list().getItems());
        all.add(application(client, ns.name(), "quiet").get());
        all.forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        assertThat(versions).containsKeys("Deployment/quiet", "Service/quiet", "ConfigMap/quiet-env", "Secret/quiet-generated",
                "PodDisruptionBudget/quiet", "Ingress/quiet");
        return versions;
    }

    @Test
    void missingSecretIsReportedAndNothingIsRolledOutUntilItExists() {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: needs-secret}
                spec: {image: example.com/app:1, secretRefs: [app-credentials]}
                """);
        Application stalled = waitFor(client, ns.name(), "needs-secret", 60, a -> conditionReason(a, "Ready", "SecretNotFound"));
        assertThat(condition(stalled, "Stalled", "True")).isTrue();
        assertThat(stalled.getStatus().conditions).filteredOn(c -> "Ready".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("Secret app-credentials not found in " + ns.name())
                        .contains("spec.secretRefs"));
        assertThat(deployment("needs-secret")).as("no pods that could not start").isNull();
        await(20).until(() -> !events(client, ns.name(), "needs-secret", "SecretNotFound").isEmpty());
        assertThat(events(client, ns.name(), "needs-secret", "SecretNotFound").get(0)).satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).as("the event names the field").contains("spec.secretRefs");
        });

        client.resource(new SecretBuilder().withNewMetadata().withName("app-credentials").withNamespace(ns.name()).endMetadata()
                .addToStringData("PASSWORD", "s3cret-value").build()).create();
        waitReady("needs-secret");
        assertThat(deployment("needs-secret").getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                .filteredOn(e -> e.getSecretRef() != null)
                .anySatisfy(e -> assertThat(e.getSecretRef().getName()).isEqualTo("app-credentials"));
    }

    @Test
    void envAndReferencedSecretChangesRollThePods() {
        client.resource(new SecretBuilder().withNewMetadata().withName("creds").withNamespace(ns.name()).endMetadata()
                .addToStringData("PASSWORD", "one").build()).create();
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: rolls}
                spec: {image: example.com/rolls:1, env: {LEVEL: info}, secretRefs: [creds]}
                """);
        Application first = waitReady("rolls");
        String hash1 = configHash("rolls");
        assertThat(first.getStatus().configHash).isEqualTo(hash1);

        ClusterTestSupport.update(client, ns.name(), "rolls", a -> a.getSpec().env.put("LEVEL", "debug"));
        await(30).until(() -> !hash1.equals(configHash("rolls")));
        assertThat(client.configMaps().inNamespace(ns.name()).withName("rolls-env").get().getData()).containsEntry("LEVEL", "debug");
        String hash2 = configHash("rolls");

        client.secrets().inNamespace(ns.name()).withName("creds").edit(s -> {
            s.setData(Map.of("PASSWORD", Base64.getEncoder().encodeToString("two".getBytes())));
            return s;
        });
        await(30).until(() -> !hash2.equals(configHash("rolls")));
        // The Deployment is applied before the status is written in the same reconcile (a Secret
        // change moves no generation): wait for the status of the new hash, not any Ready one.
        String hash3 = configHash("rolls");
        Application rolled = waitFor(client, ns.name(), "rolls", 90, a -> condition(a, "Ready", "True") && hash3.equals(a.getStatus().configHash));
        assertThat(rolled.getStatus().configHash).isEqualTo(configHash("rolls"));
        assertThat(rolled.getStatus().history).hasSizeGreaterThanOrEqualTo(3);
        assertThat(client.apps().replicaSets().inNamespace(ns.name()).list().getItems()).hasSizeGreaterThanOrEqualTo(3);
    }

    /** The User-Agent, and so the field manager, of the test standing in for the HPA controller. */
    static final String HPA = "hpa-stand-in";

    /**
     * HPA coexistence, for a Deployment and a blue-green Rollout: after the replica count changes through
     * the scale subresource (as the HPA controller writes it), a window of forced reconciles makes no
     * operator write to either workload, and the count stays. (The test-shortened stand-in for "10
     * minutes": five forced reconciles of each Application over ~20 s.)
     */
    @Test
    void theHpaOwnsTheReplicaCount() throws InterruptedException {
        for (String app : List.of("scaled", "scaled-bg")) {
            create("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: %s}
                    spec:
                      image: example.com/scaled:1
                      autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 50}
                      strategy: {type: %s}
                    """.formatted(app, app.endsWith("-bg") ? "BlueGreen" : "RollingUpdate"));
        }
        waitReady("scaled");
        waitReady("scaled-bg");
        var hpas = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns.name());
        assertThat(hpas.withName("scaled").get().getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpas.withName("scaled-bg").get().getSpec().getScaleTargetRef().getKind()).isEqualTo("Rollout");
        assertThat(hpas.withName("scaled").get().getSpec().getMinReplicas()).isEqualTo(2);
        var rollouts = client.resources(Rollout.class).inNamespace(ns.name());

        // What the HPA does: write spec.replicas through the scale subresource, with an agent of its own.
        AuditLog audit = AuditLog.ofTestCluster();
        try (KubernetesClient hpa = ChildWrites.otherClient(client, HPA)) {
            hpa.apps().deployments().inNamespace(ns.name()).withName("scaled").scale(5);
            hpa.resources(Rollout.class).inNamespace(ns.name()).withName("scaled-bg").scale(5);
        }
        AuditLog.Mark mark = audit.mark();
        long deploymentGeneration = deployment("scaled").getMetadata().getGeneration();
        long rolloutGeneration = rollouts.withName("scaled-bg").get().getMetadata().getGeneration();
        for (int nudge = 1; nudge <= 5; nudge++) {
            for (String app : List.of("scaled", "scaled-bg")) {
                double before = ReconcileCounter.started(registry, ns.name(), app);
                ClusterTestSupport.annotate(client, ns.name(), app, "example.com/nudge", String.valueOf(nudge));
                await(20).until(() -> ReconcileCounter.started(registry, ns.name(), app) > before);
            }
            // Spreads the forced reconciles over the window (not a timing assertion).
            Thread.sleep(3000);
        }

        assertThat(deployment("scaled").getSpec().getReplicas()).isEqualTo(5);
        assertThat(rollouts.withName("scaled-bg").get().getSpec().getReplicas()).isEqualTo(5);
        assertThat(deployment("scaled").getMetadata().getGeneration()).as("no spec write to the Deployment").isEqualTo(deploymentGeneration);
        assertThat(rollouts.withName("scaled-bg").get().getMetadata().getGeneration()).as("no spec write to the Rollout")
                .isEqualTo(rolloutGeneration);
        assertThat(ChildWrites.byOperator(audit, mark, "deployments", ns.name(), "scaled")).as("operator writes to the Deployment").isEmpty();
        assertThat(ChildWrites.byOperator(audit, mark, "rollouts", ns.name(), "scaled-bg")).as("operator writes to the Rollout").isEmpty();
        List<HasMetadata> workloads = List.of(deployment("scaled"), rollouts.withName("scaled-bg").get());
        for (HasMetadata workload : workloads) {
            assertThat(workload.getMetadata().getManagedFields()).as("the managers of %s spec.replicas", workload.getKind())
                    .filteredOn(f -> f.getFieldsV1() != null && f.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
                            && spec.containsKey("f:replicas"))
                    .extracting(f -> f.getManager()).as("only the HPA (where the API server records a scale) owns replicas").isSubsetOf(HPA);
        }
    }

    @Test
    void generatedSecretIsKeptAndRotatedOnlyOnRequest() {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: gen}
                spec: {image: example.com/gen:1, generatedSecrets: [{key: JWT_SECRET, length: 48}]}
                """);
        Application ready = waitReady("gen");
        var secret = client.secrets().inNamespace(ns.name()).withName("gen-generated").get();
        String value = new String(Base64.getDecoder().decode(secret.getData().get("JWT_SECRET")));
        assertThat(value).hasSize(48);
        assertThat(client.getKubernetesSerialization().asJson(ready.getStatus())).doesNotContain(value);
        String hash = configHash("gen");

        ClusterTestSupport.update(client, ns.name(), "gen", a -> a.getSpec().env = Map.of("X", "1"));
        await(30).until(() -> !hash.equals(configHash("gen")));
        assertThat(client.secrets().inNamespace(ns.name()).withName("gen-generated").get().getData().get("JWT_SECRET"))
                .as("kept across reconciles and rollouts").isEqualTo(secret.getData().get("JWT_SECRET"));

        String hash2 = configHash("gen");
        ClusterTestSupport.annotate(client, ns.name(), "gen", "runway.dev/rotate-secrets", "");
        await(30).until(() -> !secret.getData().get("JWT_SECRET")
                .equals(client.secrets().inNamespace(ns.name()).withName("gen-generated").get().getData().get("JWT_SECRET")));
        await(30).until(() -> !hash2.equals(configHash("gen")));
        await(30).until(() -> !application(client, ns.name(), "gen").get().getMetadata().getAnnotations()
                .containsKey("runway.dev/rotate-secrets"));
    }

    /**
     * spec.generatedSecretsRetention: Retain keeps the values across the Application's deletion and
     * re-creation (what a GitOps tool that replaces an object does); the default still lets the
     * garbage collector take them, which is what shows that it ran. A Secret lost by hand is
     * regenerated with a Warning.
     */
    @Test
    void aRetainedGeneratedSecretOutlivesItsApplicationAndIsAdopted() {
        String retainedYaml = """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: keep}
                spec: {image: example.com/keep:1, generatedSecrets: [{key: JWT_SECRET, length: 32}], generatedSecretsRetention: Retain}
                """;
        create(retainedYaml);
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: drop}
                spec: {image: example.com/drop:1, generatedSecrets: [{key: JWT_SECRET, length: 32}]}
                """);
        Application first = waitReady("keep");
        waitReady("drop");
        assertThat(conditionReason(first, ConditionTypes.GENERATED_SECRETS, "Generated")).isTrue();
        var secrets = client.secrets().inNamespace(ns.name());
        Secret kept = secrets.withName("keep-generated").get();
        assertThat(kept.getMetadata().getOwnerReferences()).as("a retained Secret has no owner").isEmpty();
        assertThat(secrets.withName("drop-generated").get().getMetadata().getOwnerReferences()).hasSize(1);

        client.resources(Application.class).inNamespace(ns.name()).withName("keep").delete();
        client.resources(Application.class).inNamespace(ns.name()).withName("drop").delete();
        await(60).until(() -> secrets.withName("drop-generated").get() == null);
        assertThat(secrets.withName("keep-generated").get()).as("after the garbage collector took the other one").isNotNull();

        create(retainedYaml);
        Application second = waitFor(client, ns.name(), "keep", 90, a -> a.getStatus() != null
                && conditionReason(a, ConditionTypes.GENERATED_SECRETS, "Adopted") && condition(a, "Ready", "True"));
        assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        Secret adopted = secrets.withName("keep-generated").get();
        assertThat(adopted.getData()).as("the values survive re-creation").isEqualTo(kept.getData());
        assertThat(adopted.getMetadata().getAnnotations()).containsEntry("runway.dev/generated-for", second.getMetadata().getUid());
        assertThat(events(client, ns.name(), "keep", "GeneratedSecretsAdopted")).hasSize(1);

        // Back to Delete: the Secret gets the Application as its owner again, values unchanged.
        ClusterTestSupport.update(client, ns.name(), "keep", a -> a.getSpec().generatedSecretsRetention = null);
        await(30).until(() -> secrets.withName("keep-generated").get().getMetadata().getOwnerReferences().size() == 1);
        assertThat(secrets.withName("keep-generated").get().getData()).isEqualTo(kept.getData());

        // Lost by hand: new values, said as a Warning and a False condition naming the remedy.
        secrets.withName("keep-generated").delete();
        Application regenerated = waitFor(client, ns.name(), "keep", 60, a -> a.getStatus() != null
                && conditionReason(a, ConditionTypes.GENERATED_SECRETS, "Regenerated"));
        assertThat(condition(regenerated, ConditionTypes.GENERATED_SECRETS, "False")).isTrue();
        await(30).until(() -> secrets.withName("keep-generated").get() != null);
        assertThat(secrets.withName("keep-generated").get().getData()).isNotEqualTo(kept.getData());
        assertThat(events(client, ns.name(), "keep", "GeneratedSecretsRegenerated")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void aRevisionThatMissesItsDeadlineIsRolledBack() {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: rb}
                spec:
                  image: example.com/rb:1
                  replicas: 2
                  strategy: {rollingUpdate: {progressDeadlineSeconds: 10}}
                """);
        waitReady("rb");
        ClusterTestSupport.update(client, ns.name(), "rb", a -> a.getSpec().image = "example.com/rb:crashloop");
        Application rolledBack = waitFor(client, ns.name(), "rb", 120, a -> a.getStatus().phase == Phase.RolledBack
                && condition(a, "Available", "True") && "example.com/rb:1".equals(
                        deployment("rb").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        assertThat(rolledBack.getSpec().image).as("the spec is never written").isEqualTo("example.com/rb:crashloop");
        assertThat(rolledBack.getStatus().failedRevision.image).isEqualTo("example.com/rb:crashloop");
        assertThat(rolledBack.getStatus().stableImage).isEqualTo("example.com/rb:1");
        assertThat(condition(rolledBack, "Stalled", "True")).isTrue();
        assertThat(rolledBack.getStatus().history).anySatisfy(r -> {
            assertThat(r.image).isEqualTo("example.com/rb:crashloop");
            assertThat(r.outcome).isEqualTo("RolledBack");
        });
        await(20).until(() -> !events(client, ns.name(), "rb", "RolledBack").isEmpty());

        ClusterTestSupport.update(client, ns.name(), "rb", a -> a.getSpec().image = "example.com/rb:2");
        Application healthy = waitFor(client, ns.name(), "rb", 90, a -> a.getStatus().phase == Phase.Healthy
                && "example.com/rb:2".equals(a.getStatus().stableImage));
        assertThat(healthy.getStatus().failedRevision).isNull();
    }

    @Test
    void restartAnnotationRollsThePodsAndIsConsumed() {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: restart}
                spec: {image: example.com/restart:1}
                """);
        waitReady("restart");
        ClusterTestSupport.annotate(client, ns.name(), "restart", "runway.dev/restart", "");
        await(30).until(() -> deployment("restart").getSpec().getTemplate().getMetadata().getAnnotations()
                .containsKey(Labels.RESTARTED_AT_ANNOTATION));
        await(30).until(() -> !application(client, ns.name(), "restart").get().getMetadata().getAnnotations()
                .containsKey("runway.dev/restart"));
        assertThat(waitReady("restart").getStatus().restartedAt).isNotBlank();
    }

    @Test
    void deletingTheApplicationRemovesOnlyItsChildren() {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("unrelated").withNamespace(ns.name()).endMetadata()
                .addToData("k", "v").build()).create();
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: gone}
                spec: {image: example.com/gone:1, replicas: 2, ingress: {host: gone.example.com}}
                """);
        waitReady("gone");
        application(client, ns.name(), "gone").delete();
        await(60).untilAsserted(() -> {
            assertThat(deployment("gone")).isNull();
            assertThat(client.services().inNamespace(ns.name()).withName("gone").get()).isNull();
            assertThat(client.configMaps().inNamespace(ns.name()).withName("gone-env").get()).isNull();
            assertThat(client.network().v1().ingresses().inNamespace(ns.name()).withName("gone").get()).isNull();
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns.name()).withName("gone").get()).isNull();
        });
        assertThat(client.configMaps().inNamespace(ns.name()).withName("unrelated").get()).isNotNull();
    }
}
