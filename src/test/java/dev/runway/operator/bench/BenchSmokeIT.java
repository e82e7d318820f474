package dev.runway.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.Tiers;

/**
 * The benchmark at N = 20 in every {@code make test}: it fails only on the hard property, a write
 * by the operator at rest (after a resync of every Application and after a restart). Every other
 * figure is printed and written to {@code target/bench/smoke-n20.json}, never judged.
 */
@Tag(Tiers.CLUSTER)
class BenchSmokeIT extends KubernetesTest {
    static final int N = 20;

    @Test
    void theOperatorWritesNothingAtRest() throws Exception {
        Map<String, Object> report = BenchReport.withEnvironment(
                new Benchmark(client, N, Benchmark.OPERATOR_THREADS, List.of()).run(), client);
        BenchReport.write(report, LocalControlPlane.repoRootForTests().resolve("target/bench/smoke-n" + N + ".json"));
        System.out.println(BenchReport.json(report));
        assertThat(Benchmark.writesAtRest(report)).as("the operator's writes at rest (resync of every Application, restart)").isEmpty();
    }
}
