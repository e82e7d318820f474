package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.argoproj.v1alpha1.AnalysisRun;
import io.argoproj.v1alpha1.Rollout;
import io.argoproj.v1alpha1.analysisrunspec.Metrics;
import io.argoproj.v1alpha1.analysisrunstatus.MetricResults;
import io.argoproj.v1alpha1.analysisrunstatus.metricresults.Measurements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Why Argo Rollouts aborted a blue-green revision when an analysis failed: each failed metric with
 * the value Prometheus returned and the condition it missed, read from the AnalysisRun the Rollout's
 * status names. Read only while the Rollout is aborted by a failed analysis, one GET per reconcile.
 */
final class AnalysisVerdict {
    static final String REASON = "AnalysisFailed";
    private static final Set<String> FAILED = Set.of("Failed", "Error", "Inconclusive");

    private AnalysisVerdict() {
    }

    /** The failed run the Rollout names: "pre-promotion", "post-promotion" or "canary", and the run's name. */
    record FailedRun(String phase, String name, String rolloutMessage) {
    }

    static Optional<FailedRun> failedRun(Rollout rollout) {
        if (rollout == null || rollout.getStatus() == null || !Boolean.TRUE.equals(rollout.getStatus().getAbort())) {
            return Optional.empty();
        }
        var canary = rollout.getStatus().getCanary();
        var step = canary == null ? null : canary.getCurrentStepAnalysisRunStatus();
        if (step != null && step.getName() != null && FAILED.contains(step.getStatus())) {
            return Optional.of(new FailedRun(AnalysisTemplates.CANARY, step.getName(), rollout.getStatus().getMessage()));
        }
        var bg = rollout.getStatus().getBlueGreen();
        if (bg == null) {
            return Optional.empty();
        }
        var pre = bg.getPrePromotionAnalysisRunStatus();
        if (pre != null && pre.getName() != null && FAILED.contains(pre.getStatus())) {
            return Optional.of(new FailedRun(AnalysisTemplates.PRE, pre.getName(), rollout.getStatus().getMessage()));
        }
        var post = bg.getPostPromotionAnalysisRunStatus();
        if (post != null && post.getName() != null && FAILED.contains(post.getStatus())) {
            return Optional.of(new FailedRun(AnalysisTemplates.POST, post.getName(), rollout.getStatus().getMessage()));
        }
        return Optional.empty();
    }

    /** The workload state with the analysis as the cause, when a failed analysis aborted the revision. */
    static WorkloadState explain(WorkloadState state, Optional<Rollout> rollout, KubernetesClient client) {
        if (!state.aborted()) {
            return state;
        }
        Optional<FailedRun> failed = failedRun(rollout.orElse(null));
        if (failed.isEmpty()) {
            return state;
        }
        String namespace = rollout.get().getMetadata().getNamespace();
        AnalysisRun run;
        try {
            run = client.resources(AnalysisRun.class).inNamespace(namespace).withName(failed.get().name()).get();
        } catch (KubernetesClientException e) {
            run = null;
        }
        return state.withFailure(REASON, describe(failed.get(), run));
    }

    /** E.g. "pre-promotion analysis failed: success-rate measured 0.8012, needs result[0] >= 0.9500 (2 of 3 measurements failed)". */
    static String describe(FailedRun failed, AnalysisRun run) {
        String head = failed.phase() + " analysis " + failed.name() + " failed";
        if (run == null || run.getStatus() == null || run.getStatus().getMetricResults() == null) {
            return head + (failed.rolloutMessage() == null ? "" : " (" + failed.rolloutMessage() + ")");
        }
        List<String> metrics = new ArrayList<>();
        for (MetricResults result : run.getStatus().getMetricResults()) {
            if (!FAILED.contains(result.getPhase())) {
                continue;
            }
            List<Measurements> measurements = result.getMeasurements() == null ? List.of() : result.getMeasurements();
            // Argo records a one-sample vector as "[0.8]".
            String value = measurements.stream().filter(m -> m.getValue() != null && !m.getValue().isBlank())
                    .reduce((a, b) -> b).map(m -> rounded(m.getValue().replaceAll("^\\[([^,\\]]*)\\]$", "$1"))).orElse("nothing");
            String condition = condition(run, result.getName());
            String counts = "";
            if (result.getCount() != null) {
                counts = " (" + orZero(result.getFailed()) + " of " + result.getCount() + " measurements failed"
                        + (orZero(result.getError()) > 0 ? ", " + result.getError() + " could not be measured" : "") + ")";
            }
            String message = result.getMessage() == null || result.getMessage().isBlank() ? "" : ": " + result.getMessage();
            metrics.add(result.getName() + " measured " + value + (condition == null ? "" : ", needs " + condition) + counts + message);
        }
        return metrics.isEmpty() ? head : head + ": " + String.join("; ", metrics);
    }

    private static String condition(AnalysisRun run, String metric) {
        if (run.getSpec() == null || run.getSpec().getMetrics() == null) {
            return null;
        }
        return run.getSpec().getMetrics().stream().filter(m -> metric.equals(m.getName())).findFirst()
                .map(Metrics::getSuccessCondition).orElse(null);
    }

    /** A number as 0.8272 rather than Prometheus' 0.8272251308900523; anything else as it came. */
    static String rounded(String value) {
        try {
            double d = Double.parseDouble(value.trim());
            return Double.isFinite(d) ? new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString()
                    : value;
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }
}
