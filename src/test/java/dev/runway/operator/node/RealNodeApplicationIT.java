package dev.runway.operator.node;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.RealNode;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Applications on real containers: the packaged operator converges them on the real node, where
 * only the kubelet decides readiness, restarts and whether an image may run at all. Each case is
 * what a user would see with kubectl; none could pass without a container having run.
 */
@Tag(Tiers.NODE)
class RealNodeApplicationIT extends KubernetesTest {
    private static TestNamespace ns;
    private static OperatorProcess operator;

    @BeforeAll
    static void startTheOperator() {
        ns = RealNode.namespace(client, "real-node");
        operator = OperatorProcess.named("real-node-it").leaseNamespace(ns.name()).build();
        operator.start().awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopTheOperator() {
        operator.close();
        ns.close();
    }

    @Test
    void aQuickstartServesItsPageThroughItsServiceAndAConfigChangeRollsThePods() {
        apply("hello", RealNode.image("runway-sample-app:1.0.0"), 2, Map.of("GREETING", "hello", "SHOW_ENV", "GREETING"));
        Application ready = ClusterTestSupport.waitFor(client, ns.name(), "hello", 240, a -> reason(a, "Ready").equals("RolloutComplete"));
        assertThat(ready.getStatus().phase).hasToString("Healthy");
        List<Pod> pods = pods("hello");
        assertThat(pods).hasSize(2).allSatisfy(RealNode::assertRanHere);
        assertThat(pods).allSatisfy(p -> assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue());

        String page = await(60).until(() -> RealNode.viaService(client, ns.name(), "hello", "http", "/"), Optional::isPresent).get();
        assertThat(page).contains("id=\"version\">1.0.0<").contains("GREETING=hello");
        // The readiness endpoint answers through the pod proxy too: a real process behind a real probe.
        assertThat(RealNode.viaPod(client, pods.get(0), 8080, "/ready")).isPresent();

        ClusterTestSupport.update(client, ns.name(), "hello", a -> a.getSpec().env.put("GREETING", "bonjour"));
        await(180).until(() -> RealNode.viaService(client, ns.name(), "hello", "http", "/").orElse(""),
                p -> p.contains("GREETING=bonjour"));
        Application rolled = ClusterTestSupport.waitFor(client, ns.name(), "hello", 180, a -> a.getStatus().observedGeneration
                .equals(a.getMetadata().getGeneration()) && reason(a, "Ready").equals("RolloutComplete"));
        assertThat(pods("hello")).hasSize(2).allSatisfy(p -> assertThat(p.getMetadata().getName())
                .isNotIn(pods.stream().map(o -> o.getMetadata().getName()).toList()));
        assertThat(rolled.getStatus().history).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aFailingReadinessProbeKeepsTheApplicationNotReadyAndSaysWhy() {
        apply("unready", RealNode.image("runway-sample-app:1.0.0"), 1, Map.of("READY", "false"));
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "unready", 180,
                a -> reason(a, "Ready").equals("ReadinessProbeFailing"));
        assertThat(message(app, "Ready")).contains("fails its readiness probe").contains("kubectl describe pod");
        Pod pod = pods("unready").get(0);
        RealNode.assertRanHere(pod);
        assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
        assertThat(warningReasons("unready")).contains("ReadinessProbeFailing");
    }

    @Test
    void aCrashingImageIsARealCrashLoopAndTheStatusNamesItsExitCode() {
        apply("crashing", RealNode.image("runway-sample-app:1.0.0"), 1, Map.of("CRASH_AFTER_SECONDS", "1"));
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "crashing", 240,
                a -> reason(a, "Ready").equals("CrashLoopBackOff"));
        assertThat(message(app, "Ready")).contains("keeps crashing").contains("last exit code 1").contains("kubectl logs");
        Pod pod = pods("crashing").get(0);
        assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isPositive();
        assertThat(warningReasons("crashing")).contains("CrashLoopBackOff");
    }

    /**
     * Promotion evidence is keyed by what the kubelet ran: the digest in status.evidence is the
     * pod's imageID, and that is the digest the registry serves for the tag.
     */
    @Test
    void promotionEvidenceIsTheDigestTheRegistryServedAndTheKubeletRan() throws Exception {
        apply("evidence", RealNode.image("runway-sample-app:1.0.0"), 1, Map.of());
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "evidence", 180,
                a -> a.getStatus() != null && a.getStatus().evidence != null && !a.getStatus().evidence.isEmpty());
        var evidence = app.getStatus().evidence.get(0);
        Pod pod = pods("evidence").get(0);
        RealNode.assertRanHere(pod);
        assertThat(evidence.image).isEqualTo(RealNode.image("runway-sample-app:1.0.0"));
        assertThat(evidence.digest).isEqualTo(pod.getStatus().getContainerStatuses().get(0).getImageID());
        var head = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://" + RealNode.registry() + "/v2/runway/runway-sample-app/manifests/1.0.0"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
                        + "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json")
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        String served = head.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertThat(evidence.digest).endsWith("@" + served);
        assertThat(evidence.healthyAt).isNotNull();
        assertThat(evidence.signature).hasSize(32);
    }

    @Test
    void aTagMissingFromTheRegistryIsAPullFailureNamingTheImageAndTheRegistrysAnswer() {
        String image = RealNode.image("runway-sample-app:no-such-tag");
        apply("missing-tag", image, 1, Map.of());
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "missing-tag", 180,
                a -> reason(a, "Ready").equals("ErrImagePull") || reason(a, "Ready").equals("ImagePullBackOff"));
        assertThat(message(app, "Ready")).contains("cannot pull image " + image).contains("not found");
        assertThat(app.getStatus().phase).as("nothing serves").isEqualTo(dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase.Degraded);
        var waiting = pods("missing-tag").get(0).getStatus().getContainerStatuses().get(0).getState().getWaiting();
        assertThat(waiting.getReason()).isIn("ErrImagePull", "ImagePullBackOff");
        assertThat(warningReasons("missing-tag")).containsAnyOf("ErrImagePull", "ImagePullBackOff");
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilledAndTheStatusSaysSo() {
        Application oom = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: oom}
                spec:
                  image: "%s"
                  port: 8080
                  replicas: 1
                  env: {ALLOCATE_MB: "256"}
                  resources: {requests: {memory: 32Mi}, limits: {memory: 48Mi}}
                """.formatted(RealNode.image("runway-sample-app:1.0.0")), Application.class);
        client.resource(oom).inNamespace(ns.name()).create();
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "oom", 240, a -> reason(a, "Ready").equals("OOMKilled"));
        assertThat(message(app, "Ready")).contains("killed for using more memory than its limit").contains("spec.resources.limits.memory");
        var last = pods("oom").get(0).getStatus().getContainerStatuses().get(0).getLastState().getTerminated();
        assertThat(last.getReason()).as("the kubelet's own word").isEqualTo("OOMKilled");
        assertThat(warningReasons("oom")).contains("OOMKilled");
    }

    @Test
    void aRootImageOnPort80IsRefusedByTheKubeletAndTheStatusSaysWhy() {
        // The seed's nginx:alpine case: the image runs as root, Runway's pods run as non-root.
        apply("as-root", RealNode.image("runway-sample-app:root-80"), 1, Map.of());
        // The kubelet may first report a transient CreateContainerConfigError of its own (seen: "failed
        // to sync configmap cache"); the refusal is the one that stays.
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "as-root", 180,
                a -> reason(a, "Ready").equals("CreateContainerConfigError") && message(a, "Ready").contains("runAsNonRoot"));
        assertThat(message(app, "Ready")).contains("runAsNonRoot").contains("numeric non-root UID");
    }

    @Test
    void anImageWithANonNumericUserIsRefusedByTheKubeletAndTheStatusSaysWhy() {
        apply("named-user", RealNode.image("runway-sample-app:named-user"), 1, Map.of());
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "named-user", 180,
                a -> reason(a, "Ready").equals("CreateContainerConfigError") && message(a, "Ready").contains("non-numeric user"));
        assertThat(message(app, "Ready")).contains("non-numeric user");
    }

    @Test
    void anAppThatWritesOutsideTmpCrashesOnTheReadOnlyRootFilesystem() {
        apply("writer", RealNode.image("runway-sample-app:1.0.0"), 1, Map.of("WRITE_FILE", "/uploads.txt"));
        Application app = ClusterTestSupport.waitFor(client, ns.name(), "writer", 240,
                a -> reason(a, "Ready").equals("CrashLoopBackOff"));
        Pod pod = pods("writer").get(0);
        String log = client.pods().inNamespace(ns.name()).withName(pod.getMetadata().getName()).terminated().getLog();
        assertThat(log).contains("read-only file system");
        // The same write under /tmp (Runway mounts an emptyDir there) works.
        apply("tmp-writer", RealNode.image("runway-sample-app:1.0.0"), 1, Map.of("WRITE_FILE", "/tmp/uploads.txt"));
        ClusterTestSupport.waitFor(client, ns.name(), "tmp-writer", 180, a -> reason(a, "Ready").equals("RolloutComplete"));
        assertThat(message(app, "Ready")).contains("keeps crashing");
    }

    @Test
    void aPersistentVolumeClaimBindsOnTheRealNodeAndAContainerWritesToIt() throws Exception {
        client.persistentVolumeClaims().inNamespace(ns.name()).resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: uploads}
                spec: {storageClassName: runway-real-node, accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Mi}}}
                """, io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class)).create();
        client.pods().inNamespace(ns.name()).resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: uploader}
                spec:
                  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                  volumes: [{name: uploads, persistentVolumeClaim: {claimName: uploads}}]
                  containers:
                  - name: app
                    image: "%s"
                    env: [{name: WRITE_FILE, value: /uploads/first.txt}]
                    readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 2}
                    volumeMounts: [{name: uploads, mountPath: /uploads}]
                    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
                """.formatted(RealNode.image("runway-sample-app:1.0.0")), Pod.class)).create();
        Pod pod = client.pods().inNamespace(ns.name()).withName("uploader").waitUntilCondition(p -> p != null && p.getStatus() != null
                && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 120, java.util.concurrent.TimeUnit.SECONDS);
        RealNode.assertRanHere(pod);
        var claim = client.persistentVolumeClaims().inNamespace(ns.name()).withName("uploads").get();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        var volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        // The file the container wrote is on the node's disk, in the volume's directory.
        assertThat(java.nio.file.Path.of(volume.getSpec().getHostPath().getPath(), "first.txt")).exists();
    }

    private static void apply(String name, String image, int replicas, Map<String, String> env) {
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s}
                spec: {image: "%s", port: 8080, replicas: %d}
                """.formatted(name, image, replicas), Application.class);
        app.getSpec().env = new java.util.LinkedHashMap<>(env);
        client.resource(app).inNamespace(ns.name()).create();
    }

    private static List<Pod> pods(String app) {
        return client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<String> warningReasons(String app) {
        return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && app.equals(e.getInvolvedObject().getName())
                        && "Application".equals(e.getInvolvedObject().getKind()))
                .map(e -> e.getReason()).toList();
    }

    static String reason(Application app, String type) {
        return condition(app, type).map(Condition::getReason).orElse("");
    }

    static String message(Application app, String type) {
        return condition(app, type).map(Condition::getMessage).orElse("");
    }

    private static Optional<Condition> condition(Application app, String type) {
        return app.getStatus() == null ? Optional.empty()
                : app.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
