package dev.runway.operator.node;

import static dev.runway.operator.node.RealNodeApplicationIT.message;
import static dev.runway.operator.node.RealNodeApplicationIT.reason;
import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/**
 * The workload fields on real containers: only the kubelet and containerd decide whether a root
 * image binds port 80, whether a named USER runs, whether a private image pulls and whether a
 * file written to a volume is still there after a rollout and after the Application is gone.
 */
@Tag(Tiers.NODE)
class RealNodeWorkloadsIT extends KubernetesTest {
    private static TestNamespace restricted;
    private static TestNamespace baseline;
    private static OperatorProcess operator;

    @BeforeAll
    static void startTheOperator() {
        restricted = RealNode.namespace(client, "wl-restricted");
        baseline = RealNode.namespace(client, "wl-baseline", "baseline");
        operator = OperatorProcess.named("real-node-workloads-it").leaseNamespace(restricted.name()).build();
        operator.start().awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopTheOperator() {
        operator.close();
        restricted.close();
        baseline.close();
    }

    @Test
    void aRootImageOnPort80RunsWhereBaselineAllowsItAndIsRefusedUnderRestricted() {
        String spec = """
                image: "%s"
                port: 80
                replicas: 1
                securityContext: {runAsRoot: true}
                probes: {liveness: {path: /health}, readiness: {path: /ready}}
                """.formatted(RealNode.image("runway-sample-app:root-80"));
        create(restricted, "storefront", spec);
        Application refused = ClusterTestSupport.waitFor(client, restricted.name(), "storefront", 60,
                a -> reason(a, "Ready").equals("PodSecurityForbids"));
        assertThat(message(refused, "Ready")).contains("spec.securityContext.runAsRoot", "pod-security.kubernetes.io/enforce");
        assertThat(client.apps().deployments().inNamespace(restricted.name()).withName("storefront").get()).as("no pods tried").isNull();

        create(baseline, "storefront", spec);
        ClusterTestSupport.waitFor(client, baseline.name(), "storefront", 240, a -> reason(a, "Ready").equals("RolloutComplete"));
        Pod pod = pods(baseline, "storefront").get(0);
        RealNode.assertRanHere(pod);
        // It bound port 80 as root: the page answers on it, through the Service.
        String page = await(60).until(() -> RealNode.viaService(client, baseline.name(), "storefront", "http", "/"), Optional::isPresent).get();
        assertThat(page).contains("id=\"version\">1.0.0<");
        assertThat(RealNode.viaPod(client, pod, 80, "/ready")).isPresent();
    }

    @Test
    void anImageWithANamedUserRunsWithRunAsUser() {
        create(restricted, "named", """
                image: "%s"
                replicas: 1
                securityContext: {runAsUser: 10001, runAsGroup: 10001}
                """.formatted(RealNode.image("runway-sample-app:named-user")));
        ClusterTestSupport.waitFor(client, restricted.name(), "named", 240, a -> reason(a, "Ready").equals("RolloutComplete"));
        Pod pod = pods(restricted, "named").get(0);
        RealNode.assertRanHere(pod);
        assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
    }

    @Test
    void uploadsOnAClaimSurviveARolloutAndTheApplicationsDeletion() throws IOException {
        String spec = """
                image: "%s"
                replicas: 1
                env: {WRITE_FILE: /data/uploads/%s.txt}
                volumes: [{name: uploads, mountPath: /data/uploads, claim: {size: 100Mi, storageClassName: runway-real-node}}]
                """;
        String image = RealNode.image("runway-sample-app:1.0.0");
        create(restricted, "uploads", spec.formatted(image, "first"));
        ClusterTestSupport.waitFor(client, restricted.name(), "uploads", 240, a -> reason(a, "Ready").equals("RolloutComplete"));
        var claims = client.persistentVolumeClaims().inNamespace(restricted.name());
        PersistentVolumeClaim claim = claims.withName("uploads-uploads").get();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        Path dir = Path.of(client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get().getSpec().getHostPath().getPath());
        assertThat(dir.resolve("first.txt")).as("written by the first revision, on the node's disk").exists();

        ClusterTestSupport.update(client, restricted.name(), "uploads", a -> {
            a.getSpec().image = RealNode.image("runway-sample-app:1.1.0");
            a.getSpec().env.put("WRITE_FILE", "/data/uploads/second.txt");
        });
        ClusterTestSupport.waitFor(client, restricted.name(), "uploads", 240, a -> a.getStatus().observedGeneration
                .equals(a.getMetadata().getGeneration()) && reason(a, "Ready").equals("RolloutComplete"));
        assertThat(pods(restricted, "uploads")).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).endsWith(":1.1.0"));
        assertThat(dir.resolve("second.txt")).as("written by the second revision").exists();
        assertThat(dir.resolve("first.txt")).as("the first revision's upload survived the rollout").exists();
        assertThat(Files.readString(dir.resolve("second.txt"))).contains("1.1.0");

        ClusterTestSupport.application(client, restricted.name(), "uploads").delete();
        await(90).until(() -> client.apps().deployments().inNamespace(restricted.name()).withName("uploads").get() == null
                && pods(restricted, "uploads").isEmpty());
        PersistentVolumeClaim after = claims.withName("uploads-uploads").get();
        assertThat(after).as("the claim outlives the Application").isNotNull();
        assertThat(after.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(after.getMetadata().getUid()).isEqualTo(claim.getMetadata().getUid());
        assertThat(dir.resolve("first.txt")).exists();
        assertThat(dir.resolve("second.txt")).exists();
    }

    @Test
    void aPrivateImagePullsWithImagePullSecretsFromTheAuthRegistry() throws Exception {
        String registry = "127.0.0.1:" + (Integer.parseInt(System.getenv().getOrDefault("RUNWAY_PORT_BASE", "16400")) + 71);
        Path auth = registryDir().resolve("auth");
        String user = Files.readString(auth.resolve("username")).trim();
        String password = Files.readString(auth.resolve("password")).trim();
        // A tag of this run only: containerd keeps images across clusters, and a cached one needs no credentials.
        String privateImage = registry + "/private/sample-app:run-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        copyImage(RealNode.image("runway-sample-app:1.0.0"), privateImage, registry, user, password);
        String config = "{\"auths\":{\"" + registry + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}";
        client.secrets().inNamespace(restricted.name()).resource(new SecretBuilder().withNewMetadata().withName("registry-credentials")
                .endMetadata().withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))).build()).create();

        // Without the secret the kubelet cannot pull: the Application names the pull failure.
        create(restricted, "no-creds", "image: \"" + privateImage + "\"\nreplicas: 1\n");
        Application failing = ClusterTestSupport.waitFor(client, restricted.name(), "no-creds", 180,
                a -> reason(a, "Ready").equals("ErrImagePull") || reason(a, "Ready").equals("ImagePullBackOff"));
        assertThat(message(failing, "Ready")).contains("cannot pull image");

        create(restricted, "private", "image: \"" + privateImage + "\"\nreplicas: 1\nimagePullSecrets: [{name: registry-credentials}]\n");
        ClusterTestSupport.waitFor(client, restricted.name(), "private", 240, a -> reason(a, "Ready").equals("RolloutComplete"));
        Pod pod = pods(restricted, "private").get(0);
        RealNode.assertRanHere(pod);
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(privateImage);
        assertThat(pod.getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-credentials");
        // (The container status may name the image by another tag of the same digest: containerd reports the first it knows.)
        assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
    }

    @Test
    void aWorkerWithoutAPortBecomesReadyAndAnExtendedResourceReachesThePod() {
        // Advertise an extended resource on the real node, as a device plugin would for GPUs.
        String resource = "example.com/dongle";
        client.nodes().withName(RealNode.NAME).subresource("status").edit(n -> {
            n.getStatus().getCapacity().put(resource, new Quantity("2"));
            n.getStatus().getAllocatable().put(resource, new Quantity("2"));
            return n;
        });
        create(restricted, "consumer", """
                image: "%s"
                worker: true
                replicas: 1
                resources: {extended: {example.com/dongle: 1}}
                """.formatted(RealNode.image("runway-sample-app:1.0.0")));
        Application ready = ClusterTestSupport.waitFor(client, restricted.name(), "consumer", 240,
                a -> reason(a, "Ready").equals("RolloutComplete"));
        assertThat(ready.getStatus().url).isNull();
        assertThat(client.services().inNamespace(restricted.name()).withName("consumer").get()).isNull();
        Pod pod = pods(restricted, "consumer").get(0);
        RealNode.assertRanHere(pod);
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getReadinessProbe()).isNull();
        assertThat(container.getResources().getLimits()).containsEntry(resource, new Quantity("1"));
        assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    }

    /**
     * spec.podTemplate on a real container: the downward-API env var the template adds carries the
     * pod's real IP (the sample app shows it on its page), the projected token volume is mounted,
     * and the replaced default is listed in status.
     */
    @Test
    void thePodTemplateReachesTheRealContainer() {
        create(restricted, "hatch", """
                image: "%s"
                replicas: 1
                env: {SHOW_ENV: POD_IP}
                podTemplate:
                  metadata: {labels: {team: payments}}
                  spec:
                    terminationGracePeriodSeconds: 5
                    containers:
                      - name: app
                        env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
                        volumeMounts: [{name: token, mountPath: /var/run/token, readOnly: true}]
                    volumes:
                      - {name: token, projected: {sources: [{serviceAccountToken: {path: token, audience: example}}]}}
                """.formatted(RealNode.image("runway-sample-app:1.0.0")));
        Application ready = ClusterTestSupport.waitFor(client, restricted.name(), "hatch", 240,
                a -> reason(a, "Ready").equals("RolloutComplete"));
        assertThat(ready.getStatus().podTemplateOverrides).isNull();
        Pod pod = pods(restricted, "hatch").get(0);
        RealNode.assertRanHere(pod);
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(5L);
        String page = ClusterTestSupport.await(60).until(() -> RealNode.viaPod(client, pod, 8080, "/"), java.util.Optional::isPresent).get();
        assertThat(page).as("the downward API's value in the real process").contains("POD_IP=" + pod.getStatus().getPodIP());
    }

    private static void create(TestNamespace ns, String name, String spec) {
        Application app = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s}
                spec:
                """.formatted(name) + spec.indent(2), Application.class);
        client.resource(app).inNamespace(ns.name()).create();
    }

    private static List<Pod> pods(TestNamespace ns, String app) {
        return client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static Path registryDir() {
        String dir = System.getenv("RUNWAY_REGISTRY_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String cluster = System.getenv("RUNWAY_CLUSTER_DIR");
        return cluster != null && !cluster.isBlank() ? Path.of(cluster, "registry")
                : Path.of(System.getProperty("user.home"), ".cache/runway/registry");
    }

    /** crane copies the image into the auth registry; its credentials go to a throwaway config directory. */
    private static void copyImage(String from, String to, String registry, String user, String password) throws Exception {
        Path crane = Path.of(System.getProperty("user.home"), ".cache/runway/bin/crane-v0.22.1/crane");
        Path config = Files.createTempDirectory("crane-auth");
        try {
            run(crane, config, password, "auth", "login", registry, "-u", user, "--password-stdin");
            run(crane, config, null, "copy", "--insecure", from, to);
        } finally {
            try (var files = Files.walk(config)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path crane, Path config, String stdin, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(crane.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_CONFIG", config.toString());
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("crane %s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as("crane %s: %s", args[0], output.replace(password(stdin), "***")).isZero();
    }

    private static String password(String stdin) {
        return stdin == null || stdin.isEmpty() ? "\u0000" : stdin;
    }
}
