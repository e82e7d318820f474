package dev.runway.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
 * results to {@code bench/results/<date>-n<N>[-background][-<label>].json}. Excluded from
 * {@code make test} (tag bench). {@code runway.bench.jvm-options} (space-separated) go to the
 * operator process, e.g. a JFR recording; {@code runway.test.operator-java} names the JDK it runs on.
 * {@code runway.bench.background=true} creates a real cluster's unrelated objects first
 * ({@link BackgroundObjects}; {@code runway.bench.background-replicas} per Deployment, default 0);
 * {@code runway.bench.ready-timeout-seconds} bounds the wait for the floor and for Ready (what is not
 * done by then is reported as stalled); {@code runway.bench.label} ends the file name;
 * {@code runway.bench.churn-seconds} and {@code runway.bench.churn-rate} add the churn phase ({@link Churn});
 * {@code runway.bench.flux=true} adds the peer phase ({@link FluxPeer}).
 */
@Tag("bench")
class BenchIT extends KubernetesTest {

    @Test
    void benchmark() throws Exception {
        int n = Integer.getInteger("runway.bench.n", 100);
        String options = System.getProperty("runway.bench.jvm-options", "").trim();
        List<String> jvmOptions = options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
        boolean background = Boolean.getBoolean("runway.bench.background");
        String replicasProperty = System.getProperty("runway.bench.background-replicas", "").trim();
        int replicas = replicasProperty.isEmpty() ? 0 : Integer.parseInt(replicasProperty);
        String timeout = System.getProperty("runway.bench.ready-timeout-seconds", "").trim();
        Duration bound = timeout.isEmpty() ? Benchmark.defaultReadyBound(n) : Duration.ofSeconds(Long.parseLong(timeout));
        String label = System.getProperty("runway.bench.label", "").trim();
        String churnSeconds = System.getProperty("runway.bench.churn-seconds", "").trim();
        String churnRate = System.getProperty("runway.bench.churn-rate", "").trim();
        boolean flux = Boolean.getBoolean("runway.bench.flux");
        Map<String, Object> report = BenchReport.withEnvironment(
                new Benchmark(client, n, Benchmark.OPERATOR_THREADS, jvmOptions, background, replicas, bound)
                        .withChurn(churnRate.isEmpty() ? 5 : Double.parseDouble(churnRate), churnSeconds.isEmpty() ? 0 : Long.parseLong(churnSeconds))
                        .withFlux(flux)
                        .run(), client);
        Path file = BenchReport.write(report, LocalControlPlane.repoRootForTests()
                .resolve("bench/results/" + LocalDate.now(ZoneOffset.UTC) + "-n" + n + (background ? "-background" : "") + (flux ? "-flux" : "")
                        + (label.isEmpty() ? "" : "-" + label) + ".json"));
        System.out.println(BenchReport.json(report));
        System.out.println("written to " + file);
        assertThat(Benchmark.writesAtRest(report)).as("the operator's writes at rest (resync of every Application, restart)").isEmpty();
    }
}
