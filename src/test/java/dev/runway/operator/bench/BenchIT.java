package dev.runway.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;

/**
 * {@code make bench N=100}: the whole benchmark at N (system property {@code runway.bench.n}),
 * results to {@code bench/results/<date>-n<N>.json}. Excluded from {@code make test} (tag bench).
 * {@code runway.bench.jvm-options} (space-separated) go to the operator process, e.g. a JFR recording.
 */
@Tag("bench")
class BenchIT extends KubernetesTest {

    @Test
    void benchmark() throws Exception {
        int n = Integer.getInteger("runway.bench.n", 100);
        String options = System.getProperty("runway.bench.jvm-options", "").trim();
        List<String> jvmOptions = options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
        Map<String, Object> report = BenchReport.withEnvironment(
                new Benchmark(client, n, Benchmark.OPERATOR_THREADS, jvmOptions).run(), client);
        Path file = BenchReport.write(report, LocalControlPlane.repoRootForTests()
                .resolve("bench/results/" + LocalDate.now(ZoneOffset.UTC) + "-n" + n + ".json"));
        System.out.println(BenchReport.json(report));
        System.out.println("written to " + file);
        assertThat(Benchmark.writesAtRest(report)).as("the operator's writes at rest (resync of every Application, restart)").isEmpty();
    }
}
