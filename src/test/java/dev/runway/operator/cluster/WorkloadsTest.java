package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.application;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static dev.runway.operator.testing.ClusterTestSupport.condition;
import static dev.runway.operator.testing.ClusterTestSupport.events;
import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.ChildWrites;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorCaches;
import dev.runway.operator.testing.ReconcileCounter;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The workload fields of an Application on the kwok nodes: each reaches the pods the scheduler
 * places (placement, priority, extended resources are acted on by the scheduler and admission,
 * not only copied), a worker gets no Service, PVCs Runway creates outlive the Application unless
 * told otherwise, and with every field set a reconcile at rest writes nothing.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class WorkloadsTest extends KubernetesTest {
    static final String DONGLE = "example.com/dongle";
    TestNamespace ns;

    @Inject
    MeterRegistry registry;

    @Inject
    Operator operator;

    @BeforeEach
    void namespace(TestInfo info) {
        ns = TestNamespace.create(client, "wl-" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z]", "")
                .substring(0, 10));
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

    List<Pod> pods(String app) {
        return client.pods().inNamespace(ns.name()).withLabel(Labels.INSTANCE, app).list().getItems();
    }

    @Test
    void everyWorkloadFieldReachesTheScheduledPodsAndAtRestNothingIsWritten() throws InterruptedException {
        // The kwok nodes advertise an extended resource, as a device plugin would.
        for (Node node : client.nodes().withLabel("type", "kwok").list().getItems()) {
            client.nodes().withName(node.getMetadata().getName()).subresource("status").edit(n -> {
                n.getStatus().getCapacity().put(DONGLE, new Quantity("4"));
                n.getStatus().getAllocatable().put(DONGLE, new Quantity("4"));
                return n;
            });
        }
        String priorityClass = ns.name() + "-high";
        client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName(priorityClass)
                .endMetadata().withValue(1000).build()).create();
        try {
            client.serviceAccounts().inNamespace(ns.name()).resource(new ServiceAccountBuilder().withNewMetadata().withName("uploads")
                    .endMetadata().build()).create();
            create("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: full}
                    spec:
                      image: example.com/full:1
                      replicas: 2
                      command: [/bin/full]
                      args: [--serve]
                      ports: [{name: grpc, containerPort: 9090}]
                      securityContext: {runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, readOnlyRootFilesystem: false}
                      volumes:
                        - {name: cache, mountPath: /cache, emptyDir: {sizeLimit: 64Mi}}
                        - {name: config, mountPath: /etc/full, configMap: {name: full-files, optional: true}}
                        - {name: certs, mountPath: /etc/certs, secret: {name: full-tls, optional: true}}
                      initContainers: [{name: prepare, image: "example.com/tools:1", command: [/prepare], env: {TARGET: /cache}, volumeMounts: [{name: cache, mountPath: /cache}]}]
                      sidecars: [{name: shipper, image: "example.com/shipper:1", resources: {requests: {cpu: 10m}, limits: {memory: 64Mi}}}]
                      resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}, extended: {example.com/dongle: 1}}
                      serviceAccountName: uploads
                      imagePullSecrets: [{name: registry-credentials}]
                      nodeSelector: {type: kwok}
                      tolerations: [{key: example.com/dedicated, operator: Exists, effect: NoSchedule}]
                      affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, preference: {matchExpressions: [{key: type, operator: In, values: [kwok]}]}}]}}
                      priorityClassName: %s
                      podTemplate:
                        metadata: {labels: {team: payments}, annotations: {example.com/scrape: "true"}}
                        spec:
                          terminationGracePeriodSeconds: 45
                          containers:
                            - {name: app, env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]}
                            - {name: shipper, args: [--verbose]}
                          volumes:
                            - {name: cache, emptyDir: {sizeLimit: 128Mi}}
                            - {name: token, projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 3600}}]}}
                    """.formatted(priorityClass));
            Application ready = waitReady("full");
            assertThat(ready.getStatus().podTemplateOverrides).as("the one Runway default spec.podTemplate replaced")
                    .containsExactly("spec.volumes[cache].emptyDir.sizeLimit");
            assertThat(events(client, ns.name(), "full", "PodTemplateOverrides")).isNotEmpty();
            List<Pod> pods = pods("full");
            assertThat(pods).hasSize(2);
            for (Pod pod : pods) {
                var spec = pod.getSpec();
                assertThat(spec.getNodeName()).as("scheduled on a kwok node (nodeSelector type=kwok)").startsWith("kwok-node-");
                assertThat(spec.getPriority()).as("admission resolved priorityClassName").isEqualTo(1000);
                assertThat(spec.getServiceAccountName()).isEqualTo("uploads");
                assertThat(spec.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-credentials");
                assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
                assertThat(spec.getSecurityContext().getFsGroup()).isEqualTo(10001L);
                assertThat(spec.getInitContainers()).extracting(c -> c.getName()).containsExactly("prepare");
                assertThat(spec.getContainers()).extracting(c -> c.getName()).containsExactly("app", "shipper");
                var app = spec.getContainers().get(0);
                assertThat(app.getCommand()).containsExactly("/bin/full");
                assertThat(app.getArgs()).containsExactly("--serve");
                assertThat(app.getResources().getRequests()).containsEntry(DONGLE, new Quantity("1"));
                assertThat(app.getResources().getLimits()).containsEntry(DONGLE, new Quantity("1"));
                assertThat(app.getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
                assertThat(app.getPorts()).extracting(p -> p.getName()).containsExactly("http", "grpc");
                // spec.podTemplate, merged last
                assertThat(pod.getMetadata().getLabels()).containsEntry("team", "payments").containsEntry(Labels.INSTANCE, "full");
                assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/scrape", "true");
                assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(45L);
                assertThat(app.getEnv()).extracting(e -> e.getName()).containsExactly("POD_IP");
                assertThat(spec.getContainers().get(1).getArgs()).containsExactly("--verbose");
                assertThat(spec.getVolumes()).filteredOn(v -> "cache".equals(v.getName())).singleElement()
                        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("128Mi")));
                assertThat(spec.getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("token"));
                assertThat(spec.getTopologySpreadConstraints()).as("the default spread").singleElement()
                        .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
            }
            assertThat(pods).extracting(p -> p.getSpec().getNodeName()).as("spread over nodes").doesNotHaveDuplicates();
            assertThat(client.services().inNamespace(ns.name()).withName("full").get().getSpec().getPorts())
                    .extracting(p -> p.getName()).containsExactly("http", "grpc");

            // At rest, with every field set (spec.podTemplate too): forced reconciles write nothing (not even a no-op apply).
            Thread.sleep(3000);
            Map<String, String> before = versions("full");
            double reconcilesBefore = ReconcileCounter.started(registry, ns.name(), "full");
            AuditLog audit = AuditLog.ofTestCluster();
            AuditLog.Mark mark = audit.mark();
            String lastOwnWrite = null;
            for (int i = 0; i < 3; i++) {
                lastOwnWrite = ClusterTestSupport.annotate(client, ns.name(), "full", "example.com/touched", String.valueOf(i))
                        .getMetadata().getResourceVersion();
                Thread.sleep(1500);
            }
            await(20).until(() -> ReconcileCounter.started(registry, ns.name(), "full") >= reconcilesBefore + 3);
            Thread.sleep(2000);
            Map<String, String> after = versions("full");
            before.remove("Application/full");
            String appAfter = after.remove("Application/full");
            assertThat(after).as("children's resourceVersions after forced reconciles").isEqualTo(before);
            assertThat(appAfter).as("no status write after the test's own last edit").isEqualTo(lastOwnWrite);
            assertThat(ChildWrites.byOperator(audit, mark, "deployments", ns.name(), "full")).as("operator writes to the Deployment").isEmpty();
            assertThat(ChildWrites.byOperator(audit, mark, "services", ns.name(), "full")).as("operator writes to the Service").isEmpty();
            // One field manager for every controller.
            assertThat(client.apps().deployments().inNamespace(ns.name()).withName("full").get().getMetadata().getManagedFields())
                    .filteredOn(f -> "Apply".equals(f.getOperation())).extracting(f -> f.getManager()).containsExactly(Labels.MANAGER);
            // The reconciles above matched against the operator's cache, which keeps Runway's entry only.
            assertThat(client.apps().deployments().inNamespace(ns.name()).withName("full").get().getMetadata().getManagedFields())
                    .extracting(f -> f.getManager()).as("the API server's copy").contains("kube-controller-manager");
            assertThat(OperatorCaches.cached(operator, "application", Deployment.class, ns.name(), "full").getMetadata().getManagedFields())
                    .extracting(f -> f.getManager()).as("the operator's cached copy").containsExactly(Labels.MANAGER);
        } finally {
            client.scheduling().v1().priorityClasses().withName(priorityClass).delete();
            for (Node node : client.nodes().withLabel("type", "kwok").list().getItems()) {
                client.nodes().withName(node.getMetadata().getName()).subresource("status").edit(n -> {
                    n.getStatus().getCapacity().remove(DONGLE);
                    n.getStatus().getAllocatable().remove(DONGLE);
                    return n;
                });
            }
        }
    }

    @Test
    void aWorkerGetsNoServiceNorProbesAndIsReadyWhenItsPodsRun() {
        create("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: consumer}
                spec: {image: example.com/consumer:1, worker: true, replicas: 1, args: [--queue, orders]}
                """);
        Application ready = waitReady("consumer");
        assertThat(ready.getStatus().url).as("a worker has no URL").isNull();
        assertThat(client.services().inNamespace(ns.name()).withName("consumer").get()).as("no Service").isNull();
        var deployment = client.apps().deployments().inNamespace(ns.name()).withName("consumer").get();
        assertThat(deployment.getSpec().getMinReadySeconds()).as("available only after running 10 s without a restart").isEqualTo(10);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getReadinessProbe()).isNull();
        assertThat(container.getLivenessProbe()).isNull();
        assertThat(container.getPorts()).isEmpty();
    }

    @Test
    void claimsOutliveTheirApplicationUnlessAskedAndComeBackWithIt() {
        String spec = """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: files}
                spec:
                  image: example.com/files:1
                  replicas: 1
                  volumes:
                    - {name: uploads, mountPath: /data/uploads, claim: {size: 1Gi, storageClassName: none-here}}
                    - {name: scratch, mountPath: /data/scratch, claim: {size: 1Gi, storageClassName: none-here, deleteWithApplication: true}}
                """;
        Application app = create(spec);
        var claims = client.persistentVolumeClaims().inNamespace(ns.name());
        await(30).untilAsserted(() -> {
            assertThat(claims.withName("files-uploads").get()).isNotNull();
            assertThat(claims.withName("files-scratch").get()).isNotNull();
        });
        PersistentVolumeClaim kept = claims.withName("files-uploads").get();
        assertThat(kept.getMetadata().getOwnerReferences()).as("no owner: the garbage collector leaves it").isEmpty();
        assertThat(kept.getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "files");
        assertThat(kept.getSpec().getStorageClassName()).isEqualTo("none-here");
        assertThat(claims.withName("files-scratch").get().getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(app.getMetadata().getUid()));
        assertThat(events(client, ns.name(), "files", "VolumeClaimCreated")).hasSize(2);
        String keptUid = kept.getMetadata().getUid();

        application(client, ns.name(), "files").delete();
        await(60).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(ns.name()).withName("files").get()).as("the Deployment is collected").isNull();
            assertThat(claims.withName("files-scratch").get()).as("deleteWithApplication: collected").isNull();
        });
        assertThat(claims.withName("files-uploads").get()).as("the kept claim survives the Application").isNotNull()
                .satisfies(c -> assertThat(c.getMetadata().getDeletionTimestamp()).isNull());

        create(spec);
        await(30).untilAsserted(() -> {
            var deployment = client.apps().deployments().inNamespace(ns.name()).withName("files").get();
            assertThat(deployment).as("the Deployment of the Application created again").isNotNull();
            assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> assertThat(
                    v.getPersistentVolumeClaim() == null ? null : v.getPersistentVolumeClaim().getClaimName()).isEqualTo("files-uploads"));
        });
        assertThat(claims.withName("files-uploads").get().getMetadata().getUid()).as("the same claim, taken back").isEqualTo(keptUid);
    }

    @Test
    void claimEditsThatCannotBeAppliedAreRefusedNamingTheField() {
        String spec = """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: store}
                spec:
                  image: example.com/store:1
                  replicas: 1
                  volumes:
                    - {name: data, mountPath: /data, claim: {size: 1Gi, storageClassName: none-here}}
                """;
        create(spec);
        var claims = client.persistentVolumeClaims().inNamespace(ns.name());
        await(30).untilAsserted(() -> assertThat(claims.withName("store-data").get()).isNotNull());
        waitFor(client, ns.name(), "store", 60, a -> condition(a, "VolumeClaims", "True"));

        // A claim cannot shrink: refused, named, and the PVC keeps its size.
        edit("store", a -> a.getSpec().volumes.get(0).claim.size = "512Mi");
        Application refused = waitFor(client, ns.name(), "store", 60, a -> condition(a, "VolumeClaims", "False")
                && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
        assertThat(conditionOf(refused, "VolumeClaims").getReason()).isEqualTo("ClaimChangeRefused");
        assertThat(conditionOf(refused, "VolumeClaims").getMessage()).contains("spec.volumes[0].claim.size", "cannot shrink");
        await(30).untilAsserted(() -> assertThat(events(client, ns.name(), "store", "ClaimChangeRefused")).isNotEmpty());
        assertThat(claims.withName("store-data").get().getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("1Gi"));

        // Another class: refused. Growth of an unbound claim: the API server refuses it, and the condition says so.
        edit("store", a -> {
            a.getSpec().volumes.get(0).claim.size = "2Gi";
            a.getSpec().volumes.get(0).claim.storageClassName = "other";
        });
        await(60).untilAsserted(() -> {
            var condition = conditionOf(application(client, ns.name(), "store").get(), "VolumeClaims");
            assertThat(condition.getMessage()).contains("spec.volumes[0].claim.storageClassName is other", "spec.volumes[0].claim.size asks for 2Gi",
                    "refused to grow");
        });
        assertThat(claims.withName("store-data").get().getSpec().getStorageClassName()).isEqualTo("none-here");

        // Set back: the condition clears.
        edit("store", a -> {
            a.getSpec().volumes.get(0).claim.size = "1Gi";
            a.getSpec().volumes.get(0).claim.storageClassName = "none-here";
        });
        waitFor(client, ns.name(), "store", 60, a -> condition(a, "VolumeClaims", "True")
                && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
    }

    @Test
    void aClaimGrowsWhereItsStorageClassAllowsExpansion() {
        String storageClass = ns.name() + "-expandable";
        client.storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                .withNewMetadata().withName(storageClass).endMetadata().withProvisioner("example.com/none")
                .withAllowVolumeExpansion(true).build()).create();
        String pv = ns.name() + "-grow";
        client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder().withNewMetadata().withName(pv)
                .endMetadata().withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass).withNewHostPath().withPath("/tmp/" + pv).endHostPath()
                .withNewClaimRef().withNamespace(ns.name()).withName("grow-data").endClaimRef().endSpec().build()).create();
        try {
            create("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: grow}
                    spec:
                      image: example.com/grow:1
                      replicas: 1
                      volumes:
                        - {name: data, mountPath: /data, claim: {size: 1Gi, storageClassName: %s}}
                    """.formatted(storageClass));
            var claims = client.persistentVolumeClaims().inNamespace(ns.name());
            await(60).untilAsserted(() -> assertThat(claims.withName("grow-data").get().getStatus().getPhase()).isEqualTo("Bound"));
            edit("grow", a -> a.getSpec().volumes.get(0).claim.size = "2Gi");
            await(60).untilAsserted(() -> assertThat(claims.withName("grow-data").get().getSpec().getResources().getRequests().get("storage"))
                    .as("the growth is applied to the claim").isEqualTo(new Quantity("2Gi")));
            await(30).untilAsserted(() -> assertThat(events(client, ns.name(), "grow", "VolumeClaimResized")).isNotEmpty());
            waitFor(client, ns.name(), "grow", 60, a -> condition(a, "VolumeClaims", "True")
                    && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
        } finally {
            client.persistentVolumes().withName(pv).delete();
            client.storage().v1().storageClasses().withName(storageClass).delete();
        }
    }

    private static io.fabric8.kubernetes.api.model.Condition conditionOf(Application app, String type) {
        return app.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private void edit(String name, java.util.function.Consumer<Application> change) {
        ClusterTestSupport.update(client, ns.name(), name, change);
    }

    private Map<String, String> versions(String name) {
        Map<String, String> versions = new HashMap<>();
        List<HasMetadata> all = new java.util.ArrayList<>();
        all.addAll(client.apps().deployments().inNamespace(ns.name()).list().getItems());
        all.addAll(client.services().inNamespace(ns.name()).list().getItems());
        all.addAll(client.configMaps().inNamespace(ns.name()).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems());
        all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns.name()).list().getItems());
        all.addAll(client.apps().replicaSets().inNamespace(ns.name()).list().getItems());
        all.add(application(client, ns.name(), name).get());
        all.forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        assertThat(versions).containsKeys("Deployment/" + name, "Service/" + name, "ConfigMap/" + name + "-env");
        return versions;
    }
}
