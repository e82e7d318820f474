package dev.runway.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.runway.operator.testing.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The machine, the versions, the targets next to the measured figures: JSON and a few printed lines. */
final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    /** {@code result} with the machine and the exact versions the packaged jar ships. */
    static Map<String, Object> withEnvironment(Map<String, Object> result, KubernetesClient client) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memTotalGiB", memTotalGiB());
        env.put("java", System.getProperty("java.runtime.version"));
        env.put("kubernetes", client.getKubernetesVersion().getGitVersion());
        env.put("quarkus", shippedVersion("io.quarkus.quarkus-core-"));
        env.put("josdk", shippedVersion("io.javaoperatorsdk.operator-framework-core-"));
        env.put("fabric8", shippedVersion("io.fabric8.kubernetes-client-api-"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environment", env);
        out.putAll(result);
        if (result.get("tOpSeconds") instanceof Number op && result.get("tFloorSeconds") instanceof Number floor) {
            out.put("tOpOverTFloor", Benchmark.round(op.doubleValue() / floor.doubleValue()));
        }
        return out;
    }

    static Path write(Map<String, Object> report, Path file) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), report);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(Map<String, Object> report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long memTotalGiB() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version in the file name of the jar {@code target/quarkus-app/lib/main} ships with that prefix. */
    private static String shippedVersion(String prefix) {
        try (Stream<Path> jars = Files.list(LocalControlPlane.repoRootForTests().resolve("target/quarkus-app/lib/main"))) {
            return jars.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(prefix))
                    .map(f -> f.substring(prefix.length(), f.length() - ".jar".length())).findFirst().orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
