package dev.runway.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/**
 * {@code make bench-secrets}: the operator's memory in a cluster full of Secrets that are none of
 * its business (issue 18). 5,000 unrelated Secrets of realistic sizes in 50 namespaces
 * ({@link BackgroundObjects#secrets}): 3,000 small (1-4 KiB: credentials, tokens), 1,500 medium
 * (8-32 KiB: certificate bundles, registry configs), 500 Helm-release-sized (96-160 KiB). Measured with the chart's JVM options: the operator idle on an
 * empty cluster; the same process after the flood arrived through its watches; a new process started
 * with the flood in place (informer sync from the initial list). Each phase converges an Application
 * that references a Secret, then takes heap after a full GC and RSS. {@code runway.test.operator-jar}
 * runs another build's jar (the code before the Secret caches were reduced), and
 * {@code runway.bench.jvm-options} adds JVM options (e.g. a larger heap for that build).
 * Results: {@code bench/results/<date>-secrets-<label>.json}.
 */
@Tag("bench")
class SecretCacheBenchIT extends KubernetesTest {
    static final int NAMESPACES = BackgroundObjects.NAMESPACES;

    @Test
    void memoryWithFiveThousandUnrelatedSecrets() throws Exception {
        String label = System.getProperty("runway.bench.label", "").isBlank() ? "current" : System.getProperty("runway.bench.label");
        String options = System.getProperty("runway.bench.jvm-options", "").trim();
        List<String> jvmOptions = options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("label", label);
        String otherJar = System.getProperty("runway.test.operator-jar", "");
        result.put("jar", otherJar.isBlank() ? "this build" : "another build's " + Path.of(otherJar).getFileName());
        result.put("extraJvmOptions", jvmOptions);
        List<TestNamespace> namespaces = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 6);
        try (TestNamespace ns = TestNamespace.create(client, "secrets-bench")) {
            OperatorProcess first = operator("secrets-idle", ns, jvmOptions);
            try (first) {
                first.start().awaitReady(Duration.ofSeconds(180));
                converge(ns, "before");
                result.put("idle", Benchmark.memory(first));
                for (int i = 0; i < NAMESPACES; i++) {
                    namespaces.add(TestNamespace.create(client, "secrets-" + i));
                }
                long t0 = System.nanoTime();
                result.put("flood", BackgroundObjects.secrets(client, namespaces.stream().map(TestNamespace::name).toList(), "bench-" + run));
                result.put("floodSeconds", Benchmark.round((System.nanoTime() - t0) / 1e9));
                result.put("afterFloodSameProcess", phase(first, ns, "watched"));
            }
            try (OperatorProcess second = operator("secrets-start", ns, jvmOptions)) {
                long t0 = System.nanoTime();
                second.start();
                try {
                    second.awaitReady(Duration.ofSeconds(300));
                    result.put("readySeconds", Benchmark.round((System.nanoTime() - t0) / 1e9));
                    result.put("startedWithFlood", phase(second, ns, "started"));
                } catch (RuntimeException | AssertionError e) {
                    result.put("startedWithFlood", Map.of("failed", String.valueOf(e.getMessage()), "outOfMemory",
                            second.log().contains("OutOfMemoryError")));
                }
            }
        } finally {
            namespaces.forEach(TestNamespace::close);
        }
        Map<String, Object> report = BenchReport.withEnvironment(result, client);
        Path file = BenchReport.write(report, LocalControlPlane.repoRootForTests()
                .resolve("bench/results/" + LocalDate.now(ZoneOffset.UTC) + "-secrets-" + label + ".json"));
        System.out.println(BenchReport.json(report));
        System.out.println("written to " + file);
    }

    private static OperatorProcess operator(String name, TestNamespace ns, List<String> jvmOptions) {
        var builder = OperatorProcess.named(name).leaseNamespace(ns.name())
                .property("runway.config-hash.key-namespace", ns.name())
                .property("kubernetes.connection.timeout", "30000")
                .property("kubernetes.request.timeout", "60000");
        jvmOptions.forEach(builder::jvmOption);
        return builder.build();
    }

    /** Converges a fresh Application that references a Secret, then measures; a dead process is reported as such. */
    private Map<String, Object> phase(OperatorProcess operator, TestNamespace ns, String name) throws Exception {
        if (!operator.isAlive()) {
            return Map.of("died", true, "outOfMemory", operator.log().contains("OutOfMemoryError"));
        }
        try {
            converge(ns, name);
        } catch (RuntimeException e) {
            return Map.of("converged", false, "alive", operator.isAlive(), "outOfMemory", operator.log().contains("OutOfMemoryError"));
        }
        return Benchmark.memory(operator);
    }

    private void converge(TestNamespace ns, String name) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name + "-secrets").endMetadata()
                .addToStringData("TOKEN", "t").build()).inNamespace(ns.name()).create();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s}
                spec: {image: "registry.example/hello:1.0", replicas: 1, port: 8080, secretRefs: [%s-secrets]}
                """.formatted(name, name), Application.class)).inNamespace(ns.name()).create();
        client.resources(Application.class).inNamespace(ns.name()).withName(name)
                .waitUntilCondition(a -> a != null && a.getStatus() != null && a.getStatus().conditions.stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 180, TimeUnit.SECONDS);
    }
}
