package dev.runway.operator.node;

import static dev.runway.operator.testing.ClusterTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.PrometheusServer;
import dev.runway.operator.testing.RealNode;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.AnalysisRun;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Blue-green and canary analysis that really runs: a Prometheus server on loopback scrapes the sample app's
 * {@code /metrics} on the real node, the real Argo Rollouts controller runs the AnalysisRuns
 * Runway's templates describe, and queries that server. Traffic is sent by this test to the new
 * revision's pods only (through the API server's pod proxy, bounded in count and time), so the
 * success rate Prometheus computes is the new revision's own.
 */
@Tag(Tiers.NODE)
class RealNodeAnalysisIT extends KubernetesTest {
    private static final String V1 = RealNode.image("runway-sample-app:1.0.0");
    private static final String V2 = RealNode.image("runway-sample-app:1.1.0");
    private static final Pattern MEASURED = Pattern.compile("success-rate measured \\[?([0-9.]+)\\]?");

    private static TestNamespace ns;
    private static PrometheusServer prometheus;
    private static OperatorProcess operator;

    @BeforeAll
    static void start() {
        ns = RealNode.namespace(client, "analysis");
        prometheus = PrometheusServer.scraping(ns.name(), LocalControlPlane.kubeconfig());
        operator = OperatorProcess.named("analysis-it").leaseNamespace(ns.name())
                .property("runway.prometheus.address", prometheus.address()).build();
        operator.start().awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        ns.close();
    }

    /**
     * Pre-promotion analysis on the preview: a healthy 1.1.0 passes and is promoted; then a 1.0.0
     * answering 20 % of its requests with 500 fails it, the Rollout aborts, 1.1.0 keeps serving,
     * and the Application is Degraded with the measured value and the threshold.
     */
    @Test
    void aHealthyPreviewPassesPrePromotionAnalysisAndOneAnswering20PercentErrorsIsAborted() {
        create("pre", "prePromotionAnalysis");
        awaitServing("pre", V1);

        setImage("pre", V2, Map.of());
        Application promoted;
        try (Traffic traffic = Traffic.to("pre", V2)) {
            promoted = ClusterTestSupport.waitFor(client, ns.name(), "pre", 300, a -> current(a) && a.getStatus().phase == Phase.Healthy
                    && V2.equals(a.getStatus().stableImage));
            System.out.printf("[analysis-it] healthy preview promoted after %d requests%n", traffic.sent());
        }
        AnalysisRun passed = analysisRun("pre", "PrePromotion");
        assertThat(passed.getStatus().getPhase()).isEqualTo("Successful");
        List<Double> healthy = values(passed);
        System.out.printf("[analysis-it] pre-promotion success rate of the healthy preview: %s%n", healthy);
        assertThat(healthy).as("values Argo Rollouts read from Prometheus").isNotEmpty().allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0.95));
        assertThat(promoted.getStatus().conditions).anySatisfy(c -> assertThat(c.getType()).isEqualTo("Ready"));
        assertThat(page("pre")).contains("id=\"version\">1.1.0<");

        // The next revision answers 20 % of its requests with 500.
        setImage("pre", V1, Map.of("ERROR_RATIO", "0.2"));
        Application failed;
        try (Traffic traffic = Traffic.to("pre", V1)) {
            failed = ClusterTestSupport.waitFor(client, ns.name(), "pre", 300, a -> current(a)
                    && "AnalysisFailed".equals(RealNodeApplicationIT.reason(a, "Ready")));
            System.out.printf("[analysis-it] failing preview aborted after %d requests%n", traffic.sent());
        }
        String message = RealNodeApplicationIT.message(failed, "Ready");
        System.out.printf("[analysis-it] Ready: %s%n", message);
        assertThat(failed.getStatus().phase).isEqualTo(Phase.Degraded);
        assertThat(message).contains("revision " + V1 + " did not go live", "pre-promotion analysis", "success-rate measured",
                "needs result[0] >= 0.9500", V2 + " keeps serving");
        double measured = measured(message);
        assertThat(measured).as("the success rate Prometheus computed for 20 %% errors").isBetween(0.6, 0.95);

        AnalysisRun run = analysisRun("pre", "PrePromotion");
        assertThat(run.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(values(run)).as("what Argo Rollouts measured").anySatisfy(v -> assertThat(v).isLessThan(0.95));
        Rollout rollout = client.resources(Rollout.class).inNamespace(ns.name()).withName("pre").get();
        assertThat(rollout.getStatus().getAbort()).isTrue();
        assertThat(page("pre")).as("the old version keeps serving").contains("id=\"version\">1.1.0<");
        assertThat(warnings("pre")).contains("AnalysisFailed");
        // Prometheus itself holds the failing series, labelled by the preview Service.
        assertThat(prometheus.query("sum by (code) (http_requests_total{namespace=\"" + ns.name() + "\",service=\"pre-preview\"})"))
                .contains("\"code\":\"500\"");
    }

    /**
     * Post-promotion analysis on the active Service: a revision answering half its requests with
     * 500 goes live, fails the analysis, and Argo Rollouts switches the active Service back.
     */
    @Test
    void aFailedPostPromotionAnalysisSwitchesTheActiveServiceBack() {
        create("post", "postPromotionAnalysis");
        awaitServing("post", V1);

        setImage("post", V2, Map.of("ERROR_RATIO", "0.5"));
        Application failed;
        try (Traffic traffic = Traffic.to("post", V2)) {
            failed = ClusterTestSupport.waitFor(client, ns.name(), "post", 300, a -> current(a)
                    && "AnalysisFailed".equals(RealNodeApplicationIT.reason(a, "Ready")));
            System.out.printf("[analysis-it] failing active revision switched back after %d requests%n", traffic.sent());
        }
        String message = RealNodeApplicationIT.message(failed, "Ready");
        System.out.printf("[analysis-it] Ready: %s%n", message);
        assertThat(failed.getStatus().phase).isEqualTo(Phase.Degraded);
        assertThat(message).contains("revision " + V2 + " went live and was switched back", "post-promotion analysis",
                "success-rate measured", "needs result[0] >= 0.9500", V1 + " keeps serving");
        assertThat(measured(message)).isLessThan(0.95);
        assertThat(analysisRun("post", "PostPromotion").getStatus().getPhase()).isEqualTo("Failed");
        await(60).untilAsserted(() -> assertThat(page("post")).as("the active Service serves 1.0.0 again")
                .contains("id=\"version\">1.0.0<"));
    }

    /**
     * A canary analysis step, on the Application's own Service: a healthy 1.1.0 passes it and takes
     * all pods; a 1.0.0 answering 40 % of its requests with 500 fails it at half the pods, and the
     * canary is scaled back while 1.1.0 serves.
     */
    @Test
    void aCanaryAnalysisStepPassesAHealthyRevisionAndAbortsAFailingOne() {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: canary}
                spec:
                  image: "%s"
                  port: 8080
                  replicas: 2
                  strategy:
                    type: Canary
                    canary:
                      analysis: {successRatePercent: 95}
                      steps:
                        - setWeight: 50
                        - analysis: true
                """.formatted(V1), Application.class)).inNamespace(ns.name()).create();
        awaitServing("canary", V1);

        setImage("canary", V2, Map.of());
        try (Traffic traffic = Traffic.to("canary", V2)) {
            ClusterTestSupport.waitFor(client, ns.name(), "canary", 300, a -> current(a) && a.getStatus().phase == Phase.Healthy
                    && V2.equals(a.getStatus().stableImage));
            System.out.printf("[analysis-it] healthy canary promoted after %d requests%n", traffic.sent());
        }
        AnalysisRun passed = analysisRun("canary", "Step");
        assertThat(passed.getStatus().getPhase()).isEqualTo("Successful");
        System.out.printf("[analysis-it] canary success rate of the healthy revision: %s%n", values(passed));
        assertThat(values(passed)).isNotEmpty().allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0.95));

        setImage("canary", V1, Map.of("ERROR_RATIO", "0.4"));
        Application failed;
        try (Traffic traffic = Traffic.to("canary", V1)) {
            failed = ClusterTestSupport.waitFor(client, ns.name(), "canary", 300, a -> current(a)
                    && "AnalysisFailed".equals(RealNodeApplicationIT.reason(a, "Ready")));
            System.out.printf("[analysis-it] failing canary aborted after %d requests%n", traffic.sent());
        }
        String message = RealNodeApplicationIT.message(failed, "Ready");
        System.out.printf("[analysis-it] Ready: %s%n", message);
        assertThat(failed.getStatus().phase).isEqualTo(Phase.Degraded);
        assertThat(message).contains("revision " + V1 + " did not go live", "canary analysis", "success-rate measured",
                "needs result[0] >= 0.9500", V2 + " keeps serving");
        assertThat(measured(message)).isBetween(0.3, 0.95);
        assertThat(analysisRun("canary", "Step").getStatus().getPhase()).isEqualTo("Failed");
        await(60).untilAsserted(() -> assertThat(client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", "canary")
                .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getSpec().getContainers().get(0).getImage())).as("the canary is scaled back").containsOnly(V2));
        assertThat(page("canary")).contains("id=\"version\">1.1.0<");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void create(String name, String analysis) {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: %s}
                spec:
                  image: "%s"
                  port: 8080
                  replicas: 1
                  strategy:
                    type: BlueGreen
                    blueGreen:
                      scaleDownDelaySeconds: 120
                      %s: {successRatePercent: 95}
                """.formatted(name, V1, analysis), Application.class)).inNamespace(ns.name()).create();
    }

    private static void awaitServing(String name, String image) {
        ClusterTestSupport.waitFor(client, ns.name(), name, 300, a -> current(a) && a.getStatus().phase == Phase.Healthy
                && image.equals(a.getStatus().stableImage));
    }

    private static void setImage(String name, String image, Map<String, String> env) {
        ClusterTestSupport.update(client, ns.name(), name, a -> {
            a.getSpec().image = image;
            a.getSpec().env = new java.util.LinkedHashMap<>(env);
        });
    }

    private static boolean current(Application a) {
        return a.getStatus() != null && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration);
    }

    private static String page(String service) {
        return await(60).until(() -> RealNode.viaService(client, ns.name(), service, "http", "/"), Optional::isPresent).get();
    }

    /** The newest AnalysisRun of the Rollout of the given type (Argo's rollout-type label). */
    private static AnalysisRun analysisRun(String app, String type) {
        return client.resources(AnalysisRun.class).inNamespace(ns.name()).withLabel("rollout-type", type).list().getItems().stream()
                .filter(r -> r.getMetadata().getOwnerReferences().stream().anyMatch(o -> app.equals(o.getName())))
                .max(java.util.Comparator.comparing(r -> r.getMetadata().getCreationTimestamp())).orElseThrow();
    }

    /** The values of the success-rate measurements: Argo records them as "[0.8]". */
    private static List<Double> values(AnalysisRun run) {
        return run.getStatus().getMetricResults().stream().filter(m -> "success-rate".equals(m.getName()))
                .flatMap(m -> m.getMeasurements().stream()).map(m -> m.getValue()).filter(v -> v != null && !v.isBlank())
                .map(v -> Double.parseDouble(v.replace("[", "").replace("]", "").trim())).toList();
    }

    private static double measured(String message) {
        Matcher m = MEASURED.matcher(message);
        assertThat(m.find()).as("a measured value in: %s", message).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static List<String> warnings(String app) {
        return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && app.equals(e.getInvolvedObject().getName())
                        && "Application".equals(e.getInvolvedObject().getKind()))
                .map(e -> e.getReason()).toList();
    }

    /**
     * Requests to the pods of one revision (by image), one at a time through the API server's pod
     * proxy: at most 6,000 and at most 5 minutes, whichever comes first; stopped by {@link #close}.
     */
    private static final class Traffic implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;

        private Traffic(String app, String image) {
            Instant end = Instant.now().plus(Duration.ofMinutes(5));
            thread = new Thread(() -> {
                List<Pod> pods = List.of();
                int round = 0;
                while (!stop.get() && sent.get() < 6000 && Instant.now().isBefore(end)) {
                    if (round++ % 20 == 0 || pods.isEmpty()) {
                        pods = client.pods().inNamespace(ns.name()).withLabel("app.kubernetes.io/name", app).list().getItems().stream()
                                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getPodIP() != null
                                        && image.equals(p.getSpec().getContainers().get(0).getImage()))
                                .toList();
                    }
                    for (Pod pod : pods) {
                        RealNode.viaPod(client, pod, 8080, "/");
                        sent.incrementAndGet();
                    }
                    try {
                        Thread.sleep(pods.isEmpty() ? 500 : 40);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "analysis-traffic-" + app);
            thread.setDaemon(true);
            thread.start();
        }

        static Traffic to(String app, String image) {
            return new Traffic(app, image);
        }

        int sent() {
            return sent.get();
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
