package dev.runway.operator.bench;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * What a real cluster holds besides Runway's objects, none of it Runway's business (issue 21): 5,000
 * Secrets of realistic sizes (3,000 of 1-4 KiB, 1,500 of 8-32 KiB, 500 Helm-release Secrets of
 * 96-160 KiB), 5,000 ConfigMaps (1-8 KiB), 2,000 Deployments each with a Service, spread over 50
 * namespaces. Shared by {@link Benchmark} (option {@code runway.bench.background}) and
 * {@link SecretCacheBenchIT} (the Secrets alone).
 *
 * <p>The benchmark's background lives in namespaces {@code bench-background-NN} labelled
 * {@value #LABEL}; a complete set (every namespace annotated {@value #COMPLETE}) is reused by the
 * next run instead of being created again (about two minutes here), and left in place afterwards:
 * {@code kubectl delete ns -l bench.runway.dev/background} removes it.
 */
final class BackgroundObjects {
    static final String LABEL = "bench.runway.dev/background";
    static final String COMPLETE = "bench.runway.dev/background-complete";
    static final int NAMESPACES = 50;
    static final int SMALL_SECRETS = 3_000;
    static final int MEDIUM_SECRETS = 1_500;
    static final int LARGE_SECRETS = 500;
    static final int SECRETS = SMALL_SECRETS + MEDIUM_SECRETS + LARGE_SECRETS;
    static final int CONFIG_MAPS = 5_000;
    static final int DEPLOYMENTS = 2_000;
    private static final int WRITERS = 8;

    private BackgroundObjects() {
    }

    /**
     * The whole background in {@code bench-background-00..49}: reused when a previous run completed it
     * with the same replicas, else created (objects that already exist are kept). Returns what it holds.
     */
    static Map<String, Object> ensure(KubernetesClient client, int replicas) throws Exception {
        List<String> namespaces = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            namespaces.add("bench-background-%02d".formatted(i));
        }
        String marker = "replicas=" + replicas;
        boolean complete = namespaces.stream().allMatch(ns -> {
            var namespace = client.namespaces().withName(ns).get();
            return namespace != null && namespace.getMetadata().getDeletionTimestamp() == null
                    && marker.equals(namespace.getMetadata().getAnnotations() == null ? null
                            : namespace.getMetadata().getAnnotations().get(COMPLETE));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", true);
        out.put("namespaces", NAMESPACES);
        out.put("deploymentReplicas", replicas);
        if (complete) {
            out.put("reusedFromAnEarlierRun", true);
            out.put("secrets", SECRETS);
            out.put("configMaps", CONFIG_MAPS);
            out.put("deploymentsWithServices", DEPLOYMENTS);
            return out;
        }
        long t0 = System.nanoTime();
        for (String ns : namespaces) {
            createIfAbsent(client, new NamespaceBuilder().withNewMetadata().withName(ns).addToLabels(LABEL, "true")
                    .endMetadata().build());
        }
        out.put("reusedFromAnEarlierRun", false);
        out.put("secrets", secrets(client, namespaces, "bg"));
        out.put("configMaps", configMaps(client, namespaces));
        out.put("deploymentsWithServices", deployments(client, namespaces, replicas));
        out.put("createSeconds", Benchmark.round((System.nanoTime() - t0) / 1e9));
        for (String ns : namespaces) {
            client.namespaces().withName(ns).edit(n -> new NamespaceBuilder(n).editMetadata()
                    .addToAnnotations(COMPLETE, marker).endMetadata().build());
        }
        return out;
    }

    /** The 5,000 Secrets, round-robin over {@code namespaces}, named {@code <prefix>-<i>} (Helm's: {@code sh.helm.release.v1.<prefix>-<i>}). */
    static Map<String, Object> secrets(KubernetesClient client, List<String> namespaces, String prefix) throws Exception {
        AtomicLong bytes = new AtomicLong();
        parallel(SECRETS, i -> {
            SplittableRandom random = new SplittableRandom(i);
            int size = i < SMALL_SECRETS ? kib(random, 1, 4) : i < SMALL_SECRETS + MEDIUM_SECRETS ? kib(random, 8, 32) : kib(random, 96, 160);
            String value = randomBase64(random, size);
            bytes.addAndGet(value.length());
            boolean helm = i >= SMALL_SECRETS + MEDIUM_SECRETS;
            return new SecretBuilder().withNewMetadata().withName((helm ? "sh.helm.release.v1." : "") + prefix + "-" + i)
                    .withNamespace(namespaces.get(i % namespaces.size())).endMetadata()
                    .withType(helm ? "helm.sh/release.v1" : "Opaque").addToData(helm ? "release" : "data", value).build();
        }, client);
        return Map.of("count", SECRETS, "dataMiB", Benchmark.round(bytes.get() / 1048576.0));
    }

    /** 5,000 ConfigMaps of 1-8 KiB of text (configuration files, dashboards' little cousins). */
    static Map<String, Object> configMaps(KubernetesClient client, List<String> namespaces) throws Exception {
        AtomicLong bytes = new AtomicLong();
        parallel(CONFIG_MAPS, i -> {
            SplittableRandom random = new SplittableRandom(1_000_000L + i);
            String value = randomBase64(random, kib(random, 1, 8));
            bytes.addAndGet(value.length());
            return new ConfigMapBuilder().withNewMetadata().withName("bg-config-" + i)
                    .withNamespace(namespaces.get(i % namespaces.size())).addToLabels("app.kubernetes.io/name", "bg-web-" + (i % DEPLOYMENTS))
                    .endMetadata().addToData("application.properties", value).build();
        }, client);
        return Map.of("count", CONFIG_MAPS, "dataMiB", Benchmark.round(bytes.get() / 1048576.0));
    }

    /** 2,000 Deployments of {@code replicas} and a Service selecting each. */
    static Map<String, Object> deployments(KubernetesClient client, List<String> namespaces, int replicas) throws Exception {
        parallel(2 * DEPLOYMENTS, j -> {
            int i = j / 2;
            String name = "bg-web-" + i;
            String ns = namespaces.get(i % namespaces.size());
            Map<String, String> labels = Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", "background");
            if (j % 2 == 0) {
                return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                        .addNewContainer().withName("web").withImage("registry.example/background/web:1." + (i % 7))
                        .addNewPort().withContainerPort(8080).withName("http").endPort()
                        .addNewEnv().withName("CONFIG").withValue("/etc/config/application.properties").endEnv()
                        .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m"))
                        .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("32Mi")).endResources()
                        .withNewReadinessProbe().withNewHttpGet().withPath("/ready")
                        .withPort(new io.fabric8.kubernetes.api.model.IntOrString("http")).endHttpGet().endReadinessProbe()
                        .endContainer().endSpec().endTemplate().endSpec().build();
            }
            return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                    .withNewSpec().withSelector(labels).addNewPort().withName("http").withPort(80)
                    .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("http")).endPort().endSpec().build();
        }, client);
        return Map.of("count", DEPLOYMENTS, "replicasEach", replicas);
    }

    /** Creates object i for i in [0, count) on {@value #WRITERS} writers; one that exists already is kept. */
    private static void parallel(int count, IntFunction<HasMetadata> object, KubernetesClient client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                writes.add(pool.submit(() -> createIfAbsent(client, object.apply(index))));
            }
            for (Future<?> w : writes) {
                w.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Creates {@code object}; a 409 (it exists, e.g. a timed-out earlier attempt did create it) counts as created; up to 5 attempts. */
    private static void createIfAbsent(KubernetesClient client, HasMetadata object) {
        for (int attempt = 1;; attempt++) {
            try {
                client.resource(object).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return;
                }
                if ((e.getCode() >= 400 && e.getCode() < 500) || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private static String randomBase64(SplittableRandom random, int encodedSize) {
        byte[] payload = new byte[encodedSize * 3 / 4];
        random.nextBytes(payload);
        return Base64.getEncoder().encodeToString(payload);
    }

    private static int kib(SplittableRandom random, int min, int max) {
        return (min + random.nextInt(max - min + 1)) * 1024;
    }
}
