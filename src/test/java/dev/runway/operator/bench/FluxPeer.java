package dev.runway.operator.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpServer;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.application.BenchChildren;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The benchmark's peer (make bench FLUX=true): Flux's kustomize-controller, built from its pinned
 * module (hack/build-binaries.sh flux), applies the same objects the floor creates and Runway makes
 * (BenchChildren: ConfigMap, Secret, Services, Deployment or Rollout, HPA, PrometheusRule) for N
 * applications, one Kustomization each with {@code wait: true}, from one ExternalArtifact each: a
 * tar.gz of that application's manifests, served by this JVM on loopback. The phase ends as the
 * floor's and Runway's do, when every workload is rolled out by the operator's own test, and
 * besides when every Kustomization is Ready at its generation (its health check passed). Rollouts
 * get a CEL health check (kstatus cannot read Argo's string observedGeneration), as a Flux user
 * of Argo Rollouts would write one.
 *
 * <p>The controller runs as a process on this machine with the test cluster's kubeconfig, its
 * concurrency set to the operator's worker threads, its client rate limits raised so they do not
 * bound it (Runway's client has none), and leader election off. Its writes are counted from the
 * audit log by its User-Agent; its CPU time and RSS from /proc.
 */
final class FluxPeer {
    private static final ResourceDefinitionContext KUSTOMIZATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("kustomize.toolkit.fluxcd.io").withVersion("v1").withPlural("kustomizations").withKind("Kustomization")
            .withNamespaced(true).build();
    private static final ResourceDefinitionContext ARTIFACTS = new ResourceDefinitionContext.Builder()
            .withGroup("source.toolkit.fluxcd.io").withVersion("v1").withPlural("externalartifacts").withKind("ExternalArtifact")
            .withNamespaced(true).build();
    private static final String USER_AGENT = "kustomize-controller";

    private final KubernetesClient client;
    private final int threads;
    private final Duration bound;
    private final Function<String, List<Application>> apps;
    private final Map<String, Object> result = new LinkedHashMap<>();

    /** {@code applications}: the bench's Applications in a namespace (only their specs are read). */
    FluxPeer(KubernetesClient client, int threads, Duration bound, Function<String, List<Application>> applications) {
        this.client = client;
        this.threads = threads;
        this.bound = bound;
        this.apps = applications;
    }

    /** Runs task i for i in [0, count) on the benchmark's threads. */
    interface Parallel {
        void run(int count, IntFunction<Runnable> task) throws Exception;
    }

    Map<String, Object> run(Parallel parallel) throws Exception {
        String version = LocalControlPlane.pinned("FLUX_KUSTOMIZE_CONTROLLER_VERSION");
        Path cache = LocalControlPlane.cacheDir();
        Path binary = cache.resolve("bin/kustomize-controller-" + version + "/kustomize-controller");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build it with hack/build-binaries.sh flux (make bench FLUX=true does)");
        }
        result.put("version", version);
        installCrds(cache.resolve("crds/flux-" + version));
        AuditLog audit = AuditLog.ofTestCluster();
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.getResponseHeaders().set("Content-Type", "application/gzip");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
        });
        java.util.concurrent.ExecutorService serving = java.util.concurrent.Executors.newFixedThreadPool(4);
        server.setExecutor(serving);
        server.start();
        try {
            return run(parallel, binary, audit, served, "http://127.0.0.1:" + server.getAddress().getPort());
        } finally {
            server.stop(0);
            serving.shutdownNow();
        }
    }

    private Map<String, Object> run(Parallel parallel, Path binary, AuditLog audit, Map<String, byte[]> served, String base) throws Exception {
        String namespace;
        try (TestNamespace ns = TestNamespace.create(client, "bench-flux")) {
            namespace = ns.name();
            List<Application> list = apps.apply(ns.name());
            // Artifacts first, as a source-controller would have them ready before the Kustomizations.
            parallel.run(list.size(), i -> () -> {
                Application app = list.get(i);
                String name = app.getMetadata().getName();
                byte[] archive = archive(name + ".yaml", manifests(app, ns.name()));
                served.put("/" + name + ".tar.gz", archive);
                GenericKubernetesResource artifact = client.genericKubernetesResources(ARTIFACTS).inNamespace(ns.name())
                        .resource(generic(ARTIFACTS, name, ns.name(), Map.of())).create();
                artifact.setAdditionalProperty("status", Map.of("artifact", Map.of(
                        "path", "externalartifact/" + ns.name() + "/" + name + ".tar.gz", "url", base + "/" + name + ".tar.gz",
                        "revision", "bench@sha256:" + sha256(archive), "digest", "sha256:" + sha256(archive),
                        "lastUpdateTime", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                        "size", archive.length),
                        "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "Succeeded", "message", "served by the benchmark",
                                "lastTransitionTime", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))));
                client.genericKubernetesResources(ARTIFACTS).inNamespace(ns.name()).resource(artifact).updateStatus();
            });
            Path log = LocalControlPlane.repoRootForTests().resolve("target/operator-processes/kustomize-controller.log");
            Files.createDirectories(log.getParent());
            // runway.bench.flux-concurrent (make bench FLUX_CONCURRENT=…): another worker count. A
            // Kustomization with wait holds its worker until its objects are healthy.
            int concurrent = Integer.getInteger("runway.bench.flux-concurrent", threads);
            result.put("concurrent", concurrent);
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--concurrent=" + concurrent, "--kube-api-qps=1000",
                    "--kube-api-burst=2000", "--feature-gates=ExternalArtifact=true", "--enable-leader-election=false",
                    "--metrics-addr=127.0.0.1:0", "--health-addr=127.0.0.1:0", "--watch-all-namespaces=true")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KUBECONFIG", LocalControlPlane.kubeconfig().toString());
            builder.environment().put("RUNTIME_NAMESPACE", ns.name());
            Process controller = builder.start();
            try {
                SharedIndexInformer<Deployment> deployments = client.apps().deployments().inNamespace(ns.name()).inform();
                SharedIndexInformer<Rollout> rollouts = client.resources(Rollout.class).inNamespace(ns.name()).inform();
                SharedIndexInformer<GenericKubernetesResource> kustomizations = client.genericKubernetesResources(KUSTOMIZATIONS)
                        .inNamespace(ns.name()).inform();
                AuditLog.Mark created = audit.mark();
                double cpuBefore = OperatorProcess.cpuSeconds(controller.pid());
                long t0 = System.nanoTime();
                parallel.run(list.size(), i -> () -> client.genericKubernetesResources(KUSTOMIZATIONS).inNamespace(ns.name())
                        .resource(kustomization(list.get(i).getMetadata().getName(), ns.name())).create());
                try (deployments; rollouts; kustomizations) {
                    boolean done = Benchmark.await(bound, () -> {
                        if (!controller.isAlive()) {
                            throw new IllegalStateException("kustomize-controller exited with " + controller.exitValue() + "; see " + log);
                        }
                        return readyKustomizations(kustomizations) == list.size()
                                && Benchmark.rolledOutWorkloads(deployments, rollouts, list) == list.size();
                    });
                    result.put("tSeconds", done ? Benchmark.seconds(t0) : null);
                    if (!done) {
                        result.put("stalled", Map.of("readyKustomizations", readyKustomizations(kustomizations),
                                "rolledOut", Benchmark.rolledOutWorkloads(deployments, rollouts, list), "of", list.size(),
                                "notReadyExamples", notReady(kustomizations)));
                    }
                }
                result.put("cpuSeconds", Benchmark.round(OperatorProcess.cpuSeconds(controller.pid()) - cpuBefore));
                OperatorProcess.rssKiB(controller.pid()).ifPresent(kib -> result.put("rssMiB", kib / 1024));
                result.put("loadavg", Benchmark.loadavg());
                // Writes until it has been quiet for 5 s (at most 2 minutes more): what Ready still costs.
                awaitQuiet(audit, Duration.ofSeconds(5), Duration.ofMinutes(2));
                List<AuditLog.Entry> requests = audit.since(created, e -> e.userAgent().startsWith(USER_AGENT));
                // Flux's server-side apply sends a dry run of each object first to compute its diff: a
                // PATCH the audit log records, which stores nothing. Counted apart from the writes.
                List<AuditLog.Entry> dryRuns = requests.stream().filter(e -> e.uri().contains("dryRun=All")).toList();
                List<AuditLog.Entry> writes = requests.stream().filter(e -> !e.uri().contains("dryRun=All")).toList();
                result.put("writes", writes.size());
                result.put("writesPerApplication", Benchmark.per(writes, list.size()));
                result.put("dryRunsPerApplication", Benchmark.per(dryRuns, list.size()));
            } finally {
                controller.destroy();
                if (!controller.waitFor(30, TimeUnit.SECONDS)) {
                    controller.destroyForcibly().waitFor();
                }
                // The controller is gone: its finalizers would hold the namespace's deletion forever.
                parallel.run(list.size(), i -> () -> {
                    try {
                        client.genericKubernetesResources(KUSTOMIZATIONS).inNamespace(ns.name()).withName(list.get(i).getMetadata().getName())
                                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                                        "{\"metadata\":{\"finalizers\":null}}");
                    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                        if (e.getCode() != 404) {
                            throw e; // 404: never created (the phase failed before)
                        }
                    }
                });
            }
        }
        // The kwok nodes hold 1,500 pods: the operator's phase starts once these are gone.
        result.put("namespaceDeleted", Benchmark.await(Duration.ofMinutes(10), () -> client.namespaces().withName(namespace).get() == null));
        return result;
    }

    /** The application's objects as the floor creates them, as one multi-document YAML file. */
    private String manifests(Application app, String namespace) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata child : BenchChildren.of(app)) {
            child.getMetadata().setNamespace(namespace);
            child.getMetadata().setOwnerReferences(null);
            out.append(client.getKubernetesSerialization().asYaml(child));
            if (!out.toString().endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static GenericKubernetesResource kustomization(String name, String namespace) {
        return generic(KUSTOMIZATIONS, name, namespace, Map.of(
                "interval", "60m", "prune", true, "wait", true, "timeout", "30m", "path", "./",
                "sourceRef", Map.of("kind", "ExternalArtifact", "name", name),
                "healthCheckExprs", List.of(Map.of("apiVersion", "argoproj.io/v1alpha1", "kind", "Rollout",
                        "current", "has(status.phase) && status.phase == 'Healthy' && has(status.observedGeneration)"
                                + " && status.observedGeneration == string(metadata.generation)",
                        "failed", "has(status.phase) && status.phase == 'Degraded'"))));
    }

    private static GenericKubernetesResource generic(ResourceDefinitionContext kind, String name, String namespace, Map<String, Object> spec) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(kind.getGroup() + "/" + kind.getVersion());
        resource.setKind(kind.getKind());
        resource.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        if (!spec.isEmpty()) {
            resource.setAdditionalProperty("spec", spec);
        }
        return resource;
    }

    private static long readyKustomizations(SharedIndexInformer<GenericKubernetesResource> kustomizations) {
        return kustomizations.getStore().list().stream().filter(FluxPeer::ready).count();
    }

    @SuppressWarnings("unchecked")
    private static boolean ready(GenericKubernetesResource k) {
        Object status = k.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        Object observed = s.get("observedGeneration");
        boolean current = observed instanceof Number o && o.longValue() == k.getMetadata().getGeneration();
        return current && conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    private static List<String> notReady(SharedIndexInformer<GenericKubernetesResource> kustomizations) {
        return kustomizations.getStore().list().stream().filter(k -> !ready(k)).limit(3)
                .map(k -> k.getMetadata().getName() + ": " + k.getAdditionalProperties().get("status")).toList();
    }

    private void installCrds(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    client.load(in).forceConflicts().serverSideApply();
                }
            }
        }
        for (String crd : List.of("kustomizations.kustomize.toolkit.fluxcd.io", "externalartifacts.source.toolkit.fluxcd.io")) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd).waitUntilCondition(c -> c.getStatus() != null
                    && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                    60, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuiet(AuditLog audit, Duration quiet, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            AuditLog.Mark mark = audit.mark();
            Thread.sleep(quiet.toMillis());
            if (audit.since(mark, e -> e.userAgent().startsWith(USER_AGENT)).isEmpty()) {
                return;
            }
        }
    }

    /** A gzipped tar with one file. */
    static byte[] archive(String fileName, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            byte[] header = new byte[512];
            put(header, 0, fileName, 100);
            put(header, 100, "0000644", 8);
            put(header, 108, "0000000", 8);
            put(header, 116, "0000000", 8);
            put(header, 124, String.format("%011o", data.length), 12);
            put(header, 136, String.format("%011o", Instant.now().getEpochSecond()), 12);
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            header[156] = '0';
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum), 7);
            header[155] = ' ';
            gzip.write(header);
            gzip.write(data);
            gzip.write(new byte[(512 - data.length % 512) % 512]);
            gzip.write(new byte[1024]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] header, int offset, String value, int length) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, Math.min(b.length, length));
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
